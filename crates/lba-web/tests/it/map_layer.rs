//! The offline base layer of the results map: the outlines served from the
//! data directory (gzip when accepted), the results page pointing at them
//! with the searched place and radius.

use axum::http::StatusCode;

use crate::fixture::Api;
use crate::pages_support::attr;

async fn api_with_outlines() -> Api {
    let dir = lba_data::DataDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"));
    let outlines = lba_app::map::MapOutlines::load(&dir).unwrap();
    Api::with_ops(
        lba_web::OpsState {
            map_outlines: Some(std::sync::Arc::new(outlines)),
            ..lba_web::OpsState::default()
        },
        async |_| {},
    )
    .await
}

#[tokio::test]
async fn the_outlines_are_served_gzip_when_accepted_and_cached() {
    let api = api_with_outlines().await;
    let (status, headers, plain) = api.raw("/assets/geo/departements.geojson", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "application/geo+json");
    assert!(headers.get("content-encoding").is_none());
    assert_eq!(headers["cache-control"], "public, max-age=86400");
    let geo: serde_json::Value = serde_json::from_slice(&plain).unwrap();
    assert_eq!(geo["features"].as_array().unwrap().len(), 96);

    let (status, headers, zipped) = api
        .raw(
            "/assets/geo/regions.geojson",
            &[("accept-encoding", "br;q=1, gzip;q=0.8")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-encoding"], "gzip");
    assert_eq!(headers["vary"], "accept-encoding");
    let mut json = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&zipped[..]), &mut json).unwrap();
    let regions: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(regions["features"].as_array().unwrap().len(), 13);

    // gzip refused by q=0: the plain file.
    let (_, headers, _) = api
        .raw(
            "/assets/geo/regions.geojson",
            &[("accept-encoding", "gzip;q=0")],
        )
        .await;
    assert!(headers.get("content-encoding").is_none());
    let (status, _, _) = api.raw("/assets/geo/communes.geojson", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn without_outlines_the_layer_is_a_404_and_the_results_page_still_points_at_it() {
    let api = Api::new().await;
    let (status, _, _) = api.raw("/assets/geo/departements.geojson", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, doc) = api
        .html("/recherche?metier=boulanger&lieu=Lyon&radius=20")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        attr(&doc, "#carte", "data-outlines"),
        "/assets/geo/departements.geojson"
    );
    assert_eq!(attr(&doc, "#carte", "data-radius-km"), "20");
    let center = attr(&doc, "#carte", "data-center");
    let (lat, lon) = center.split_once(',').unwrap();
    assert!(
        (lat.parse::<f64>().unwrap() - 45.76).abs() < 0.1,
        "{center}"
    );
    assert!((lon.parse::<f64>().unwrap() - 4.84).abs() < 0.1, "{center}");
}
