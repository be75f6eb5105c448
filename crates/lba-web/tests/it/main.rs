//! HTTP tests through the whole router (no socket), on SQLite and, when
//! `LBA_TEST_PG_URL` is set, PostgreSQL.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers fail loudly"
)]

mod health;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use lba_store::testing::TestDb;
use tower::ServiceExt;

/// Sends a GET and returns the status, headers and JSON body.
pub async fn get_json(
    db: &TestDb,
    uri: &str,
) -> (StatusCode, axum::http::HeaderMap, serde_json::Value) {
    let app = lba_web::router(lba_web::AppState {
        store: db.store.clone(),
    });
    let response = app
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let json = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("{uri}: not JSON ({e}): {}", String::from_utf8_lossy(&bytes)));
    (status, headers, json)
}
