//! A static R-tree of 3-D `f32` points, packed in flat arrays (the
//! "flatbush" layout): the entries sorted so that neighbours in the array
//! are neighbours in space, and for each level one bounding box per group
//! of [`NODE`] items of the level below.
//!
//! The index is built once per data version and never changed, so nothing
//! needs the per-node vectors of a dynamic R-tree (`rstar` spends 48 bytes
//! an entry in its node enum plus a vector per parent). Here an entry costs
//! its 16 bytes and 24 / [`NODE`] bytes of boxes per level: about 100 MB
//! less for the national data. Queries read contiguous memory.
//!
//! Distances are squared Euclidean distances computed in `f32`, `x` then
//! `y` then `z`, the same way for entries and for boxes, so that a box's
//! distance is never more than the distance of an entry inside it (the
//! rounding of `-`, `*` and `+` is monotone).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Items per node.
pub const NODE: usize = 16;

/// Entries per tree at most: a heap item packs an entry's or a box's
/// position in 27 bits (see [`Nearest`]).
pub const MAX_ENTRIES: usize = 1 << 27;

/// One indexed point and its document number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Entry {
    /// The point (a unit vector in `f32`).
    pub point: [f32; 3],
    /// The document number.
    pub id: u32,
}

/// An axis-aligned bounding box.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Aabb {
    min: [f32; 3],
    max: [f32; 3],
}

impl Aabb {
    const EMPTY: Self = Self {
        min: [f32::INFINITY; 3],
        max: [f32::NEG_INFINITY; 3],
    };

    fn grow(&mut self, other: &Self) {
        self.min = std::array::from_fn(|i| self.min[i].min(other.min[i]));
        self.max = std::array::from_fn(|i| self.max[i].max(other.max[i]));
    }

    fn of_point(p: &[f32; 3]) -> Self {
        Self { min: *p, max: *p }
    }

    /// Squared distance from `q` to the nearest point of the box (0 inside).
    fn distance_2(&self, q: &[f32; 3]) -> f32 {
        let mut sum = 0.0;
        for ((&q, &min), &max) in q.iter().zip(&self.min).zip(&self.max) {
            let gap = if q < min {
                min - q
            } else if q > max {
                q - max
            } else {
                0.0
            };
            sum += gap * gap;
        }
        sum
    }
}

/// Squared distance between two points, in `f32`.
pub fn distance_2(a: &[f32; 3], b: &[f32; 3]) -> f32 {
    let mut sum = 0.0;
    for (&a, &b) in a.iter().zip(b) {
        let d = if a > b { a - b } else { b - a };
        sum += d * d;
    }
    sum
}

/// The packed tree.
#[derive(Clone, Debug, Default)]
pub struct PackedTree {
    entries: Box<[Entry]>,
    /// `levels[0]`: one box per [`NODE`] entries; `levels[l]`: one box per
    /// [`NODE`] boxes of `levels[l - 1]`; the last level has one box.
    levels: Vec<Box<[Aabb]>>,
}

impl PackedTree {
    /// Packs `entries` (at most [`MAX_ENTRIES`]; any more are left out).
    pub fn new(mut entries: Vec<Entry>) -> Self {
        entries.truncate(MAX_ENTRIES);
        sort_tile_recursive(&mut entries, 0);
        let mut level: Box<[Aabb]> = entries
            .chunks(NODE)
            .map(|chunk| {
                let mut b = Aabb::EMPTY;
                for e in chunk {
                    b.grow(&Aabb::of_point(&e.point));
                }
                b
            })
            .collect();
        let mut levels = Vec::new();
        while level.len() > 1 {
            let up = level
                .chunks(NODE)
                .map(|chunk| {
                    let mut b = Aabb::EMPTY;
                    for c in chunk {
                        b.grow(c);
                    }
                    b
                })
                .collect();
            levels.push(level);
            level = up;
        }
        if !entries.is_empty() {
            levels.push(level);
        }
        Self {
            entries: entries.into_boxed_slice(),
            levels,
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// No entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every entry, in the tree's order.
    pub fn iter(&self) -> std::slice::Iter<'_, Entry> {
        self.entries.iter()
    }

    /// The entries within squared distance `reach_2` of `q`, in no order.
    pub fn within(&self, q: [f32; 3], reach_2: f32) -> Within<'_> {
        let mut stack = Vec::new();
        if let Some(top) = self.levels.len().checked_sub(1) {
            stack.push((top, 0));
        }
        Within {
            tree: self,
            q,
            reach_2,
            stack,
            leaf: 0..0,
        }
    }

    /// The entries by increasing squared distance from `q`, with it.
    pub fn nearest(&self, q: [f32; 3]) -> Nearest<'_> {
        let mut heap = BinaryHeap::new();
        if let Some(top) = self.levels.len().checked_sub(1) {
            heap.push(Reverse(pack(
                0.0,
                Item::Box {
                    level: top,
                    index: 0,
                },
            )));
        }
        Nearest {
            tree: self,
            q,
            heap,
        }
    }

    /// The positions of the children of box `index` of `level`: entries
    /// when `level` is 0, boxes of `level - 1` otherwise.
    fn children(&self, level: usize, index: usize) -> std::ops::Range<usize> {
        let count = if level == 0 {
            self.entries.len()
        } else {
            self.levels[level - 1].len()
        };
        let start = index * NODE;
        start..(start + NODE).min(count)
    }
}

