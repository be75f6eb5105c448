//! The pages behind the signed links of application emails: the
//! recruiter's answer (`/candidature/{id}/reponse`) and the candidate's
//! deletion request (`/candidature/{id}/suppression`). A GET (or HEAD)
//! only verifies the link and shows a form: mail scanners open links by
//! themselves, so opening one must not answer or delete anything. Data
//! changes only on the POST of that form, which must carry the page's CSRF
//! token (double-submit cookie, [`crate::csrf`]; 403 otherwise).

use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::Utc;
use lba_app::answers::{self, Answer, AnswerError};
use lba_app::apply::ApplicationView;
use lba_app::lba_notify::Signature;
use lba_app::lba_notify::links;
use lba_core::application::REFUSAL_REASONS;
use lba_core::french::capitalise;
use serde::Deserialize;

use super::{Meta, PageError, render};
use crate::AppState;
use crate::csrf::{self, CsrfToken};

#[derive(Debug, Deserialize)]
pub(crate) struct AnswerQuery {
    action: String,
    exp: i64,
    sig: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct SignedQuery {
    exp: i64,
    sig: String,
}

#[derive(Template)]
#[template(path = "candidature_reponse.html")]
struct AnswerPage {
    meta: Meta,
    a: ApplicationView,
    interview: bool,
    action_url: String,
    csrf: String,
    default_message: &'static str,
    reasons: &'static [&'static str],
}

#[derive(Template)]
#[template(path = "candidature_info.html")]
struct InfoPage {
    meta: Meta,
    heading: &'static str,
    message: String,
    form_url: Option<String>,
    csrf: Option<String>,
    button: &'static str,
}

/// A page with a heading and one message (the outcome of a signed link's
/// form; also the CFA's answer page, `super::rendez_vous`).
pub(super) fn info(
    status: StatusCode,
    heading: &'static str,
    message: impl Into<String>,
) -> Response {
    render(
        status,
        &InfoPage {
            meta: Meta::new(format!("{heading} – La bonne alternance"), heading),
            heading,
            message: message.into(),
            form_url: None,
            csrf: None,
            button: "",
        },
    )
}

/// The 403 page of a POST without the page's CSRF token: nothing was done.
fn csrf_refused() -> Response {
    info(
        StatusCode::FORBIDDEN,
        "Formulaire expiré",
        "Le jeton de sécurité du formulaire est absent ou ne correspond pas : rien n'a été \
         enregistré. Rouvrez le lien reçu par e-mail et recommencez (les cookies doivent être \
         autorisés pour ce site).",
    )
}

/// The fields of a submitted form (none when the body is not a form).
fn fields(form: Result<Form<Vec<(String, String)>>, FormRejection>) -> Vec<(String, String)> {
    form.map(|Form(fields)| fields).unwrap_or_default()
}

/// The first value of field `name`.
fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

pub(super) fn refused(error: AnswerError) -> Result<Response, PageError> {
    match error {
        AnswerError::Store(e) => Err(PageError::Store(e)),
        AnswerError::Link(e) => Ok(info(
            StatusCode::FORBIDDEN,
            "Lien invalide",
            format!(
                "{} : utilisez le lien reçu par e-mail, sans le modifier.",
                capitalise(&e.to_string())
            ),
        )),
        AnswerError::NotFound => Ok(info(
            StatusCode::NOT_FOUND,
            "Candidature introuvable",
            capitalise(&error.to_string()) + ".",
        )),
        AnswerError::AlreadySent => Ok(info(
            StatusCode::CONFLICT,
            "Réponse déjà envoyée",
            capitalise(&error.to_string()) + ".",
        )),
        AnswerError::Invalid(message) => Ok(info(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Réponse incomplète",
            message,
        )),
    }
}

fn parse(q: &AnswerQuery) -> Result<(Answer, Signature), PageError> {
    let answer = Answer::parse(&q.action)
        .ok_or_else(|| PageError::BadRequest("Action inconnue dans le lien.".into()))?;
    Ok((
        answer,
        Signature {
            exp: q.exp,
            sig: q.sig.clone(),
        },
    ))
}

