//! One kind of opportunity, indexed for radius queries: an R-tree of unit
//! sphere points per ROME code.
//!
//! A point at distance `d` on a sphere of radius `R` is at chord length
//! `2·sin(d / 2R)` in 3-D, so "within `d` km" is an exact Euclidean ball
//! query on unit vectors, with no special case near the poles or the
//! antimeridian. Exact haversine distances are then computed for the few
//! candidates only.
//!
//! The trees hold the unit vectors in `f32` and are packed in flat arrays
//! ([`crate::packed_tree`]: 16 bytes an entry plus its share of the
//! boxes). The rounding moves a vector by less than [`F32_SLACK`], so
//! every query reaches that much further and the exact haversine distance
//! on the `f64` points decides: the results are those of exact arithmetic.

use std::collections::BTreeMap;
use std::sync::Arc;

use lba_core::geo::{EARTH_RADIUS_KM, GeoPoint, Radius};
use lba_core::ids::CodeRome;

use crate::id_table::IdTable;
use crate::packed_tree::{Entry, PackedTree};
use crate::render_cache::{self, RenderCache};
use crate::rome_filter::RomeFilter;

/// A bound, in chord length on the unit sphere, on how far the `f32`
/// rounding can move the chord between a query and a document: each
/// coordinate moves by at most 2⁻²⁵ (≈3·10⁻⁸), a vector by √3 times that,
/// the chord by twice that (≈10⁻⁷), and the `f32` arithmetic of the tree
/// adds a few ulps (≈4·10⁻⁷ for the longest chords). 2·10⁻⁶ is about 13 m
/// on Earth.
pub const F32_SLACK: f64 = 2e-6;

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
    /// A document's point, read from the document itself (a copy would
    /// cost 16 bytes a document).
    point_of: fn(&T) -> GeoPoint,
    trees: BTreeMap<CodeRome, PackedTree>,
    ids: IdTable,
    id_of: fn(&T) -> &str,
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

/// The unit vector of a point, rounded to `f32` as the trees hold it.
fn unit_vector_f32(point: GeoPoint) -> [f32; 3] {
    // Rounding to the nearest f32 is what `as` does here: wanted.
    #[allow(clippy::cast_possible_truncation)]
    unit_vector(point).map(|c| c as f32)
}

/// Chord length on the unit sphere for a great-circle distance.
fn chord(distance_km: f64) -> f64 {
    let half_angle = (distance_km / (2.0 * EARTH_RADIUS_KM)).min(std::f64::consts::FRAC_PI_2);
    2.0 * half_angle.sin()
}

/// Squared chord length on the unit sphere for a great-circle distance.
fn chord_squared(distance_km: f64) -> f64 {
    let c = chord(distance_km);
    c * c
}

/// The squared chord a tree query must reach to find every document within
/// `distance_km` despite the `f32` rounding: the exact reach (a hair wider,
/// for the haversine formula) plus [`F32_SLACK`].
pub fn reach_squared(distance_km: f64) -> f32 {
    let exact = chord_squared(distance_km) * (1.0 + 1e-9) + 1e-15;
    let reach = exact.sqrt() + F32_SLACK;
    // Rounded up, so that the f32 reach is never short of the f64 one.
    #[allow(clippy::cast_possible_truncation)]
    let rounded = (reach * reach) as f32;
    rounded.next_up()
}

/// The squared chord under which a document is surely within
/// `distance_km` despite the `f32` rounding (no haversine needed); negative
/// when the radius is too small for any such certainty.
fn inside_squared(distance_km: f64) -> f64 {
    let exact = chord_squared(distance_km) * (1.0 - 1e-9) - 1e-15;
    if exact <= 0.0 {
        return -1.0;
    }
    let inside = exact.sqrt() - F32_SLACK;
    if inside <= 0.0 { -1.0 } else { inside * inside }
}

/// Squared chord between two `f32` vectors, computed in `f64` (no further
/// rounding than the vectors').
fn chord_squared_between(a: &[f32; 3], b: &[f32; 3]) -> f64 {
    (0..3)
        .map(|i| (f64::from(a[i]) - f64::from(b[i])).powi(2))
        .sum()
}

/// Whether an `f32` squared chord `d2` is surely beyond `last` (another
/// `f32` squared chord) once both are exact: the rounding of each is within
/// [`F32_SLACK`].
fn surely_beyond(d2: f32, last: f32) -> bool {
    f64::from(d2).sqrt() > f64::from(last).sqrt() + 2.0 * F32_SLACK
}

