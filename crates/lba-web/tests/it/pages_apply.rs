//! The application form of the offer and company pages (multipart POST,
//! errors next to their field, quotas, post/redirect/get to the
//! confirmation page), the recruiter's answer pages and the candidate's
//! deletion link.

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use chrono::{TimeDelta, Utc};
use lba_app::lba_notify::worker::{answer_message, deletion_message};
use lba_app::lba_notify::{LinkKey, Signature};
use lba_core::opportunity::OfferStatus;
use scraper::{Html, Selector};

use crate::fixture::{Api, SIRET_LYON, SIRET_VILLEURBANNE, companies, offers};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
const OFFER: &str = "offer-platform-lyon";
const BOUNDARY: &str = "----lba-test-boundary-7MA4YWxkTrZu0gW";

/// A multipart body: text fields, then the file (as a browser sends it).
fn multipart(fields: &[(&str, String)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((file_name, bytes)) = file {
        body.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"cv\"; \
                 filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn valid_fields() -> Vec<(&'static str, String)> {
    vec![
        ("prenom", "Jeanne".into()),
        ("nom", "Martin-Dupré".into()),
        ("email", "jeanne.martin@example.fr".into()),
        ("telephone", "06 12 34 56 78".into()),
        ("message", "Bonjour, je souhaite devenir boulangère.".into()),
        ("consentement", "oui".into()),
    ]
}

/// `valid_fields` with `changes` (`None` removes the field).
fn fields_with(changes: &[(&str, Option<String>)]) -> Vec<(&'static str, String)> {
    let mut fields = valid_fields();
    for (name, value) in changes {
        match value {
            Some(v) => {
                if let Some(f) = fields.iter_mut().find(|(n, _)| n == name) {
                    f.1 = v.clone();
                }
            }
            None => fields.retain(|(n, _)| n != name),
        }
    }
    fields
}

/// POSTs the form to `uri`: status, headers and the page (empty on a
/// redirect).
async fn post_form(
    api: &Api,
    uri: &str,
    fields: &[(&str, String)],
    file: Option<(&str, &[u8])>,
) -> (StatusCode, HeaderMap, Html) {
    let request = Request::post(uri)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(multipart(fields, file)))
        .unwrap();
    let (status, headers, bytes) = api.request(request).await;
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    (status, headers, Html::parse_document(&text))
}

fn offer_uri() -> String {
    format!("/offre/{OFFER}/candidature")
}

fn company_uri() -> String {
    format!("/entreprise/{SIRET_LYON}/candidature")
}

fn select<'a>(page: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    page.select(&Selector::parse(css).unwrap()).collect()
}

fn one<'a>(page: &'a Html, css: &str) -> scraper::ElementRef<'a> {
    let found = select(page, css);
    assert_eq!(found.len(), 1, "{css}: {}", page.html());
    found[0]
}

fn text(page: &Html, css: &str) -> String {
    one(page, css).text().collect::<String>()
}

fn attr(page: &Html, css: &str, name: &str) -> Option<String> {
    one(page, css).value().attr(name).map(str::to_owned)
}

fn limits(per_target: i64, rate: u32) -> lba_web::ApplyState {
    lba_web::ApplyState::new(
        lba_app::apply::ApplyConfig {
            limits: lba_app::apply::ApplyLimits {
                per_target,
                per_day: 100,
                per_offer: 80,
            },
            key: LinkKey::new(b"test key"),
        },
        lba_web::RateLimit {
            max: rate,
            window: std::time::Duration::from_secs(3600),
        },
    )
}

/// The application id in a confirmation address.
fn application_id(location: &str) -> String {
    let query = location.split_once('?').unwrap().1;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("ref="))
        .unwrap()
        .to_owned()
}

/// Checks the form of a page that accepts applications.
fn assert_form(page: &Html, action: &str) {
    let form = one(page, "form#candidature");
    assert_eq!(form.value().attr("method"), Some("post"));
    assert_eq!(form.value().attr("action"), Some(action));
    assert_eq!(form.value().attr("enctype"), Some("multipart/form-data"));
    for (id, kind) in [
        ("prenom", "text"),
        ("nom", "text"),
        ("email", "email"),
        ("telephone", "tel"),
    ] {
        let input = one(page, &format!("form#candidature input#{id}"));
        assert_eq!(input.value().attr("type"), Some(kind), "{id}");
        assert_eq!(input.value().attr("name"), Some(id), "{id}");
        assert!(input.value().attr("required").is_some(), "{id}");
        // Every input has its label.
        assert_eq!(select(page, &format!("label[for=\"{id}\"]")).len(), 1);
    }
    let message = one(page, "form#candidature textarea#message");
    assert_eq!(message.value().attr("maxlength"), Some("3000"));
    assert!(message.value().attr("required").is_none(), "optional");
    assert_eq!(attr(page, "#message-compteur", "data-max").unwrap(), "3000");
    let cv = one(page, "form#candidature input#cv");
    assert_eq!(cv.value().attr("type"), Some("file"));
    assert!(cv.value().attr("accept").unwrap().starts_with(".pdf,.docx"));
    let consent = one(page, "form#candidature input#consentement");
    assert_eq!(consent.value().attr("type"), Some("checkbox"));
    assert!(consent.value().attr("required").is_some());
    assert!(text(page, "label[for=\"consentement\"]").contains("transmis au recruteur"));
    assert_eq!(select(page, "#comment-postuler").len(), 0);
    // The enhancement script is served by the app.
    assert_eq!(
        select(page, "script[src=\"/assets/app/apply.js\"]").len(),
        1
    );
}

