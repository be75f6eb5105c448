//! In-memory search indexes of La bonne alternance, rebuilt from the store
//! and swapped atomically ([`SharedIndex`]).
//!
//! - [`geo_index`]: for each kind and each ROME code, an R-tree of points on
//!   the unit sphere (the trick Meilisearch uses): a radius query becomes a
//!   chord-length query, exact and fast anywhere on Earth.
//! - [`metiers`] and [`places`]: autocomplete over job labels, diploma titles
//!   and communes, accent- and case-insensitive, prefix and one-typo tolerant.
//!
//! No SQL and no IO on the request path.

pub mod classifier;
pub mod geo_index;
pub mod id_table;
pub mod metiers;
pub mod orientation;
pub mod packed_tree;
pub mod places;
pub mod query;
pub mod regions;
pub mod render_cache;
pub mod rome_filter;
pub mod text_index;

use std::collections::HashMap;
use std::sync::Arc;

use arc_swap::ArcSwap;
use chrono::{DateTime, Utc};
use lba_core::ids::{CodeRome, RncpCode};
use lba_core::opportunity::{Company, Formation, Offer};
use lba_core::referential::ReferentialData;

pub use geo_index::KindIndex;
pub use metiers::{MetierHit, MetierIndex, MetierKind};
pub use places::{PlaceHit, PlaceIndex};
pub use query::{
    CompanySort, Hit, KindSet, MAX_COMPANIES, MAX_FORMATIONS, MAX_OFFERS, QueryError, RomeFilter,
    SearchQuery, SearchResults,
};

/// One immutable snapshot of everything searchable. Every part but the
/// offers is shared (`Arc`), so that a change of the offers alone builds a
/// new snapshot in the time it takes to index the offers
/// ([`Index::with_offers`]).
#[derive(Debug)]
pub struct Index {
    /// Training courses.
    pub formations: Arc<KindIndex<Formation>>,
    /// Open offers.
    pub offers: KindIndex<Offer>,
    /// The offers a CFA posted on behalf of a company: offer id → CFA name
    /// (empty until the caller fills it, with the offers).
    pub posted_by_cfa: HashMap<String, String>,
    /// Companies likely to hire.
    pub companies: Arc<KindIndex<Company>>,
    /// Métier autocomplete.
    pub metiers: Arc<MetierIndex>,
    /// Place autocomplete.
    pub places: Arc<PlaceIndex>,
    /// The ROME codes of the courses leading to each RNCP certification, the
    /// most frequent first (ties by code), at most [`query::MAX_ROMES`].
    pub rncp_romes: Arc<HashMap<RncpCode, Vec<CodeRome>>>,
    /// The positions in `formations.docs` of the courses of each département
    /// ([`regions::departement_of`] their place).
    pub formations_by_departement: Arc<HashMap<String, Vec<usize>>>,
    /// The store's data version this snapshot was built from.
    pub version: i64,
    /// The version everything but the offers was built from (the caller
    /// sets it; [`Index::build`] gives it `version`).
    pub base_version: i64,
    /// When it was built.
    pub built_at: DateTime<Utc>,
}

