//! One kind of opportunity, indexed for radius queries: an R-tree of unit
//! sphere points per ROME code.
//!
//! A point at distance `d` on a sphere of radius `R` is at chord length
//! `2·sin(d / 2R)` in 3-D, so "within `d` km" is an exact Euclidean ball
//! query on unit vectors, with no special case near the poles or the
//! antimeridian. Exact haversine distances are then computed for the few
//! candidates only.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use lba_core::geo::{EARTH_RADIUS_KM, GeoPoint, Radius};
use lba_core::ids::CodeRome;
use rstar::RTree;
use rstar::primitives::GeomWithData;

use crate::render_cache::{self, RenderCache};
use crate::rome_filter::RomeFilter;

type Entry = GeomWithData<[f64; 3], u32>;

/// A candidate found by a query: a document number and its distance.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Candidate {
    /// Position in [`KindIndex::docs`].
    pub id: u32,
    /// Distance from the query point, when there is one.
    pub distance_km: Option<f64>,
}

/// Documents of one kind with their per-ROME R-trees.
pub struct KindIndex<T> {
    /// The documents, shared with results.
    pub docs: Vec<Arc<T>>,
    points: Vec<GeoPoint>,
    trees: BTreeMap<CodeRome, RTree<Entry>>,
    ids: HashMap<String, u32>,
    /// The documents' renderings kept by the API, by document number.
    pub rendered: RenderCache,
}

impl<T> std::fmt::Debug for KindIndex<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KindIndex")
            .field("docs", &self.docs.len())
            .field("romes", &self.trees.len())
            .finish()
    }
}

