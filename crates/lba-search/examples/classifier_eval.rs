//! Prints the accuracy of the ROME classifier on the real referentials:
//! leave-one-out over the 13,120 appellations and the hand-labelled titles
//! of `tests/data/titles.csv`, with a reliability table (accuracy per
//! confidence decile) and the diploma referential's coverage.
//!
//! `cargo run --release -p lba-search --example classifier_eval [-- --misses]`

use std::time::Instant;

use lba_search::classifier::Classifier;

#[path = "../tests/support/classifier_eval.rs"]
mod eval;
#[path = "../tests/support/referentials.rs"]
mod support;

use eval::Accuracy;

/// The threshold the catalogue importer uses (lba-app), shown for coverage.
const THRESHOLD: f32 = 0.5;

fn print(name: &str, accuracy: &Accuracy, misses: bool) {
    println!(
        "{name}: {} titles, top-1 {:.1} %, top-3 {:.1} %",
        accuracy.total,
        100.0 * accuracy.top1_rate(),
        100.0 * accuracy.top3_rate()
    );
    println!("  confidence   titles   top-1");
    for (decile, (n, right)) in accuracy.reliability.iter().enumerate() {
        if *n > 0 {
            println!(
                "  {:.1}–{:.1}   {n:>7}   {:>5.1} %",
                decile as f64 / 10.0,
                (decile + 1) as f64 / 10.0,
                100.0 * *right as f64 / *n as f64
            );
        }
    }
    let (share, precision) = accuracy.above(THRESHOLD);
    println!(
        "  confidence ≥ {THRESHOLD}: {:.1} % of titles, top-1 {:.1} % among them",
        100.0 * share,
        100.0 * precision
    );
    if misses {
        for (title, expected, got) in &accuracy.misses {
            match got {
                Some(g) => println!(
                    "  MISS {title} → expected {expected}, got {} ({:.2}, « {} »)",
                    g.rome, g.confidence, g.matched
                ),
                None => println!("  MISS {title} → expected {expected}, got nothing"),
            }
        }
    }
}

fn main() {
    let misses = std::env::args().any(|a| a == "--misses");
    let data = support::metier_data();
    let start = Instant::now();
    let classifier = Classifier::build(&data);
    println!("build: {classifier:?} in {:?}", start.elapsed());

    let start = Instant::now();
    let loo = eval::leave_one_out(&classifier, &data);
    let elapsed = start.elapsed();
    print("leave-one-out", &loo, false);
    println!(
        "  {:.1} µs per title",
        elapsed.as_secs_f64() * 1e6 / loo.total.max(1) as f64
    );
    print("hand-labelled titles", &eval::labelled(&classifier), misses);

    let mapped = data
        .diplomas
        .iter()
        .filter(|d| {
            classifier
                .classify_diploma(&d.title)
                .first()
                .is_some_and(|g| g.confidence >= THRESHOLD)
        })
        .count();
    println!(
        "diplomas mapped at confidence ≥ {THRESHOLD}: {mapped} of {} ({:.1} %)",
        data.diplomas.len(),
        100.0 * mapped as f64 / data.diplomas.len().max(1) as f64
    );
}