impl<T> KindIndex<T> {
    /// Indexes `items`; later items with an id already seen replace nothing
    /// (the first wins).
    pub fn build(
        items: Vec<T>,
        id_of: fn(&T) -> &str,
        point_of: fn(&T) -> GeoPoint,
        romes: impl Fn(&T) -> Vec<CodeRome>,
    ) -> Self {
        let mut docs: Vec<Arc<T>> = Vec::with_capacity(items.len());
        let mut ids = IdTable::with_capacity(items.len());
        let mut entries: BTreeMap<CodeRome, Vec<Entry>> = BTreeMap::new();
        for item in items {
            let Ok(n) = u32::try_from(docs.len()) else {
                break;
            };
            if !ids.insert(id_of(&item), n, |m| id_of(&docs[m as usize])) {
                continue;
            }
            let p = point_of(&item);
            let v = unit_vector_f32(p);
            let mut codes = romes(&item);
            codes.sort();
            codes.dedup();
            for code in codes {
                entries
                    .entry(code)
                    .or_default()
                    .push(Entry { point: v, id: n });
            }
            docs.push(Arc::new(item));
        }
        let trees = entries
            .into_iter()
            .map(|(code, list)| (code, PackedTree::new(list)))
            .collect();
        Self {
            rendered: RenderCache::new(docs.len(), render_cache::DEFAULT_BUDGET),
            docs,
            point_of,
            trees,
            ids,
            id_of,
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
            .get(id, |n| (self.id_of)(&self.docs[n as usize]))
            .map(|n| Arc::clone(&self.docs[n as usize]))
    }

    /// Document `n`'s point.
    fn point(&self, n: u32) -> GeoPoint {
        (self.point_of)(&self.docs[n as usize])
    }

    /// The ROME codes that have at least one document.
    pub fn romes(&self) -> impl Iterator<Item = &CodeRome> {
        self.trees.keys()
    }

    fn trees<'a>(
        &'a self,
        filter: &'a RomeFilter,
    ) -> Box<dyn Iterator<Item = &'a PackedTree> + 'a> {
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
                let v = unit_vector_f32(p);
                // Wider than exact: haversine decides at the edge.
                let reach = reach_squared(f64::from(radius.km()));
                for tree in self.trees(filter) {
                    trees += 1;
                    ids.extend(tree.within(v, reach).map(|e| e.id));
                }
            }
            None => {
                for tree in self.trees(filter) {
                    trees += 1;
                    ids.extend(tree.iter().map(|e| e.id));
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
                    let d = p.distance_km(&self.point(id));
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
        let v = unit_vector_f32(point);
        let reach = reach_squared(f64::from(radius.km()));
        let inside = inside_squared(f64::from(radius.km()));
        let limit = f64::from(radius.km());
        tree.within(v, reach)
            .filter(|e| {
                let d2 = chord_squared_between(&e.point, &v);
                let id = e.id as usize;
                (d2 <= inside || point.distance_km(&(self.point_of)(&self.docs[id])) <= limit)
                    && keep(&self.docs[id])
            })
            .count()
    }

    /// The documents of the selected métiers that pass `keep` within
    /// `radius`, nearest first, stopping after `k` of them (plus any tied
    /// with the `k`-th): a merge of the per-ROME nearest-neighbour walks, so
    /// that dense areas cost `k`, not the number of documents in the radius.
    /// The walk goes on past the `k`-th by the `f32` rounding, so that the
    /// `k` nearest by exact distance are all there, sorted by that distance.
    pub fn nearest_within(
        &self,
        filter: &RomeFilter,
        point: GeoPoint,
        radius: Radius,
        k: usize,
        keep: &dyn Fn(&T) -> bool,
    ) -> Vec<Candidate> {
        if k == 0 {
            return Vec::new();
        }
        let v = unit_vector_f32(point);
        let reach = reach_squared(f64::from(radius.km()));
        let limit = f64::from(radius.km());
        let mut walks: Vec<_> = self
            .trees(filter)
            .map(|tree| tree.nearest(v).peekable())
            .collect();
        let mut seen = std::collections::HashSet::new();
        let mut out: Vec<Candidate> = Vec::new();
        let mut last = f32::NEG_INFINITY;
        loop {
            // The walk whose next entry is nearest.
            let mut best: Option<(usize, f32)> = None;
            for (i, walk) in walks.iter_mut().enumerate() {
                if let Some((_, d2)) = walk.peek()
                    && best.is_none_or(|(_, b)| *d2 < b)
                {
                    best = Some((i, *d2));
                }
            }
            let Some((i, d2)) = best else { break };
            if d2 > reach || (out.len() >= k && surely_beyond(d2, last)) {
                break;
            }
            let Some((entry, _)) = walks[i].next() else {
                break;
            };
            let id = entry.id;
            if (walks.len() > 1 && !seen.insert(id)) || !keep(&self.docs[id as usize]) {
                continue;
            }
            let d = point.distance_km(&self.point(id));
            if d <= limit {
                if out.len() < k {
                    last = d2;
                }
                out.push(Candidate {
                    id,
                    distance_km: Some(d),
                });
            }
        }
        // The walk's order is the f32 one: put back the exact one.
        out.sort_by(|a, b| {
            a.distance_km
                .unwrap_or(0.0)
                .total_cmp(&b.distance_km.unwrap_or(0.0))
        });
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
        if n == 0 {
            return Vec::new();
        }
        let v = unit_vector_f32(point);
        let mut found: Vec<Candidate> = Vec::new();
        for tree in self.trees(filter) {
            // The `n` nearest of the tree in f32, and those the rounding
            // could put among them; then the `n` nearest of those by exact
            // distance, in walk order among equal distances (which documents
            // at one same place are kept is the walk's choice, as it was
            // with f64 vectors).
            let mut near: Vec<Candidate> = Vec::new();
            let mut last = f32::NEG_INFINITY;
            for (e, d2) in tree.nearest(v) {
                if near.len() >= n && surely_beyond(d2, last) {
                    break;
                }
                if !keep(&self.docs[e.id as usize]) {
                    continue;
                }
                if near.len() < n {
                    last = d2;
                }
                near.push(Candidate {
                    id: e.id,
                    distance_km: Some(point.distance_km(&self.point(e.id))),
                });
            }
            near.sort_by(|a, b| {
                a.distance_km
                    .unwrap_or(0.0)
                    .total_cmp(&b.distance_km.unwrap_or(0.0))
            });
            near.truncate(n);
            found.extend(near);
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
