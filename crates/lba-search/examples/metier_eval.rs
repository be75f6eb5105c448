//! Prints the share of queries that find the right métier in the first
//! three suggestions of the métier autocomplete, on evaluation sets drawn
//! from the real ROME appellations (natural, one typo, phonetic spellings;
//! see `tests/support/metier_eval.rs`).
//!
//! `cargo run --release -p lba-search --example metier_eval [-- --cases N --seed S --misses]`

use lba_search::MetierIndex;

#[path = "../tests/support/metier_eval.rs"]
mod eval;
#[path = "../tests/support/referentials.rs"]
mod support;

use eval::Kind;

fn arg(name: &str) -> Option<u64> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
}

fn main() {
    let n = usize::try_from(arg("--cases").unwrap_or(1000)).unwrap_or(1000);
    let seed = arg("--seed").unwrap_or(20);
    let misses = std::env::args().any(|a| a == "--misses");
    let data = support::metier_data();
    let index = MetierIndex::build(&data, &[]);
    for (name, kind) in [
        ("natural", Kind::Natural),
        ("one typo", Kind::OneTypo),
        ("phonetic", Kind::Phonetic),
    ] {
        let cases = eval::cases(&data, &index, kind, n, seed);
        let (found, missed) = eval::evaluate(&index, &cases);
        println!(
            "{name}: {} queries, right métier in the top 3: {:.1} %",
            cases.len(),
            100.0 * found as f64 / cases.len().max(1) as f64
        );
        if misses {
            for case in missed {
                let got: Vec<String> = index
                    .search(&case.query, 3)
                    .into_iter()
                    .map(|h| h.label)
                    .collect();
                println!(
                    "  MISS « {} » ({}, {}) → {got:?}",
                    case.query, case.appellation, case.rome
                );
            }
        }
    }
}
