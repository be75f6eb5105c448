//! Shared token index for autocomplete (métiers, places).
//!
//! Each entry is a label cut into words by [`lba_core::text::tokens`]
//! (accents, case and punctuation folded) and carries a payload id chosen by
//! the caller. The words of all entries form one sorted dictionary (an
//! [`fst::Map`] from word to word id) with a posting list of entries per
//! word.
//!
//! A query word matches a label word that it starts ("boul" → boulanger);
//! a query word of [`TYPO_MIN_LEN`] letters or more also matches a word that
//! starts with something one typo away ("boulanjer" → boulanger), found by
//! walking the dictionary with a small edit-distance automaton, or a word
//! that sounds the same in French ("coifeuze" → coiffeuse, "otomobile" →
//! automobile): the [`phonetic`] key of the query word starts a word's key,
//! or is one typo away from its start for keys of 5 sounds or more. Every
//! required query word must match (AND, any order); French stop words
//! ("de", "la"…) are optional. Matching an entry costs a look-up per label
//! word in a per-query table, so a query touches only the entries of its
//! most selective word.

mod phonetic;
mod query;
mod rank;
#[cfg(test)]
mod tests;
mod typo;

pub use query::{MAX_TERMS, Query, QueryTerm};
pub use rank::best_per_payload;

use fst::{Automaton as _, IntoStreamer, Map, Streamer};
use lba_core::text::tokens;

/// Query words shorter than this match by prefix only; longer ones also
/// tolerate one typo.
pub const TYPO_MIN_LEN: usize = 4;

/// Phonetic keys this long or longer also match one typo away (shorter
/// ones by prefix only).
const SOUND_TYPO_MIN_LEN: usize = 5;

/// How well a query word matched a label word (better is greater).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchKind {
    /// Sounds like the word or one of its prefixes (French phonetic key),
    /// without being one typo away.
    Sound = 1,
    /// One typo away from the word or one of its prefixes.
    Typo = 2,
    /// A prefix of the word.
    Prefix = 3,
    /// The whole word (or an expanded abbreviation of it).
    Exact = 4,
}

/// One matching entry and how well it matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match {
    /// Entry number (insertion order).
    pub entry: u32,
    /// The caller's payload id.
    pub payload: u32,
    /// Sum of the [`MatchKind`] values of the matched terms.
    pub quality: u16,
    /// Number of terms matching a whole word (or an expansion).
    pub exact: u8,
    /// Number of terms matched only by a typo or by their sound.
    pub typos: u8,
    /// Sum of the positions of the matched label words (earlier is better).
    pub positions: u16,
    /// Length of the normalised label in bytes (shorter is better).
    pub len: u16,
    /// Number of words in the label (extra words excluded).
    pub words: u8,
    /// The entry's boost.
    pub boost: i16,
}

impl Match {
    /// The default ranking score (greater is better): match quality first,
    /// then boost, earlier matched words and shorter labels.
    pub fn relevance(&self) -> i32 {
        i32::from(self.quality) * 1000 + i32::from(self.boost)
            - 8 * i32::from(self.positions)
            - i32::from(self.len)
    }
}

/// Collects entries before building a [`TextIndex`].
#[derive(Debug, Default)]
pub struct TextIndexBuilder {
    entries: Vec<(Vec<String>, EntryMeta)>,
}