impl Index {
    /// Builds a snapshot. Offers that are not open at `now` are left out.
    /// The companies, most of the work, are indexed on a second thread.
    pub fn build(
        data: &ReferentialData,
        formations: Vec<Formation>,
        offers: Vec<Offer>,
        companies: Vec<Company>,
        version: i64,
        now: DateTime<Utc>,
    ) -> Self {
        std::thread::scope(|scope| {
            let companies = scope.spawn(move || Self::company_index(companies));
            let index = Self::build_without_companies(data, formations, offers, version, now);
            match companies.join() {
                Ok(companies) => index.with_companies(companies),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        })
    }

    /// The companies' part of a snapshot, for [`Index::with_companies`].
    pub fn company_index(companies: Vec<Company>) -> KindIndex<Company> {
        KindIndex::build(
            companies,
            |c| c.siret.as_str(),
            |c| c.place.point,
            |c| c.romes.iter().map(|r| r.rome.clone()).collect(),
        )
    }

    /// A snapshot without companies (set them with
    /// [`Index::with_companies`]): lets a caller index the companies
    /// alongside, as [`Index::build`] does.
    pub fn build_without_companies(
        data: &ReferentialData,
        formations: Vec<Formation>,
        offers: Vec<Offer>,
        version: i64,
        now: DateTime<Utc>,
    ) -> Self {
        let metiers = MetierIndex::build(data, &formations);
        let places = PlaceIndex::build(data);
        let formations = KindIndex::build(
            formations,
            |f| f.id.as_str(),
            |f| f.place.point,
            |f| f.romes.clone(),
        );
        let rncp_romes = rncp_romes(&formations.docs);
        let formations_by_departement = by_departement(&formations.docs);
        Self {
            formations: Arc::new(formations),
            rncp_romes: Arc::new(rncp_romes),
            formations_by_departement: Arc::new(formations_by_departement),
            offers: offer_index(offers, now),
            posted_by_cfa: HashMap::new(),
            companies: Arc::new(Self::company_index(Vec::new())),
            metiers: Arc::new(metiers),
            places: Arc::new(places),
            version,
            base_version: version,
            built_at: now,
        }
    }

    /// The same snapshot with `companies` in place of its companies.
    #[must_use]
    pub fn with_companies(mut self, companies: KindIndex<Company>) -> Self {
        self.companies = Arc::new(companies);
        self
    }

    /// The same snapshot with `offers` in place of its offers (those not
    /// open at `now` left out; `posted_by_cfa` empty), at `version`; every
    /// other part is shared.
    #[must_use]
    pub fn with_offers(&self, offers: Vec<Offer>, version: i64, now: DateTime<Utc>) -> Self {
        Self {
            formations: Arc::clone(&self.formations),
            offers: offer_index(offers, now),
            posted_by_cfa: HashMap::new(),
            companies: Arc::clone(&self.companies),
            metiers: Arc::clone(&self.metiers),
            places: Arc::clone(&self.places),
            rncp_romes: Arc::clone(&self.rncp_romes),
            formations_by_departement: Arc::clone(&self.formations_by_departement),
            version,
            base_version: self.base_version,
            built_at: now,
        }
    }

    /// An empty index (before the first build).
    pub fn empty() -> Self {
        Self::build(
            &ReferentialData::default(),
            vec![],
            vec![],
            vec![],
            -1,
            Utc::now(),
        )
    }

    /// Runs a search over the three kinds.
    pub fn search(&self, query: &SearchQuery) -> SearchResults {
        query::run(self, query)
    }
}

/// The index of the offers open at `now`.
fn offer_index(offers: Vec<Offer>, now: DateTime<Utc>) -> KindIndex<Offer> {
    KindIndex::build(
        offers.into_iter().filter(|o| o.is_open(now)).collect(),
        |o| o.id.as_str(),
        |o| o.place.point,
        |o| vec![o.rome.clone()],
    )
}

/// For each RNCP certification, the ROME codes of its courses counted over
/// the courses, the most frequent first (ties by code), at most
/// [`query::MAX_ROMES`].
fn rncp_romes(courses: &[Arc<Formation>]) -> HashMap<RncpCode, Vec<CodeRome>> {
    let mut counts: HashMap<&RncpCode, HashMap<&CodeRome, usize>> = HashMap::new();
    for course in courses {
        if let Some(rncp) = &course.rncp {
            let of_rncp = counts.entry(rncp).or_default();
            for rome in &course.romes {
                *of_rncp.entry(rome).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .map(|(rncp, romes)| {
            let mut romes: Vec<(&CodeRome, usize)> = romes.into_iter().collect();
            romes.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
            romes.truncate(query::MAX_ROMES);
            (
                rncp.clone(),
                romes.into_iter().map(|(code, _)| code.clone()).collect(),
            )
        })
        .collect()
}

/// The positions of the courses of each département.
fn by_departement(courses: &[Arc<Formation>]) -> HashMap<String, Vec<usize>> {
    let mut found: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, course) in courses.iter().enumerate() {
        if let Some(departement) = regions::departement_of(&course.place) {
            found.entry(departement).or_default().push(i);
        }
    }
    found
}

/// The current snapshot, replaced atomically when the data changes.
#[derive(Debug)]
pub struct SharedIndex(ArcSwap<Index>);

impl SharedIndex {
    /// Starts with `index`.
    pub fn new(index: Index) -> Self {
        Self(ArcSwap::from_pointee(index))
    }

    /// The current snapshot (one atomic load).
    pub fn load(&self) -> Arc<Index> {
        self.0.load_full()
    }

    /// Replaces the snapshot; requests in flight keep the old one.
    pub fn replace(&self, index: Index) {
        self.0.store(Arc::new(index));
    }
}
