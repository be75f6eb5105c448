//! In-process latency of one orientation questionnaire (issue 16 figure):
//! the referentials of the data directory and the local demo in a fresh
//! SQLite database, the search index and the orientation tables built once,
//! then 2,000 questionnaires drawn with a fixed seed from the real data
//! (3 to 5 of the 30 centres of interest, a commune of `geo/communes.csv`
//! weighted by population or none, a level or none, both methods), timed
//! one by one. Prints p50, p90, p99 and the maximum.
//!
//! `cargo run --release -p lba-app --example orientation_latency [-- DATA_DIR]`

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use lba_app::demo::{self, DemoConfig, Scale};
use lba_app::orientation::Questionnaire;
use lba_app::{NoProgress, Search, import_referentials};
use lba_core::geo::GeoPoint;
use lba_search::orientation::Method;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data").to_owned());
    let data = lba_data::DataDir::resolve(Some(std::path::Path::new(&dir)))?;
    let db = lba_store::testing::TestDb::sqlite().await;
    import_referentials(&db.store, &data, &NoProgress).await?;
    let config = DemoConfig {
        scale: Scale::Local,
        seed: 7,
        reference_date: NaiveDate::from_ymd_opt(2026, 9, 1).ok_or("date")?,
    };
    demo::generate(&db.store, &config, &NoProgress).await?;
    let search = Search::load(&db.store).await?;
    let started = Instant::now();
    let tables = search.orientation().await?;
    println!("tables built in {:?}", started.elapsed());
    let index = search.snapshot();

    // Communes with their population, from the data directory.
    let text = std::fs::read_to_string(data.root().join("geo/communes.csv"))?;
    let mut communes: Vec<(GeoPoint, u64)> = Vec::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (Some(lat), Some(lon), Some(pop)) = (f.get(8), f.get(9), f.get(11)) else {
            continue;
        };
        if let (Ok(lat), Ok(lon)) = (lat.parse::<f64>(), lon.parse::<f64>())
            && let Ok(point) = GeoPoint::new(lat, lon)
        {
            communes.push((point, pop.parse().unwrap_or(0)));
        }
    }
    let total: u64 = communes.iter().map(|c| c.1).sum();
    let centres: Vec<i32> = tables.centres().iter().map(|c| c.code).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(16);
    let mut questionnaires = Vec::new();
    for i in 0..2_000 {
        let n = rng.random_range(3..=5);
        let mut interests = Vec::new();
        while interests.len() < n {
            let c = centres[rng.random_range(0..centres.len())];
            if !interests.contains(&c) {
                interests.push(c);
            }
        }
        let point = if rng.random_range(0..10) == 0 {
            None
        } else {
            let mut pick = rng.random_range(0..total);
            let mut chosen = communes[0].0;
            for (p, pop) in &communes {
                if pick < *pop {
                    chosen = *p;
                    break;
                }
                pick -= pop;
            }
            Some(chosen)
        };
        questionnaires.push(Questionnaire {
            interests,
            ordered: rng.random_range(0..2) == 0,
            point,
            level: [None, Some(3), Some(4), Some(5)][rng.random_range(0..4)],
            method: if i % 2 == 0 {
                Method::Avenir
            } else {
                Method::Interests
            },
        });
    }
    let mut times = Vec::with_capacity(questionnaires.len());
    let mut proposed = 0;
    for q in &questionnaires {
        let start = Instant::now();
        let p = tables.propose(&index, q)?;
        times.push(start.elapsed());
        proposed += p.suggestions.len();
    }
    times.sort_unstable();
    println!(
        "{} questionnaires ({} métiers proposed): p50 {:?}, p90 {:?}, p99 {:?}, max {:?}",
        times.len(),
        proposed,
        percentile(&times, 0.5),
        percentile(&times, 0.9),
        percentile(&times, 0.99),
        times[times.len() - 1]
    );
    db.cleanup().await;
    Ok(())
}
