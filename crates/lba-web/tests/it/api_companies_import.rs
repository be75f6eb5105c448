//! Companies imported from the real "companies likely to hire" sample file
//! are found by `/api/v1/jobs` at their commune.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use lba_store::testing::TestDb;
use tower::ServiceExt;

#[tokio::test]
async fn imported_companies_are_found_by_the_search_api() {
    let data = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"));
    let db = TestDb::sqlite().await;
    let dir = lba_data::DataDir::resolve(Some(data)).unwrap();
    lba_app::import_referentials(&db.store, &dir, &lba_app::NoProgress)
        .await
        .unwrap();
    let report = lba_app::companies::import(
        &db.store,
        &data.join("lba/recruteurs-lba.sample.json"),
        &lba_app::NoProgress,
    )
    .await
    .unwrap();
    assert_eq!(report.created, 2, "{report:?}");
    let router = lba_web::router(lba_web::AppState {
        store: db.store.clone(),
        search: lba_app::Search::load(&db.store).await.unwrap(),
        apply: crate::fixture::test_apply(),
        ops: lba_web::OpsState::default(),
    });
    let get = |uri: String| {
        let router = router.clone();
        async move {
            let response = router
                .oneshot(Request::get(&uri).body(Body::empty()).unwrap())
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{uri}");
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            serde_json::from_slice::<serde_json::Value>(&bytes).unwrap()
        }
    };
    // Liverdun's centre is about 48.75°N 6.06°E; Nancy is 12 km away.
    let body =
        get("/api/v1/jobs?romes=D1208&latitude=48.6921&longitude=6.1844&radius=20".into()).await;
    let results = body["lbaCompanies"]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{body:#}");
    let c = &results[0];
    assert_eq!(c["company"]["siret"], "80841382700011");
    assert_eq!(c["title"], "DRYSOFT");
    assert_eq!(c["company"]["size"], "1-2");
    assert_eq!(c["isDemo"], false);
    // Not found under another métier, nor at the placeholder point.
    let body =
        get("/api/v1/jobs?romes=M1607&latitude=48.6921&longitude=6.1844&radius=20".into()).await;
    assert_eq!(
        body["lbaCompanies"]["results"]
            .as_array()
            .map_or(0, Vec::len),
        0,
        "{body:#}"
    );
    let body =
        get("/api/v1/jobs?romes=D1208&latitude=49.9049&longitude=1.1052&radius=30".into()).await;
    assert_eq!(
        body["lbaCompanies"]["results"]
            .as_array()
            .map_or(0, Vec::len),
        0,
        "{body:#}"
    );
    db.cleanup().await;
}
