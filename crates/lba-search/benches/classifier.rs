//! ROME classifier on the real referentials: the build (from the loaded
//! referentials) and the classification of typical titles (noisy offer
//! titles, a course title, a typo, an abbreviation, a long diploma title).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use lba_search::classifier::Classifier;

#[path = "../tests/support/referentials.rs"]
mod support;

const TITLES: [&str; 6] = [
    "Apprenti(e) boulanger H/F",
    "Alternance - Assistant RH (F/H)",
    "BTS Management commercial opérationnel",
    "Technicien de maintenance industrielle en alternance",
    "Mecanicien auto",
    "METIERS DE L'INFORMATIQUE : ADMINISTRATION ET SECURITE DES SYSTEMES ET DES RESEAUX (LP PARIS 11)",
];

fn classifier(c: &mut Criterion) {
    let data = support::metier_data();
    let mut group = c.benchmark_group("classifier");
    group.sample_size(10);
    group.bench_function("build", |b| b.iter(|| Classifier::build(black_box(&data))));
    group.finish();

    let classifier = Classifier::build(&data);
    let mut group = c.benchmark_group("classify");
    for title in TITLES {
        let name: String = title.chars().take(40).collect();
        group.bench_function(name, |b| b.iter(|| classifier.classify(black_box(title))));
    }
    group.finish();
}

criterion_group!(benches, classifier);
criterion_main!(benches);
