//! Search queries over the three kinds, and their results.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use lba_core::geo::{GeoPoint, Radius};
use lba_core::level::DiplomaLevel;
use lba_core::opportunity::{Company, ContractType, Formation, Offer, OfferOrigin};

use crate::Index;
use crate::geo_index::Candidate;
pub use crate::rome_filter::{MAX_ROMES, QueryError, RomeFilter};

/// At most this many offers per search.
pub const MAX_OFFERS: usize = 150;
/// At most this many companies per search.
pub const MAX_COMPANIES: usize = 150;
/// At most this many courses per search.
pub const MAX_FORMATIONS: usize = 500;
/// Courses returned outside the radius when none lies inside.
pub const FALLBACK_FORMATIONS: usize = 5;

/// Which kinds to return.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindSet {
    /// Training courses.
    pub formations: bool,
    /// Offers.
    pub offers: bool,
    /// Companies.
    pub companies: bool,
}

impl KindSet {
    /// All three kinds.
    pub const ALL: Self = Self {
        formations: true,
        offers: true,
        companies: true,
    };
}

/// How to order companies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CompanySort {
    /// Nearest first.
    #[default]
    Distance,
    /// Best hiring score first, then nearest.
    Score,
}

/// A search over the three kinds.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchQuery {
    /// Métiers.
    pub romes: RomeFilter,
    /// Centre; without it there is no distance (offers newest first, courses
    /// by title, companies by score).
    pub point: Option<GeoPoint>,
    /// Radius around the point.
    pub radius: Radius,
    /// Diploma level: courses of that level; offers of that level or without one.
    pub level: Option<DiplomaLevel>,
    /// Kinds to return.
    pub kinds: KindSet,
    /// Only offers with this contract type.
    pub contract: Option<ContractType>,
    /// Only offers from these origins (all when `None`).
    pub origins: Option<Vec<OfferOrigin>>,
    /// Company order.
    pub company_sort: CompanySort,
    /// Offers expired at this time are left out.
    pub now: DateTime<Utc>,
}

impl SearchQuery {
    /// A query for `romes` around `point` with the defaults (30 km, all kinds).
    pub fn new(romes: RomeFilter, point: Option<GeoPoint>) -> Self {
        Self {
            romes,
            point,
            radius: Radius::default(),
            level: None,
            kinds: KindSet::ALL,
            contract: None,
            origins: None,
            company_sort: CompanySort::Distance,
            now: Utc::now(),
        }
    }
}

/// One result.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit<T> {
    /// The record (shared with the index snapshot).
    pub item: Arc<T>,
    /// Distance from the query point in km, when there is one.
    pub distance_km: Option<f64>,
    /// Outside the radius (the nearest-courses fallback).
    pub outside_radius: bool,
    /// Its position in the snapshot's documents of its kind (for their
    /// [`crate::render_cache::RenderCache`]); `None` for a record looked up
    /// alone.
    pub doc: Option<u32>,
}

/// Results per kind, each sorted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchResults {
    /// Courses by distance (or title without a point).
    pub formations: Vec<Hit<Formation>>,
    /// Offers by distance then freshness (or newest first).
    pub offers: Vec<Hit<Offer>>,
    /// Companies by distance or score.
    pub companies: Vec<Hit<Company>>,
    /// No course lay in the radius: `formations` holds the nearest ones.
    pub formations_fallback: bool,
}

