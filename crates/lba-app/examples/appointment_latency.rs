//! Latency of a contact request to a CFA (issue 17 figures), in process:
//! 2,000 requests stored one by one through `appointments::submit` (the
//! checks, the 4-day rule and the two outbox jobs in one transaction), then
//! the follow-up of `/operateur/cfa` over 50,000 requests. On SQLite (a
//! fresh file), and on PostgreSQL when `LBA_TEST_PG_URL` is set.
//!
//! `cargo run --release -p lba-app --example appointment_latency`

use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use lba_app::appointments;
use lba_core::appointment::{RawRequest, Referrer};
use lba_core::geo::GeoPoint;
use lba_core::ids::Uai;
use lba_core::opportunity::{Formation, Place};
use lba_store::testing::TestDb;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn course(i: usize) -> Result<Formation, Box<dyn std::error::Error>> {
    // 50 CFAs with valid UAIs: 7 digits and their check letter.
    let digits = 751_000 + (i % 50);
    let letters = "ABCDEFGHJKLMNPRSTUVWXYZ";
    let letter = letters.as_bytes()[digits % 23] as char;
    Ok(Formation {
        id: format!("f{i}"),
        is_demo: true,
        title: "CAP Boulanger".into(),
        diploma_title: "CAP BOULANGER".into(),
        cfd: None,
        rncp: None,
        level: None,
        romes: vec![],
        cfa_uai: Some(Uai::parse(&format!("{digits:07}{letter}"))?),
        cfa_siret: None,
        cfa_name: format!("CFA {}", i % 50),
        place: Place {
            address: "1 rue de la Paix".into(),
            postal_code: None,
            commune_insee: None,
            city: "Paris".into(),
            point: GeoPoint::new(48.86, 2.35)?,
        },
        sessions: vec![],
        duration_months: None,
        capacity: None,
        distance_learning: false,
        email: Some(format!("cfa{}@exemple.fr", i % 50)),
        phone: None,
        onisep_url: None,
    })
}

fn request(i: usize) -> RawRequest {
    RawRequest {
        requester: "jeune".into(),
        first_name: "Léa".into(),
        last_name: "Martin".into(),
        email: format!("lea{i}@exemple.fr"),
        phone: "06 12 34 56 78".into(),
        reasons: vec!["places".into(), "inscription".into()],
        message: "Reste-t-il des places en septembre ?".into(),
        consent: true,
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let courses: Vec<Formation> = (0..500).map(course).collect::<Result<_, _>>()?;
    for db in TestDb::all().await {
        let store = &db.store;
        let now = Utc::now();
        let mut times = Vec::new();
        for i in 0..50_000 {
            let start = Instant::now();
            appointments::submit(
                store,
                Some(&courses[i % courses.len()]),
                &request(i),
                Referrer::Lba,
                None,
                now - TimeDelta::minutes((i % 80_000) as i64),
            )
            .await?;
            if i < 2_000 {
                times.push(start.elapsed());
            }
        }
        times.sort_unstable();
        println!(
            "{:?}: submit, 2,000 requests: p50 {:?}, p99 {:?}, max {:?}",
            db.backend(),
            percentile(&times, 0.5),
            percentile(&times, 0.99),
            times[times.len() - 1]
        );
        let mut page = Vec::new();
        for _ in 0..5 {
            let start = Instant::now();
            let f = appointments::follow_up(store, 90, now).await?;
            page.push(start.elapsed());
            assert_eq!(f.total.requests, 50_000);
        }
        page.sort_unstable();
        println!(
            "{:?}: follow-up of 50,000 requests: median {:?}, max {:?}",
            db.backend(),
            page[2],
            page[4]
        );
        db.cleanup().await;
    }
    Ok(())
}