#[tokio::test]
async fn offer_and_company_pages_show_the_application_form() {
    let api = Api::new().await;
    let (status, page) = api.html(&format!("/offre/{OFFER}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_form(&page, &format!("/offre/{OFFER}/candidature#postuler"));
    assert_eq!(text(&page, "#postuler-titre"), "Postuler à cette offre");
    assert_eq!(attr(&page, "a#action", "href").unwrap(), "#postuler");

    let (status, page) = api.html(&format!("/entreprise/{SIRET_LYON}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_form(
        &page,
        &format!("/entreprise/{SIRET_LYON}/candidature#postuler"),
    );
    assert_eq!(
        text(&page, "#postuler-titre"),
        "Envoyer une candidature spontanée"
    );
    assert!(text(&page, "a#action").contains("Candidature spontanée"));

    // The served script exists.
    let (status, _, bytes) = api.raw("/assets/app/apply.js", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(String::from_utf8_lossy(&bytes).contains("message-compteur"));
}

#[tokio::test]
async fn pages_without_a_form_say_how_to_apply_instead() {
    let api = Api::with(async |store| {
        // A company without a known email.
        let mut c = companies()
            .into_iter()
            .find(|c| c.siret.as_str() == SIRET_VILLEURBANNE)
            .unwrap();
        c.email = None;
        store.upsert_companies(&[c]).await.unwrap();
    })
    .await;
    // An offer closed since the index was built.
    let mut closed = offers()
        .into_iter()
        .find(|o| o.id == "offer-platform-paris")
        .unwrap();
    closed.status = OfferStatus::Filled;
    api.store().upsert_offers(&[closed]).await.unwrap();

    let cases = [
        (
            "/offre/offer-ft-villeurbanne".to_owned(),
            "site d'origine",
            Some("Postuler sur le site d'origine"),
        ),
        (
            "/offre/offer-platform-paris".to_owned(),
            "plus ouverte",
            None,
        ),
        (
            format!("/entreprise/{SIRET_VILLEURBANNE}"),
            "n'est pas connue",
            Some("Appeler l'entreprise au 0478000000"),
        ),
    ];
    for (uri, why, link) in cases {
        let (status, page) = api.html(&uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert_eq!(select(&page, "form#candidature").len(), 0, "{uri}");
        assert!(
            text(&page, "#comment-postuler-raison").contains(why),
            "{uri}"
        );
        assert_eq!(text(&page, "a#action"), "Comment postuler ?");
        if let Some(link) = link {
            assert!(text(&page, "#comment-postuler").contains(link), "{uri}");
        }
        assert_eq!(
            select(&page, "script[src=\"/assets/app/apply.js\"]").len(),
            0
        );
        // Posting anyway: 422, the page says why, nothing stored.
        let (status, _, page) = post_form(
            &api,
            &format!("{uri}/candidature"),
            &valid_fields(),
            Some(("cv.pdf", PDF)),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{uri}");
        assert!(
            text(&page, "#comment-postuler-raison").contains(why),
            "{uri}"
        );
    }
    let counts = api
        .store()
        .quota_counts(
            "jeanne.martin@example.fr",
            "offer",
            "offer-platform-paris",
            chrono::DateTime::UNIX_EPOCH,
        )
        .await
        .unwrap();
    assert_eq!(counts.since, 0);

    // Unknown targets: the 404 page.
    let (status, _, _) = post_form(
        &api,
        "/offre/nope/candidature",
        &valid_fields(),
        Some(("cv.pdf", PDF)),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = post_form(
        &api,
        "/entreprise/123/candidature",
        &valid_fields(),
        Some(("cv.pdf", PDF)),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

/// The page shows `message_part` next to `field` (group in error, message
/// linked by `aria-describedby`) and in the summary.
fn assert_field_error(page: &Html, field: &str, message_part: &str, case: &str) {
    let group = one(page, &format!("#{field}-groupe"));
    assert!(
        group
            .value()
            .attr("class")
            .unwrap()
            .contains("fr-input-group--error"),
        "{case}: {field} group not in error"
    );
    let error = text(
        page,
        &format!("#{field}-groupe .fr-error-text#{field}-error"),
    );
    assert!(
        error.contains(message_part),
        "{case}: {field} error {error:?} lacks {message_part:?}"
    );
    let input = one(page, &format!("#{field}"));
    assert!(
        input
            .value()
            .attr("aria-describedby")
            .unwrap()
            .split(' ')
            .any(|id| id == format!("{field}-error")),
        "{case}: {field} aria-describedby"
    );
    assert_eq!(input.value().attr("aria-invalid"), Some("true"), "{case}");
    assert!(
        select(page, &format!("#candidature-erreurs a[href=\"#{field}\"]")).len() == 1,
        "{case}: {field} not in the summary"
    );
}

/// A validation case: name, fields, file, the field in error, words of its
/// message.
type Case<'a> = (
    &'a str,
    Vec<(&'a str, String)>,
    (&'a str, &'a [u8]),
    &'a str,
    &'a str,
);

#[tokio::test]
async fn every_invalid_field_is_shown_next_to_it_and_what_was_typed_is_kept() {
    let api = Api::with_apply(limits(3, 1000)).await;
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".to_vec();
    exe.extend([0u8; 64]);
    // 3 Mo is 3,000,000 bytes.
    let too_big = crate::cv_files::pdf_of_len(3_000_001);
    let bomb = crate::cv_files::docx_bomb();
    let html = crate::cv_files::pdf_with_html();
    let with_zip = crate::cv_files::pdf_with_zip();
    let long_message = "a".repeat(3001);
    let cases: Vec<Case<'_>> = vec![
        (
            "bad first name",
            fields_with(&[("prenom", Some("J3anne".into()))]),
            ("cv.pdf", PDF),
            "prenom",
            "lettres",
        ),
        (
            "missing last name",
            fields_with(&[("nom", Some(String::new()))]),
            ("cv.pdf", PDF),
            "nom",
            "obligatoire",
        ),
        (
            "disposable email",
            fields_with(&[("email", Some("jeanne@yopmail.com".into()))]),
            ("cv.pdf", PDF),
            "email",
            "jetables",
        ),
        (
            "premium phone",
            fields_with(&[("telephone", Some("08 99 12 34 56".into()))]),
            ("cv.pdf", PDF),
            "telephone",
            "surtaxés",
        ),
        (
            "message too long",
            fields_with(&[("message", Some(long_message.clone()))]),
            ("cv.pdf", PDF),
            "message",
            "3 000",
        ),
        (
            "renamed executable",
            valid_fields(),
            ("cv.pdf", &exe),
            "cv",
            "PDF ou un document Word",
        ),
        (
            "wrong extension",
            valid_fields(),
            ("cv.exe", PDF),
            "cv",
            ".pdf ou .docx",
        ),
        (
            "CV over 3 MB",
            valid_fields(),
            ("cv.pdf", &too_big),
            "cv",
            "3 Mo",
        ),
        (
            "DOCX zip bomb",
            valid_fields(),
            ("cv.docx", &bomb),
            "cv",
            "50 Mo une fois décompressé",
        ),
        (
            "PDF starting a web page",
            valid_fields(),
            ("cv.pdf", &html),
            "cv",
            "autre chose qu'un document",
        ),
        (
            "PDF with a ZIP appended",
            valid_fields(),
            ("cv.pdf", &with_zip),
            "cv",
            "autre chose qu'un document",
        ),
        ("no file", valid_fields(), ("", b""), "cv", "Joignez"),
        (
            "missing consent",
            fields_with(&[("consentement", None)]),
            ("cv.pdf", PDF),
            "consentement",
            "Cochez",
        ),
    ];
    for (case, fields, file, field, words) in cases {
        for uri in [offer_uri(), company_uri()] {
            let (status, _, page) = post_form(&api, &uri, &fields, Some(file)).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{case} on {uri}");
            assert_field_error(&page, field, words, case);
            // Only that field is in error.
            assert_eq!(
                select(&page, ".fr-error-text").len(),
                1,
                "{case}: {}",
                page.html()
            );
            assert!(text(&page, "#candidature-erreurs").contains("un champ est à corriger"));
            // What was typed is kept (the file is not).
            for (name, value) in &fields {
                match *name {
                    "message" => assert_eq!(text(&page, "textarea#message"), *value, "{case}"),
                    "consentement" => {
                        assert!(attr(&page, "#consentement", "checked").is_some(), "{case}")
                    }
                    _ => assert_eq!(
                        attr(&page, &format!("input#{name}"), "value").as_deref(),
                        Some(value.as_str()),
                        "{case}: {name}"
                    ),
                }
            }
            assert!(attr(&page, "input#cv", "value").is_none());
            // The form posts to the same place, opening at the form.
            assert_eq!(
                attr(&page, "form#candidature", "action").unwrap(),
                format!("{uri}#postuler")
            );
        }
    }
    // Several problems at once, the consent's with the others.
    let fields = fields_with(&[
        ("prenom", Some(String::new())),
        ("email", Some("x".into())),
        ("consentement", None),
    ]);
    let (status, _, page) = post_form(&api, &offer_uri(), &fields, Some(("cv.pdf", PDF))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_field_error(&page, "prenom", "obligatoire", "several");
    assert_field_error(&page, "email", "invalide", "several");
    assert_field_error(&page, "consentement", "Cochez", "several");
    assert!(text(&page, "#candidature-erreurs").contains("3 champs sont à corriger"));
    assert!(attr(&page, "#consentement", "checked").is_none());

    // Not a multipart body: 400 with an alert, no panic.
    let request = Request::post(offer_uri())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from("prenom=Jeanne"))
        .unwrap();
    let (status, _, bytes) = api.request(request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let page = Html::parse_document(std::str::from_utf8(&bytes).unwrap());
    assert!(text(&page, "#candidature-alerte").contains("n'a pas pu être lu"));

    // Nothing was stored.
    let counts = api
        .store()
        .quota_counts(
            "jeanne.martin@example.fr",
            "offer",
            OFFER,
            chrono::DateTime::UNIX_EPOCH,
        )
        .await
        .unwrap();
    assert_eq!(counts.since, 0);
}

#[tokio::test]
async fn a_small_docx_and_a_pdf_of_exactly_3_mo_are_sent() {
    let api = Api::with_apply(limits(10, 1000)).await;
    let docx = crate::cv_files::docx();
    let pdf = crate::cv_files::pdf_of_len(3_000_000);
    for (name, bytes, mime) in [
        (
            "CV Jeanne.docx",
            &docx,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("cv.pdf", &pdf, "application/pdf"),
    ] {
        let (status, headers, page) = post_form(
            &api,
            &company_uri(),
            &valid_fields(),
            Some((name, bytes.as_slice())),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{name}: {}", page.html());
        let location = headers.get("location").unwrap().to_str().unwrap();
        let a = api
            .store()
            .application(&application_id(location))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(a.cv_mime, mime);
        assert_eq!(a.cv_bytes.as_deref().map(<[u8]>::len), Some(bytes.len()));
    }
}

#[tokio::test]
async fn a_cv_over_the_body_limit_gets_413_on_the_cv_field_and_keeps_the_fields() {
    let api = Api::new().await;
    let mut huge = PDF.to_vec();
    huge.resize(5 * 1024 * 1024, b' ');
    let (status, _, page) =
        post_form(&api, &offer_uri(), &valid_fields(), Some(("cv.pdf", &huge))).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_field_error(&page, "cv", "dépasse 3 Mo", "huge CV");
    assert_eq!(attr(&page, "input#prenom", "value").unwrap(), "Jeanne");
    assert_eq!(
        attr(&page, "input#email", "value").unwrap(),
        "jeanne.martin@example.fr"
    );
}

#[tokio::test]
async fn a_valid_application_redirects_to_the_confirmation_page_and_is_stored_with_its_job() {
    let api = Api::new().await;
    for (uri, kind, target, summary) in [
        (
            offer_uri(),
            "offer",
            OFFER,
            "à l'offre « Boulanger (offer-platform-lyon) » de BOULANGERIE DU PARC",
        ),
        (
            company_uri(),
            "company",
            SIRET_LYON,
            "candidature spontanée à BOULANGERIE DU PARC",
        ),
    ] {
        let (status, headers, _) =
            post_form(&api, &uri, &valid_fields(), Some(("mon CV.pdf", PDF))).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{uri}");
        let location = headers
            .get("location")
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            location.starts_with("/candidature/envoyee?ref="),
            "{location}"
        );
        // No personal data in the address.
        for personal in ["Jeanne", "jeanne", "Martin", "example", "0612", "@", "%40"] {
            assert!(!location.contains(personal), "{location} holds {personal}");
        }

        // Stored with its CV and the job that sends it.
        let id = application_id(&location);
        let a = api.store().application(&id).await.unwrap().unwrap();
        assert_eq!(a.target_kind, kind);
        assert_eq!(a.target_id, target);
        assert_eq!(a.first_name, "Jeanne");
        assert_eq!(a.last_name, "Martin-Dupré");
        assert_eq!(a.email.as_deref(), Some("jeanne.martin@example.fr"));
        assert_eq!(a.phone.as_deref(), Some("+33612345678"));
        assert_eq!(a.cv_bytes.as_deref(), Some(PDF));
        assert_eq!(a.cv_mime, "application/pdf");
        assert_eq!(a.status, "received");
        let jobs = api.store().jobs_about(&id).await.unwrap();
        assert_eq!(jobs.len(), 1, "{jobs:?}");
        assert_eq!(jobs[0].kind, "recruiter_application");
        assert_eq!(jobs[0].status, "pending");

        // The confirmation page (GET after the redirect).
        let (status, page) = api.html(&location).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(text(&page, "h1"), "Candidature envoyée");
        assert!(text(&page, "#resume").contains(summary), "{}", page.html());
        let next = text(&page, "#suite");
        assert!(next.contains("Le recruteur reçoit votre candidature"));
        assert!(next.contains("e-mail de confirmation"));
        assert!(text(&page, "#donnees").contains("supprimer vos données"));
        assert!(text(&page, "#donnees").contains("30 jours"));
        assert_eq!(
            attr(&page, "a#retour", "href").unwrap(),
            if kind == "offer" {
                format!("/offre/{OFFER}")
            } else {
                format!("/entreprise/{SIRET_LYON}")
            }
        );
        assert!(!page.html().contains("Jeanne"), "no personal data shown");

        // A modified address is refused.
        let forged = location.replace(&id, &"0".repeat(32));
        let (status, page) = api.html(&forged).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(text(&page, "h1"), "Lien invalide");
    }
}

#[tokio::test]
async fn a_fourth_application_to_the_same_target_is_refused_with_409() {
    let api = Api::new().await;
    for uri in [offer_uri(), company_uri()] {
        for _ in 0..3 {
            let (status, _, _) =
                post_form(&api, &uri, &valid_fields(), Some(("cv.pdf", PDF))).await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{uri}");
        }
        let (status, _, page) = post_form(&api, &uri, &valid_fields(), Some(("cv.pdf", PDF))).await;
        assert_eq!(status, StatusCode::CONFLICT, "{uri}");
        assert!(
            text(&page, "#candidature-alerte").contains("Vous avez déjà postulé 3 fois"),
            "{}",
            page.html()
        );
        // The form is still there, filled in.
        assert_eq!(attr(&page, "input#prenom", "value").unwrap(), "Jeanne");
        // Another candidate still can.
        let other = fields_with(&[("email", Some("paul@example.fr".into()))]);
        let (status, _, _) = post_form(&api, &uri, &other, Some(("cv.pdf", PDF))).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
}

#[tokio::test]
async fn the_rate_limit_per_address_shows_429_on_the_form() {
    let api = Api::with_apply(limits(3, 1)).await;
    let (status, _, _) =
        post_form(&api, &offer_uri(), &valid_fields(), Some(("cv.pdf", PDF))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, page) =
        post_form(&api, &company_uri(), &valid_fields(), Some(("cv.pdf", PDF))).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(text(&page, "#candidature-alerte").contains("réessayez dans une minute"));
    assert_eq!(attr(&page, "input#nom", "value").unwrap(), "Martin-Dupré");
}

/// Stores an application through the form; its id.
async fn apply_once(api: &Api) -> String {
    let (status, headers, _) =
        post_form(api, &offer_uri(), &valid_fields(), Some(("cv.pdf", PDF))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    application_id(headers.get("location").unwrap().to_str().unwrap())
}

fn signed(message: &str) -> Signature {
    LinkKey::new(b"test key").sign(message, Utc::now() + TimeDelta::days(30))
}

/// A forged signature: one character of `sig` changed.
fn modified(signature: &Signature) -> Signature {
    let mut sig = signature.sig.clone().into_bytes();
    sig[0] = if sig[0] == b'A' { b'B' } else { b'A' };
    Signature {
        exp: signature.exp,
        sig: String::from_utf8(sig).unwrap(),
    }
}

#[tokio::test]
async fn recruiter_answer_pages_confirm_and_cancel_and_refuse_a_modified_link() {
    let api = Api::new().await;
    let id = apply_once(&api).await;
    let interview = signed(&answer_message(&id, "interview"));
    let url = format!(
        "/candidature/{id}/reponse?action=interview&{}",
        interview.query()
    );

    // Opening shows the form and records nothing.
    let (status, cookie, page) = open_link(&api, "GET", &url).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(text(&page, "h1"), "Proposer un entretien");
    assert!(text(&page, ".fr-text--lead").contains("Jeanne Martin-Dupré"));
    assert!(text(&page, ".fr-alert").contains("Rien n'est envoyé"));
    assert_eq!(attr(&page, "form#reponse", "action").unwrap(), url);
    assert_eq!(select(&page, "#raisons").len(), 0);
    assert_unanswered(&api, &id, "opened").await;
    let browser = Browser {
        cookie: cookie_pair(&cookie.unwrap()),
        token: csrf_field(&page).unwrap(),
    };

    // Confirm with a message: the answer goes out now.
    let (status, page) = browser
        .post(
            &api,
            &url,
            "decision=confirmer&message=Venez+mardi+%C3%A0+10+h.",
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{}", page.html());
    assert_eq!(text(&page, "h1"), "Réponse envoyée");
    assert_interview_sent_now(&api, &id, "Venez mardi à 10 h.").await;

    // Cancel before the worker sent it: nothing will be sent.
    let (status, page) = browser.post(&api, &url, "decision=annuler").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(text(&page, "h1"), "Réponse annulée");
    let job = api
        .store()
        .job(&format!("candidate_answer:{id}"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(job.status, "cancelled");

    // A refusal with reasons from the list; an unknown reason is refused.
    let refusal = signed(&answer_message(&id, "refusal"));
    let refusal_url = format!(
        "/candidature/{id}/reponse?action=refusal&{}",
        refusal.query()
    );
    let (status, _, page) = open_link(&api, "GET", &refusal_url).await;
    assert_eq!(status, StatusCode::OK);
    assert!(csrf_field(&page).is_some());
    assert_eq!(text(&page, "h1"), "Refuser la candidature");
    let reasons = select(&page, "#raisons input[name=\"raisons\"]");
    assert!(!reasons.is_empty());
    let reason = reasons[0].value().attr("value").unwrap().to_owned();
    let (status, _) = browser
        .post(
            &api,
            &refusal_url,
            "decision=confirmer&raisons=n%27importe+quoi",
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = format!(
        "decision=confirmer&raisons={}",
        reason.replace(' ', "+").replace('\'', "%27")
    );
    let (status, page) = browser.post(&api, &refusal_url, &body).await;
    assert_eq!(status, StatusCode::OK, "{}", page.html());
    let a = api.store().application(&id).await.unwrap().unwrap();
    assert_eq!(a.answer.as_deref(), Some("refusal"));
    assert_eq!(a.reasons(), vec![reason]);

    // Modified links: another action, another application, a changed
    // signature or a later expiry are all refused, on GET and POST.
    let forged = [
        format!(
            "/candidature/{id}/reponse?action=refusal&{}",
            interview.query()
        ),
        format!(
            "/candidature/{}/reponse?action=interview&{}",
            "0".repeat(32),
            interview.query()
        ),
        format!(
            "/candidature/{id}/reponse?action=interview&{}",
            modified(&interview).query()
        ),
        format!(
            "/candidature/{id}/reponse?action=interview&exp={}&sig={}",
            interview.exp + 86_400,
            interview.sig
        ),
    ];
    for url in forged {
        let (status, page) = api.html(&url).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{url}");
        assert_eq!(text(&page, "h1"), "Lien invalide");
        let (status, page) = browser.post(&api, &url, "decision=confirmer").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{url}");
        assert_eq!(text(&page, "h1"), "Lien invalide");
    }
    // An expired link.
    let expired = LinkKey::new(b"test key").sign(
        &answer_message(&id, "interview"),
        Utc::now() - TimeDelta::minutes(1),
    );
    let (status, page) = api
        .html(&format!(
            "/candidature/{id}/reponse?action=interview&{}",
            expired.query()
        ))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(text(&page, "#info").contains("expiré"));
}

#[tokio::test]
async fn the_deletion_link_deletes_the_application_and_a_modified_one_is_refused() {
    let api = Api::new().await;
    let id = apply_once(&api).await;
    let signature = signed(&deletion_message(&id));
    let url = format!("/candidature/{id}/suppression?{}", signature.query());

    // A modified link: refused, nothing deleted.
    let forged = format!(
        "/candidature/{id}/suppression?{}",
        modified(&signature).query()
    );
    let (status, page) = api.html(&forged).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(text(&page, "h1"), "Lien invalide");
    assert!(api.store().application(&id).await.unwrap().is_some());

    // GET only asks for confirmation.
    let (status, cookie, page) = open_link(&api, "GET", &url).await;
    assert_eq!(status, StatusCode::OK);
    let browser = Browser {
        cookie: cookie_pair(&cookie.unwrap()),
        token: csrf_field(&page).unwrap(),
    };
    assert_eq!(text(&page, "h1"), "Supprimer mes données");
    assert_eq!(attr(&page, "form", "action").unwrap(), url);
    assert!(api.store().application(&id).await.unwrap().is_some());
    // POSTing a modified link, even with the token, deletes nothing.
    let (status, page) = browser.post(&api, &forged, "").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(text(&page, "h1"), "Lien invalide");
    assert!(api.store().application(&id).await.unwrap().is_some());

    // POST deletes the application and cancels its pending emails.
    let (status, page) = browser.post(&api, &url, "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(text(&page, "h1"), "Données supprimées");
    assert!(api.store().application(&id).await.unwrap().is_none());
    let jobs = api.store().jobs_about(&id).await.unwrap();
    assert!(jobs.iter().all(|j| j.status == "cancelled"), "{jobs:?}");

    // Twice: the application is gone.
    let (status, page) = browser.post(&api, &url, "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(text(&page, "h1"), "Candidature introuvable");
}

/// GET (or HEAD) `uri` without cookies: status, the `lba_csrf` cookie set
/// (`name=value` and the whole header), and the page.
async fn open_link(api: &Api, method: &str, uri: &str) -> (StatusCode, Option<String>, Html) {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .body(Body::empty())
        .unwrap();
    let (status, headers, bytes) = api.request(request).await;
    let cookie = headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("lba_csrf="));
    (
        status,
        cookie,
        Html::parse_document(std::str::from_utf8(&bytes).unwrap()),
    )
}

/// The hidden `csrf` field of a page, if any.
fn csrf_field(page: &Html) -> Option<String> {
    select(page, "form input[type=hidden][name=csrf]")
        .first()
        .and_then(|e| e.value().attr("value"))
        .map(str::to_owned)
}

/// The `name=value` pair of a `Set-Cookie` header.
fn cookie_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().to_owned()
}

/// POSTs `body` to `uri` with the `Cookie` header `cookie`.
async fn post_with_cookie(
    api: &Api,
    uri: &str,
    body: &str,
    cookie: Option<&str>,
) -> (StatusCode, Html) {
    let mut request =
        Request::post(uri).header("content-type", "application/x-www-form-urlencoded");
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let (status, _, bytes) = api
        .request(request.body(Body::from(body.to_owned())).unwrap())
        .await;
    (
        status,
        Html::parse_document(std::str::from_utf8(&bytes).unwrap()),
    )
}

/// A browser that opened a signed link: its `lba_csrf` cookie and the
/// token of the page's form.
struct Browser {
    cookie: String,
    token: String,
}

impl Browser {
    /// POSTs the form `body` with the cookie and the token.
    async fn post(&self, api: &Api, uri: &str, body: &str) -> (StatusCode, Html) {
        let body = if body.is_empty() {
            format!("csrf={}", self.token)
        } else {
            format!("{body}&csrf={}", self.token)
        };
        post_with_cookie(api, uri, &body, Some(&self.cookie)).await
    }
}

/// Nothing answered yet: no answer stored, no answer email queued.
async fn assert_unanswered(api: &Api, id: &str, case: &str) {
    let a = api.store().application(id).await.unwrap().unwrap();
    assert_eq!(a.answer, None, "{case}: an answer was recorded");
    assert_eq!(a.answered_at, None, "{case}");
    let job = api
        .store()
        .job(&format!("candidate_answer:{id}"))
        .await
        .unwrap();
    assert!(job.is_none(), "{case}: an answer email was queued: {job:?}");
}

#[tokio::test]
async fn opening_an_answer_link_records_nothing() {
    // Mail scanners open every link of an email, with GET or HEAD: neither
    // may answer for the recruiter.
    let api = Api::new().await;
    let id = apply_once(&api).await;
    for action in ["interview", "refusal", "interview"] {
        let signature = signed(&answer_message(&id, action));
        let url = format!(
            "/candidature/{id}/reponse?action={action}&{}",
            signature.query()
        );
        for method in ["GET", "HEAD"] {
            let (status, _, _) = open_link(&api, method, &url).await;
            assert_eq!(status, StatusCode::OK, "{method} {action}");
            assert_unanswered(&api, &id, &format!("{method} {action}")).await;
        }
    }
}

#[tokio::test]
async fn the_answer_page_sets_a_csrf_cookie_and_the_same_token_in_its_form() {
    let api = Api::new().await;
    let id = apply_once(&api).await;
    let url = format!(
        "/candidature/{id}/reponse?action=interview&{}",
        signed(&answer_message(&id, "interview")).query()
    );
    let (status, cookie, page) = open_link(&api, "GET", &url).await;
    assert_eq!(status, StatusCode::OK);
    let cookie = cookie.expect("the page sets the lba_csrf cookie");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    assert!(!cookie.contains("Secure"), "http public URL: {cookie}");
    let token = attr(&page, "form#reponse input[type=hidden][name=csrf]", "value").unwrap();
    assert!(token.len() >= 32, "{token}");
    assert_eq!(cookie_pair(&cookie), format!("lba_csrf={token}"));
    // Nothing on the page says an answer is on its way.
    assert!(!page.html().contains("30 minutes"));

    // With the cookie already there, the page reuses its token.
    let (status, headers, bytes) = api
        .raw(&url, &[("cookie", &format!("lba_csrf={token}"))])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers.get("set-cookie").is_none(), "{headers:?}");
    let page = Html::parse_document(std::str::from_utf8(&bytes).unwrap());
    assert_eq!(
        attr(&page, "input[name=csrf]", "value").as_deref(),
        Some(token.as_str())
    );
}

#[tokio::test]
async fn an_answer_post_without_the_matching_csrf_token_is_refused_and_records_nothing() {
    let api = Api::new().await;
    let id = apply_once(&api).await;
    let url = format!(
        "/candidature/{id}/reponse?action=refusal&{}",
        signed(&answer_message(&id, "refusal")).query()
    );
    let (_, cookie, page) = open_link(&api, "GET", &url).await;
    let token = csrf_field(&page).unwrap_or_default();
    let pair = cookie.as_deref().map(cookie_pair);
    let other = "f".repeat(32);
    let cases = [
        ("no cookie, no field", "decision=confirmer".to_owned(), None),
        (
            "field without cookie",
            format!("decision=confirmer&csrf={token}"),
            None,
        ),
        (
            "cookie without field",
            "decision=confirmer".to_owned(),
            pair.clone(),
        ),
        (
            "another token",
            format!("decision=confirmer&csrf={other}"),
            pair.clone(),
        ),
        (
            "empty token and cookie",
            "decision=confirmer&csrf=".to_owned(),
            Some("lba_csrf=".to_owned()),
        ),
    ];
    for (case, body, cookie) in cases {
        let (status, page) = post_with_cookie(&api, &url, &body, cookie.as_deref()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{case}");
        assert_eq!(text(&page, "h1"), "Formulaire expiré", "{case}");
        assert!(text(&page, "#info").contains("lien"), "{case}");
        assert_unanswered(&api, &id, case).await;
    }
}

#[tokio::test]
async fn an_answer_post_with_the_csrf_token_records_the_answer_and_queues_the_email_now() {
    let api = Api::new().await;
    let id = apply_once(&api).await;
    let url = format!(
        "/candidature/{id}/reponse?action=interview&{}",
        signed(&answer_message(&id, "interview")).query()
    );
    let (_, cookie, page) = open_link(&api, "GET", &url).await;
    let pair = cookie_pair(&cookie.unwrap());
    let token = attr(&page, "input[name=csrf]", "value").unwrap();

    // Cancelling first sends nothing and records nothing.
    let (status, page) = post_with_cookie(
        &api,
        &url,
        &format!("decision=annuler&csrf={token}"),
        Some(&pair),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{}", page.html());
    assert_eq!(text(&page, "h1"), "Réponse annulée");
    assert_unanswered(&api, &id, "cancel").await;

    let (status, page) = post_with_cookie(
        &api,
        &url,
        &format!("decision=confirmer&message=Venez+mardi.&csrf={token}"),
        Some(&pair),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{}", page.html());
    assert_eq!(text(&page, "h1"), "Réponse envoyée");
    assert_interview_sent_now(&api, &id, "Venez mardi.").await;
}

#[tokio::test]
async fn the_deletion_post_requires_the_csrf_token() {
    let api = Api::new().await;
    let id = apply_once(&api).await;
    let url = format!(
        "/candidature/{id}/suppression?{}",
        signed(&deletion_message(&id)).query()
    );
    for method in ["GET", "HEAD"] {
        let (status, _, _) = open_link(&api, method, &url).await;
        assert_eq!(status, StatusCode::OK, "{method}");
    }
    let (_, cookie, page) = open_link(&api, "GET", &url).await;
    assert!(api.store().application(&id).await.unwrap().is_some());
    let token = csrf_field(&page).unwrap_or_default();
    let pair = cookie.as_deref().map(cookie_pair);

    for (case, body, cookie) in [
        ("nothing", String::new(), None),
        ("field without cookie", format!("csrf={token}"), None),
        ("cookie without field", String::new(), pair.clone()),
        (
            "another token",
            format!("csrf={}", "e".repeat(32)),
            pair.clone(),
        ),
    ] {
        let (status, page) = post_with_cookie(&api, &url, &body, cookie.as_deref()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{case}");
        assert_eq!(text(&page, "h1"), "Formulaire expiré", "{case}");
        assert!(
            api.store().application(&id).await.unwrap().is_some(),
            "{case}: deleted"
        );
    }

    let (status, page) =
        post_with_cookie(&api, &url, &format!("csrf={token}"), pair.as_deref()).await;
    assert_eq!(status, StatusCode::OK, "{}", page.html());
    assert_eq!(text(&page, "h1"), "Données supprimées");
    assert!(api.store().application(&id).await.unwrap().is_none());
}

/// The interview answer with `message` is stored and its email to the
/// candidate is queued to go out now.
async fn assert_interview_sent_now(api: &Api, id: &str, message: &str) {
    let a = api.store().application(id).await.unwrap().unwrap();
    assert_eq!(a.answer.as_deref(), Some("interview"));
    assert_eq!(a.answer_message.as_deref(), Some(message));
    let job = api
        .store()
        .job(&format!("candidate_answer:{id}"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(job.status, "pending");
    assert!(job.next_attempt_at <= Utc::now().timestamp_millis());
}
