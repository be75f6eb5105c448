//! `/api/v1/jobs`, `/api/v1/jobsEtFormations` and the lookups by id.

use axum::http::StatusCode;
use serde_json::Value;

use crate::fixture::{Api, LYON, SIRET_LYON, SIRET_UNKNOWN, SIRET_VILLEURBANNE, distances, ids};

fn jobs(extra: &str) -> String {
    format!(
        "/api/v1/jobs?romes=D1102&latitude={}&longitude={}{extra}",
        LYON.0, LYON.1
    )
}

fn keys(body: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

#[tokio::test]
async fn jobs_are_split_by_origin_nearest_first() {
    let api = Api::new().await;
    let body = api.ok(&jobs("&radius=30")).await;
    assert_eq!(
        keys(&body),
        [
            "lbaCompanies",
            "lbbCompanies",
            "matchas",
            "partnerJobs",
            "peJobs"
        ]
    );
    assert!(body["lbbCompanies"].is_null());

    // Platform offers: the open one in Lyon (the expired one and Paris are out).
    let matchas = &body["matchas"];
    assert_eq!(ids(matchas), ["offer-platform-lyon"]);
    let m = &matchas["results"][0];
    assert_eq!(m["ideaType"], "matcha");
    assert_eq!(m["title"], "Boulanger (offer-platform-lyon)");
    assert!(m["job"]["creationDate"].is_string());
    assert!(m["job"]["jobExpirationDate"].is_string());
    assert_eq!(m["job"]["jobStartDate"], "2026-09-01");
    assert_eq!(m["job"]["contractType"], "Apprentissage");
    assert_eq!(m["job"]["type"], serde_json::json!(["Apprentissage"]));
    assert_eq!(m["job"]["dureeContrat"], "24");
    assert_eq!(m["job"]["status"], "Active");
    assert!(m["target_diploma_level"].is_null());
    assert_eq!(m["company"]["name"], "BOULANGERIE DU PARC");
    assert_eq!(m["company"]["siret"], SIRET_LYON);
    assert_eq!(m["company"]["size"], "10-19");
    assert_eq!(m["nafs"][0]["code"], "1071C");
    assert_eq!(m["romes"][0]["code"], "D1102");
    assert_eq!(m["place"]["city"], "Lyon");
    assert!(m["place"]["distance"].as_f64().unwrap() < 1.0);
    assert!(m["recipient_id"].is_string() && m["token"].is_string());
    assert_eq!(m["applicationCount"], 0);
    assert_eq!(m["isDemo"], false);

    // France Travail offers, nearest first.
    let pe = &body["peJobs"];
    assert_eq!(ids(pe), ["offer-ft-master", "offer-ft-villeurbanne"]);
    let d = distances(pe);
    assert!(d[0] <= d[1], "{d:?}");
    assert_eq!(pe["results"][0]["ideaType"], "peJob");
    assert_eq!(pe["results"][0]["url"], "https://example.org/apply");

    // Partner offers.
    let partner = &body["partnerJobs"];
    assert_eq!(ids(partner), ["offer-partner-lyon"]);
    assert_eq!(partner["results"][0]["ideaType"], "partnerJob");
    assert_eq!(
        partner["results"][0]["target_diploma_level"],
        "5 (BTS, DEUST...)"
    );

    // Companies, nearest first.
    let companies = &body["lbaCompanies"];
    assert_eq!(ids(companies), [SIRET_LYON, SIRET_VILLEURBANNE]);
    let d = distances(companies);
    assert!(d[0] < d[1], "{d:?}");
    let c = &companies["results"][0];
    assert_eq!(c["ideaType"], "lba");
    assert_eq!(c["title"], "BOULANGERIE DU PARC");
    assert_eq!(c["company"]["siret"], SIRET_LYON);
    assert_eq!(c["company"]["size"], "1-2");
    assert_eq!(c["contact"]["phone"], "0478000000");
    assert!(c["contact"]["email"].is_null());
    assert_eq!(c["acceptsApplications"], true);
    assert_eq!(c["isDemo"], false);

    // No email is ever published.
    assert!(!body.to_string().contains("contact@example.org"), "{body}");
}

#[tokio::test]
async fn sources_select_the_keys_computed() {
    let api = Api::new().await;
    let present = |body: &Value| -> Vec<String> {
        keys(body)
            .into_iter()
            .filter(|k| !body[*k].is_null())
            .map(str::to_owned)
            .collect()
    };
    for (sources, expected) in [
        ("matcha", vec!["matchas"]),
        ("lba", vec!["lbaCompanies"]),
        ("lbb", vec!["lbaCompanies"]),
        ("offres", vec!["peJobs"]),
        ("peJob,partnerJob", vec!["partnerJobs", "peJobs"]),
        ("formation", vec![]),
        (
            "matcha,lba,peJob,partnerJob",
            vec!["lbaCompanies", "matchas", "partnerJobs", "peJobs"],
        ),
    ] {
        let body = api.ok(&jobs(&format!("&sources={sources}"))).await;
        assert_eq!(present(&body), expected, "{sources}");
        assert_eq!(keys(&body).len(), 5, "every key is present: {sources}");
    }
    let body = api.ok(&jobs("&sources=matcha")).await;
    assert_eq!(ids(&body["matchas"]), ["offer-platform-lyon"]);
}

#[tokio::test]
async fn diploma_insee_rncp_and_demo_data() {
    let api = Api::new().await;
    // Level 3: offers of level 3 or without a level.
    let body = api.ok(&jobs("&diploma=3%20(CAP...)")).await;
    assert_eq!(ids(&body["peJobs"]), ["offer-ft-villeurbanne"]);
    assert_eq!(ids(&body["matchas"]), ["offer-platform-lyon"]);
    assert_eq!(ids(&body["partnerJobs"]), Vec::<String>::new());

    // The centre from an INSEE code.
    let body = api.ok("/api/v1/jobs?romes=D1102&insee=69123").await;
    assert_eq!(ids(&body["matchas"]), ["offer-platform-lyon"]);
    assert!(body["matchas"]["results"][0]["place"]["distance"].is_f64());

    // An RNCP code: the métiers of its courses.
    let body = api
        .ok(&format!(
            "/api/v1/jobs?rncp=RNCP35316&latitude={}&longitude={}",
            LYON.0, LYON.1
        ))
        .await;
    assert_eq!(ids(&body["matchas"]), ["offer-platform-lyon"]);
    api.bad("/api/v1/jobs?rncp=RNCP1", "rncp").await;
    api.bad("/api/v1/jobs?rncp=nope", "rncp").await;

    // Paris: demo data, labelled.
    let body = api
        .ok("/api/v1/jobs?romes=D1102&latitude=48.8566&longitude=2.3522&radius=10")
        .await;
    assert_eq!(ids(&body["matchas"]), ["offer-platform-paris"]);
    assert_eq!(body["matchas"]["results"][0]["isDemo"], true);
    assert_eq!(body["lbaCompanies"]["results"][0]["isDemo"], true);
}

#[tokio::test]
async fn jobs_et_formations_returns_both() {
    let api = Api::new().await;
    let url = format!(
        "/api/v1/jobsEtFormations?romes=D1102&latitude={}&longitude={}",
        LYON.0, LYON.1
    );
    let body = api.ok(&url).await;
    assert_eq!(keys(&body), ["formations", "jobs"]);
    assert_eq!(
        ids(&body["formations"]),
        ["form-lyon-bts", "form-villeurbanne-cap"]
    );
    assert_eq!(ids(&body["jobs"]["matchas"]), ["offer-platform-lyon"]);
    assert_eq!(keys(&body["jobs"]).len(), 5);

    let body = api.ok(&format!("{url}&sources=formation")).await;
    assert!(body["jobs"].is_null());
    assert_eq!(ids(&body["formations"]).len(), 2);

    let body = api.ok(&format!("{url}&sources=matcha")).await;
    assert!(body["formations"].is_null());
    assert!(body["jobs"]["peJobs"].is_null());
    assert_eq!(ids(&body["jobs"]["matchas"]), ["offer-platform-lyon"]);

    // Errors as for /jobs.
    api.bad("/api/v1/jobsEtFormations?romes=XX", "romes").await;
}

#[tokio::test]
async fn lookups_by_id() {
    let api = Api::new().await;
    let body = api.ok(&format!("/api/v1/jobs/company/{SIRET_LYON}")).await;
    assert_eq!(keys(&body), ["lbaCompanies"]);
    let c = &body["lbaCompanies"][0];
    assert_eq!(c["id"], SIRET_LYON);
    assert!(c["place"]["distance"].is_null());
    // Spaces are accepted, as in SIRETs written by hand.
    api.ok("/api/v1/jobs/company/512%20345%20678%2000001").await;
    api.bad("/api/v1/jobs/company/123", "siret").await;
    api.bad("/api/v1/jobs/company/51234567800002", "siret")
        .await;
    api.error(
        &format!("/api/v1/jobs/company/{SIRET_UNKNOWN}"),
        StatusCode::NOT_FOUND,
    )
    .await;

    let body = api.ok("/api/v1/jobs/matcha/offer-platform-lyon").await;
    assert_eq!(keys(&body), ["matchas"]);
    assert_eq!(body["matchas"][0]["id"], "offer-platform-lyon");
    for missing in ["offer-platform-expired", "offer-ft-villeurbanne", "nope"] {
        api.error(
            &format!("/api/v1/jobs/matcha/{missing}"),
            StatusCode::NOT_FOUND,
        )
        .await;
    }

    let body = api.ok("/api/v1/jobs/job/offer-ft-villeurbanne").await;
    assert_eq!(body["peJobs"][0]["id"], "offer-ft-villeurbanne");
    api.error(
        "/api/v1/jobs/job/offer-platform-lyon",
        StatusCode::NOT_FOUND,
    )
    .await;
    let body = api.ok("/api/v1/jobs/partnerJob/offer-partner-lyon").await;
    assert_eq!(body["partnerJobs"][0]["id"], "offer-partner-lyon");
}

#[tokio::test]
async fn contract_type_and_company_sort_extensions() {
    let api = Api::new().await;
    let body = api.ok(&jobs("&contractType=apprentissage")).await;
    assert_eq!(ids(&body["matchas"]), ["offer-platform-lyon"]);
    let body = api.ok(&jobs("&contractType=professionnalisation")).await;
    assert!(
        body["matchas"]["results"].as_array().unwrap().is_empty(),
        "{body}"
    );
    let body = api.ok(&jobs("&companySort=score&radius=30")).await;
    let names: Vec<&str> = body["lbaCompanies"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["company"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["BOULANGERIE DU PARC", "PAINS DE VILLEURBANNE"]);
    api.bad(&jobs("&contractType=cdi"), "contractType").await;
    api.bad(&jobs("&companySort=random"), "companySort").await;
}
