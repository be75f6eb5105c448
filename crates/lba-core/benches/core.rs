//! Hot paths of the domain layer: text normalisation (every label indexed
//! and every query typed) and haversine distances (every search result).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use lba_core::geo::GeoPoint;
use lba_core::ids::{CodeRome, Siret};
use lba_core::text::normalize;

fn text(c: &mut Criterion) {
    let labels = [
        "Conducteur / Conductrice d'engins agricoles",
        "Pâtissier / Pâtissière — chocolatier, glacier",
        "Ingénieur diplômé de l'École supérieure d'ingénieurs en informatique",
        "Œnologue",
    ];
    c.bench_function("normalize 4 labels", |b| {
        b.iter(|| {
            for label in labels {
                black_box(normalize(black_box(label)));
            }
        });
    });
}

fn geo(c: &mut Criterion) {
    let paris = GeoPoint::new(48.8566, 2.3522).unwrap_or_else(|_| unreachable!());
    let points: Vec<GeoPoint> = (0..1_000)
        .filter_map(|i| {
            GeoPoint::new(
                42.0 + f64::from(i % 90) * 0.1,
                -4.0 + f64::from(i / 90) * 0.8,
            )
            .ok()
        })
        .collect();
    c.bench_function("haversine 1000 points", |b| {
        b.iter(|| {
            points
                .iter()
                .map(|p| paris.distance_km(black_box(p)))
                .sum::<f64>()
        });
    });
}

fn ids(c: &mut Criterion) {
    c.bench_function("parse CodeRome + Siret", |b| {
        b.iter(|| {
            black_box(CodeRome::parse(black_box("f1603")).is_ok());
            black_box(Siret::parse(black_box("85052026300011")).is_ok());
        });
    });
}

criterion_group!(benches, text, geo, ids);
criterion_main!(benches);
