//! `/api/openapi.json` and `/api/docs`.

use axum::http::StatusCode;

use crate::fixture::Api;

const ROUTES: [&str; 14] = [
    "/api/v1/formations",
    "/api/v1/formations/formation/{id}",
    "/api/v1/formationsParRegion",
    "/api/v1/jobs",
    "/api/v1/jobsEtFormations",
    "/api/v1/jobs/company/{siret}",
    "/api/v1/jobs/matcha/{id}",
    "/api/v1/jobs/job/{id}",
    "/api/v1/jobs/partnerJob/{id}",
    "/api/v1/metiers",
    "/api/v1/metiers/all",
    "/api/v1/metiers/intitule",
    "/api/v1/places",
    "/api/v1/orientation",
];

#[tokio::test]
async fn the_openapi_document_lists_every_route() {
    let api = Api::empty().await;
    let doc = api.ok("/api/openapi.json").await;
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3."),
        "{doc:#}"
    );
    let paths = doc["paths"].as_object().unwrap();
    for route in ROUTES {
        assert!(paths[route]["get"].is_object(), "{route} missing");
        assert!(
            paths[route]["get"]["responses"]["200"].is_object(),
            "{route}"
        );
    }
    // The POST routes: applications and CFA contact requests.
    assert!(paths["/api/v1/application"]["post"]["responses"]["200"].is_object());
    for status in ["200", "400", "404", "409", "422", "429"] {
        assert!(
            paths["/api/v1/appointment-request"]["post"]["responses"][status].is_object(),
            "{status}"
        );
    }
    assert_eq!(paths.len(), ROUTES.len() + 2, "{:?}", paths.keys());
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for schema in [
        "Formation",
        "LbaJob",
        "PeJob",
        "PartnerJob",
        "LbaCompany",
        "MetierEnrichi",
        "LbacError",
        "OrientationResponse",
    ] {
        assert!(
            schemas.contains_key(schema),
            "{schema}: {:?}",
            schemas.keys()
        );
    }
    // Parameters are documented with their v1 names.
    let params: Vec<&str> = paths["/api/v1/jobs"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for name in [
        "romes",
        "rncp",
        "latitude",
        "longitude",
        "radius",
        "insee",
        "sources",
        "diploma",
        "caller",
    ] {
        assert!(params.contains(&name), "{name}: {params:?}");
    }
    insta::assert_json_snapshot!("openapi", doc);
}

#[tokio::test]
async fn the_docs_page_is_served_without_external_assets() {
    let api = Api::empty().await;
    let (status, headers, _) = api.raw("/api/docs", &[]).await;
    assert!(status.is_redirection(), "{status}");
    assert_eq!(headers["location"], "/api/docs/");

    let (status, headers, body) = api.raw("/api/docs/", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = String::from_utf8(body.to_vec()).unwrap();
    assert!(html.contains("<html"), "{html}");
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "{html}"
    );

    // Every asset the page loads is served here.
    for asset in [
        "swagger-ui.css",
        "swagger-ui-bundle.js",
        "swagger-initializer.js",
        "index.css",
    ] {
        assert!(html.contains(asset), "{asset}");
        let (status, _, _) = api.raw(&format!("/api/docs/{asset}"), &[]).await;
        assert_eq!(status, StatusCode::OK, "{asset}");
    }
    let (_, _, init) = api.raw("/api/docs/swagger-initializer.js", &[]).await;
    let init = String::from_utf8(init.to_vec()).unwrap();
    assert!(init.contains("/api/openapi.json"), "{init}");
    assert!(
        !init.contains("http://") && !init.contains("https://"),
        "{init}"
    );
}
