//! The pages behind the signed links of application emails: the
//! recruiter's answer (`/candidature/{id}/reponse`) and the candidate's
//! deletion request (`/candidature/{id}/suppression`). Both change data
//! only on POST (a GET records the intention only, as the answer flow
//! specifies), and every link is verified before anything is shown.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use lba_app::answers::{self, Answer, AnswerError};
use lba_app::lba_notify::Signature;
use lba_core::application::REFUSAL_REASONS;
use lba_store::applications::StoredApplication;
use serde::Deserialize;

use super::{Meta, PageError, render};
use crate::AppState;

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
    a: StoredApplication,
    interview: bool,
    action_url: String,
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
    button: &'static str,
}

fn info(status: StatusCode, heading: &'static str, message: impl Into<String>) -> Response {
    render(
        status,
        &InfoPage {
            meta: Meta::new(format!("{heading} – La bonne alternance"), heading),
            heading,
            message: message.into(),
            form_url: None,
            button: "",
        },
    )
}

pub(super) fn refused(error: AnswerError) -> Result<Response, PageError> {
    match error {
        AnswerError::Store(e) => Err(PageError::Store(e)),
        AnswerError::Link(e) => Ok(info(
            StatusCode::FORBIDDEN,
            "Lien invalide",
            format!(
                "{} : utilisez le lien reçu par e-mail, sans le modifier.",
                capitalize(&e.to_string())
            ),
        )),
        AnswerError::NotFound => Ok(info(
            StatusCode::NOT_FOUND,
            "Candidature introuvable",
            capitalize(&error.to_string()) + ".",
        )),
        AnswerError::AlreadySent => Ok(info(
            StatusCode::CONFLICT,
            "Réponse déjà envoyée",
            capitalize(&error.to_string()) + ".",
        )),
        AnswerError::Invalid(message) => Ok(info(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Réponse incomplète",
            message,
        )),
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
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

/// GET `/candidature/{id}/reponse`: records the intention, shows the form.
pub(crate) async fn answer_page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<AnswerQuery>,
) -> Result<Response, PageError> {
    let (answer, signature) = parse(&q)?;
    let key = &state.apply.config.key;
    match answers::open(&state.store, key, &id, answer, &signature, Utc::now()).await {
        Ok(a) => {
            let interview = answer == Answer::Interview;
            Ok(render(
                StatusCode::OK,
                &AnswerPage {
                    meta: Meta::new(
                        "Votre réponse au candidat – La bonne alternance",
                        "Répondre à une candidature",
                    ),
                    a,
                    interview,
                    action_url: format!(
                        "/candidature/{id}/reponse?action={}&{}",
                        answer.as_str(),
                        signature.query()
                    ),
                    default_message: lba_app::lba_notify::email::default_answer_message(interview),
                    reasons: &REFUSAL_REASONS,
                },
            ))
        }
        Err(e) => refused(e),
    }
}

/// POST `/candidature/{id}/reponse`: confirm (message, reasons) or cancel.
pub(crate) async fn answer_submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<AnswerQuery>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (answer, signature) = parse(&q)?;
    let key = &state.apply.config.key;
    let value = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let now = Utc::now();
    if value("decision") == Some("annuler") {
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
            message: value("message").unwrap_or_default(),
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

/// GET `/candidature/{id}/suppression`: asks for confirmation.
pub(crate) async fn deletion_page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<SignedQuery>,
) -> Result<Response, PageError> {
    let signature = Signature {
        exp: q.exp,
        sig: q.sig,
    };
    let message = lba_app::lba_notify::worker::deletion_message(&id);
    if let Err(e) = state
        .apply
        .config
        .key
        .verify(&message, &signature, Utc::now())
    {
        return refused(e.into());
    }
    Ok(render(
        StatusCode::OK,
        &InfoPage {
            meta: Meta::new("Supprimer mes données – La bonne alternance", "Supprimer une candidature"),
            heading: "Supprimer mes données",
            message: "Votre candidature, votre CV et vos coordonnées seront supprimés de La bonne alternance. Le recruteur garde l'e-mail qu'il a déjà reçu.".into(),
            form_url: Some(format!("/candidature/{id}/suppression?{}", signature.query())),
            button: "Supprimer définitivement",
        },
    ))
}

/// POST `/candidature/{id}/suppression`: deletes.
pub(crate) async fn deletion_submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<SignedQuery>,
) -> Result<Response, PageError> {
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
