//! French HTML error pages for the page routes; JSON under `/api`.

use axum::http::StatusCode;

use crate::fixture::Api;
use crate::pages_support::{assert_layout, text, title};

#[tokio::test]
async fn unknown_pages_and_records_get_the_french_404_page() {
    let api = Api::new().await;
    for uri in [
        "/nope",
        "/formation/nope",
        "/offre/offer-platform-expired",
        "/entreprise/13002526500013",
        "/metier/A9999",
    ] {
        let (status, doc) = api.html(uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert_layout(&doc);
        assert_eq!(text(&doc, "h1"), "Page non trouvée", "{uri}");
        assert!(title(&doc).contains("Page non trouvée"));
    }
}

#[tokio::test]
async fn malformed_addresses_get_the_french_400_page() {
    let api = Api::new().await;
    for (uri, words) in [("/metier/pain", "code ROME"), ("/entreprise/123", "SIRET")] {
        let (status, doc) = api.html(uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(text(&doc, "h1"), "Adresse incorrecte");
        assert!(text(&doc, ".fr-text--lead").contains(words), "{uri}");
    }
}

#[tokio::test]
async fn api_paths_keep_json_errors() {
    let api = Api::empty().await;
    let (status, body) = api.get("/api/nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"], "not_found");
}
