//! The top-level documents of the v1 routes.

#[cfg(test)]
use lba_core::opportunity::{Offer, OfferOrigin};
#[cfg(test)]
use lba_search::{Hit, SearchResults};
use serde::Serialize;
use utoipa::ToSchema;

use super::company::LbaCompany;
use super::formation::Formation;
use super::job::{LbaJob, PartnerJob, PeJob};
use super::metier::{AppellationRomeMetier, MetierEnrichi};
use super::place::PlaceSuggestion;
#[cfg(test)]
use lba_app::search_request::Sources;

/// A list of results (`{"results": [...]}`).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Results<T> {
    /// The results, best first; may be empty.
    pub(crate) results: Vec<T>,
}

impl<T> Results<T> {
    /// Renders each item with `render`.
    pub(crate) fn of<U>(items: &[U], render: impl Fn(&U) -> T) -> Self {
        Self {
            results: items.iter().map(render).collect(),
        }
    }
}

/// The jobs of `/api/v1/jobs`: one key per source, `null` when the source
/// was not asked for (`sources`).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Jobs {
    /// France Travail offers.
    #[schema(required = true)]
    pe_jobs: Option<Results<PeJob>>,
    /// Offers posted on the platform.
    #[schema(required = true)]
    matchas: Option<Results<LbaJob>>,
    /// Companies likely to hire.
    #[schema(required = true)]
    lba_companies: Option<Results<LbaCompany>>,
    /// Partner offers.
    #[schema(required = true)]
    partner_jobs: Option<Results<PartnerJob>>,
    /// Always `null` (merged into `lbaCompanies` since v1).
    #[schema(required = true)]
    lbb_companies: Option<Results<LbaCompany>>,
}

#[cfg(test)]
impl Jobs {
    /// Splits `results` by source: the reference that
    /// [`body::jobs`](super::body::jobs) is tested against.
    pub(crate) fn new(results: &SearchResults, sources: Sources) -> Self {
        Self {
            pe_jobs: sources
                .pe_jobs
                .then(|| offers(results, OfferOrigin::FranceTravail, PeJob::from_hit)),
            matchas: sources
                .matchas
                .then(|| offers(results, OfferOrigin::Platform, LbaJob::from_hit)),
            lba_companies: sources
                .companies
                .then(|| Results::of(&results.companies, LbaCompany::from_hit)),
            partner_jobs: sources
                .partner_jobs
                .then(|| offers(results, OfferOrigin::Partner, PartnerJob::from_hit)),
            lbb_companies: None,
        }
    }
}

/// The offers from `origin`, in the order found.
#[cfg(test)]
fn offers<T>(
    results: &SearchResults,
    origin: OfferOrigin,
    render: fn(&Hit<Offer>) -> T,
) -> Results<T> {
    Results {
        results: results
            .offers
            .iter()
            .filter(|hit| hit.item.origin == origin)
            .map(render)
            .collect(),
    }
}

/// The document of `/api/v1/jobsEtFormations`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct JobsEtFormations {
    /// Courses; `null` when `sources` leaves out `formation`.
    #[schema(required = true)]
    formations: Option<Results<Formation>>,
    /// Jobs; `null` when `sources` names only `formation`.
    #[schema(required = true)]
    jobs: Option<Jobs>,
}

#[cfg(test)]
impl JobsEtFormations {
    /// Renders both parts: the reference that
    /// [`body::jobs_et_formations`](super::body::jobs_et_formations) is
    /// tested against.
    pub(crate) fn new(results: &SearchResults, sources: Sources) -> Self {
        Self {
            formations: sources
                .formations
                .then(|| Results::of(&results.formations, Formation::from_hit)),
            jobs: (sources.offers() || sources.companies).then(|| Jobs::new(results, sources)),
        }
    }
}

/// One company (`/api/v1/jobs/company/{siret}`).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OneCompany {
    /// The company.
    pub(crate) lba_companies: Vec<LbaCompany>,
}

/// One platform offer (`/api/v1/jobs/matcha/{id}`).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OneMatcha {
    /// The offer.
    pub(crate) matchas: Vec<LbaJob>,
}

/// One France Travail offer (`/api/v1/jobs/job/{id}`).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OnePeJob {
    /// The offer.
    pub(crate) pe_jobs: Vec<PeJob>,
}

/// One partner offer (`/api/v1/jobs/partnerJob/{id}`).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OnePartnerJob {
    /// The offer.
    pub(crate) partner_jobs: Vec<PartnerJob>,
}

/// Métier suggestions (`/api/v1/metiers`).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Metiers {
    /// At most 20 suggestions, best first.
    pub(crate) labels_and_romes: Vec<MetierEnrichi>,
}

/// Every métier (`/api/v1/metiers/all`).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AllMetiers {
    /// Métier names in alphabetical order.
    pub(crate) metiers: Vec<String>,
}

/// Appellations (`/api/v1/metiers/intitule`).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Appellations {
    /// Appellations with their métier.
    pub(crate) couple_appellation_rome_metier: Vec<AppellationRomeMetier>,
}

/// Place suggestions (`/api/v1/places`).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Places {
    /// Communes, best first.
    pub(crate) places: Vec<PlaceSuggestion>,
}
