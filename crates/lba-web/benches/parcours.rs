//! In-process rendering of a learning-module situation page and an answer
//! POST (store + redirect) through the whole router, on a temporary SQLite
//! database, with the modules embedded from content/modules.
//! Run: `cargo bench -p lba-web --bench parcours`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "benchmark setup fails loudly"
)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use criterion::{Criterion, criterion_group, criterion_main};
use tower::ServiceExt;

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let modules = lba_app::learning::embedded_modules();
    let Some(module) = modules.get("contact-cfa").cloned() else {
        eprintln!("no contact-cfa module embedded: nothing to measure");
        return;
    };
    let start = module.start.clone();
    let answer = module.situation(&start).unwrap().answers[0].id.clone();
    let (db, router) = runtime.block_on(async {
        let db = lba_store::testing::TestDb::sqlite().await;
        let router = lba_web::router(lba_web::AppState {
            store: db.store.clone(),
            search: lba_app::Search::load(&db.store).await.unwrap(),
            apply: lba_web::ApplyState::with_key(lba_app::lba_notify::LinkKey::new(b"bench key")),
            ops: lba_web::OpsState {
                learning: modules.clone(),
                ..lba_web::OpsState::default()
            },
        });
        (db, router)
    });
    c.bench_function("parcours: situation page (new visitor)", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let response = router
                    .clone()
                    .oneshot(
                        Request::get("/parcours/contact-cfa")
                            .body(Body::empty())
                            .unwrap(),
                    )
                    .await
                    .unwrap();
                assert_eq!(response.status(), StatusCode::OK);
            });
        });
    });
    let token = "0123456789abcdef0123456789abcdef";
    let body = format!("csrf={token}&situation={start}&reponse={answer}");
    c.bench_function("parcours: answer POST, store and redirect (SQLite)", |b| {
        b.iter(|| {
            runtime.block_on(async {
                // A new visitor each time: starts an attempt and stores the answer.
                let response = router
                    .clone()
                    .oneshot(
                        Request::post("/parcours/contact-cfa/reponse")
                            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                            .header(header::COOKIE, format!("lba_csrf={token}"))
                            .body(Body::from(body.clone()))
                            .unwrap(),
                    )
                    .await
                    .unwrap();
                assert_eq!(response.status(), StatusCode::SEE_OTHER);
            });
        });
    });
    drop(db);
}

criterion_group!(benches, bench);
criterion_main!(benches);
