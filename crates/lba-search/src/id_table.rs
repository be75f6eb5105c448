//! Document numbers by document id, without a second copy of the ids: the
//! table holds only the numbers, and hashes and compares the ids the
//! documents themselves carry. At national scale (a million SIRETs) a
//! `HashMap<String, u32>` costs about 90 MB; this costs about 10 MB.

use std::hash::{BuildHasher, RandomState};

use hashbrown::HashTable;

/// Document numbers, found by the id of the document they number.
#[derive(Default)]
pub struct IdTable {
    table: HashTable<u32>,
    hasher: RandomState,
}

impl std::fmt::Debug for IdTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdTable")
            .field("len", &self.table.len())
            .finish()
    }
}

impl IdTable {
    /// An empty table with room for `capacity` documents.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            table: HashTable::with_capacity(capacity),
            hasher: RandomState::new(),
        }
    }

    /// The number of the document whose id is `id`, where `id_of(n)` is the
    /// id of document `n` (for every number in the table).
    pub fn get<'a>(&self, id: &str, id_of: impl Fn(u32) -> &'a str) -> Option<u32> {
        let hash = self.hasher.hash_one(id);
        self.table.find(hash, |&n| id_of(n) == id).copied()
    }

    /// Records `n` as the number of `id`, unless `id` already has one: then
    /// nothing changes and the answer is `false`. `id_of` is as for
    /// [`IdTable::get`] (`n` itself needs no id yet).
    pub fn insert<'a>(&mut self, id: &str, n: u32, id_of: impl Fn(u32) -> &'a str) -> bool {
        let hash = self.hasher.hash_one(id);
        if self.table.find(hash, |&m| id_of(m) == id).is_some() {
            return false;
        }
        let hasher = &self.hasher;
        self.table
            .insert_unique(hash, n, |&m| hasher.hash_one(id_of(m)));
        true
    }

    /// The number of ids recorded.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// No id recorded.
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_number_of_each_id() {
        let ids: Vec<String> = ["b", "a", "b", "c"].iter().map(|s| s.to_string()).collect();
        // Grow from nothing, so that the table rehashes through `id_of`.
        let mut table = IdTable::default();
        let mut kept: Vec<&str> = Vec::new();
        for id in &ids {
            let n = u32::try_from(kept.len()).unwrap_or(u32::MAX);
            if table.insert(id, n, |m| kept[m as usize]) {
                kept.push(id);
            }
        }
        assert_eq!(kept, ["b", "a", "c"]);
        assert_eq!(table.len(), 3);
        assert_eq!(table.get("b", |m| kept[m as usize]), Some(0));
        assert_eq!(table.get("a", |m| kept[m as usize]), Some(1));
        assert_eq!(table.get("c", |m| kept[m as usize]), Some(2));
        assert_eq!(table.get("d", |m| kept[m as usize]), None);
        assert_eq!(table.get("", |m| kept[m as usize]), None);
    }

    #[test]
    fn many_ids_survive_the_growth() {
        let ids: Vec<String> = (0..5_000).map(|i| format!("{i:014}")).collect();
        let mut table = IdTable::with_capacity(10);
        for (n, id) in ids.iter().enumerate() {
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            assert!(table.insert(id, n, |m| ids[m as usize].as_str()));
        }
        assert!(!table.insert(&ids[42], 9_999, |m| ids[m as usize].as_str()));
        for (n, id) in ids.iter().enumerate() {
            assert_eq!(
                table.get(id, |m| ids[m as usize].as_str()),
                u32::try_from(n).ok()
            );
        }
        assert!(IdTable::default().is_empty());
    }
}