/// Sorts `entries` by the sort-tile-recursive order: slabs along `axis`,
/// each sorted along the next axes, so that runs of [`NODE`] entries are
/// compact boxes.
fn sort_tile_recursive(entries: &mut [Entry], axis: usize) {
    if entries.len() <= NODE || axis == 3 {
        return;
    }
    entries.sort_unstable_by(|a, b| a.point[axis].total_cmp(&b.point[axis]));
    let leaves = entries.len().div_ceil(NODE);
    // Slabs per axis left: the cube root of the leaves for x, the square
    // root of what a slab holds for y, one leaf per tile for z.
    let axes_left = 3 - axis;
    let slabs = nth_root_ceil(leaves, axes_left);
    let per_slab = leaves.div_ceil(slabs) * NODE;
    for slab in entries.chunks_mut(per_slab) {
        sort_tile_recursive(slab, axis + 1);
    }
}

/// The smallest `r` with `r^n >= x` (`n` of 1 to 3).
fn nth_root_ceil(x: usize, n: usize) -> usize {
    let mut r = 1usize;
    while r.saturating_pow(u32::try_from(n).unwrap_or(3)) < x {
        r += 1;
    }
    r
}

/// What the nearest walk holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Item {
    Entry(usize),
    Box { level: usize, index: usize },
}

const BOX_BIT: u64 = 1 << 31;
const LEVEL_SHIFT: u32 = 27;
const INDEX_MASK: u64 = (1 << LEVEL_SHIFT) - 1;

/// A heap key: the distance's bits (a non-negative `f32` orders as its
/// bits do), then the item. Entries before boxes at the same distance.
fn pack(distance_2: f32, item: Item) -> u64 {
    let low = match item {
        Item::Entry(i) => i as u64 & INDEX_MASK,
        Item::Box { level, index } => {
            BOX_BIT | ((level as u64 & 0xF) << LEVEL_SHIFT) | (index as u64 & INDEX_MASK)
        }
    };
    (u64::from(distance_2.max(0.0).to_bits()) << 32) | low
}

fn unpack(key: u64) -> (f32, Item) {
    // The high half is an f32's bits, the low half the item: no truncation.
    #[allow(clippy::cast_possible_truncation)]
    let distance_2 = f32::from_bits((key >> 32) as u32);
    let index = (key & INDEX_MASK) as usize;
    let item = if key & BOX_BIT == 0 {
        Item::Entry(index)
    } else {
        Item::Box {
            level: ((key >> LEVEL_SHIFT) & 0xF) as usize,
            index,
        }
    };
    (distance_2, item)
}

/// Best-first walk: see [`PackedTree::nearest`].
pub struct Nearest<'a> {
    tree: &'a PackedTree,
    q: [f32; 3],
    heap: BinaryHeap<Reverse<u64>>,
}

impl<'a> Iterator for Nearest<'a> {
    type Item = (&'a Entry, f32);

    fn next(&mut self) -> Option<Self::Item> {
        while let Some(Reverse(key)) = self.heap.pop() {
            match unpack(key) {
                (d2, Item::Entry(i)) => return Some((&self.tree.entries[i], d2)),
                (_, Item::Box { level, index }) => {
                    for child in self.tree.children(level, index) {
                        let key = if level == 0 {
                            let e = &self.tree.entries[child];
                            pack(distance_2(&e.point, &self.q), Item::Entry(child))
                        } else {
                            let b = &self.tree.levels[level - 1][child];
                            pack(
                                b.distance_2(&self.q),
                                Item::Box {
                                    level: level - 1,
                                    index: child,
                                },
                            )
                        };
                        self.heap.push(Reverse(key));
                    }
                }
            }
        }
        None
    }
}

/// Depth-first range walk: see [`PackedTree::within`].
pub struct Within<'a> {
    tree: &'a PackedTree,
    q: [f32; 3],
    reach_2: f32,
    /// Boxes to open: (level, index).
    stack: Vec<(usize, usize)>,
    /// Entries of the leaf being read.
    leaf: std::ops::Range<usize>,
}

impl<'a> Iterator for Within<'a> {
    type Item = &'a Entry;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            for i in self.leaf.by_ref() {
                let e = &self.tree.entries[i];
                if distance_2(&e.point, &self.q) <= self.reach_2 {
                    return Some(e);
                }
            }
            let (level, index) = self.stack.pop()?;
            if self.tree.levels[level][index].distance_2(&self.q) > self.reach_2 {
                continue;
            }
            let children = self.tree.children(level, index);
            if level == 0 {
                self.leaf = children;
            } else {
                self.stack.extend(children.map(|c| (level - 1, c)));
            }
        }
    }
}

#[cfg(test)]
#[path = "packed_tree_tests.rs"]
mod tests;
