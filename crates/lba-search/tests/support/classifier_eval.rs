//! Accuracy of the ROME classifier on the real referentials: leave-one-out
//! over the appellations and the hand-labelled titles of
//! `tests/data/titles.csv`. Shared by the integration tests and the
//! `classifier_eval` example.

#![allow(
    clippy::expect_used,
    dead_code,
    reason = "test support: fails loudly; each includer uses a part"
)]

use lba_core::referential::ReferentialData;
use lba_search::classifier::{Classifier, RomeGuess};

/// Top-1 and top-3 accuracy of one evaluation, with confidence buckets.
#[derive(Debug, Default)]
pub struct Accuracy {
    /// Titles classified.
    pub total: usize,
    /// Expected code first.
    pub top1: usize,
    /// Expected code among the first three.
    pub top3: usize,
    /// Per confidence decile of the first guess: (titles, right first).
    pub reliability: [(usize, usize); 10],
    /// Titles whose first guess is wrong: (title, expected, first guess).
    pub misses: Vec<(String, String, Option<RomeGuess>)>,
}

impl Accuracy {
    fn record(&mut self, title: &str, expected: &str, guesses: &[RomeGuess]) {
        self.total += 1;
        let rank = guesses.iter().position(|g| g.rome.as_str() == expected);
        let right = rank == Some(0);
        self.top1 += usize::from(right);
        self.top3 += usize::from(rank.is_some_and(|r| r < 3));
        let confidence = guesses.first().map_or(0.0, |g| g.confidence);
        let bucket = ((confidence * 10.0) as usize).min(9);
        if let Some(b) = self.reliability.get_mut(bucket) {
            b.0 += 1;
            b.1 += usize::from(right);
        }
        if !right {
            let first = guesses.first().cloned();
            self.misses
                .push((title.to_owned(), expected.to_owned(), first));
        }
    }

    /// Top-1 accuracy in 0..=1.
    pub fn top1_rate(&self) -> f64 {
        self.top1 as f64 / self.total.max(1) as f64
    }

    /// Top-3 accuracy in 0..=1.
    pub fn top3_rate(&self) -> f64 {
        self.top3 as f64 / self.total.max(1) as f64
    }

    /// Share of titles whose first guess reaches `threshold`, and accuracy
    /// among them, from the deciles (threshold rounded down to a decile).
    pub fn above(&self, threshold: f32) -> (f64, f64) {
        let from = ((threshold * 10.0) as usize).min(10);
        let (n, right) = self
            .reliability
            .iter()
            .skip(from)
            .fold((0, 0), |(n, r), b| (n + b.0, r + b.1));
        (
            n as f64 / self.total.max(1) as f64,
            right as f64 / n.max(1) as f64,
        )
    }
}

/// Each appellation classified with itself left out of the index.
pub fn leave_one_out(classifier: &Classifier, data: &ReferentialData) -> Accuracy {
    let mut accuracy = Accuracy::default();
    for appellation in &data.appellations {
        let doc = classifier
            .appellation_doc(appellation.ogr)
            .expect("every appellation is indexed");
        let guesses = classifier.classify_excluding(&appellation.label, doc);
        accuracy.record(&appellation.label, appellation.rome.as_str(), &guesses);
    }
    accuracy
}

/// The hand-labelled titles: (title, expected ROME code).
pub fn labelled_titles() -> Vec<(String, String)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/titles.csv");
    std::fs::read_to_string(path)
        .expect("tests/data/titles.csv")
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let (title, rome) = line.rsplit_once(';').expect("title;expected_rome");
            (title.trim().to_owned(), rome.trim().to_owned())
        })
        .collect()
}

/// The hand-labelled titles classified.
pub fn labelled(classifier: &Classifier) -> Accuracy {
    let mut accuracy = Accuracy::default();
    for (title, rome) in labelled_titles() {
        accuracy.record(&title, &rome, &classifier.classify(&title));
    }
    accuracy
}
