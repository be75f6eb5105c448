//! Job offers: platform offers (v1 `LbaJob`, key `matchas`), France Travail
//! offers (v1 `PeJob`, key `peJobs`) and partner offers (v1 `PartnerJob`,
//! key `partnerJobs`).

use chrono::SecondsFormat;
use lba_core::opportunity::Offer;
use lba_search::Hit;
use serde::Serialize;
use utoipa::ToSchema;

use super::common::{Company, Contact, Naf, Place, Rome, headcount_range, non_empty};
use lba_app::search_request::params::diploma_label;

/// The offer itself (v1 `LbacJob`).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Job {
    /// Offer id.
    id: String,
    /// Publication time (RFC 3339).
    #[serde(rename = "creationDate")]
    creation_date: String,
    /// Expiry time (RFC 3339).
    #[serde(rename = "jobExpirationDate")]
    job_expiration_date: String,
    /// Expected start date (`YYYY-MM-DD`).
    #[serde(rename = "jobStartDate")]
    job_start_date: Option<String>,
    /// Description.
    description: Option<String>,
    /// Contract types, comma-separated (`"Apprentissage, Professionnalisation"`).
    #[serde(rename = "contractType")]
    contract_type: Option<String>,
    /// Contract types.
    #[serde(rename = "type")]
    kind: Vec<&'static str>,
    /// Contract duration in months.
    #[serde(rename = "dureeContrat")]
    duree_contrat: Option<String>,
    /// Always `Active` (closed offers are not searchable).
    status: &'static str,
    /// Always `null`.
    #[serde(rename = "elligibleHandicap")]
    elligible_handicap: Option<bool>,
}

impl Job {
    fn new(o: &Offer) -> Self {
        let kinds: Vec<&'static str> = o.contract_types.iter().map(|c| c.label_fr()).collect();
        Self {
            id: o.id.clone(),
            creation_date: o.published_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            job_expiration_date: o.expires_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            job_start_date: o.start_date.map(|d| d.to_string()),
            description: non_empty(&o.description),
            contract_type: (!kinds.is_empty()).then(|| kinds.join(", ")),
            kind: kinds,
            duree_contrat: o.duration_months.map(|m| m.to_string()),
            status: "Active",
            elligible_handicap: None,
        }
    }
}

/// The employer of an offer.
fn employer(o: &Offer) -> Company {
    Company {
        name: non_empty(&o.company_name),
        siret: o.company_siret.as_ref().map(|s| s.to_string()),
        size: o.company_headcount.as_deref().map(headcount_range),
        ..Company::default()
    }
}

/// An offer posted on the platform (v1 `LbaJob`, in `matchas`).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct LbaJob {
    /// Always `matcha`.
    #[serde(rename = "ideaType")]
    #[schema(example = "matcha")]
    idea_type: &'static str,
    /// Id, for `/api/v1/jobs/matcha/{id}`.
    id: String,
    /// Title.
    title: Option<String>,
    /// The offer.
    job: Job,
    /// Métier.
    romes: Vec<Rome>,
    /// Employer activity.
    nafs: Option<Vec<Naf>>,
    /// Level in the v1 form; `null` for any level.
    target_diploma_level: Option<&'static str>,
    /// Place of work.
    place: Place,
    /// Employer.
    company: Company,
    /// Always `null`: applications go through the platform.
    contact: Option<Contact>,
    /// Always 0 (not published).
    #[serde(rename = "applicationCount")]
    application_count: u32,
    /// Recipient of applications (`recruiters_<id>`).
    recipient_id: String,
    /// Always empty: the v1 application endpoint is not offered.
    token: String,
    /// Ours: a synthetic record from the demo generator.
    #[serde(rename = "isDemo")]
    is_demo: bool,
}

impl LbaJob {
    /// Renders a search hit.
    pub(crate) fn from_hit(hit: &Hit<Offer>) -> Self {
        let o = &hit.item;
        Self {
            idea_type: "matcha",
            id: o.id.clone(),
            title: non_empty(&o.title),
            job: Job::new(o),
            romes: Rome::list([&o.rome]),
            nafs: Naf::list(o.company_naf.as_ref()),
            target_diploma_level: o.level.map(diploma_label),
            place: Place::new(&o.place, hit.distance_km, None),
            company: employer(o),
            contact: None,
            application_count: 0,
            recipient_id: format!("recruiters_{}", o.id),
            token: String::new(),
            is_demo: o.is_demo,
        }
    }
}

