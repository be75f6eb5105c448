//! The public routes of campaign messages:
//!
//! - `GET /c/{code}`: a tracked link; the click is recorded as a message
//!   event, then a 303 to the stored target (only the stored target: the
//!   redirect cannot send anyone elsewhere); an unknown code is the French
//!   404 page. The only GET of the site that writes, on purpose: it is
//!   tracking, not an action taken for the recipient (a mail scanner
//!   opening the link counts as a click in the report, nothing more).
//! - `GET /desinscription?m=…&exp=…&sig=…`: the unsubscribe link of an
//!   e-mail (signed over the channel and address of message `m`, which the
//!   URL does not carry); shows a confirmation button. `POST` to the same
//!   address unsubscribes (the button, or the mail client's one-click
//!   `List-Unsubscribe-Post` of RFC 8058): suppression `opt_out` and an
//!   `unsubscribed` event. A modified link is a 400 page. The GET writes
//!   nothing. The POST takes no CSRF token, on purpose: the one-click POST
//!   comes from the mail provider without any cookie, and a token required
//!   from the button only would protect nothing (whoever holds the signed
//!   link can send the one-click body). The signed link is the
//!   capability, and all it allows is unsubscribing its own recipient.
//! - `POST /api/webhooks/messages`: delivery events of the e-mail and SMS
//!   providers, with the `X-Webhook-Secret` header (compared in constant
//!   time; 401 without it, 503 when no secret is configured). One event or
//!   an array: `{"event": "delivered" | "hard_bounce" | "soft_bounce" |
//!   "complaint" | "stop" | "unsubscribed", "message_id"?: provider id,
//!   "recipient"?: address or number}`. Hard bounces, complaints, STOP and
//!   unsubscriptions suppress the contact; other event names are ignored.

use askama::Template;
use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use lba_app::campaigns::events::{self, ProviderEvent, UnsubscribeError, Unsubscription};
use lba_app::error_codes::{self, ErrorCode};
use lba_app::lba_notify::Signature;
use lba_app::lba_notify::links::{self, LinkError};
use lba_campaign::segment::Channel;
use serde::Deserialize;
use subtle::ConstantTimeEq;

use crate::AppState;
use crate::error::http_status;
use crate::pages::{Meta, PageError, render};

/// The routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/c/{code}", get(click))
        .route(
            "/desinscription",
            get(unsubscribe_page).post(unsubscribe_submit),
        )
        .route("/api/webhooks/messages", post(webhook))
}