impl TextIndexBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `label` (normalised and split here) for `payload`. Labels without
    /// any letter or digit are skipped.
    pub fn add(&mut self, label: &str, payload: u32, boost: i16) {
        self.add_words(tokens(label), &[], payload, boost);
    }

    /// Adds an entry from normalised `words`, plus `extra` words searchable
    /// after them that do not count in the label length (postal codes).
    pub fn add_words(&mut self, words: Vec<String>, extra: &[String], payload: u32, boost: i16) {
        if words.is_empty() {
            return;
        }
        let len = words.iter().map(|w| w.len() + 1).sum::<usize>() - 1;
        let count = u8::try_from(words.len()).unwrap_or(u8::MAX);
        let mut words = words;
        words.extend(extra.iter().filter(|w| !w.is_empty()).cloned());
        self.entries.push((
            words,
            EntryMeta {
                payload,
                boost,
                len: u16::try_from(len).unwrap_or(u16::MAX),
                words: count,
            },
        ));
    }

    /// Number of entries added.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// No entry yet.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Builds the dictionary and the posting lists.
    pub fn build(self) -> TextIndex {
        let mut words: Vec<&str> = self
            .entries
            .iter()
            .flat_map(|(w, _)| w.iter().map(String::as_str))
            .collect();
        words.sort_unstable();
        words.dedup();
        let id_of = |word: &str| -> u32 {
            // Every word of every entry is in `words`.
            u32::try_from(words.binary_search(&word).unwrap_or(0)).unwrap_or(u32::MAX)
        };
        let mut entry_words = Csr::default();
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        let mut meta = Vec::with_capacity(self.entries.len());
        for (entry, (label_words, m)) in self.entries.iter().enumerate() {
            let entry = u32::try_from(entry).unwrap_or(u32::MAX);
            let ids: Vec<u32> = label_words.iter().map(|w| id_of(w)).collect();
            pairs.extend(ids.iter().map(|&id| (id, entry)));
            entry_words.push(&ids);
            meta.push(*m);
        }
        pairs.sort_unstable();
        pairs.dedup();
        let mut postings = Csr::default();
        let mut start = 0;
        for id in 0..words.len() {
            let end = start + pairs[start..].partition_point(|&(w, _)| w as usize == id);
            let list: Vec<u32> = pairs[start..end].iter().map(|&(_, e)| e).collect();
            postings.push(&list);
            start = end;
        }
        // Keys are sorted and unique, the only way building can fail; an
        // empty dictionary would only make every search return nothing.
        let dict = Map::from_iter(words.iter().copied().zip(0u64..)).unwrap_or_default();
        // The phonetic keys of the words long enough to be typed by ear.
        let mut sounds: Vec<(String, u32)> = words
            .iter()
            .zip(0u32..)
            .filter(|(w, _)| w.len() >= TYPO_MIN_LEN && w.bytes().all(|b| b.is_ascii_lowercase()))
            .map(|(w, id)| (phonetic::key(w), id))
            .filter(|(k, _)| !k.is_empty())
            .collect();
        sounds.sort_unstable();
        let mut sound_keys: Vec<&str> = Vec::new();
        let mut sound_words = Csr::default();
        let mut start = 0;
        while start < sounds.len() {
            let key = sounds[start].0.as_str();
            let end = start + sounds[start..].partition_point(|(k, _)| k == key);
            let ids: Vec<u32> = sounds[start..end].iter().map(|&(_, id)| id).collect();
            sound_keys.push(key);
            sound_words.push(&ids);
            start = end;
        }
        let sound_dict = Map::from_iter(sound_keys.into_iter().zip(0u64..)).unwrap_or_default();
        TextIndex {
            dict,
            postings,
            entry_words,
            meta,
            sounds: sound_dict,
            sound_words,
        }
    }
}

/// Per-entry data used in ranking.
#[derive(Clone, Copy, Debug)]
struct EntryMeta {
    payload: u32,
    boost: i16,
    len: u16,
    words: u8,
}

/// Lists of `u32` stored back to back (compressed sparse rows).
#[derive(Debug, Default)]
struct Csr {
    starts: Vec<usize>,
    values: Vec<u32>,
}

impl Csr {
    fn push(&mut self, list: &[u32]) {
        self.starts.push(self.values.len());
        self.values.extend_from_slice(list);
    }

    fn get(&self, i: usize) -> &[u32] {
        let start = self.starts.get(i).copied().unwrap_or(self.values.len());
        let end = self.starts.get(i + 1).copied().unwrap_or(self.values.len());
        self.values.get(start..end).unwrap_or(&[])
    }
}

/// The dictionary words a term matched: a kind per word id (0: no match).
struct TermWords {
    kinds: Vec<u8>,
    words: Vec<u32>,
    postings: usize,
    optional: bool,
}

/// A searchable set of labels.
#[derive(Debug, Default)]
pub struct TextIndex {
    dict: Map<Vec<u8>>,
    postings: Csr,
    entry_words: Csr,
    meta: Vec<EntryMeta>,
    /// Phonetic key → key id.
    sounds: Map<Vec<u8>>,
    /// Key id → the ids of the words with that key.
    sound_words: Csr,
}

impl TextIndex {
    /// Number of entries.
    pub fn len(&self) -> usize {
        self.meta.len()
    }

    /// No entry.
    pub fn is_empty(&self) -> bool {
        self.meta.is_empty()
    }

    /// Number of distinct words.
    pub fn words(&self) -> usize {
        self.dict.len()
    }

    /// Every entry matching all required terms of `query`, unordered.
    pub fn matches(&self, query: &Query) -> Vec<Match> {
        if query.is_empty() || self.is_empty() {
            return Vec::new();
        }
        let terms: Vec<TermWords> = query.terms().iter().map(|t| self.term_words(t)).collect();
        if terms.iter().any(|t| !t.optional && t.words.is_empty()) {
            return Vec::new();
        }
        // The most selective required term drives: only its entries can match.
        let Some(driver) = terms
            .iter()
            .filter(|t| !t.optional)
            .min_by_key(|t| t.postings)
        else {
            return Vec::new();
        };
        let mut seen = vec![false; self.meta.len()];
        let mut out = Vec::new();
        for &word in &driver.words {
            for &entry in self.postings.get(word as usize) {
                let Some(slot) = seen.get_mut(entry as usize) else {
                    continue;
                };
                if std::mem::replace(slot, true) {
                    continue;
                }
                if let Some(m) = self.score(entry, &terms) {
                    out.push(m);
                }
            }
        }
        out
    }

