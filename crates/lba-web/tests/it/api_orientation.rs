//! `/api/v1/orientation`: métiers for centres of interest and a place, with
//! their reasons; every bad parameter a 400 naming it.

use crate::fixture::Api;

#[tokio::test]
async fn metiers_for_interests_near_lyon_with_their_reasons() {
    let api = Api::new().await;
    let body = api
        .ok("/api/v1/orientation?interets=1,14&latitude=45.764&longitude=4.8357&niveau=5")
        .await;
    assert_eq!(body["methode"], "avenir");
    assert_eq!(body["lieu"]["departement"], "69", "{body:#}");
    assert_eq!(body["lieu"]["region"], "84");
    let metiers = body["metiers"].as_array().unwrap();
    assert_eq!(metiers.len(), 10, "{body:#}");
    for m in metiers {
        let reasons = m["raisons"].as_array().unwrap();
        let interest = reasons.iter().find(|r| r["type"] == "interet").unwrap();
        assert!(
            [1, 14].contains(&interest["centre"].as_i64().unwrap()),
            "{m:#}"
        );
        assert!(m["opportunites"].is_object(), "{m:#}");
        let score = m["score"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&score), "{m:#}");
    }
    // The same by commune code; and the interests-only method gives no
    // tension reason.
    let by_insee = api
        .ok("/api/v1/orientation?interets=1,14&insee=69123&methode=interets")
        .await;
    assert_eq!(by_insee["methode"], "interets");
    assert_eq!(by_insee["lieu"]["departement"], "69", "{by_insee:#}");
    assert!(
        by_insee["metiers"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|m| m["raisons"].as_array().unwrap())
            .all(|r| r["type"] != "tension")
    );
    // No place: no place in the answer, no counts.
    let national = api.ok("/api/v1/orientation?interets=27").await;
    assert!(national["lieu"].is_null());
    assert!(
        national["metiers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["opportunites"].is_null())
    );
}

#[tokio::test]
async fn every_bad_parameter_is_named() {
    let api = Api::new().await;
    for (query, param) in [
        ("", "interets"),
        ("interets=", "interets"),
        ("interets=a,b", "interets"),
        ("interets=1,2,3,4,5,6", "interets"),
        ("interets=99", "interets"),
        ("interets=4,4", "interets"),
        ("interets=1&latitude=45.7", "longitude"),
        ("interets=1&latitude=95&longitude=4", "latitude"),
        ("interets=1&niveau=9", "niveau"),
        ("interets=1&niveau=CAP", "niveau"),
        ("interets=1&methode=hasard", "methode"),
        ("interets=1&insee=ABCDE", "insee"),
    ] {
        api.bad(&format!("/api/v1/orientation?{query}"), param)
            .await;
    }
}
