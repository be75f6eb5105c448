//! A training course (v1 `Formation`).

use lba_core::opportunity;
use lba_search::Hit;
use serde::Serialize;
use utoipa::ToSchema;

use super::common::{Company, Contact, Place, Rome, non_empty};
use lba_app::search_request::params::diploma_label;

/// A training course in a CFA (v1 `Formation`).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Formation {
    /// Always `formation`.
    #[serde(rename = "ideaType")]
    #[schema(example = "formation")]
    idea_type: &'static str,
    /// Id, for `/api/v1/formations/formation/{id}`.
    id: String,
    /// The catalogue's `cle_ministere_educatif` (same as `id`).
    #[serde(rename = "cleMinistereEducatif")]
    cle_ministere_educatif: Option<String>,
    /// Course title.
    title: Option<String>,
    /// Course title (same as `title`).
    #[serde(rename = "longTitle")]
    long_title: Option<String>,
    /// Diploma title.
    diploma: Option<String>,
    /// Code formation diplôme.
    cfd: Option<String>,
    /// RNCP code.
    #[serde(rename = "rncpCode")]
    rncp_code: Option<String>,
    /// Title of the RNCP certification (the diploma title).
    #[serde(rename = "rncpLabel")]
    rncp_label: Option<String>,
    /// Always `null`.
    #[serde(rename = "rncpEligibleApprentissage")]
    rncp_eligible_apprentissage: Option<bool>,
    /// Level in the v1 form (`"5 (BTS, DEUST...)"`).
    target_diploma_level: Option<&'static str>,
    /// Places available.
    capacity: Option<String>,
    /// ONISEP page.
    #[serde(rename = "onisepUrl")]
    onisep_url: Option<String>,
    /// Always `null`.
    #[serde(rename = "idRco")]
    id_rco: Option<String>,
    /// Always `null`.
    #[serde(rename = "idRcoFormation")]
    id_rco_formation: Option<String>,
    /// Always `null` (sessions are under `training`).
    period: Option<String>,
    /// Métiers the course leads to.
    romes: Vec<Rome>,
    /// Where the course takes place.
    place: Place,
    /// The CFA.
    company: Company,
    /// The CFA's phone (emails are not published).
    contact: Option<Contact>,
    /// Sessions.
    training: Training,
    /// Always `null`.
    #[serde(rename = "rdvContext")]
    rdv_context: Option<String>,
    /// Ours: a synthetic record from the demo generator.
    #[serde(rename = "isDemo")]
    is_demo: bool,
    /// Ours: no course lay within the radius and this one is among the
    /// nearest outside it.
    #[serde(rename = "outsideRadius")]
    outside_radius: bool,
    /// Ours: duration in months.
    #[serde(rename = "durationMonths")]
    duration_months: Option<u16>,
}

/// Course details (v1 `Training`).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Training {
    /// Always `null`.
    description: Option<String>,
    /// Always `null`.
    objectif: Option<String>,
    /// Always `null` (the duration in months is `durationMonths`).
    duration: Option<f64>,
    /// Sessions.
    sessions: Vec<Session>,
}

/// One session (v1 `Session de formation`).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Session {
    /// First day (`YYYY-MM-DD`).
    start_date: Option<String>,
    /// Last day.
    end_date: Option<String>,
    /// Always `false`.
    is_permanent_entry: bool,
}

impl Formation {
    /// Renders a search hit.
    pub(crate) fn from_hit(hit: &Hit<opportunity::Formation>) -> Self {
        Self::new(&hit.item, hit.distance_km, hit.outside_radius)
    }

    /// Renders a course at `distance_km` from the search centre.
    pub(crate) fn new(
        f: &opportunity::Formation,
        distance_km: Option<f64>,
        outside_radius: bool,
    ) -> Self {
        Self {
            idea_type: "formation",
            id: f.id.clone(),
            cle_ministere_educatif: Some(f.id.clone()),
            title: non_empty(&f.title),
            long_title: non_empty(&f.title),
            diploma: non_empty(&f.diploma_title),
            cfd: f.cfd.as_ref().map(|c| c.to_string()),
            rncp_code: f.rncp.as_ref().map(|r| r.to_string()),
            rncp_label: f.rncp.as_ref().and_then(|_| non_empty(&f.diploma_title)),
            rncp_eligible_apprentissage: None,
            target_diploma_level: f.level.map(diploma_label),
            capacity: f.capacity.map(|c| c.to_string()),
            onisep_url: f.onisep_url.clone(),
            id_rco: None,
            id_rco_formation: None,
            period: None,
            romes: Rome::list(&f.romes),
            place: Place::new(&f.place, distance_km, Some(f.distance_learning)),
            company: Company {
                name: non_empty(&f.cfa_name),
                siret: f.cfa_siret.as_ref().map(|s| s.to_string()),
                uai: f.cfa_uai.as_ref().map(|u| u.to_string()),
                ..Company::default()
            },
            contact: Contact::phone(f.phone.as_deref()),
            training: Training {
                description: None,
                objectif: None,
                duration: None,
                sessions: f
                    .sessions
                    .iter()
                    .map(|s| Session {
                        start_date: Some(s.start.to_string()),
                        end_date: s.end.map(|d| d.to_string()),
                        is_permanent_entry: false,
                    })
                    .collect(),
            },
            rdv_context: None,
            is_demo: f.is_demo,
            outside_radius,
            duration_months: f.duration_months,
        }
    }
}