    /// Scores one entry, `None` when a required term does not match it.
    fn score(&self, entry: u32, terms: &[TermWords]) -> Option<Match> {
        let words = self.entry_words.get(entry as usize);
        let meta = self.meta.get(entry as usize)?;
        let mut m = Match {
            entry,
            payload: meta.payload,
            quality: 0,
            exact: 0,
            typos: 0,
            positions: 0,
            len: meta.len,
            words: meta.words,
            boost: meta.boost,
        };
        for term in terms {
            let mut best = (0u8, 0usize);
            for (position, &word) in words.iter().enumerate() {
                let kind = term.kinds.get(word as usize).copied().unwrap_or(0);
                if kind > best.0 {
                    best = (kind, position);
                }
            }
            match best {
                (0, _) if term.optional => {}
                (0, _) => return None,
                (kind, position) => {
                    m.quality = m.quality.saturating_add(u16::from(kind));
                    let position = u16::try_from(position).unwrap_or(u16::MAX).min(64);
                    m.positions = m.positions.saturating_add(position);
                    m.exact = m
                        .exact
                        .saturating_add(u8::from(kind == MatchKind::Exact as u8));
                    m.typos = m
                        .typos
                        .saturating_add(u8::from(kind <= MatchKind::Typo as u8));
                }
            }
        }
        Some(m)
    }

    /// The id of the first word at or after `key` in sort order (the word
    /// count when none), and whether that word is `key` itself.
    fn first_at_or_after(&self, key: &[u8]) -> (u64, bool) {
        let mut stream = self.dict.range().ge(key).into_stream();
        match stream.next() {
            Some((word, id)) => (id, word == key),
            None => (self.dict.len() as u64, false),
        }
    }

    /// Finds the dictionary words `term` matches and how.
    fn term_words(&self, term: &QueryTerm) -> TermWords {
        let mut found = TermWords {
            kinds: vec![0; self.dict.len()],
            words: Vec::new(),
            postings: 0,
            optional: term.optional,
        };
        let note = |found: &mut TermWords, id: u64, kind: MatchKind| {
            let Ok(id) = u32::try_from(id) else { return };
            let Some(slot) = found.kinds.get_mut(id as usize) else {
                return;
            };
            if *slot == 0 {
                found.words.push(id);
                found.postings += self.postings.get(id as usize).len();
            }
            *slot = (*slot).max(kind as u8);
        };
        let text = term.text.as_bytes();
        if let Some((&last, head)) = text.split_last() {
            // Every key starting with `text` sorts in [text, text with its
            // last byte incremented) (normalised words are ASCII), and word
            // ids follow the sort order: the prefix matches are one id range.
            let mut upper = head.to_vec();
            upper.push(last.saturating_add(1));
            let (start, exact) = self.first_at_or_after(text);
            let (end, _) = self.first_at_or_after(&upper);
            for id in start..end {
                let kind = if id == start && exact {
                    MatchKind::Exact
                } else {
                    MatchKind::Prefix
                };
                note(&mut found, id, kind);
            }
        }
        for alternative in &term.alternatives {
            if let Some(id) = self.dict.get(alternative) {
                note(&mut found, id, MatchKind::Exact);
            }
        }
        let typo_ok = text.len() >= TYPO_MIN_LEN && text.iter().all(u8::is_ascii_lowercase);
        if typo_ok && let Some(automaton) = typo::OneTypo::new(&term.text) {
            let mut stream = self.dict.search(automaton).into_stream();
            while let Some((_, id)) = stream.next() {
                note(&mut found, id, MatchKind::Typo);
            }
        }
        if typo_ok {
            let key = phonetic::key(&term.text);
            let mut sounds: Vec<u64> = Vec::new();
            if key.len() >= SOUND_TYPO_MIN_LEN
                && let Some(automaton) = typo::OneTypo::new(&key)
            {
                let mut stream = self.sounds.search(automaton).into_stream();
                while let Some((_, id)) = stream.next() {
                    sounds.push(id);
                }
            } else if !key.is_empty() {
                let mut stream = self
                    .sounds
                    .search(fst::automaton::Str::new(&key).starts_with())
                    .into_stream();
                while let Some((_, id)) = stream.next() {
                    sounds.push(id);
                }
            }
            for sound in sounds {
                let Ok(sound) = usize::try_from(sound) else {
                    continue;
                };
                for &word in self.sound_words.get(sound) {
                    note(&mut found, u64::from(word), MatchKind::Sound);
                }
            }
        }
        found
    }
}
