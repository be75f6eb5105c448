//! The opportunity counts near a place, remembered per (place, métier,
//! level) for the current search index: counting is the costly part of a
//! questionnaire (range queries over courses, offers and companies within
//! 60 km), and young people from the same commune ask about the same
//! métiers. The counts are exact: they belong to one index snapshot (its
//! data version and build time), and a new snapshot empties the cache. The
//! cache is bounded (emptied when full).

use std::collections::HashMap;
use std::sync::Mutex;

use lba_core::geo::GeoPoint;
use lba_core::ids::CodeRome;
use lba_search::orientation::OpportunityCounts;

/// Entries kept at most (about 10 MB).
const MAX_ENTRIES: usize = 200_000;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Key {
    lat: u64,
    lon: u64,
    rome: CodeRome,
    level: Option<u8>,
}

/// An index snapshot: its data version and build time (nanoseconds).
pub(crate) type Snapshot = (i64, i64);

#[derive(Debug, Default)]
struct Entries {
    /// The index snapshot the counts belong to.
    version: Snapshot,
    counts: HashMap<Key, OpportunityCounts>,
}

/// The remembered counts (shared by the requests of a node).
#[derive(Debug, Default)]
pub(crate) struct CountsCache {
    entries: Mutex<Entries>,
}

impl CountsCache {
    /// The counts of `rome` near `point` at `level` in index snapshot `version`:
    /// remembered, else `count()` (run outside the lock) and remembered.
    pub(crate) fn get_or_count(
        &self,
        version: Snapshot,
        point: GeoPoint,
        rome: &CodeRome,
        level: Option<u8>,
        count: impl FnOnce() -> OpportunityCounts,
    ) -> OpportunityCounts {
        let key = Key {
            lat: point.lat().to_bits(),
            lon: point.lon().to_bits(),
            rome: rome.clone(),
            level,
        };
        if let Ok(entries) = self.entries.lock()
            && entries.version == version
            && let Some(counts) = entries.counts.get(&key)
        {
            return *counts;
        }
        let counts = count();
        if let Ok(mut entries) = self.entries.lock() {
            if entries.version != version || entries.counts.len() >= MAX_ENTRIES {
                entries.counts.clear();
                entries.version = version;
            }
            entries.counts.insert(key, counts);
        }
        counts
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
}
