//! Picking the best matches: one per payload (an alias and a name, an
//! acronym and a title lead to the same suggestion), ordered by a key the
//! caller chooses.

use std::cmp::Ordering;
use std::collections::HashSet;

use super::Match;

/// Keeps the best match of each payload and returns the `limit` best by
/// `key` (smaller keys first: wrap scores in [`std::cmp::Reverse`]).
pub fn best_per_payload<K: Ord + Copy>(
    matches: Vec<Match>,
    limit: usize,
    key: impl Fn(&Match) -> K,
) -> Vec<Match> {
    if limit == 0 || matches.is_empty() {
        return Vec::new();
    }
    let mut keyed: Vec<(K, Match)> = matches.into_iter().map(|m| (key(&m), m)).collect();
    // Only a few entries share a payload (aliases, acronyms): select a
    // generous head first and sort everything only if duplicates ate it.
    let mut head = limit.saturating_mul(4).max(limit.saturating_add(16));
    loop {
        let cut = head < keyed.len();
        if cut {
            keyed.select_nth_unstable_by(head, cmp_keyed);
        }
        let mut top: Vec<&(K, Match)> = keyed.iter().take(head).collect();
        top.sort_unstable_by(|a, b| cmp_keyed(a, b));
        let mut seen = HashSet::with_capacity(limit);
        let out: Vec<Match> = top
            .into_iter()
            .filter(|(_, m)| seen.insert(m.payload))
            .take(limit)
            .map(|&(_, m)| m)
            .collect();
        if out.len() == limit || !cut {
            return out;
        }
        head = keyed.len();
    }
}

/// Orders by key, then payload and entry so that results are stable.
fn cmp_keyed<K: Ord>(a: &(K, Match), b: &(K, Match)) -> Ordering {
    a.0.cmp(&b.0)
        .then(a.1.payload.cmp(&b.1.payload))
        .then(a.1.entry.cmp(&b.1.entry))
}
