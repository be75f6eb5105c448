//! Wrong parameters: a 400 in the v1 shape naming each parameter at fault,
//! also for axum's own rejections; CORS.

use axum::http::StatusCode;

use crate::fixture::Api;

const LAT_LON: &str = "latitude=45.76&longitude=4.83";

#[tokio::test]
async fn every_wrong_parameter_is_named() {
    let api = Api::empty().await;
    let codes21: Vec<String> = (1..=21).map(|i| format!("A{:04}", 1100 + i)).collect();
    let codes21 = codes21.join(",");
    let cases: Vec<(String, &str)> = vec![
        ("romes=XYZ".into(), "romes"),
        ("romes=F16031".into(), "romes"),
        ("romes=D1102,Z1234".into(), "romes"),
        (format!("romes={codes21}"), "romes"),
        ("romes=,".into(), "romes"),
        ("romes=D1102&romeDomain=D".into(), "romeDomain"),
        ("".into(), "romes"),
        ("caller=x".into(), "romeDomain"),
        ("romeDomain=Z".into(), "romeDomain"),
        ("romeDomain=D1".into(), "romeDomain"),
        ("romeDomain=D1102".into(), "romeDomain"),
        (format!("romes=D1102&{LAT_LON}&radius=abc"), "radius"),
        (format!("romes=D1102&{LAT_LON}&radius=201"), "radius"),
        (format!("romes=D1102&{LAT_LON}&radius=-1"), "radius"),
        (format!("romes=D1102&{LAT_LON}&radius=NaN"), "radius"),
        ("romes=D1102&latitude=45.76".into(), "longitude"),
        ("romes=D1102&longitude=4.83".into(), "latitude"),
        ("romes=D1102&latitude=91&longitude=4.83".into(), "latitude"),
        ("romes=D1102&latitude=abc&longitude=4.83".into(), "latitude"),
        ("romes=D1102&latitude=45&longitude=181".into(), "longitude"),
        ("romes=D1102&latitude=45&longitude=inf".into(), "longitude"),
        ("romes=D1102&diploma=9".into(), "diploma"),
        ("romes=D1102&diploma=Licence".into(), "diploma"),
        ("romes=D1102&diploma=2%20(CAP...)".into(), "diploma"),
        ("romes=D1102&insee=ABCDE".into(), "insee"),
        ("romes=D1102&insee=99999".into(), "insee"),
        // Well-formed but unknown (here: no referential at all).
        ("romes=D1102&insee=69123".into(), "insee"),
    ];
    for (query, param) in &cases {
        for route in ["formations", "jobs", "jobsEtFormations"] {
            api.bad(&format!("/api/v1/{route}?{query}"), param).await;
        }
    }
    for route in ["jobs", "jobsEtFormations"] {
        api.bad(
            &format!("/api/v1/{route}?romes=D1102&sources=foo"),
            "sources",
        )
        .await;
        api.bad(
            &format!("/api/v1/{route}?romes=D1102&sources=matcha,,bar"),
            "sources",
        )
        .await;
        api.bad(&format!("/api/v1/{route}?romes=D1102&rncp=RNCP1"), "rncp")
            .await;
    }

    // All the problems at once.
    let messages = api
        .bad("/api/v1/jobs?romes=XX&radius=999&latitude=1", "romes")
        .await;
    assert_eq!(messages.len(), 3, "{messages:?}");
    for param in ["romes", "radius", "longitude"] {
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with(&format!("{param} : "))),
            "{messages:?}"
        );
    }
    // In French.
    let messages = api
        .bad("/api/v1/formations?romes=D1102&radius=x", "radius")
        .await;
    assert!(messages[0].contains("rayon"), "{messages:?}");
    let messages = api
        .bad(&format!("/api/v1/formations?romes={codes21}"), "romes")
        .await;
    assert!(messages[0].contains("20"), "{messages:?}");
}

#[tokio::test]
async fn valid_parameters_and_unknown_ones_pass() {
    let api = Api::empty().await;
    for query in [
        "romes=D1102",
        "romes=d1102,%20F1603",
        "romes=D1102&unknown=whatever&caller=me&options=with_description",
        "romeDomain=F",
        "romeDomain=I13",
        "romes=D1102&latitude=45.76&longitude=4.83&radius=0",
        "romes=D1102&latitude=45.76&longitude=4.83&radius=200",
        "romes=D1102&latitude=45.76&longitude=4.83&radius=12.5",
        "romes=D1102&latitude=&longitude=&radius=",
        "romes=D1102&diploma=INDIFFERENT",
        "romes=D1102&diploma=3%20(CAP...)",
        "romes=D1102&diploma=4%20(BAC...)",
        "romes=D1102&diploma=5%20(BTS,%20DEUST...)",
        "romes=D1102&diploma=6%20(Licence,%20BUT...)",
        "romes=D1102&diploma=7%20(Master,%20titre%20ing%C3%A9nieur...)",
        "romes=D1102&diploma=7",
    ] {
        for route in ["formations", "jobs", "jobsEtFormations"] {
            api.ok(&format!("/api/v1/{route}?{query}")).await;
        }
    }
    api.ok("/api/v1/jobs?romes=D1102&sources=formation,matcha,lba,lbb,offres,peJob,partnerJob")
        .await;
}

#[tokio::test]
async fn axum_rejections_are_json_400s() {
    let api = Api::empty().await;
    // A repeated parameter cannot fill a single value.
    api.bad("/api/v1/formations?romes=D1102&romes=F1603", "query")
        .await;
    api.bad("/api/v1/jobs?romes=D1102&radius=1&radius=2", "query")
        .await;
    // A path that is not UTF-8 once decoded.
    for path in [
        "/api/v1/jobs/company/%FF",
        "/api/v1/jobs/matcha/%C3%28",
        "/api/v1/formations/formation/%FF",
    ] {
        api.bad(path, "path").await;
    }
    // Unknown API paths: JSON 404.
    let (status, body) = api.get("/api/v1/nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"], "not_found");
}

#[tokio::test]
async fn cors_is_open_for_reading() {
    let api = Api::empty().await;
    let (status, headers, _) = api
        .raw("/api/v1/metiers/all", &[("origin", "https://example.org")])
        .await;
    assert_eq!(status, StatusCode::OK);
    // Reads are open to every origin (echoed, since the POST routes are
    // not: see `security::cors_is_open_for_reading_and_closed_for_posting…`).
    assert_eq!(
        headers["access-control-allow-origin"],
        "https://example.org"
    );
    let (_, headers, _) = api
        .raw(
            "/api/v1/jobs?romes=XX",
            &[("origin", "https://example.org")],
        )
        .await;
    assert_eq!(
        headers["access-control-allow-origin"], "https://example.org",
        "errors too"
    );
    let (_, headers, _) = api
        .raw("/api/openapi.json", &[("origin", "https://example.org")])
        .await;
    assert_eq!(
        headers["access-control-allow-origin"],
        "https://example.org"
    );
}
