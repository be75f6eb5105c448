//! A byte automaton for `fst` that accepts every key starting with a word
//! at edit distance at most 1 from the query (one insertion, deletion,
//! substitution or swap of two neighbouring letters).
//!
//! The state is one row of the edit-distance matrix (plus the row before,
//! for swaps), capped at 2: nothing beyond "too far" matters, so rows stay
//! small fixed arrays and a transition never allocates.

use fst::Automaton;

/// Longest query word the automaton handles; longer words match by prefix
/// only (a typo in a 25-letter word is rare and the rows stay small).
pub(super) const MAX_LEN: usize = 24;

/// Any distance above 1 is "too far"; values are capped here.
const FAR: u8 = 2;

/// Matches keys that start with a word within one typo of `query`.
#[derive(Debug)]
pub(super) struct OneTypo<'a> {
    query: &'a [u8],
}

impl<'a> OneTypo<'a> {
    /// `None` when `query` is empty or longer than [`MAX_LEN`].
    pub(super) fn new(query: &'a str) -> Option<Self> {
        (!query.is_empty() && query.len() <= MAX_LEN).then_some(Self {
            query: query.as_bytes(),
        })
    }
}

/// One step of the walk down the dictionary.
#[derive(Clone, Debug)]
pub(super) struct State {
    /// Distances from each query prefix to the key read so far.
    row: [u8; MAX_LEN + 1],
    /// The same one key byte earlier (for swaps).
    prev: [u8; MAX_LEN + 1],
    /// The last key byte read (0 before the first: keys never hold 0).
    last: u8,
    /// A prefix of the key already matched: everything below matches.
    done: bool,
}

impl Automaton for OneTypo<'_> {
    type State = State;

    fn start(&self) -> State {
        let mut row = [FAR; MAX_LEN + 1];
        for (i, d) in row.iter_mut().enumerate().take(self.query.len() + 1) {
            *d = u8::try_from(i).unwrap_or(FAR).min(FAR);
        }
        State {
            row,
            prev: [FAR; MAX_LEN + 1],
            last: 0,
            done: false,
        }
    }

    fn is_match(&self, state: &State) -> bool {
        state.done || state.row[self.query.len()] <= 1
    }

    fn can_match(&self, state: &State) -> bool {
        state.done || state.row[..=self.query.len()].iter().any(|&d| d <= 1)
    }

    fn will_always_match(&self, state: &State) -> bool {
        state.done
    }

    fn accept(&self, state: &State, byte: u8) -> State {
        if self.is_match(state) {
            return State {
                done: true,
                ..state.clone()
            };
        }
        let q = self.query;
        let mut row = [FAR; MAX_LEN + 1];
        row[0] = state.row[0].saturating_add(1).min(FAR);
        for i in 1..=q.len() {
            let substitution = state.row[i - 1] + u8::from(q[i - 1] != byte);
            let mut d = substitution.min(state.row[i] + 1).min(row[i - 1] + 1);
            if i >= 2 && q[i - 1] == state.last && q[i - 2] == byte {
                d = d.min(state.prev[i - 2] + 1);
            }
            row[i] = d.min(FAR);
        }
        State {
            row,
            prev: state.row,
            last: byte,
            done: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::OneTypo;
    use fst::{IntoStreamer, Set, Streamer};

    fn found(query: &str, words: &[&str]) -> Vec<String> {
        let mut words = words.to_vec();
        words.sort_unstable();
        let Ok(set) = Set::from_iter(words) else {
            return Vec::new();
        };
        let Some(automaton) = OneTypo::new(query) else {
            return Vec::new();
        };
        let mut stream = set.search(automaton).into_stream();
        let mut out = Vec::new();
        while let Some(key) = stream.next() {
            out.push(String::from_utf8_lossy(key).into_owned());
        }
        out
    }

    #[test]
    fn one_edit_of_a_word_or_a_prefix() {
        let words = [
            "boulanger",
            "boulangerie",
            "boulange",
            "boucher",
            "marseille",
            "marseillan",
            "mareille",
        ];
        assert_eq!(found("boulanjer", &words), ["boulanger", "boulangerie"]);
        assert_eq!(found("boulagner", &words), ["boulanger", "boulangerie"]);
        assert_eq!(found("marseile", &words), ["marseillan", "marseille"]);
        assert!(found("bouchxxr", &words).is_empty());
    }
}
