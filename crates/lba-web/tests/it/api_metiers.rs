//! `/api/v1/metiers*` and `/api/v1/places`, on the real referentials.

use crate::fixture::Api;

#[tokio::test]
async fn metiers_places_and_their_errors() {
    let api = Api::new().await;

    let body = api.ok("/api/v1/metiers?title=boulangerie").await;
    let hits = body["labelsAndRomes"].as_array().unwrap();
    assert!(!hits.is_empty() && hits.len() <= 20, "{body:#}");
    for hit in hits {
        assert!(hit["label"].is_string(), "{hit}");
        assert!(
            hit["romes"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r.is_string())
        );
        assert!(hit["rncps"].is_null() || hit["rncps"].is_array());
        assert!(["job", "formation"].contains(&hit["type"].as_str().unwrap()));
        assert!(hit["source"].is_string());
    }
    assert!(
        hits.iter()
            .any(|h| h["romes"].as_array().unwrap().iter().any(|r| r == "D1102")),
        "{body:#}"
    );
    // Filter by ROME code.
    let body = api
        .ok("/api/v1/metiers?title=boulangerie&romes=D1102")
        .await;
    let hits = body["labelsAndRomes"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(
        hits.iter()
            .all(|h| h["romes"].as_array().unwrap().iter().any(|r| r == "D1102"))
    );
    api.bad("/api/v1/metiers", "title").await;
    api.bad("/api/v1/metiers?title=%20", "title").await;
    api.bad("/api/v1/metiers?title=pain&romes=nope", "romes")
        .await;

    let body = api.ok("/api/v1/metiers/all").await;
    let all: Vec<&str> = body["metiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    assert!(all.len() > 10, "{all:?}");
    assert!(all.is_sorted(), "{all:?}");

    let body = api.ok("/api/v1/metiers/intitule?label=boulanger").await;
    let couples = body["coupleAppellationRomeMetier"].as_array().unwrap();
    assert!(!couples.is_empty(), "{body:#}");
    for c in couples {
        assert!(c["intitule"].is_string() && c["appellation"].is_string());
        assert!(c["code_rome"].as_str().unwrap().len() == 5, "{c}");
    }
    assert!(
        couples.iter().any(|c| c["code_rome"] == "D1102"),
        "{body:#}"
    );
    api.bad("/api/v1/metiers/intitule", "label").await;

    let body = api.ok("/api/v1/places?q=lyon").await;
    let places = body["places"].as_array().unwrap();
    assert!(!places.is_empty() && places.len() <= 10);
    let lyon = &places[0];
    assert_eq!(lyon["name"], "Lyon", "{body:#}");
    assert_eq!(lyon["departement"], "69");
    assert_eq!(lyon["departementName"], "Rhône");
    assert!(lyon["insee"].is_string() && lyon["postalCode"].is_string());
    assert!(lyon["latitude"].is_f64() && lyon["longitude"].is_f64());
    assert!(lyon["population"].as_i64().unwrap() > 400_000);
    let body = api.ok("/api/v1/places?q=lyon&limit=2").await;
    assert!(body["places"].as_array().unwrap().len() <= 2);
    api.bad("/api/v1/places", "q").await;
    api.bad("/api/v1/places?q=lyon&limit=0", "limit").await;
    api.bad("/api/v1/places?q=lyon&limit=abc", "limit").await;
}
