//! In-process search latency at national scale (60k courses, 300k offers,
//! 1M companies), on synthetic records spread around 60 French cities.
//! Prints p50/p99 over 20,000 random queries after the criterion runs.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use criterion::Criterion;
use lba_core::geo::{GeoPoint, Radius};
use lba_core::ids::{CodeRome, Siret};
use lba_core::opportunity::{
    Company, ContractType, Formation, Offer, OfferOrigin, OfferStatus, Place, RomeScore,
};
use lba_core::referential::ReferentialData;
use lba_search::{Index, RomeFilter, SearchQuery};

/// A tiny deterministic generator (xorshift), enough for benchmark data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const CITIES: usize = 60;

fn cities(rng: &mut Rng) -> Vec<(f64, f64)> {
    (0..CITIES)
        .map(|_| (43.0 + rng.unit() * 7.5, -1.5 + rng.unit() * 8.5))
        .collect()
}

fn near(rng: &mut Rng, cities: &[(f64, f64)]) -> GeoPoint {
    // Cities get most records, the countryside the rest.
    let (lat, lon) = if rng.below(10) < 8 {
        let (lat, lon) = cities[rng.below(cities.len() as u64) as usize];
        (
            lat + (rng.unit() - 0.5) * 0.4,
            lon + (rng.unit() - 0.5) * 0.6,
        )
    } else {
        (42.5 + rng.unit() * 8.5, -4.5 + rng.unit() * 12.0)
    };
    GeoPoint::new(lat, lon).unwrap_or_else(|_| unreachable!())
}

fn romes() -> Vec<CodeRome> {
    let letters = ['A', 'D', 'F', 'G', 'H', 'I', 'K', 'M', 'N'];
    (0..540)
        .filter_map(|i| {
            format!(
                "{}{}",
                letters[i % letters.len()],
                1101 + i / letters.len() * 3
            )
            .parse()
            .ok()
        })
        .collect()
}

fn pick<'a>(rng: &mut Rng, romes: &'a [CodeRome]) -> &'a CodeRome {
    // Skewed: a few métiers are very common.
    let i = (rng.unit().powi(3) * romes.len() as f64) as usize;
    &romes[i.min(romes.len() - 1)]
}

fn place(p: GeoPoint) -> Place {
    Place {
        address: Default::default(),
        postal_code: None,
        commune_insee: None,
        city: Default::default(),
        point: p,
    }
}

fn siret(n: u64) -> Siret {
    let base = format!("{:013}", 9_990_000_000_000 + n);
    (0..10)
        .find_map(|d| format!("{base}{d}").parse::<Siret>().ok())
        .unwrap_or_else(|| unreachable!())
}

fn build(rng: &mut Rng) -> (Index, Vec<(f64, f64)>, Vec<CodeRome>) {
    let cities = cities(rng);
    let romes = romes();
    let now = Utc
        .with_ymd_and_hms(2026, 11, 23, 0, 0, 0)
        .single()
        .unwrap_or_default();
    let formations = (0..60_000)
        .map(|i| Formation {
            id: format!("f{i}"),
            is_demo: true,
            title: format!("Formation {i}"),
            diploma_title: String::new(),
            cfd: None,
            rncp: None,
            level: None,
            romes: vec![pick(rng, &romes).clone(), pick(rng, &romes).clone()],
            cfa_uai: None,
            cfa_siret: None,
            cfa_name: String::new(),
            place: place(near(rng, &cities)),
            sessions: vec![],
            duration_months: None,
            capacity: None,
            distance_learning: false,
            email: None,
            phone: None,
            onisep_url: None,
        })
        .collect();
    let offers = (0..300_000)
        .map(|i| Offer {
            id: format!("o{i}"),
            is_demo: true,
            origin: OfferOrigin::Platform,
            status: OfferStatus::Active,
            title: String::new(),
            appellation_ogr: None,
            rome: pick(rng, &romes).clone(),
            description: String::new(),
            contract_types: vec![ContractType::Apprentissage],
            level: None,
            start_date: None,
            duration_months: None,
            company_siret: None,
            company_name: Default::default(),
            company_naf: None,
            company_headcount: None,
            place: place(near(rng, &cities)),
            published_at: now - chrono::Duration::days(rng.below(60) as i64),
            expires_at: now + chrono::Duration::days(60),
            apply_url: None,
        })
        .collect();
    let companies = (0..1_000_000u64)
        .map(|i| Company {
            siret: siret(i),
            is_demo: true,
            name: Default::default(),
            naf: None,
            headcount: None,
            place: place(near(rng, &cities)),
            romes: (0..1 + rng.below(3))
                .map(|_| RomeScore {
                    rome: pick(rng, &romes).clone(),
                    score: 20 + rng.below(80) as u8,
                })
                .collect(),
            email: None,
            phone: None,
            website: None,
        })
        .collect();
    let index = Index::build(
        &ReferentialData::default(),
        formations,
        offers,
        companies,
        1,
        now,
    );
    (index, cities, romes)
}

fn query(rng: &mut Rng, cities: &[(f64, f64)], romes: &[CodeRome]) -> SearchQuery {
    let (lat, lon) = cities[rng.below(cities.len() as u64) as usize];
    let mut q = SearchQuery::new(
        RomeFilter::codes(vec![pick(rng, romes).clone()]).unwrap_or_else(|_| unreachable!()),
        GeoPoint::new(lat, lon).ok(),
    );
    q.radius = Radius::default();
    q.now = Utc
        .with_ymd_and_hms(2026, 11, 23, 0, 0, 0)
        .single()
        .unwrap_or_default();
    q
}

fn main() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let start = Instant::now();
    let (index, cities, romes) = build(&mut rng);
    println!("index built in {:?}", start.elapsed());

    let mut criterion = Criterion::default()
        .configure_from_args()
        .measurement_time(Duration::from_secs(5));
    let queries: Vec<SearchQuery> = (0..256).map(|_| query(&mut rng, &cities, &romes)).collect();
    let mut i = 0;
    criterion.bench_function("search 3 kinds, 1 ROME, 30 km (national)", |b| {
        b.iter(|| {
            i = (i + 1) % queries.len();
            black_box(index.search(black_box(&queries[i])))
        });
    });
    criterion.final_summary();

    let mut times: Vec<Duration> = (0..20_000)
        .map(|_| {
            let q = query(&mut rng, &cities, &romes);
            let t = Instant::now();
            black_box(index.search(&q));
            t.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "latency over 20000 queries: p50 {:?}, p99 {:?}, max {:?}",
        times[times.len() / 2],
        times[times.len() * 99 / 100],
        times[times.len() - 1]
    );
}
