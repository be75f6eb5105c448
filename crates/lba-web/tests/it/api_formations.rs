//! `/api/v1/formations`, `/api/v1/formations/formation/{id}`,
//! `/api/v1/formationsParRegion`.

use axum::http::StatusCode;
use serde_json::Value;

use crate::fixture::{Api, LYON, distances, ids};

fn around_lyon(extra: &str) -> String {
    format!(
        "/api/v1/formations?latitude={}&longitude={}{extra}",
        LYON.0, LYON.1
    )
}

#[tokio::test]
async fn formations_nearest_first_in_the_v1_shape() {
    let api = Api::new().await;
    let body = api
        .ok(&around_lyon("&romes=D1102&radius=30&caller=test"))
        .await;
    assert_eq!(body.as_object().unwrap().len(), 1, "only results: {body:#}");
    assert_eq!(ids(&body), ["form-lyon-bts", "form-villeurbanne-cap"]);
    let d = distances(&body);
    assert!(d[0] < 0.5 && d[0] < d[1] && d[1] < 6.0, "{d:?}");

    let f = &body["results"][0];
    assert_eq!(f["ideaType"], "formation");
    assert_eq!(f["title"], "BTS Boulangerie Lyon");
    assert_eq!(f["longTitle"], "BTS Boulangerie Lyon");
    assert_eq!(f["cleMinistereEducatif"], "form-lyon-bts");
    assert_eq!(f["target_diploma_level"], "5 (BTS, DEUST...)");
    assert_eq!(f["rncpCode"], "RNCP35316");
    assert_eq!(f["capacity"], "12");
    assert_eq!(f["romes"][0]["code"], "D1102");
    assert!(f["romes"][0]["label"].is_null());
    let place = &f["place"];
    assert_eq!(place["city"], "Lyon");
    assert_eq!(place["zipCode"], "69001");
    assert_eq!(place["insee"], "69381");
    assert_eq!(place["departementNumber"], "69");
    assert_eq!(place["region"], "84");
    assert_eq!(place["fullAddress"], "1 rue de la République 69001 Lyon");
    assert!(place["latitude"].is_f64() && place["longitude"].is_f64());
    assert_eq!(place["remoteOnly"], false);
    assert_eq!(f["company"]["name"], "CFA DES MÉTIERS");
    assert!(f["company"]["siret"].is_string());
    assert_eq!(f["contact"]["phone"], "0472000000");
    assert!(f["contact"]["email"].is_null(), "emails are not published");
    assert_eq!(f["training"]["sessions"][0]["startDate"], "2026-09-01");
    assert_eq!(f["training"]["sessions"][0]["isPermanentEntry"], false);
    assert_eq!(f["isDemo"], false);
    assert_eq!(f["outsideRadius"], false);
    assert_eq!(f["durationMonths"], 24);
    assert!(!body.to_string().contains("cfa@example.org"));

    // Without a centre: France-wide, by title, no distance.
    let body = api.ok("/api/v1/formations?romes=D1102").await;
    assert_eq!(
        ids(&body),
        ["form-lyon-bts", "form-paris-cap", "form-villeurbanne-cap"]
    );
    assert!(body["results"][1]["place"]["distance"].is_null());
    assert_eq!(body["results"][1]["isDemo"], true, "demo data is labelled");

    // A domain instead of codes.
    for domain in ["D", "D11", "d11"] {
        let body = api.ok(&around_lyon(&format!("&romeDomain={domain}"))).await;
        assert_eq!(
            ids(&body),
            ["form-lyon-bts", "form-villeurbanne-cap"],
            "{domain}"
        );
    }

    // The centre from an INSEE code (Lyon).
    let body = api
        .ok("/api/v1/formations?romes=D1102&insee=69123&radius=10")
        .await;
    assert_eq!(ids(&body), ["form-lyon-bts", "form-villeurbanne-cap"]);
    // Lyon's centre is the centroid of its arrondissements.
    assert!(distances(&body)[0] < 3.0, "{body:#}");

    // A smaller radius keeps the nearest.
    let body = api.ok(&around_lyon("&romes=D1102&radius=1")).await;
    assert_eq!(ids(&body), ["form-lyon-bts"]);
}

