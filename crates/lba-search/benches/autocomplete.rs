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
use std::path::PathBuf;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use lba_core::geo::GeoPoint;
use lba_core::opportunity::{Formation, Place};
use lba_core::referential::{AppellationRef, CommuneRef, DiplomaRef, ReferentialData, RomeRef};
use lba_data::geo::{self as geo_files, CommuneKind};
use lba_data::{CsvReader, DataDir, DataError, Item, diplomas, rome};
use lba_search::{MetierIndex, PlaceIndex};

fn records<T>(reader: Result<CsvReader<T>, DataError>) -> Vec<T> {
    reader
        .expect("readable file")
        .filter_map(|item| match item.expect("well-formed file") {
            Item::Record(record) => Some(record),
            Item::Rejected(_) => None,
        })
        .collect()
}

/// Reads the referentials the indexes use from the shared data directory.
fn referential_data() -> ReferentialData {
    let path = std::env::var_os("LBA_DATA_DIR").map_or_else(
        || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data")),
        PathBuf::from,
    );
    let dir = DataDir::resolve(Some(&path)).expect("the shared data directory");
    let (communes, _) = geo_files::assemble_communes(records(geo_files::commune_rows(
        &dir.file(geo_files::files::COMMUNES),
    )));
    ReferentialData {
        romes: records(rome::fiches(&dir.file(rome::files::FICHES)))
            .into_iter()
            .map(|f| RomeRef {
                code: f.code,
                label: f.label,
                parent_code: f.parent_code,
            })
            .collect(),
        appellations: records(rome::appellations(&dir.file(rome::files::APPELLATIONS)))
            .into_iter()
            .map(|a| AppellationRef {
                ogr: a.ogr,
                rome: a.rome,
                label: a.label,
            })
            .collect(),
        subdomains: records(rome::subdomains(&dir.file(rome::files::SUBDOMAINS)))
            .into_iter()
            .map(|s| (s.subdomain, s.rome))
            .collect(),
        diplomas: records(diplomas::kit(&dir.file(diplomas::files::KIT)))
            .into_iter()
            .map(|d| DiplomaRef {
                cfd: d.cfd,
                rncp: d.rncp,
                title: d.title,
                level: d.level,
                apprenticeship: d.apprenticeship,
                active: d.active,
            })
            .collect(),
        synonyms: diplomas::synonyms(&dir.file(diplomas::files::SYNONYMS))
            .expect("synonyms")
            .into_iter()
            .map(|g| g.synonyms)
            .collect(),
        communes: communes
            .into_iter()
            .map(|c| CommuneRef {
                insee: c.insee,
                name: c.name,
                arrondissement: c.kind == CommuneKind::Arrondissement,
                parent: c.parent,
                departement: c.departement,
                region: c.region,
                point: c.point,
                population: c.population,
                postal_codes: c.postal_codes.into_iter().collect(),
                aliases: c.aliases,
            })
            .collect(),
        departements: records(geo_files::departements(
            &dir.file(geo_files::files::DEPARTEMENTS),
        ))
        .into_iter()
        .map(|d| (d.code, d.name))
        .collect(),
        ..ReferentialData::default()
    }
}

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
                address: String::new(),
                postal_code: None,
                commune_insee: None,
                city: String::new(),
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
