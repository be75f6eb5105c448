//! `POST /api/v1/application`: stored with its delivery job on success;
//! every validation rule and quota refused with its field or reason in
//! French and the right status.

use axum::http::StatusCode;
use base64::Engine;
use serde_json::{Value, json};

use crate::fixture::{Api, SIRET_LYON, SIRET_UNKNOWN};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

fn data_url(bytes: &[u8]) -> String {
    format!(
        "data:application/pdf;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

fn valid() -> Value {
    json!({
        "applicant_first_name": "Jeanne",
        "applicant_last_name": "Martin-Dupré",
        "applicant_email": "jeanne.martin@example.fr",
        "applicant_phone": "06 12 34 56 78",
        "message": "Bonjour, je souhaite devenir boulangère.",
        "applicant_file_name": "mon CV.pdf",
        "applicant_file_content": data_url(PDF),
        "company_type": "lba",
        "company_siret": SIRET_LYON,
        "caller": "test",
    })
}

fn with(changes: &[(&str, Value)]) -> Value {
    let mut body = valid();
    for (key, value) in changes {
        body[*key] = value.clone();
    }
    body
}

fn limits(per_target: i64, per_day: i64, per_offer: i64, rate: u32) -> lba_web::ApplyState {
    lba_web::ApplyState::new(
        lba_app::apply::ApplyConfig {
            limits: lba_app::apply::ApplyLimits {
                per_target,
                per_day,
                per_offer,
            },
            key: lba_app::lba_notify::LinkKey::new(b"k"),
        },
        lba_web::RateLimit {
            max: rate,
            window: std::time::Duration::from_secs(3600),
        },
    )
}

const URI: &str = "/api/v1/application";

#[tokio::test]
async fn a_valid_application_is_stored_with_its_delivery_job() {
    let api = Api::new().await;
    let (status, body) = api.post_json(URI, &valid()).await;
    assert_eq!(status, StatusCode::OK, "{body:#}");
    assert_eq!(body, json!({"result": "ok", "message": "messages sent"}));
    let counts = api
        .store()
        .quota_counts(
            "jeanne.martin@example.fr",
            "company",
            SIRET_LYON,
            chrono::DateTime::UNIX_EPOCH,
        )
        .await
        .unwrap();
    assert_eq!(counts.same_target, 1);

    // To an offer posted here.
    let offer = with(&[
        ("company_type", json!("matcha")),
        ("job_id", json!("offer-platform-lyon")),
        ("company_siret", Value::Null),
    ]);
    let (status, body) = api.post_json(URI, &offer).await;
    assert_eq!(status, StatusCode::OK, "{body:#}");
}

#[tokio::test]
async fn every_invalid_field_is_named_in_french() {
    let api = Api::with_apply(limits(3, 100, 80, 1000)).await;
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".to_vec();
    exe.extend([0u8; 64]);
    // 3 Mo is 3,000,000 bytes.
    let too_big = crate::cv_files::pdf_of_len(3_000_001);
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            with(&[("applicant_first_name", json!(""))]),
            "applicant_first_name",
            "obligatoire",
        ),
        (
            with(&[("applicant_first_name", json!("J3anne"))]),
            "applicant_first_name",
            "lettres",
        ),
        (
            with(&[("applicant_first_name", json!("a".repeat(51)))]),
            "applicant_first_name",
            "50 caractères",
        ),
        (
            with(&[("applicant_last_name", json!("www.spam.com"))]),
            "applicant_last_name",
            "adresses web",
        ),
        (
            with(&[("applicant_last_name", json!("Martin <b>"))]),
            "applicant_last_name",
            "lettres",
        ),
        (
            with(&[("applicant_email", json!("jeanne@"))]),
            "applicant_email",
            "invalide",
        ),
        (
            with(&[("applicant_email", json!("jeanne@yopmail.com"))]),
            "applicant_email",
            "jetables",
        ),
        (
            with(&[("applicant_phone", json!("12345"))]),
            "applicant_phone",
            "invalide",
        ),
        (
            with(&[("applicant_phone", json!("08 99 12 34 56"))]),
            "applicant_phone",
            "surtaxés",
        ),
        (
            with(&[("message", json!("a".repeat(3001)))]),
            "message",
            "3 000",
        ),
        (
            with(&[("message", json!("voir https://spam.example"))]),
            "message",
            "liens",
        ),
        (
            with(&[("applicant_file_name", json!("cv.exe"))]),
            "applicant_file_name",
            ".pdf ou .docx",
        ),
        (
            with(&[("applicant_file_name", json!(""))]),
            "applicant_file_name",
            "obligatoire",
        ),
        (
            with(&[(
                "applicant_file_content",
                json!("data:application/pdf;base64,@@@"),
            )]),
            "applicant_file_content",
            "base64",
        ),
        (
            with(&[("applicant_file_content", json!(data_url(&exe)))]),
            "applicant_file_content",
            "PDF ou un document Word",
        ),
        (
            with(&[(
                "applicant_file_content",
                json!(data_url(b"just text, renamed")),
            )]),
            "applicant_file_content",
            "PDF ou un document Word",
        ),
        (
            with(&[("applicant_file_content", json!(data_url(&too_big)))]),
            "applicant_file_content",
            "3 Mo",
        ),
        (
            with(&[("applicant_file_content", json!(""))]),
            "applicant_file_content",
            "joignez",
        ),
        (
            with(&[("company_type", json!("formation"))]),
            "company_type",
            "lba",
        ),
        (
            with(&[("company_siret", json!("123"))]),
            "company_siret",
            "SIRET",
        ),
        (
            with(&[("company_siret", Value::Null)]),
            "company_siret",
            "obligatoire",
        ),
        (
            with(&[("company_type", json!("matcha"))]),
            "job_id",
            "obligatoire",
        ),
    ];
    for (body, field, words) in cases {
        let (status, answer) = api.post_json(URI, &body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}: {answer:#}");
        assert_eq!(answer["error"], "wrong_parameters", "{answer:#}");
        let messages = answer["error_messages"].as_array().unwrap();
        assert!(
            messages.iter().any(|m| {
                let m = m.as_str().unwrap();
                m.starts_with(&format!("{field} : ")) && m.contains(words)
            }),
            "{field} / {words}: {answer:#}"
        );
        // Personal data is never echoed.
        let text = answer.to_string();
        assert!(
            !text.contains("J3anne") && !text.contains("yopmail"),
            "{text}"
        );
    }
    // Several problems at once.
    let (_, answer) = api
        .post_json(
            URI,
            &with(&[
                ("applicant_first_name", json!("")),
                ("applicant_email", json!("x")),
            ]),
        )
        .await;
    assert_eq!(answer["error_messages"].as_array().unwrap().len(), 2);
    // Not JSON at all.
    let (status, answer) = api.post_json(URI, &json!("nope")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        answer["error_messages"][0]
            .as_str()
            .unwrap()
            .starts_with("body : ")
    );
}

#[tokio::test]
async fn cv_files_are_judged_by_their_structure_and_refused_on_the_file_field() {
    use crate::cv_files;
    let api = Api::with_apply(limits(100, 100, 80, 1000)).await;
    let file = |name: &str, bytes: &[u8]| {
        with(&[
            ("applicant_file_name", json!(name)),
            ("applicant_file_content", json!(data_url(bytes))),
        ])
    };
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "DOCX zip bomb",
            file("cv.docx", &cv_files::docx_bomb()),
            "50 Mo une fois décompressé",
        ),
        (
            "PDF starting a web page",
            file("cv.pdf", &cv_files::pdf_with_html()),
            "autre chose qu'un document",
        ),
        (
            "PDF with a ZIP appended",
            file("cv.pdf", &cv_files::pdf_with_zip()),
            "autre chose qu'un document",
        ),
    ];
    for (case, body, words) in cases {
        let (status, answer) = api.post_json(URI, &body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{case}: {answer:#}");
        let messages = answer["error_messages"].as_array().unwrap();
        assert_eq!(messages.len(), 1, "{case}: {answer:#}");
        let message = messages[0].as_str().unwrap();
        assert!(
            message.starts_with("applicant_file_content : ") && message.contains(words),
            "{case}: {message}"
        );
    }
    // Nothing stored, no email to send.
    let counts = api
        .store()
        .quota_counts(
            "jeanne.martin@example.fr",
            "company",
            SIRET_LYON,
            chrono::DateTime::UNIX_EPOCH,
        )
        .await
        .unwrap();
    assert_eq!(counts.since, 0);

    // A real small DOCX and a PDF of exactly 3 Mo (3,000,000 bytes) pass.
    let (status, answer) = api
        .post_json(URI, &file("CV Jeanne.docx", &cv_files::docx()))
        .await;
    assert_eq!(status, StatusCode::OK, "{answer:#}");
    let (status, answer) = api
        .post_json(URI, &file("cv.pdf", &cv_files::pdf_of_len(3_000_000)))
        .await;
    assert_eq!(status, StatusCode::OK, "{answer:#}");
}

#[tokio::test]
async fn the_per_target_quota_ignores_the_case_of_the_address() {
    let api = Api::new().await;
    for _ in 0..3 {
        assert_eq!(api.post_json(URI, &valid()).await.0, StatusCode::OK);
    }
    for email in [
        "Jeanne.Martin@example.fr",
        "jeanne.MARTIN@example.fr",
        "JEANNE.MARTIN@EXAMPLE.FR",
    ] {
        let (status, answer) = api
            .post_json(URI, &with(&[("applicant_email", json!(email))]))
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{email}: {answer:#}");
        assert_eq!(answer["error"], "quota_reached");
    }
}

#[tokio::test]
async fn targets_that_do_not_take_applications_say_so() {
    let api = Api::new().await;
    let cases = [
        (
            with(&[("company_siret", json!(SIRET_UNKNOWN))]),
            StatusCode::NOT_FOUND,
            "n'existe pas",
        ),
        (
            with(&[
                ("company_type", json!("matcha")),
                ("job_id", json!("offer-platform-expired")),
            ]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "plus ouverte",
        ),
        (
            with(&[
                ("company_type", json!("matcha")),
                ("job_id", json!("offer-ft-villeurbanne")),
            ]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "site d'origine",
        ),
        (
            with(&[("company_type", json!("matcha")), ("job_id", json!("nope"))]),
            StatusCode::NOT_FOUND,
            "n'existe pas",
        ),
    ];
    for (body, status, words) in cases {
        let (got, answer) = api.post_json(URI, &body).await;
        assert_eq!(got, status, "{answer:#}");
        assert!(
            answer["error_messages"][0]
                .as_str()
                .unwrap()
                .contains(words),
            "{answer:#}"
        );
    }
}

#[tokio::test]
async fn quotas_are_enforced_with_the_right_status() {
    // 3 per candidate and target.
    let api = Api::new().await;
    for _ in 0..3 {
        assert_eq!(api.post_json(URI, &valid()).await.0, StatusCode::OK);
    }
    let (status, answer) = api.post_json(URI, &valid()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer:#}");
    assert_eq!(answer["error"], "quota_reached");
    assert!(
        answer["error_messages"][0]
            .as_str()
            .unwrap()
            .contains("déjà postulé 3 fois")
    );
    // Another candidate still can.
    let other = with(&[("applicant_email", json!("paul@example.fr"))]);
    assert_eq!(api.post_json(URI, &other).await.0, StatusCode::OK);

    // Per day (limit 2 here), across targets.
    let api = Api::with_apply(limits(3, 2, 80, 1000)).await;
    let offer = with(&[
        ("company_type", json!("matcha")),
        ("job_id", json!("offer-platform-lyon")),
    ]);
    assert_eq!(api.post_json(URI, &valid()).await.0, StatusCode::OK);
    assert_eq!(api.post_json(URI, &offer).await.0, StatusCode::OK);
    let (status, answer) = api.post_json(URI, &valid()).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{answer:#}");
    assert!(
        answer["error_messages"][0]
            .as_str()
            .unwrap()
            .contains("24 heures")
    );

    // An offer full (limit 1 here) refuses everyone.
    let api = Api::with_apply(limits(3, 100, 1, 1000)).await;
    assert_eq!(api.post_json(URI, &offer).await.0, StatusCode::OK);
    let someone = with(&[
        ("company_type", json!("matcha")),
        ("job_id", json!("offer-platform-lyon")),
        ("applicant_email", json!("paul@example.fr")),
    ]);
    let (status, answer) = api.post_json(URI, &someone).await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer:#}");
    assert!(
        answer["error_messages"][0]
            .as_str()
            .unwrap()
            .contains("nombre maximum")
    );
    // …but not the company's spontaneous applications.
    assert_eq!(api.post_json(URI, &valid()).await.0, StatusCode::OK);

    // The rate limit per address counts every submission.
    let api = Api::with_apply(limits(3, 100, 80, 2)).await;
    assert_eq!(
        api.post_json(URI, &with(&[("applicant_email", json!("x"))]))
            .await
            .0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(api.post_json(URI, &valid()).await.0, StatusCode::OK);
    let (status, answer) = api.post_json(URI, &valid()).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{answer:#}");
    assert_eq!(answer["error"], "too_many_requests");
}

#[tokio::test]
async fn an_unknown_target_is_reported_on_its_own_parameter() {
    let api = Api::new().await;
    let cases = [
        (
            with(&[("company_siret", json!(SIRET_UNKNOWN))]),
            "company_siret : ",
        ),
        (
            with(&[("company_type", json!("matcha")), ("job_id", json!("nope"))]),
            "job_id : ",
        ),
    ];
    for (body, prefix) in cases {
        let (status, answer) = api.post_json(URI, &body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{answer:#}");
        assert_eq!(answer["error"], "not_found");
        let message = answer["error_messages"][0].as_str().unwrap_or_default();
        assert!(message.starts_with(prefix), "{answer:#}");
    }
}