#[tokio::test]
async fn the_diploma_filter_accepts_v1_labels_and_numbers() {
    let api = Api::new().await;
    for (diploma, expected) in [
        ("3%20(CAP...)", vec!["form-villeurbanne-cap"]),
        ("3", vec!["form-villeurbanne-cap"]),
        ("5%20(BTS,%20DEUST...)", vec!["form-lyon-bts"]),
        ("5", vec!["form-lyon-bts"]),
        ("Niveau%205", vec!["form-lyon-bts"]),
        (
            "INDIFFERENT",
            vec!["form-lyon-bts", "form-villeurbanne-cap"],
        ),
        ("7%20(Master,%20titre%20ing%C3%A9nieur...)", vec![]),
    ] {
        let body = api
            .ok(&around_lyon(&format!("&romes=D1102&diploma={diploma}")))
            .await;
        assert_eq!(ids(&body), expected, "{diploma}");
    }
    for label in ["4%20(BAC...)", "6%20(Licence,%20BUT...)"] {
        api.ok(&around_lyon(&format!("&romes=D1102&diploma={label}")))
            .await;
    }
}

#[tokio::test]
async fn courses_outside_the_radius_come_back_flagged_when_none_is_inside() {
    let api = Api::new().await;
    let body = api.ok(&around_lyon("&romes=M1805&radius=10")).await;
    assert_eq!(ids(&body), ["form-st-etienne-info"]);
    let f = &body["results"][0];
    assert_eq!(f["outsideRadius"], true);
    let d = f["place"]["distance"].as_f64().unwrap();
    assert!(d > 10.0 && d < 60.0, "{d}");

    // Inside the radius: not flagged.
    let body = api.ok(&around_lyon("&romes=M1805&radius=100")).await;
    assert_eq!(body["results"][0]["outsideRadius"], false);

    // Nothing anywhere: an empty list.
    let body = api.ok(&around_lyon("&romes=A1101")).await;
    assert_eq!(body, serde_json::json!({"results": []}));
}

#[tokio::test]
async fn one_formation_by_id_or_a_404() {
    let api = Api::new().await;
    let body = api.ok("/api/v1/formations/formation/form-paris-cap").await;
    assert_eq!(ids(&body), ["form-paris-cap"]);
    let f = &body["results"][0];
    assert_eq!(f["isDemo"], true);
    assert!(f["place"]["distance"].is_null());
    assert_eq!(f["place"]["departementNumber"], "75");
    assert_eq!(f["place"]["region"], "11");

    let messages = api
        .error("/api/v1/formations/formation/nope", StatusCode::NOT_FOUND)
        .await;
    assert!(messages[0].starts_with("id : "), "{messages:?}");
}

#[tokio::test]
async fn formations_par_region_filters_by_region_or_departement() {
    let api = Api::new().await;
    let get = |q: &'static str| {
        let api = &api;
        async move { ids(&api.ok(&format!("/api/v1/formationsParRegion?{q}")).await) }
    };
    assert_eq!(
        get("region=84&romes=D1102").await,
        ["form-lyon-bts", "form-villeurbanne-cap"]
    );
    assert_eq!(get("region=11&romes=D1102").await, ["form-paris-cap"]);
    assert_eq!(get("region=11&romeDomain=G").await, Vec::<String>::new());
    // With an area, the métier is optional.
    assert_eq!(get("departement=42").await, ["form-st-etienne-info"]);
    assert_eq!(get("departement=69&diploma=4").await, ["form-lyon-cuisine"]);
    assert_eq!(
        get("departement=69").await,
        [
            "form-lyon-bts",
            "form-lyon-cuisine",
            "form-villeurbanne-cap"
        ]
    );
    // France-wide needs a métier.
    assert_eq!(
        get("romes=D1102").await,
        ["form-lyon-bts", "form-paris-cap", "form-villeurbanne-cap"]
    );
    let body: Value = api
        .ok("/api/v1/formationsParRegion?region=84&romes=D1102")
        .await;
    assert!(body["results"][0]["place"]["distance"].is_null());

    api.bad("/api/v1/formationsParRegion", "romes").await;
    api.bad(
        "/api/v1/formationsParRegion?region=99&romes=D1102",
        "region",
    )
    .await;
    api.bad("/api/v1/formationsParRegion?departement=00", "departement")
        .await;
    api.bad(
        "/api/v1/formationsParRegion?region=84&departement=69",
        "region",
    )
    .await;
    api.bad("/api/v1/formationsParRegion?region=84&romes=XX", "romes")
        .await;
}
