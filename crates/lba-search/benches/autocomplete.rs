//! Autocomplete latency on the real referentials: métier queries (prefix,
//! typo, several words, a short common word) and place queries (abbreviated
//! name, postal code, city). The indexes are built once, the same way the
//! integration tests do, with one synthetic course per diploma so that every
//! diploma can be suggested.

#![expect(
    clippy::expect_used,
    reason = "a benchmark fails loudly on missing data"
)]

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use lba_core::geo::GeoPoint;
use lba_core::opportunity::{Formation, Place};
use lba_core::referential::ReferentialData;
use lba_search::{MetierIndex, PlaceIndex};

#[path = "../tests/support/referentials.rs"]
mod support;

use support::referential_data;

/// One course per diploma, with a ROME code picked deterministically.
fn formations(data: &ReferentialData) -> Vec<Formation> {
    let point = GeoPoint::new(48.85, 2.35).expect("a valid point");
    data.diplomas
        .iter()
        .zip(data.romes.iter().cycle())
        .map(|(diploma, rome)| Formation {
            id: diploma.cfd.to_string(),
            is_demo: true,
            title: diploma.title.clone(),
            diploma_title: diploma.title.clone(),
            cfd: Some(diploma.cfd.clone()),
            rncp: diploma.rncp.clone(),
            level: diploma.level,
            romes: vec![rome.code.clone()],
            cfa_uai: None,
            cfa_siret: None,
            cfa_name: String::new(),
            place: Place {
                address: Default::default(),
                postal_code: None,
                commune_insee: None,
                city: Default::default(),
                point,
            },
            sessions: Vec::new(),
            duration_months: None,
            capacity: None,
            distance_learning: false,
            email: None,
            phone: None,
            onisep_url: None,
        })
        .collect()
}

const METIER_QUERIES: [&str; 4] = ["boul", "boulanjer", "agent entretien batiment", "bts"];
const PLACE_QUERIES: [&str; 3] = ["st etienne", "75011", "lyon"];
/// Worst cases, timed for p50/p99 only: one letter matches thousands of
/// entries, long typo-tolerant words walk much of the dictionary.
const METIER_STRESS: [&str; 3] = ["a", "c", "technicien maintenance industrielle"];
const PLACE_STRESS: [&str; 3] = ["s", "saint", "b"];

/// Prints the p50/p99 of `runs` calls, criterion reporting only means.
fn percentiles(name: &str, runs: usize, mut call: impl FnMut()) {
    let mut times: Vec<u128> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            call();
            start.elapsed().as_nanos()
        })
        .collect();
    times.sort_unstable();
    let at = |q: usize| times.get(runs * q / 100).copied().unwrap_or(0) as f64 / 1000.0;
    println!("{name:<40} p50 {:>8.1} µs   p99 {:>8.1} µs", at(50), at(99));
}

fn autocomplete(c: &mut Criterion) {
    let data = referential_data();
    let formations = formations(&data);
    let start = Instant::now();
    let metiers = MetierIndex::build(&data, &formations);
    let metier_build = start.elapsed();
    let start = Instant::now();
    let places = PlaceIndex::build(&data);
    println!(
        "build: métiers {} suggestions in {metier_build:?}, places {} in {:?}",
        metiers.len(),
        places.len(),
        start.elapsed()
    );
    for query in METIER_QUERIES {
        percentiles(&format!("metiers/{query}"), 2000, || {
            black_box(metiers.search(black_box(query), 20));
        });
    }
    for query in METIER_STRESS {
        percentiles(&format!("metiers/{query}"), 2000, || {
            black_box(metiers.search(black_box(query), 20));
        });
    }
    for query in PLACE_QUERIES.iter().chain(&PLACE_STRESS) {
        percentiles(&format!("places/{query}"), 2000, || {
            black_box(places.search(black_box(query), 10));
        });
    }

    let mut group = c.benchmark_group("metiers");
    for query in METIER_QUERIES {
        group.bench_function(query, |b| b.iter(|| metiers.search(black_box(query), 20)));
    }
    group.finish();
    let mut group = c.benchmark_group("places");
    for query in PLACE_QUERIES {
        group.bench_function(query, |b| b.iter(|| places.search(black_box(query), 10)));
    }
    group.finish();
}

criterion_group!(benches, autocomplete);
criterion_main!(benches);
