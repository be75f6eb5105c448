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
pub mod metiers;
pub mod orientation;
pub mod places;
pub mod query;
pub mod rome_filter;
pub mod text_index;

use std::sync::Arc;

use arc_swap::ArcSwap;
use chrono::{DateTime, Utc};
use lba_core::opportunity::{Company, Formation, Offer};
use lba_core::referential::ReferentialData;

pub use geo_index::KindIndex;
pub use metiers::{MetierHit, MetierIndex, MetierKind};
pub use places::{PlaceHit, PlaceIndex};
pub use query::{
    CompanySort, Hit, KindSet, MAX_COMPANIES, MAX_FORMATIONS, MAX_OFFERS, QueryError, RomeFilter,
    SearchQuery, SearchResults,
};

/// One immutable snapshot of everything searchable.
#[derive(Debug)]
pub struct Index {
    /// Training courses.
    pub formations: KindIndex<Formation>,
    /// Open offers.
    pub offers: KindIndex<Offer>,
    /// Companies likely to hire.
    pub companies: KindIndex<Company>,
    /// Métier autocomplete.
    pub metiers: MetierIndex,
    /// Place autocomplete.
    pub places: PlaceIndex,
    /// The store's data version this snapshot was built from.
    pub version: i64,
    /// When it was built.
    pub built_at: DateTime<Utc>,
}

impl Index {
    /// Builds a snapshot. Offers that are not open at `now` are left out.
    pub fn build(
        data: &ReferentialData,
        formations: Vec<Formation>,
        offers: Vec<Offer>,
        companies: Vec<Company>,
        version: i64,
        now: DateTime<Utc>,
    ) -> Self {
        let metiers = MetierIndex::build(data, &formations);
        let places = PlaceIndex::build(data);
        let offers: Vec<Offer> = offers.into_iter().filter(|o| o.is_open(now)).collect();
        Self {
            formations: KindIndex::build(
                formations,
                |f| f.id.clone(),
                |f| f.place.point,
                |f| f.romes.clone(),
            ),
            offers: KindIndex::build(
                offers,
                |o| o.id.clone(),
                |o| o.place.point,
                |o| vec![o.rome.clone()],
            ),
            companies: KindIndex::build(
                companies,
                |c| c.siret.to_string(),
                |c| c.place.point,
                |c| c.romes.iter().map(|r| r.rome.clone()).collect(),
            ),
            metiers,
            places,
            version,
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