pub(crate) fn run(index: &Index, q: &SearchQuery) -> SearchResults {
    let mut results = SearchResults::default();
    if q.kinds.formations {
        let keep = |f: &Formation| q.level.is_none_or(|l| f.level == Some(l));
        let mut hits = match q.point {
            Some(p) => {
                index
                    .formations
                    .nearest_within(&q.romes, p, q.radius, MAX_FORMATIONS, &keep)
            }
            None => index.formations.find(&q.romes, None, q.radius, &keep),
        };
        if hits.is_empty() {
            if let Some(point) = q.point {
                hits = index
                    .formations
                    .nearest(&q.romes, point, FALLBACK_FORMATIONS, &keep);
                results.formations_fallback = !hits.is_empty();
            }
            results.formations = to_hits(&index.formations.docs, hits, results.formations_fallback);
        } else {
            top(&mut hits, MAX_FORMATIONS, |a, b| {
                by_distance(a, b).then_with(|| {
                    index.formations.docs[a.id as usize]
                        .title
                        .cmp(&index.formations.docs[b.id as usize].title)
                })
            });
            results.formations = to_hits(&index.formations.docs, hits, false);
        }
    }
    if q.kinds.offers {
        let keep = |o: &Offer| {
            o.is_open(q.now)
                && (o.level.is_none() || q.level.is_none() || o.level == q.level)
                && q.contract.is_none_or(|c| o.contract_types.contains(&c))
                && q.origins
                    .as_ref()
                    .is_none_or(|origins| origins.contains(&o.origin))
        };
        let mut hits = match q.point {
            Some(p) => index
                .offers
                .nearest_within(&q.romes, p, q.radius, MAX_OFFERS, &keep),
            None => index.offers.find(&q.romes, None, q.radius, &keep),
        };
        let docs = &index.offers.docs;
        top(&mut hits, MAX_OFFERS, |a, b| {
            by_distance(a, b).then_with(|| {
                docs[b.id as usize]
                    .published_at
                    .cmp(&docs[a.id as usize].published_at)
            })
        });
        results.offers = to_hits(docs, hits, false);
    }
    if q.kinds.companies {
        let docs = &index.companies.docs;
        let score = |c: &Candidate| docs[c.id as usize].best_score_in(&q.romes);
        let mut hits = match (q.company_sort, q.point) {
            (CompanySort::Distance, Some(p)) => {
                index
                    .companies
                    .nearest_within(&q.romes, p, q.radius, MAX_COMPANIES, &|_| true)
            }
            _ => index.companies.find(&q.romes, q.point, q.radius, &|_| true),
        };
        match (q.company_sort, q.point) {
            (CompanySort::Distance, Some(_)) => top(&mut hits, MAX_COMPANIES, |a, b| {
                by_distance(a, b).then_with(|| score(b).cmp(&score(a)))
            }),
            _ => top(&mut hits, MAX_COMPANIES, |a, b| {
                score(b).cmp(&score(a)).then_with(|| by_distance(a, b))
            }),
        }
        results.companies = to_hits(docs, hits, false);
    }
    results
}

trait BestScore {
    fn best_score_in(&self, romes: &RomeFilter) -> u8;
}

impl BestScore for Company {
    fn best_score_in(&self, romes: &RomeFilter) -> u8 {
        self.romes
            .iter()
            .filter(|r| romes.matches(&r.rome))
            .map(|r| r.score)
            .max()
            .unwrap_or(0)
    }
}

fn by_distance(a: &Candidate, b: &Candidate) -> std::cmp::Ordering {
    a.distance_km
        .unwrap_or(0.0)
        .total_cmp(&b.distance_km.unwrap_or(0.0))
}

/// Keeps the `k` first candidates by `order`, sorted: a partial selection
/// first, so that dense areas do not pay for a full sort.
fn top(
    hits: &mut Vec<Candidate>,
    k: usize,
    mut order: impl FnMut(&Candidate, &Candidate) -> std::cmp::Ordering,
) {
    if k == 0 {
        hits.clear();
        return;
    }
    if hits.len() > k {
        hits.select_nth_unstable_by(k - 1, &mut order);
        hits.truncate(k);
    }
    hits.sort_by(order);
}

fn to_hits<T>(docs: &[Arc<T>], hits: Vec<Candidate>, outside: bool) -> Vec<Hit<T>> {
    hits.into_iter()
        .map(|c| Hit {
            item: Arc::clone(&docs[c.id as usize]),
            distance_km: c.distance_km,
            outside_radius: outside,
            doc: Some(c.id),
        })
        .collect()
}
