//! The opportunity counts near a place, remembered per (place, métier,
//! level) for the current search index: counting is the costly part of a
//! questionnaire (range queries over courses, offers and companies within
//! 60 km), and young people from the same commune ask about the same
//! métiers. The counts are exact: they belong to one index snapshot (its
//! data version and build time), and a new snapshot empties the cache. The
//! cache is bounded (emptied when full).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, Mutex};

use lba_core::geo::GeoPoint;
use lba_core::ids::CodeRome;
use lba_search::orientation::OpportunityCounts;

/// Entries kept at most (about 10 MB).
const MAX_ENTRIES: usize = 200_000;

/// A place and a level: the counts of every métier asked about there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct PlaceKey {
    lat: u64,
    lon: u64,
    level: Option<u8>,
}

/// An index snapshot: its data version and build time (nanoseconds).
pub(crate) type Snapshot = (i64, i64);

/// A ROME code in a `u32` (letter and four digits, all ASCII).
fn packed(rome: &CodeRome) -> u32 {
    let b = rome.as_str().as_bytes();
    b.iter().skip(1).fold(u32::from(b[0]), |acc, d| {
        acc * 10 + u32::from(d.wrapping_sub(b'0'))
    })
}

/// Hashes the packed ROME codes of one place by one multiplication: they
/// come from the orientation tables, not from the request, so a keyed
/// hash (SipHash, most of the cost of a look-up) buys nothing here.
#[derive(Default)]
struct RomeHasher(u64);

impl Hasher for RomeHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(*b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = (u64::from(n) ^ self.0).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type PlaceCounts = Mutex<HashMap<u32, OpportunityCounts, BuildHasherDefault<RomeHasher>>>;

#[derive(Debug, Default)]
struct Entries {
    /// The index snapshot the counts belong to.
    version: Snapshot,
    /// Per place and level (the place is hashed once per questionnaire,
    /// not once per métier).
    places: HashMap<PlaceKey, Arc<PlaceCounts>>,
    /// Métiers counted over every place.
    len: usize,
}

/// The remembered counts (shared by the requests of a node).
#[derive(Debug, Default)]
pub(crate) struct CountsCache {
    entries: Mutex<Entries>,
}

/// The counts remembered near one place at one level, for one
/// questionnaire ([`CountsCache::near`]).
pub(crate) struct Near<'a> {
    cache: &'a CountsCache,
    counts: Arc<PlaceCounts>,
}

impl CountsCache {
    /// The counts near `point` at `level` in index snapshot `version`.
    pub(crate) fn near(&self, version: Snapshot, point: GeoPoint, level: Option<u8>) -> Near<'_> {
        let key = PlaceKey {
            lat: point.lat().to_bits(),
            lon: point.lon().to_bits(),
            level,
        };
        let counts = match self.entries.lock() {
            Ok(mut entries) => {
                if entries.version != version || entries.len >= MAX_ENTRIES {
                    entries.places.clear();
                    entries.len = 0;
                    entries.version = version;
                }
                Arc::clone(entries.places.entry(key).or_default())
            }
            // A poisoned lock: count without remembering.
            Err(_) => Arc::default(),
        };
        Near {
            cache: self,
            counts,
        }
    }

    /// The counts of `rome` near `point` at `level` in index snapshot `version`:
    /// remembered, else `count()` (run outside the lock) and remembered.
    #[cfg(test)]
    fn get_or_count(
        &self,
        version: Snapshot,
        point: GeoPoint,
        rome: &CodeRome,
        level: Option<u8>,
        count: impl FnOnce() -> OpportunityCounts,
    ) -> OpportunityCounts {
        self.near(version, point, level).get_or_count(rome, count)
    }
}

impl Near<'_> {
    /// The counts of `rome` here: remembered, else `count()` (run outside
    /// the lock) and remembered.
    pub(crate) fn get_or_count(
        &self,
        rome: &CodeRome,
        count: impl FnOnce() -> OpportunityCounts,
    ) -> OpportunityCounts {
        let key = packed(rome);
        if let Ok(counts) = self.counts.lock()
            && let Some(found) = counts.get(&key)
        {
            return *found;
        }
        let found = count();
        if let Ok(mut counts) = self.counts.lock()
            && counts.insert(key, found).is_none()
            && let Ok(mut entries) = self.cache.entries.lock()
        {
            entries.len += 1;
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    #[test]
    fn counted_once_per_place_metier_level_and_index_snapshot() {
        let cache = CountsCache::default();
        let calls = Cell::new(0);
        let count = |n: u32| {
            calls.set(calls.get() + 1);
            OpportunityCounts {
                courses: n,
                offers: 0,
                companies: 0,
            }
        };
        let lyon = GeoPoint::new(45.764, 4.8357).unwrap_or_else(|_| unreachable!());
        let paris = GeoPoint::new(48.8566, 2.3522).unwrap_or_else(|_| unreachable!());
        let rome: CodeRome = "D1102".parse().unwrap_or_else(|_| unreachable!());
        let get = |version, point, level, n| {
            cache
                .get_or_count(version, point, &rome, level, || count(n))
                .courses
        };
        assert_eq!(get((1, 0), lyon, Some(3), 7), 7);
        assert_eq!(get((1, 0), lyon, Some(3), 99), 7, "remembered");
        assert_eq!(calls.get(), 1);
        assert_eq!(get((1, 0), lyon, Some(4), 8), 8, "another level");
        assert_eq!(get((1, 0), paris, Some(3), 9), 9, "another place");
        assert_eq!(
            get((1, 1), lyon, Some(3), 5),
            5,
            "a new snapshot (same data version, built again) counts again"
        );
        assert_eq!(
            get((1, 1), paris, Some(3), 6),
            6,
            "the old version's counts are gone"
        );
        assert_eq!(calls.get(), 5);
    }

    #[test]
    fn rome_codes_pack_without_collision() {
        let mut seen = std::collections::HashSet::new();
        for letter in b'A'..=b'N' {
            for n in (0..10_000).step_by(7).chain([9_999]) {
                let code = format!("{}{n:04}", char::from(letter));
                let rome: CodeRome = code.parse().unwrap_or_else(|_| unreachable!());
                assert!(seen.insert(packed(&rome)), "{code}");
            }
        }
    }

    #[test]
    fn a_full_cache_starts_again() {
        let cache = CountsCache::default();
        let lyon = GeoPoint::new(45.764, 4.8357).unwrap_or_else(|_| unreachable!());
        let near = cache.near((1, 0), lyon, None);
        for n in 0..10 {
            let rome: CodeRome = format!("A{n:04}")
                .parse()
                .unwrap_or_else(|_| unreachable!());
            near.get_or_count(&rome, OpportunityCounts::default);
        }
        assert_eq!(cache.entries.lock().map(|e| e.len).unwrap_or_default(), 10);
        if let Ok(mut entries) = cache.entries.lock() {
            entries.len = MAX_ENTRIES;
        }
        let again = cache.near((1, 0), lyon, None);
        let rome: CodeRome = "A0001".parse().unwrap_or_else(|_| unreachable!());
        let counted = again.get_or_count(&rome, || OpportunityCounts {
            courses: 3,
            offers: 0,
            companies: 0,
        });
        assert_eq!(counted.courses, 3, "counted again after the reset");
        assert_eq!(cache.entries.lock().map(|e| e.len).unwrap_or_default(), 1);
    }
}
