//! A company likely to hire an apprentice (v1 `LbaCompany`, key
//! `lbaCompanies`).

use lba_core::opportunity;
use lba_search::Hit;
use serde::Serialize;
use utoipa::ToSchema;

use super::common::{Company, Contact, Naf, Place, headcount_range, non_empty};

/// A company likely to hire (v1 `LbaCompany`).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct LbaCompany {
    /// Always `lba`.
    #[serde(rename = "ideaType")]
    #[schema(example = "lba")]
    idea_type: &'static str,
    /// The SIRET, for `/api/v1/jobs/company/{siret}`.
    id: String,
    /// Name.
    title: Option<String>,
    /// Activity.
    nafs: Option<Vec<Naf>>,
    /// Where it is.
    place: Place,
    /// The company.
    company: Company,
    /// Its phone (emails are never published: applications are relayed).
    contact: Option<Contact>,
    /// Always 0 (not published).
    #[serde(rename = "applicationCount")]
    application_count: u32,
    /// Recipient of spontaneous applications (`recruteurslba_<siret>`).
    recipient_id: String,
    /// Always `null`: the v1 application endpoint is not offered.
    token: Option<String>,
    /// Always `null`.
    url: Option<String>,
    /// Ours: a synthetic record from the demo generator.
    #[serde(rename = "isDemo")]
    is_demo: bool,
    /// Ours: a spontaneous application can be sent through the platform.
    #[serde(rename = "acceptsApplications")]
    accepts_applications: bool,
}

impl LbaCompany {
    /// Renders a search hit.
    pub(crate) fn from_hit(hit: &Hit<opportunity::Company>) -> Self {
        let c = &hit.item;
        Self {
            idea_type: "lba",
            id: c.siret.to_string(),
            title: non_empty(&c.name),
            nafs: Naf::list(c.naf.as_ref()),
            place: Place::new(&c.place, hit.distance_km, None),
            company: Company {
                name: non_empty(&c.name),
                siret: Some(c.siret.to_string()),
                size: c.headcount.as_deref().map(headcount_range),
                url: c.website.clone(),
                ..Company::default()
            },
            contact: Contact::phone(c.phone.as_deref()),
            application_count: 0,
            recipient_id: format!("recruteurslba_{}", c.siret),
            token: None,
            url: None,
            is_demo: c.is_demo,
            accepts_applications: c.accepts_applications(),
        }
    }
}
