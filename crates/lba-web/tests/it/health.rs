use axum::http::StatusCode;
use lba_store::testing::TestDb;

use crate::{app, get_json, send};

#[tokio::test]
async fn healthz_reports_version_and_backend() {
    for db in TestDb::all().await {
        let (status, headers, body) = get_json(&db, "/healthz").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["status"], "ok");
        assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(body["database"], db.backend().as_str());
        assert!(headers.contains_key("x-request-id"), "{headers:?}");
        db.cleanup().await;
    }
}

#[tokio::test]
async fn healthz_is_503_when_the_database_is_gone() {
    let db = TestDb::sqlite().await;
    // The index is loaded at start-up, before the database goes away.
    let app = app(&db).await;
    db.store.close().await;
    let (status, _, body) = send(app, "/healthz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["error"], "unavailable");
    // No internals leak to the client.
    assert!(!body.to_string().contains("pool"), "{body}");
}

#[tokio::test]
async fn unknown_paths_get_a_french_json_404() {
    let db = TestDb::sqlite().await;
    let (status, _, body) = get_json(&db, "/api/nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"], "not_found");
    assert!(body["message"].as_str().unwrap().contains("page"));
}