/// GET `/c/{code}`.
async fn click(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let plausible = (1..=64).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !plausible {
        return Err(PageError::NotFound);
    }
    let Some(target) = events::click(&state.store, &code, Utc::now()).await? else {
        return Err(PageError::NotFound);
    };
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, target)], "").into_response();
    // Later pages (learning modules…) know the person, campaign and arm.
    if let Some(message) = lba_app::attribution::link_message(&state.store, &code).await?
        && let Some(cookie) = crate::visitor::tracking_cookie(&state, message)
    {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

#[derive(Template)]
#[template(path = "candidature_info.html")]
struct InfoPage {
    meta: Meta,
    heading: &'static str,
    message: String,
    form_url: Option<String>,
    /// Always `None`: the unsubscribe POST needs no CSRF token (see the
    /// module header).
    csrf: Option<String>,
    button: &'static str,
}

fn info(
    status: StatusCode,
    heading: &'static str,
    message: impl Into<String>,
    form_url: Option<String>,
) -> Response {
    render(
        status,
        &InfoPage {
            meta: Meta {
                title: format!("{heading} – La bonne alternance"),
                description: heading.to_owned(),
            },
            heading,
            message: message.into(),
            form_url,
            csrf: None,
            button: "Confirmer la désinscription",
        },
    )
}

#[derive(Debug, Deserialize)]
struct UnsubscribeQuery {
    m: Option<String>,
    exp: Option<String>,
    sig: Option<String>,
}

fn incomplete_link() -> Response {
    bad_link("Le lien est incomplet (paramètres m, exp et sig attendus).")
}

fn bad_link(message: &str) -> Response {
    info(
        StatusCode::BAD_REQUEST,
        "Lien de désinscription invalide",
        format!("{message} Utilisez le lien reçu par e-mail, sans le modifier."),
        None,
    )
}

/// The message id and signature of an unsubscribe link, when present.
fn link_of(q: &UnsubscribeQuery) -> Option<(i64, Signature)> {
    let parsed = (
        q.m.as_deref().and_then(|m| m.parse::<i64>().ok()),
        q.exp.as_deref().and_then(|e| e.parse::<i64>().ok()),
        q.sig.as_deref().filter(|s| !s.is_empty()),
    );
    let (Some(id), Some(exp), Some(sig)) = parsed else {
        return None;
    };
    Some((
        id,
        Signature {
            exp,
            sig: sig.to_owned(),
        },
    ))
}

/// The outcome of an unsubscribe use case, or the page to show when the
/// link is refused.
fn link_checked(
    outcome: Result<Unsubscription, UnsubscribeError>,
) -> Result<Result<Unsubscription, Response>, PageError> {
    match outcome {
        Ok(u) => Ok(Ok(u)),
        Err(UnsubscribeError::UnknownMessage) => {
            Ok(Err(bad_link("Ce lien ne correspond à aucun message.")))
        }
        Err(UnsubscribeError::Link(LinkError::Invalid)) => {
            Ok(Err(bad_link("Ce lien n'est pas valide.")))
        }
        Err(UnsubscribeError::Link(LinkError::Expired)) => Ok(Err(bad_link("Ce lien a expiré."))),
        Err(UnsubscribeError::Store(e)) => Err(PageError::Store(e)),
    }
}

fn channel_label(channel: &str) -> &'static str {
    if Channel::parse(channel) == Some(Channel::Sms) {
        "SMS"
    } else {
        "e-mails"
    }
}

/// GET `/desinscription`: the confirmation page.
async fn unsubscribe_page(
    State(state): State<AppState>,
    Query(q): Query<UnsubscribeQuery>,
) -> Result<Response, PageError> {
    let Some((id, signature)) = link_of(&q) else {
        return Ok(incomplete_link());
    };
    let key = &state.apply.config.key;
    let outcome = events::unsubscribe_link(&state.store, key, id, &signature, Utc::now()).await;
    let u = match link_checked(outcome)? {
        Ok(u) => u,
        Err(page) => return Ok(page),
    };
    let url = links::unsubscribe_path(id, &signature);
    let label = channel_label(&u.channel);
    if u.already {
        return Ok(info(
            StatusCode::OK,
            "Vous êtes déjà désinscrit",
            format!("Vous ne recevez plus de {label} de La bonne alternance."),
            None,
        ));
    }
    Ok(info(
        StatusCode::OK,
        "Se désinscrire",
        format!(
            "Confirmez pour ne plus recevoir de {label} de La bonne alternance à cette adresse, \
             quelle que soit la campagne."
        ),
        Some(url),
    ))
}

/// POST `/desinscription`: unsubscribes (button or RFC 8058 one-click).
async fn unsubscribe_submit(
    State(state): State<AppState>,
    Query(q): Query<UnsubscribeQuery>,
) -> Result<Response, PageError> {
    let Some((id, signature)) = link_of(&q) else {
        return Ok(incomplete_link());
    };
    let key = &state.apply.config.key;
    let outcome = events::unsubscribe(&state.store, key, id, &signature, Utc::now()).await;
    let u = match link_checked(outcome)? {
        Ok(u) => u,
        Err(page) => return Ok(page),
    };
    Ok(info(
        StatusCode::OK,
        "Vous êtes désinscrit",
        format!(
            "Vous ne recevrez plus de {} de La bonne alternance.",
            channel_label(&u.channel)
        ),
        None,
    ))
}

