//! Security headers on every kind of response, the CORS policy of the API,
//! and French errors for the requests axum refuses before any handler.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use lba_store::testing::TestDb;
use tower::ServiceExt;

async fn router(db: &TestDb, policy: &lba_web::HttpPolicy) -> Router {
    lba_web::router_with(
        lba_web::AppState {
            store: db.store.clone(),
            search: lba_app::Search::load(&db.store).await.unwrap(),
            apply: lba_web::ApplyState::with_key(lba_app::lba_notify::LinkKey::new(b"test key")),
            ops: lba_web::OpsState::default(),
        },
        policy,
    )
}

async fn call(app: &Router, request: Request<Body>) -> (StatusCode, HeaderMap, String) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

#[tokio::test]
async fn every_kind_of_response_carries_the_security_headers() {
    let db = TestDb::sqlite().await;
    let app = router(&db, &lba_web::HttpPolicy::default()).await;
    for uri in [
        "/",
        "/healthz",
        "/api/v1/metiers?title=boulanger",
        "/api/docs/",
        "/assets/app/app.css",
        "/page-qui-n-existe-pas",
        "/api/nope",
        "/formation/%FF",
        "/pro/connexion",
    ] {
        let (_, headers, _) = call(&app, get(uri)).await;
        let expected = if uri.starts_with("/api/docs/") {
            lba_web::DOCS_CONTENT_SECURITY_POLICY
        } else {
            lba_web::CONTENT_SECURITY_POLICY
        };
        assert_eq!(headers[header::CONTENT_SECURITY_POLICY], expected, "{uri}");
        let csp = lba_web::CONTENT_SECURITY_POLICY;
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"));
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{uri}");
        assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY", "{uri}");
        assert_eq!(
            headers[header::REFERRER_POLICY],
            "strict-origin-when-cross-origin",
            "{uri}"
        );
        // Plain http here: no HSTS.
        assert!(
            !headers.contains_key(header::STRICT_TRANSPORT_SECURITY),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn hsts_is_sent_when_the_public_url_is_https() {
    let db = TestDb::sqlite().await;
    let app = router(
        &db,
        &lba_web::HttpPolicy::new("https://labonnealternance.example.fr", vec![]),
    )
    .await;
    let (_, headers, _) = call(&app, get("/")).await;
    assert_eq!(
        headers[header::STRICT_TRANSPORT_SECURITY],
        "max-age=31536000; includeSubDomains"
    );
}

fn preflight(method: &str, origin: &str) -> Request<Body> {
    Request::builder()
        .method(Method::OPTIONS)
        .uri("/api/v1/application")
        .header(header::ORIGIN, origin)
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, method)
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn cors_is_open_for_reading_and_closed_for_posting_except_partners() {
    let db = TestDb::sqlite().await;
    let app = router(
        &db,
        &lba_web::HttpPolicy::new(
            "http://127.0.0.1:8080",
            vec!["https://partenaire.example.fr".into()],
        ),
    )
    .await;
    // Any site may read.
    let request = Request::get("/api/v1/metiers?title=boulanger")
        .header(header::ORIGIN, "https://nimporte.example.com")
        .body(Body::empty())
        .unwrap();
    let (status, headers, _) = call(&app, request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "https://nimporte.example.com"
    );
    // No other site may post an application from a browser.
    let (_, headers, _) = call(&app, preflight("POST", "https://nimporte.example.com")).await;
    assert!(
        !headers.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN),
        "{headers:?}"
    );
    // The partner of the allow-list may.
    let (_, headers, _) = call(&app, preflight("POST", "https://partenaire.example.fr")).await;
    assert_eq!(
        headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "https://partenaire.example.fr"
    );
    // A GET preflight stays open.
    let (_, headers, _) = call(&app, preflight("GET", "https://nimporte.example.com")).await;
    assert!(headers.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN));
}

#[tokio::test]
async fn extractor_rejections_are_french_pages_or_v1_json() {
    let db = TestDb::sqlite().await;
    let app = router(&db, &lba_web::HttpPolicy::default()).await;

    // A page with invalid UTF-8 in the path.
    let (status, headers, body) = call(&app, get("/formation/%FF")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        body.contains("id : caractères invalides dans l&#39;adresse"),
        "{body}"
    );
    assert!(!body.contains("Invalid"), "{body}");

    // A signed page without its parameters.
    let (status, headers, body) = call(&app, get("/candidature/envoyee?ref=x")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(body.contains("exp : paramètre manquant"), "{body}");
    assert!(!body.contains("Failed to deserialize"), "{body}");

    // Wrong method on a page.
    let request = Request::builder()
        .method(Method::DELETE)
        .uri("/")
        .body(Body::empty())
        .unwrap();
    let (status, headers, body) = call(&app, request).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(headers.contains_key(header::ALLOW));
    assert!(body.contains("Méthode non autorisée"), "{body}");

    // An API body over the limit: JSON in the v1 shape, not plain text.
    let big = vec![b'a'; 40 * 1024 * 1024];
    let request = Request::post("/api/v1/application")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(big))
        .unwrap();
    let (status, headers, body) = call(&app, request).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["error"], "payload_too_large");
    assert!(
        json["error_messages"][0]
            .as_str()
            .unwrap()
            .contains("trop volumineux"),
        "{json}"
    );

    // An API body of the wrong type.
    let request = Request::post("/api/v1/application")
        .header(header::CONTENT_TYPE, "text/csv")
        .body(Body::from("a,b"))
        .unwrap();
    let (status, headers, body) = call(&app, request).await;
    assert!(status.is_client_error(), "{status}");
    assert_eq!(headers[header::CONTENT_TYPE], "application/json", "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(json["error_messages"][0].is_string(), "{json}");
    assert!(!body.contains("Expected request"), "{body}");
}
