//! Latency of the pro space through the router (handlers, use cases,
//! storage, rendering; no network): the sign-in link request
//! (`POST /pro/connexion`, 1,000 requests for 1,000 accounts) and the
//! recruiter's dashboard (`GET /pro`) of a company with 200 offers and
//! 5,000 applications. SQLite, and PostgreSQL too when `LBA_TEST_PG_URL` is
//! set.
//!
//! `cargo run --release -p lba-web --example pro_latency`

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{TimeDelta, Utc};
use lba_app::lba_notify::LinkKey;
use lba_core::opportunity::{Offer, OfferStatus};
use lba_core::pro::Role;
use lba_store::Store;
use lba_store::applications::NewApplication;
use lba_store::pro::NewProCompany;
use lba_store::testing::TestDb;
use lba_store::testing::pro as testing;
use tower::ServiceExt;

type Error = Box<dyn std::error::Error>;

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

fn summary(name: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "  {name}: n={} p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        times.len(),
        percentile(&times, 0.5),
        percentile(&times, 0.9),
        percentile(&times, 0.99),
        percentile(&times, 1.0)
    );
}

fn offer(i: usize) -> Offer {
    Offer {
        title: format!("Apprenti boulanger {i}"),
        ..testing::offer(
            &format!("offre-{i:04}"),
            OfferStatus::Active,
            Utc::now(),
            Utc::now() + TimeDelta::days(60),
        )
    }
}

async fn setup(store: &Store) -> Result<(), Error> {
    let now = Utc::now().timestamp_millis();
    let company = NewProCompany {
        postal_code: None,
        commune_insee: None,
        naf_code: None,
        opco: None,
        decided_by: Some("auto".into()),
        decided_at: Some(now),
        ..testing::company("validated", now)
    };
    let recruiter = testing::recruiter("recruteur", "marie@boulangerie.fr", now);
    store.insert_pro_company(&company, &recruiter).await?;
    let pro = testing::pro_offer("recruteur");
    for i in 0..200 {
        store
            .insert_pro_offer(&offer(i), &pro, "marie@boulangerie.fr", now, &[], None)
            .await?;
    }
    for i in 0..5000 {
        let a = NewApplication {
            id: format!("candidature-{i:05}"),
            target_kind: "offer".into(),
            target_id: format!("offre-{:04}", i % 200),
            target_title: "Apprenti boulanger".into(),
            company_name: "BOULANGERIE DU PARC".into(),
            recruiter_email: "marie@boulangerie.fr".into(),
            first_name: "Léa".into(),
            last_name: "Martin".into(),
            email: format!("lea{i}@exemple.fr"),
            phone: "+33601020304".into(),
            message: None,
            cv_name: "cv.pdf".into(),
            cv_mime: "application/pdf".into(),
            cv_bytes: Vec::new(),
            caller: None,
            ip_hash: None,
            created_at: Utc::now(),
        };
        store.insert_application(&a, &[]).await?;
    }
    for i in 0..1000 {
        lba_app::pro::auth::create_account(
            store,
            &format!("compte{i}@exemple.fr"),
            Role::Opco,
            "",
            "",
            Some("OPCO EP"),
            "bench",
            Utc::now(),
        )
        .await?;
    }
    Ok(())
}

async fn run(db: &TestDb) -> Result<(), Error> {
    let store = &db.store;
    let started = Instant::now();
    setup(store).await?;
    println!(
        "  setup (200 offers, 5,000 applications, 1,000 accounts): {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let key = LinkKey::new(b"bench key");
    let router = lba_web::router(lba_web::AppState {
        store: store.clone(),
        search: lba_app::Search::load(store).await?,
        apply: lba_web::ApplyState::with_key(key.clone()),
        ops: lba_web::OpsState::default(),
    });
    // A session for the recruiter, through the real link.
    let now = Utc::now();
    let id = lba_app::pro::auth::request_link(store, "marie@boulangerie.fr", None, now)
        .await?
        .ok_or("no link")?;
    let path = lba_app::pro::auth::sign_in_path(&key, &id, now + TimeDelta::minutes(15));
    let response = router
        .clone()
        .oneshot(Request::get(&path).body(Body::empty())?)
        .await?;
    let cookie = response
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .ok_or("no session cookie")?
        .to_owned();

    let mut dashboard = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        let r = router
            .clone()
            .oneshot(
                Request::get("/pro")
                    .header(header::COOKIE, &cookie)
                    .body(Body::empty())?,
            )
            .await?;
        let status = r.status();
        let bytes = axum::body::to_bytes(r.into_body(), usize::MAX).await?;
        dashboard.push(t.elapsed());
        if status != StatusCode::OK || bytes.len() < 10_000 {
            return Err(format!("dashboard: {status}, {} bytes", bytes.len()).into());
        }
    }
    summary("GET /pro (200 offers, 5,000 applications)", dashboard);

    let mut links = Vec::new();
    for i in 0..1000 {
        let t = Instant::now();
        let r = router
            .clone()
            .oneshot(
                Request::post("/pro/connexion")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(format!("email=compte{i}%40exemple.fr")))?,
            )
            .await?;
        let status = r.status();
        let _ = axum::body::to_bytes(r.into_body(), usize::MAX).await?;
        links.push(t.elapsed());
        if status != StatusCode::OK {
            return Err(format!("link request: {status}").into());
        }
    }
    summary(
        "POST /pro/connexion (link stored and its email queued)",
        links,
    );
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    for db in TestDb::all().await {
        println!("{:?}", db.store.backend());
        run(&db).await?;
        db.cleanup().await;
    }
    Ok(())
}