/// A webhook answer.
fn webhook_error(code: ErrorCode, field: Option<&str>, message: &str) -> Response {
    let status = http_status(code);
    let mut body = serde_json::json!({ "error": code.code(), "message": message });
    if let Some(field) = field {
        body["field"] = serde_json::Value::String(field.to_owned());
    }
    (status, Json(body)).into_response()
}

/// Constant-time comparison (length apart), by `subtle`.
fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    given.ct_eq(expected).into()
}

fn parse_events(body: &[u8]) -> Result<Vec<ProviderEvent>, (String, String)> {
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| ("body".to_owned(), format!("JSON invalide : {e}")))?;
    let (items, array) = match value {
        serde_json::Value::Array(items) => (items, true),
        other => (vec![other], false),
    };
    let mut events = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let path = |f: &str| {
            if array {
                format!("[{i}].{f}")
            } else {
                f.to_owned()
            }
        };
        let serde_json::Value::Object(map) = item else {
            let field = if array {
                format!("[{i}]")
            } else {
                "body".to_owned()
            };
            return Err((field, "un objet JSON est attendu".into()));
        };
        let event = match map.get("event") {
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s.trim().to_lowercase(),
            _ => {
                return Err((
                    path("event"),
                    "chaîne obligatoire (delivered, hard_bounce…)".into(),
                ));
            }
        };
        let message_id = match map.get("message_id") {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) => Some(s.trim().to_owned()),
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            Some(_) => return Err((path("message_id"), "chaîne ou nombre attendu".into())),
        };
        let recipient = match map.get("recipient") {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) => Some(s.trim().to_owned()),
            Some(_) => return Err((path("recipient"), "chaîne attendue".into())),
        };
        events.push(ProviderEvent {
            event,
            message_id,
            recipient,
        });
    }
    Ok(events)
}

/// POST `/api/webhooks/messages`.
async fn webhook(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(secret) = state
        .ops
        .webhook_secret
        .as_deref()
        .filter(|s| !s.is_empty())
    else {
        return webhook_error(
            error_codes::UNAVAILABLE,
            None,
            "Aucun secret de webhook configuré (LBA_WEBHOOK_SECRET) : les événements sont refusés.",
        );
    };
    let given = headers
        .get("x-webhook-secret")
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !same_secret(given, secret.as_bytes()) {
        return webhook_error(
            error_codes::UNAUTHORIZED,
            None,
            "En-tête X-Webhook-Secret absent ou incorrect.",
        );
    }
    let batch = match parse_events(&body) {
        Ok(batch) => batch,
        Err((field, message)) => {
            return webhook_error(
                error_codes::INVALID_REQUEST,
                Some(&field),
                &format!("{field} : {message}"),
            );
        }
    };
    match events::record(&state.store, &batch, Utc::now()).await {
        Ok(events::Recorded { recorded, ignored }) => (
            StatusCode::OK,
            Json(serde_json::json!({ "recorded": recorded, "ignored": ignored })),
        )
            .into_response(),
        Err(e) => crate::AppError::Unavailable(e).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret(b"abc", b"abc"));
        assert!(!same_secret(b"abd", b"abc"));
        assert!(!same_secret(b"ab", b"abc"));
        assert!(!same_secret(b"", b"abc"));
    }

    #[test]
    fn bad_events_name_the_field() {
        let field = |body: &str| parse_events(body.as_bytes()).err().map(|(f, _)| f);
        assert_eq!(field("{"), Some("body".into()));
        assert_eq!(field("{}"), Some("event".into()));
        assert_eq!(
            field(r#"[{"event":"delivered"},{"event":3}]"#),
            Some("[1].event".into())
        );
        assert_eq!(
            field(r#"{"event":"delivered","message_id":[1]}"#),
            Some("message_id".into())
        );
        assert_eq!(
            field(r#"{"event":"stop","recipient":5}"#),
            Some("recipient".into())
        );
        assert_eq!(
            field(r#"{"event":"stop","recipient":"+33612345678"}"#),
            None
        );
    }
}