/// A France Travail offer (v1 `PeJob`, in `peJobs`).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PeJob {
    /// Always `peJob`.
    #[serde(rename = "ideaType")]
    #[schema(example = "peJob")]
    idea_type: &'static str,
    /// Id, for `/api/v1/jobs/job/{id}`.
    id: String,
    /// Title.
    title: Option<String>,
    /// Where to apply.
    url: Option<String>,
    /// The offer.
    job: Job,
    /// Métier.
    romes: Vec<Rome>,
    /// Employer activity.
    nafs: Option<Vec<Naf>>,
    /// Place of work.
    place: Place,
    /// Employer.
    company: Company,
    /// Always `null`: apply at `url`.
    contact: Option<Contact>,
    /// Ours: a synthetic record from the demo generator.
    #[serde(rename = "isDemo")]
    is_demo: bool,
    /// Ours: level in the v1 form; `null` for any level.
    target_diploma_level: Option<&'static str>,
}

impl PeJob {
    /// Renders a search hit.
    pub(crate) fn from_hit(hit: &Hit<Offer>) -> Self {
        let o = &hit.item;
        Self {
            idea_type: "peJob",
            id: o.id.clone(),
            title: non_empty(&o.title),
            url: o.apply_url.clone(),
            job: Job::new(o),
            romes: Rome::list([&o.rome]),
            nafs: Naf::list(o.company_naf.as_ref()),
            place: Place::new(&o.place, hit.distance_km, None),
            company: employer(o),
            contact: None,
            is_demo: o.is_demo,
            target_diploma_level: o.level.map(diploma_label),
        }
    }
}

/// A partner offer (v1 `PartnerJob`, in `partnerJobs`).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PartnerJob {
    /// Always `partnerJob`.
    #[serde(rename = "ideaType")]
    #[schema(example = "partnerJob")]
    idea_type: &'static str,
    /// Id, for `/api/v1/jobs/partnerJob/{id}`.
    id: String,
    /// Title.
    title: String,
    /// The offer.
    job: Job,
    /// Métier.
    romes: Vec<Rome>,
    /// Employer activity.
    nafs: Option<Vec<Naf>>,
    /// Level in the v1 form; `null` for any level.
    target_diploma_level: Option<&'static str>,
    /// Place of work.
    place: Place,
    /// Employer.
    company: Company,
    /// Always `null`: apply at `url`.
    contact: Option<Contact>,
    /// Always 0 (not published).
    #[serde(rename = "applicationCount")]
    application_count: Option<u32>,
    /// Recipient of applications (`partners_<id>`).
    recipient_id: String,
    /// Always empty: the v1 application endpoint is not offered.
    token: String,
    /// Ours: where to apply.
    url: Option<String>,
    /// Ours: a synthetic record from the demo generator.
    #[serde(rename = "isDemo")]
    is_demo: bool,
}

impl PartnerJob {
    /// Renders a search hit.
    pub(crate) fn from_hit(hit: &Hit<Offer>) -> Self {
        let o = &hit.item;
        Self {
            idea_type: "partnerJob",
            id: o.id.clone(),
            title: o.title.clone(),
            job: Job::new(o),
            romes: Rome::list([&o.rome]),
            nafs: Naf::list(o.company_naf.as_ref()),
            target_diploma_level: o.level.map(diploma_label),
            place: Place::new(&o.place, hit.distance_km, None),
            company: employer(o),
            contact: None,
            application_count: Some(0),
            recipient_id: format!("partners_{}", o.id),
            token: String::new(),
            url: o.apply_url.clone(),
            is_demo: o.is_demo,
        }
    }
}

/// A record found by id, as a hit without a search centre.
pub(crate) fn lone<T>(item: std::sync::Arc<T>) -> Hit<T> {
    Hit {
        item,
        distance_km: None,
        outside_radius: false,
        doc: None,
    }
}
