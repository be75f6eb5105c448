//! The CFA's answer to a contact request, behind the signed link of its
//! email (60 days): `GET /rendez-vous/{id}/reponse?exp=…&sig=…` shows the
//! request and marks it read (the issue asks for it; a mail scanner that
//! opens the link marks it read too, nothing else); the answer is recorded
//! only by the POST of its form, with the page's CSRF token: « Je l'ai
//! contacté par téléphone », « Je lui ai répondu par e-mail » (with the
//! message sent to them) or « Je ne peux pas donner suite » (with a
//! reason). A modified or expired link gets a clear page and changes
//! nothing.

use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::Utc;
use lba_app::appointments::{self, AnswerError, CfaAnswer, DeclineReason};
use lba_app::lba_notify::Signature;
use lba_app::lba_notify::links;
use lba_core::appointment::reason_label;
use serde::Deserialize;

use super::candidature::info;
use super::{Meta, PageError, render};
use crate::AppState;
use crate::csrf::{self, CsrfToken};

#[derive(Debug, Deserialize)]
pub(crate) struct SignedQuery {
    exp: i64,
    sig: String,
}

impl SignedQuery {
    fn signature(&self) -> Signature {
        Signature {
            exp: self.exp,
            sig: self.sig.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "rendez_vous_reponse.html")]
struct AnswerPage {
    meta: Meta,
    course: String,
    name: String,
    requester: &'static str,
    email: String,
    phone: String,
    reasons: Vec<&'static str>,
    message: Option<String>,
    answered: Option<String>,
    action_url: String,
    csrf: String,
    error: Option<&'static str>,
}

fn refused(error: AnswerError) -> Result<Response, PageError> {
    match error {
        AnswerError::Store(e) => Err(PageError::Store(e)),
        AnswerError::BadLink => Ok(info(
            StatusCode::FORBIDDEN,
            "Lien invalide",
            "Ce lien a été modifié ou est incomplet : rien n'a été enregistré. Utilisez le lien reçu par e-mail, sans le modifier.",
        )),
        AnswerError::Expired => Ok(info(
            StatusCode::GONE,
            "Lien expiré",
            "Ce lien n'est valable que 60 jours : rien n'a été enregistré. Vous pouvez recontacter directement la personne avec les coordonnées de l'e-mail.",
        )),
        AnswerError::Unknown => Ok(info(
            StatusCode::NOT_FOUND,
            "Demande introuvable",
            "Cette demande n'existe plus.",
        )),
    }
}

fn answered_text(a: &lba_app::appointments::Appointment) -> Option<String> {
    a.answer.as_deref().map(|answer| {
        match answer {
            "telephone" => "Vous avez indiqué l'avoir contacté par téléphone.",
            "email" => "Vous lui avez répondu par e-mail.",
            _ => "Vous avez indiqué ne pas pouvoir donner suite.",
        }
        .to_owned()
    })
}

async fn page(
    state: &AppState,
    token: &CsrfToken,
    id: &str,
    q: &SignedQuery,
    status: StatusCode,
    error: Option<&'static str>,
) -> Result<Response, PageError> {
    let key = &state.apply.config.key;
    match appointments::open(&state.store, key, id, &q.signature(), Utc::now()).await {
        Ok(a) => Ok(token.attach(render(
            status,
            &AnswerPage {
                meta: Meta::new(
                    "Demande de contact – La bonne alternance",
                    "Répondre à une demande de contact",
                ),
                course: a.course_title.clone(),
                name: format!("{} {}", a.first_name, a.last_name),
                requester: if a.requester == "parent" {
                    "un parent"
                } else {
                    "le jeune"
                },
                email: a.email.clone(),
                phone: a.phone.clone(),
                reasons: a.reasons.split(',').filter_map(reason_label).collect(),
                message: a.message.clone(),
                answered: answered_text(&a),
                action_url: links::appointment_path(id, &q.signature()),
                csrf: token.value().to_owned(),
                error,
            },
        ))),
        Err(e) => refused(e),
    }
}

/// GET `/rendez-vous/{id}/reponse`.
pub(crate) async fn answer_page(
    State(state): State<AppState>,
    token: CsrfToken,
    Path(id): Path<String>,
    Query(q): Query<SignedQuery>,
) -> Result<Response, PageError> {
    page(&state, &token, &id, &q, StatusCode::OK, None).await
}

/// POST `/rendez-vous/{id}/reponse`.
pub(crate) async fn answer_submit(
    State(state): State<AppState>,
    token: CsrfToken,
    Path(id): Path<String>,
    Query(q): Query<SignedQuery>,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, PageError> {
    let fields = form.map(|Form(f)| f).unwrap_or_default();
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    if !csrf::verify(
        &headers,
        Some(&field(csrf::FIELD))
            .filter(|v| !v.is_empty())
            .map(String::as_str),
    ) {
        return Ok(info(
            StatusCode::FORBIDDEN,
            "Formulaire expiré",
            "Le jeton de sécurité du formulaire est absent ou ne correspond pas : rien n'a été enregistré. Rouvrez le lien reçu par e-mail et recommencez.",
        ));
    }
    let answer = match field("reponse").as_str() {
        "telephone" => Some(CfaAnswer::Phoned),
        "email" => {
            let message = field("message");
            if message.is_empty() || message.chars().count() > 3_000 {
                None
            } else {
                Some(CfaAnswer::Emailed(message))
            }
        }
        "impossible" => DeclineReason::from_stored(&field("motif")).map(CfaAnswer::Declined),
        _ => None,
    };
    let Some(answer) = answer else {
        return page(
            &state,
            &token,
            &id,
            &q,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("Choisissez une réponse. Pour « répondu par e-mail », écrivez le message (3 000 caractères au plus) ; pour « ne peux pas donner suite », choisissez la raison."),
        )
        .await;
    };
    let key = &state.apply.config.key;
    match appointments::answer(&state.store, key, &id, &q.signature(), &answer, Utc::now()).await {
        Ok(true) => Ok(info(
            StatusCode::OK,
            "Réponse enregistrée",
            "Merci : la personne reçoit votre réponse par e-mail dans quelques instants.",
        )),
        Ok(false) => Ok(info(
            StatusCode::CONFLICT,
            "Réponse déjà enregistrée",
            "Vous aviez déjà répondu à cette demande : rien n'a été changé.",
        )),
        Err(e) => refused(e),
    }
}
