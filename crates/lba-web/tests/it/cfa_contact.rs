//! Contacting a CFA (issue 17) through the router: the form on the course
//! page (errors next to the fields, the 4-day rule), the JSON API with the
//! same answers, the CFA's answer page behind its signed link (CSRF,
//! tampered link, answered once), and the operators' follow-up.

use axum::http::StatusCode;
use chrono::{TimeDelta, Utc};
use lba_app::lba_notify::LinkKey;
use lba_app::lba_notify::links;
use serde_json::json;

use crate::fixture::Api;
use crate::parcours::Browser;

const COURSE: &str = "form-lyon-bts";

fn form(email: &str) -> Vec<(&'static str, String)> {
    vec![
        ("type", "jeune".into()),
        ("firstname", "Léa".into()),
        ("lastname", "Martin".into()),
        ("email", email.into()),
        ("phone", "06 12 34 56 78".into()),
        ("reasons", "places".into()),
        ("reasons", "inscription".into()),
        ("message", "Reste-t-il des places ?".into()),
        ("consent", "on".into()),
    ]
}

async fn post(
    browser: &mut Browser,
    uri: &str,
    fields: &[(&'static str, String)],
) -> crate::parcours::Page {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    browser.post(uri, &pairs).await
}

async fn api() -> Api {
    Api::with_ops(
        lba_web::OpsState {
            ..lba_web::OpsState::default()
        },
        async |_| {},
    )
    .await
}

#[tokio::test]
async fn the_course_page_form_sends_a_request_and_refuses_a_second_within_four_days() {
    let api = api().await;
    let mut browser = Browser::new(api.router());
    let page = browser.get(&format!("/formation/{COURSE}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.texts("#contact-form").len(), 1);

    // Every problem next to its field, the answers kept.
    let mut bad = form("x@yopmail.com");
    bad.retain(|(k, _)| *k != "reasons" && *k != "consent");
    let refused = post(&mut browser, &format!("/formation/{COURSE}/contact"), &bad).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.texts("#contact-email-erreur")[0].contains("jetables"));
    assert!(refused.texts("#contact-reasons-erreur")[0].contains("au moins un motif"));
    assert!(refused.texts("#contact-consent-erreur")[0].contains("Cochez"));
    assert!(refused.body.contains("value=\"Martin\""));

    let sent = post(
        &mut browser,
        &format!("/formation/{COURSE}/contact"),
        &form("lea@exemple.fr"),
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let location = sent.location.unwrap();
    assert_eq!(location, format!("/formation/{COURSE}/contact/envoye"));
    let done = browser.get(&location).await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(done.texts("#demande-envoyee")[0].contains("CFA DES MÉTIERS"));

    let again = post(
        &mut browser,
        &format!("/formation/{COURSE}/contact"),
        &form("LEA@exemple.fr"),
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(
        again.texts("#contact-erreur")[0].contains("4 jours"),
        "{}",
        again.body
    );

    let unknown = post(
        &mut browser,
        "/formation/inconnue/contact",
        &form("lea@exemple.fr"),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_api_answers_like_the_form_and_the_cfa_answers_from_its_link() {
    let api = api().await;
    let body = |course: &str, email: &str| {
        json!({
            "cle_ministere_educatif": course,
            "type": "parent",
            "firstname": "Paul",
            "lastname": "Martin",
            "email": email,
            "phone": "0612345678",
            "reasons": ["frais"],
            "consent": true,
            "referrer": "parcoursup",
        })
    };
    let (status, bad) = api
        .post_json(
            "/api/v1/appointment-request",
            &json!({"cle_ministere_educatif": COURSE, "email": "pas-une-adresse", "reasons": ["inconnu"], "referrer": "x"}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{bad:#}");
    let messages: Vec<&str> = bad["error_messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    for field in [
        "referrer",
        "firstname",
        "lastname",
        "email",
        "phone",
        "reasons",
        "consent",
    ] {
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with(&format!("{field} : "))),
            "{field}: {messages:?}"
        );
    }
    let (status, _) = api
        .post_json(
            "/api/v1/appointment-request",
            &body("inconnue", "paul@exemple.fr"),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, ok) = api
        .post_json(
            "/api/v1/appointment-request",
            &body(COURSE, "paul@exemple.fr"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{ok:#}");
    let id = ok["id"].as_str().unwrap().to_owned();
    let (status, again) = api
        .post_json(
            "/api/v1/appointment-request",
            &body(COURSE, "paul@exemple.fr"),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(again["error"], "appointment_already_requested");

    // The CFA's page, from the signed link of its email.
    let key = LinkKey::new(b"test key");
    let signature = key.sign(
        &links::appointment_message(&id),
        Utc::now() + TimeDelta::days(60),
    );
    let link = links::appointment_path(&id, &signature);
    let mut cfa = Browser::new(api.router());
    let forged = cfa.get(&link.replace("sig=", "sig=x")).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let store = api.store();
    assert!(
        store
            .appointment(&id)
            .await
            .unwrap()
            .unwrap()
            .read_at
            .is_none()
    );
    let page = cfa.get(&link).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.texts("#demande")[0].contains("Paul Martin (un parent)"));
    assert!(
        store
            .appointment(&id)
            .await
            .unwrap()
            .unwrap()
            .read_at
            .is_some()
    );
    // Without the page's token: refused, nothing recorded.
    let mut stranger = Browser::new(api.router());
    let no_token = stranger.post(&link, &[("reponse", "telephone")]).await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
    let csrf = page.csrf();
    let incomplete = cfa
        .post(&link, &[("csrf", &csrf), ("reponse", "impossible")])
        .await;
    assert_eq!(incomplete.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        store
            .appointment(&id)
            .await
            .unwrap()
            .unwrap()
            .answered_at
            .is_none()
    );
    let answered = cfa
        .post(
            &link,
            &[
                ("csrf", &csrf),
                ("reponse", "impossible"),
                ("motif", "complet"),
            ],
        )
        .await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
    let stored = store.appointment(&id).await.unwrap().unwrap();
    assert_eq!(
        (stored.answer.as_deref(), stored.answer_reason.as_deref()),
        (Some("impossible"), Some("complet"))
    );
    let twice = cfa
        .post(&link, &[("csrf", &csrf), ("reponse", "telephone")])
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);

    // The operators' follow-up.
    let mut operator = Browser::new(api.router());
    assert_eq!(
        operator.get("/operateur/cfa").await.status,
        StatusCode::SEE_OTHER
    );
    operator
        .get(&crate::pro_support::admin_link(api.store()).await)
        .await;
    let follow = operator.get("/operateur/cfa").await;
    assert_eq!(follow.status, StatusCode::OK, "{}", follow.body);
    let total = follow.texts("#total")[0].clone();
    assert!(
        total.starts_with("Tous les CFA 1 100 % 100 % 100 %"),
        "{total}"
    );
    let csv = operator.get("/operateur/cfa.csv").await;
    assert!(
        csv.body
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("total;1;1;1;1;")
    );
}

#[tokio::test]
async fn a_campaign_link_prefills_the_form_and_attributes_the_request_to_the_arm() {
    let api = Api::with_ops(lba_web::OpsState::default(), async |store| {
        crate::parcours::campaign_fixture(store).await;
        crate::parcours::exec(
            store,
            "UPDATE cohort_people SET email = 'lea.martin@exemple.fr', \
             mobile = '+33612345678' WHERE id = 'p1'",
        )
        .await;
    })
    .await;
    let mut browser = Browser::new(api.router());
    // Without the link: an empty form.
    let plain = browser.get(&format!("/formation/{COURSE}")).await;
    assert!(
        plain
            .body
            .contains("id=\"contact-firstname\" name=\"firstname\" value=\"\"")
    );
    assert_eq!(
        browser.get("/c/Parcours12345678").await.status,
        StatusCode::SEE_OTHER
    );
    let page = browser.get(&format!("/formation/{COURSE}")).await;
    assert!(
        page.body.contains("name=\"firstname\" value=\"Léa\""),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("name=\"email\" value=\"lea.martin@exemple.fr\"")
    );
    assert!(
        page.body
            .contains("name=\"phone\" value=\"06 12 34 56 78\"")
    );
    let sent = post(
        &mut browser,
        &format!("/formation/{COURSE}/contact"),
        &form("lea.martin@exemple.fr"),
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let report = lba_app::campaigns::report(api.store(), "c1").await.unwrap();
    let requests: Vec<(String, i64)> = report
        .arms
        .iter()
        .map(|a| (a.arm.clone(), a.cfa_requests))
        .collect();
    assert_eq!(
        requests,
        vec![("controle".to_owned(), 0), ("a".to_owned(), 1)]
    );
}
