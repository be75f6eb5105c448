//! HTTP tests through the whole router (no socket), on SQLite and, when
//! `LBA_TEST_PG_URL` is set, PostgreSQL.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers fail loudly"
)]

mod api_application;
mod api_companies_import;
mod api_docs;
mod api_formations;
mod api_imported_offers;
mod api_jobs;
mod api_metiers;
mod api_orientation;
mod api_validation;
mod campaign_routes;
mod cfa_contact;
mod cv_files;
mod fixture;
mod fuzz;
mod health;
mod malformed;
mod map_layer;
mod operator_auth;
mod operator_campaigns;
mod operator_impact;
mod orientation_pages;
mod pages_apply;
mod pages_details;
mod pages_errors;
mod pages_home;
mod pages_model;
mod pages_results;
mod pages_support;
mod parcours;
mod pro_space;
mod pro_support;
mod security;
mod server_limits;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use lba_store::testing::TestDb;
use tower::ServiceExt;

/// The application over `db`, its search index loaded now.
pub async fn app(db: &TestDb) -> axum::Router {
    lba_web::router(lba_web::AppState {
        store: db.store.clone(),
        search: lba_app::Search::load(&db.store).await.unwrap(),
        apply: lba_web::ApplyState::with_key(lba_app::lba_notify::LinkKey::new(b"test key")),
        ops: lba_web::OpsState::default(),
    })
}

/// Sends a GET and returns the status, headers and JSON body.
pub async fn get_json(
    db: &TestDb,
    uri: &str,
) -> (StatusCode, axum::http::HeaderMap, serde_json::Value) {
    send(app(db).await, uri).await
}

/// Sends a GET to `app` and returns the status, headers and JSON body.
pub async fn send(
    app: axum::Router,
    uri: &str,
) -> (StatusCode, axum::http::HeaderMap, serde_json::Value) {
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