/// The unit vector of a point.
pub fn unit_vector(point: GeoPoint) -> [f64; 3] {
    let (lat, lon) = (point.lat().to_radians(), point.lon().to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

/// Squared chord length on the unit sphere for a great-circle distance.
fn chord_squared(distance_km: f64) -> f64 {
    let half_angle = (distance_km / (2.0 * EARTH_RADIUS_KM)).min(std::f64::consts::FRAC_PI_2);
    let chord = 2.0 * half_angle.sin();
    chord * chord
}

impl<T> KindIndex<T> {
    /// Indexes `items`; later items with an id already seen replace nothing
    /// (the first wins).
    pub fn build(
        items: Vec<T>,
        id: impl Fn(&T) -> String,
        point: impl Fn(&T) -> GeoPoint,
        romes: impl Fn(&T) -> Vec<CodeRome>,
    ) -> Self {
        let mut docs = Vec::with_capacity(items.len());
        let mut points = Vec::with_capacity(items.len());
        let mut ids = HashMap::with_capacity(items.len());
        let mut entries: BTreeMap<CodeRome, Vec<Entry>> = BTreeMap::new();
        for item in items {
            let Ok(n) = u32::try_from(docs.len()) else {
                break;
            };
            let key = id(&item);
            if ids.contains_key(&key) {
                continue;
            }
            ids.insert(key, n);
            let p = point(&item);
            let v = unit_vector(p);
            let mut codes = romes(&item);
            codes.sort();
            codes.dedup();
            for code in codes {
                entries
                    .entry(code)
                    .or_default()
                    .push(GeomWithData::new(v, n));
            }
            points.push(p);
            docs.push(Arc::new(item));
        }
        let trees = entries
            .into_iter()
            .map(|(code, list)| (code, RTree::bulk_load(list)))
            .collect();
        Self {
            rendered: RenderCache::new(docs.len(), render_cache::DEFAULT_BUDGET),
            docs,
            points,
            trees,
            ids,
        }
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// No document.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// A document by its id.
    pub fn get(&self, id: &str) -> Option<Arc<T>> {
        self.ids
            .get(id)
            .map(|&n| Arc::clone(&self.docs[n as usize]))
    }

    /// The ROME codes that have at least one document.
    pub fn romes(&self) -> impl Iterator<Item = &CodeRome> {
        self.trees.keys()
    }

    fn trees<'a>(
        &'a self,
        filter: &'a RomeFilter,
    ) -> Box<dyn Iterator<Item = &'a RTree<Entry>> + 'a> {
        match filter {
            RomeFilter::Codes(codes) => Box::new(codes.iter().filter_map(|c| self.trees.get(c))),
            RomeFilter::Domain(prefix) => Box::new(
                self.trees
                    .iter()
                    .filter(move |(code, _)| code.as_str().starts_with(prefix.as_str()))
                    .map(|(_, tree)| tree),
            ),
        }
    }

    /// Documents of the selected métiers that pass `keep`, within `radius`
    /// of `point` (all of them without a point), unsorted and without
    /// duplicates.
    pub fn find(
        &self,
        filter: &RomeFilter,
        point: Option<GeoPoint>,
        radius: Radius,
        keep: &dyn Fn(&T) -> bool,
    ) -> Vec<Candidate> {
        let mut ids: Vec<u32> = Vec::new();
        let mut trees = 0;
        match point {
            Some(p) => {
                let v = unit_vector(p);
                // A hair wider than exact: haversine decides at the edge.
                let reach = chord_squared(f64::from(radius.km())) * (1.0 + 1e-9) + 1e-15;
                for tree in self.trees(filter) {
                    trees += 1;
                    ids.extend(tree.locate_within_distance(v, reach).map(|e| e.data));
                }
            }
            None => {
                for tree in self.trees(filter) {
                    trees += 1;
                    ids.extend(tree.iter().map(|e| e.data));
                }
            }
        }
        if trees > 1 {
            ids.sort_unstable();
            ids.dedup();
        }
        let limit = f64::from(radius.km());
        ids.into_iter()
            .filter(|&id| keep(&self.docs[id as usize]))
            .filter_map(|id| match point {
                None => Some(Candidate {
                    id,
                    distance_km: None,
                }),
                Some(p) => {
                    let d = p.distance_km(&self.points[id as usize]);
                    (d <= limit).then_some(Candidate {
                        id,
                        distance_km: Some(d),
                    })
                }
            })
            .collect()
    }

    /// How many documents of métier `rome` pass `keep` within `radius` of
    /// `point`: the same number as `find(…).len()` for that one code,
    /// without collecting them, and with the haversine distance computed
    /// only for the points at the edge (the chord test is exact inside).
    pub fn count_within(
        &self,
        rome: &CodeRome,
        point: GeoPoint,
        radius: Radius,
        keep: &dyn Fn(&T) -> bool,
    ) -> usize {
        let Some(tree) = self.trees.get(rome) else {
            return 0;
        };
        let v = unit_vector(point);
        let exact = chord_squared(f64::from(radius.km()));
        let reach = exact * (1.0 + 1e-9) + 1e-15;
        let inside = exact * (1.0 - 1e-9) - 1e-15;
        let limit = f64::from(radius.km());
        tree.locate_within_distance(v, reach)
            .filter(|e| {
                let g = e.geom();
                let d2 = (g[0] - v[0]).powi(2) + (g[1] - v[1]).powi(2) + (g[2] - v[2]).powi(2);
                let id = e.data as usize;
                (d2 <= inside || point.distance_km(&self.points[id]) <= limit)
                    && keep(&self.docs[id])
            })
            .count()
    }

    /// The documents of the selected métiers that pass `keep` within
    /// `radius`, nearest first, stopping after `k` of them (plus any tied
    /// with the `k`-th): a merge of the per-ROME nearest-neighbour walks, so
    /// that dense areas cost `k`, not the number of documents in the radius.
    pub fn nearest_within(
        &self,
        filter: &RomeFilter,
        point: GeoPoint,
        radius: Radius,
        k: usize,
        keep: &dyn Fn(&T) -> bool,
    ) -> Vec<Candidate> {
        let v = unit_vector(point);
        let reach = chord_squared(f64::from(radius.km())) * (1.0 + 1e-9) + 1e-15;
        let limit = f64::from(radius.km());
        let mut walks: Vec<_> = self
            .trees(filter)
            .map(|tree| tree.nearest_neighbor_iter_with_distance_2(v).peekable())
            .collect();
        let mut seen = std::collections::HashSet::new();
        let mut out: Vec<Candidate> = Vec::new();
        let mut last = f64::NEG_INFINITY;
        loop {
            // The walk whose next entry is nearest.
            let mut best: Option<(usize, f64)> = None;
            for (i, walk) in walks.iter_mut().enumerate() {
                if let Some((_, d2)) = walk.peek()
                    && best.is_none_or(|(_, b)| *d2 < b)
                {
                    best = Some((i, *d2));
                }
            }
            let Some((i, d2)) = best else { break };
            if d2 > reach || (out.len() >= k && d2 > last) {
                break;
            }
            let Some((entry, _)) = walks[i].next() else {
                break;
            };
            let id = entry.data;
            if (walks.len() > 1 && !seen.insert(id)) || !keep(&self.docs[id as usize]) {
                continue;
            }
            let d = point.distance_km(&self.points[id as usize]);
            if d <= limit {
                last = d2;
                out.push(Candidate {
                    id,
                    distance_km: Some(d),
                });
            }
        }
        out
    }

    /// The `n` nearest documents of the selected métiers that pass `keep`,
    /// wherever they are, nearest first.
    pub fn nearest(
        &self,
        filter: &RomeFilter,
        point: GeoPoint,
        n: usize,
        keep: &dyn Fn(&T) -> bool,
    ) -> Vec<Candidate> {
        let v = unit_vector(point);
        let mut found: Vec<Candidate> = Vec::new();
        for tree in self.trees(filter) {
            found.extend(
                tree.nearest_neighbor_iter(v)
                    .filter(|e| keep(&self.docs[e.data as usize]))
                    .take(n)
                    .map(|e| Candidate {
                        id: e.data,
                        distance_km: Some(point.distance_km(&self.points[e.data as usize])),
                    }),
            );
        }
        found.sort_by(|a, b| {
            a.distance_km
                .unwrap_or(0.0)
                .total_cmp(&b.distance_km.unwrap_or(0.0))
                .then(a.id.cmp(&b.id))
        });
        found.dedup_by_key(|c| c.id);
        found.truncate(n);
        found
    }
}