/// GET `/candidature/{id}/reponse`: verifies the link and shows the form;
/// records nothing (HEAD runs the same handler).
pub(crate) async fn answer_page(
    State(state): State<AppState>,
    token: CsrfToken,
    Path(id): Path<String>,
    Query(q): Query<AnswerQuery>,
) -> Result<Response, PageError> {
    let (answer, signature) = parse(&q)?;
    let key = &state.apply.config.key;
    match answers::verify(&state.store, key, &id, answer, &signature, Utc::now()).await {
        Ok(a) => {
            let interview = answer == Answer::Interview;
            Ok(token.attach(render(
                StatusCode::OK,
                &AnswerPage {
                    meta: Meta::new(
                        "Votre réponse au candidat – La bonne alternance",
                        "Répondre à une candidature",
                    ),
                    a,
                    interview,
                    action_url: links::answer_path(&id, answer.as_str(), &signature),
                    csrf: token.value().to_owned(),
                    default_message: lba_app::lba_notify::email::default_answer_message(interview),
                    reasons: &REFUSAL_REASONS,
                },
            )))
        }
        Err(e) => refused(e),
    }
}

/// POST `/candidature/{id}/reponse`: with the page's CSRF token, confirm
/// (message, reasons: the answer is recorded and sent now) or cancel
/// (nothing is sent).
pub(crate) async fn answer_submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<AnswerQuery>,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, PageError> {
    let fields = fields(form);
    if !csrf::verify(&headers, field(&fields, csrf::FIELD)) {
        return Ok(csrf_refused());
    }
    let (answer, signature) = parse(&q)?;
    let key = &state.apply.config.key;
    let now = Utc::now();
    if field(&fields, "decision") == Some("annuler") {
        return match answers::cancel(&state.store, key, &id, answer, &signature, now).await {
            Ok(()) => Ok(info(
                StatusCode::OK,
                "Réponse annulée",
                "Rien ne sera envoyé au candidat. Vous pouvez rouvrir le lien de l'e-mail pour répondre plus tard.",
            )),
            Err(e) => refused(e),
        };
    }
    let reasons: Vec<String> = fields
        .iter()
        .filter(|(k, _)| k == "raisons")
        .map(|(_, v)| v.clone())
        .collect();
    match answers::confirm(
        &state.store,
        key,
        &id,
        answer,
        &signature,
        answers::Reply {
            message: field(&fields, "message").unwrap_or_default(),
            reasons: &reasons,
        },
        now,
    )
    .await
    {
        Ok(()) => Ok(info(
            StatusCode::OK,
            "Réponse envoyée",
            "Merci : votre réponse part vers le candidat dans quelques instants.",
        )),
        Err(e) => refused(e),
    }
}

/// GET `/candidature/{id}/suppression`: asks for confirmation; deletes
/// nothing.
pub(crate) async fn deletion_page(
    State(state): State<AppState>,
    token: CsrfToken,
    Path(id): Path<String>,
    Query(q): Query<SignedQuery>,
) -> Result<Response, PageError> {
    let signature = Signature {
        exp: q.exp,
        sig: q.sig,
    };
    let message = lba_app::lba_notify::links::deletion_message(&id);
    if let Err(e) = state
        .apply
        .config
        .key
        .verify(&message, &signature, Utc::now())
    {
        return refused(e.into());
    }
    Ok(token.attach(render(
        StatusCode::OK,
        &InfoPage {
            meta: Meta::new("Supprimer mes données – La bonne alternance", "Supprimer une candidature"),
            heading: "Supprimer mes données",
            message: "Votre candidature, votre CV et vos coordonnées seront supprimés de La bonne alternance. Le recruteur garde l'e-mail qu'il a déjà reçu.".into(),
            form_url: Some(links::deletion_path(&id, &signature)),
            csrf: Some(token.value().to_owned()),
            button: "Supprimer définitivement",
        },
    )))
}

/// POST `/candidature/{id}/suppression`: with the page's CSRF token,
/// deletes.
pub(crate) async fn deletion_submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<SignedQuery>,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, PageError> {
    if !csrf::verify(&headers, field(&fields(form), csrf::FIELD)) {
        return Ok(csrf_refused());
    }
    let signature = Signature {
        exp: q.exp,
        sig: q.sig,
    };
    match answers::delete(
        &state.store,
        &state.apply.config.key,
        &id,
        &signature,
        Utc::now(),
    )
    .await
    {
        Ok(()) => Ok(info(
            StatusCode::OK,
            "Données supprimées",
            "Votre candidature et vos données ont été supprimées.",
        )),
        Err(e) => refused(e),
    }
}
