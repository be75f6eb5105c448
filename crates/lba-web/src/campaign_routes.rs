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
use lba_app::lba_notify::Signature;
use lba_app::lba_notify::campaign::verify_unsubscribe;
use lba_app::lba_notify::links::LinkError;
use lba_store::campaign_delivery::{EventKind, StoredMessage, SuppressionReason};
use serde::Deserialize;

use crate::AppState;
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
    let Some(link) = state.store.campaign_link(&code).await? else {
        return Err(PageError::NotFound);
    };
    state
        .store
        .insert_message_event(
            link.message_id,
            EventKind::Clicked,
            Some(&link.kind),
            Utc::now(),
        )
        .await?;
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, link.target)], "").into_response())
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

fn bad_link(message: &str) -> Response {
    info(
        StatusCode::BAD_REQUEST,
        "Lien de désinscription invalide",
        format!("{message} Utilisez le lien reçu par e-mail, sans le modifier."),
        None,
    )
}

/// The message of a verified unsubscribe link, or the page to show.
async fn verified(
    state: &AppState,
    q: &UnsubscribeQuery,
) -> Result<Result<(StoredMessage, String), Response>, PageError> {
    let parsed = (
        q.m.as_deref().and_then(|m| m.parse::<i64>().ok()),
        q.exp.as_deref().and_then(|e| e.parse::<i64>().ok()),
        q.sig.as_deref().filter(|s| !s.is_empty()),
    );
    let (Some(id), Some(exp), Some(sig)) = parsed else {
        return Ok(Err(bad_link(
            "Le lien est incomplet (paramètres m, exp et sig attendus).",
        )));
    };
    let Some(message) = state.store.campaign_message(id).await? else {
        return Ok(Err(bad_link("Ce lien ne correspond à aucun message.")));
    };
    let signature = Signature {
        exp,
        sig: sig.to_owned(),
    };
    match verify_unsubscribe(&state.apply.config.key, &message, &signature, Utc::now()) {
        Ok(()) => {
            let url = format!("/desinscription?m={id}&{}", signature.query());
            Ok(Ok((message, url)))
        }
        Err(LinkError::Invalid) => Ok(Err(bad_link("Ce lien n'est pas valide."))),
        Err(LinkError::Expired) => Ok(Err(bad_link("Ce lien a expiré."))),
    }
}

fn channel_label(channel: &str) -> &'static str {
    if channel == "sms" { "SMS" } else { "e-mails" }
}

/// GET `/desinscription`: the confirmation page.
async fn unsubscribe_page(
    State(state): State<AppState>,
    Query(q): Query<UnsubscribeQuery>,
) -> Result<Response, PageError> {
    let (message, url) = match verified(&state, &q).await? {
        Ok(ok) => ok,
        Err(page) => return Ok(page),
    };
    let label = channel_label(&message.channel);
    if state
        .store
        .suppression(&message.channel, &message.recipient)
        .await?
        .is_some()
    {
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
    let (message, _) = match verified(&state, &q).await? {
        Ok(ok) => ok,
        Err(page) => return Ok(page),
    };
    let now = Utc::now();
    if state
        .store
        .suppress(
            &message.channel,
            &message.recipient,
            SuppressionReason::OptOut,
            now,
        )
        .await?
    {
        state
            .store
            .insert_message_event(message.id, EventKind::Unsubscribed, None, now)
            .await?;
        tracing::info!(message = message.id, "unsubscribed from campaigns");
    }
    Ok(info(
        StatusCode::OK,
        "Vous êtes désinscrit",
        format!(
            "Vous ne recevrez plus de {} de La bonne alternance.",
            channel_label(&message.channel)
        ),
        None,
    ))
}

/// A webhook answer.
fn webhook_error(status: StatusCode, error: &str, field: Option<&str>, message: &str) -> Response {
    let mut body = serde_json::json!({ "error": error, "message": message });
    if let Some(field) = field {
        body["field"] = serde_json::Value::String(field.to_owned());
    }
    (status, Json(body)).into_response()
}

/// Constant-time comparison (length apart).
fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len()
        && given
            .iter()
            .zip(expected)
            .fold(0_u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// One provider event, validated.
struct ProviderEvent {
    event: String,
    message_id: Option<String>,
    recipient: Option<String>,
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

/// What an event name means: the event kind, its detail, and the
/// suppression it implies.
fn meaning(event: &str) -> Option<(EventKind, Option<&'static str>, Option<SuppressionReason>)> {
    Some(match event {
        "delivered" => (EventKind::Delivered, None, None),
        "hard_bounce" | "hardbounce" | "hard_bounced" => (
            EventKind::Bounced,
            Some("hard_bounce"),
            Some(SuppressionReason::HardBounce),
        ),
        "soft_bounce" | "softbounce" | "soft_bounced" => {
            (EventKind::Bounced, Some("soft_bounce"), None)
        }
        "complaint" | "spam" => (
            EventKind::Complained,
            None,
            Some(SuppressionReason::Complaint),
        ),
        "stop" => (EventKind::Stop, None, Some(SuppressionReason::Stop)),
        "unsubscribed" | "unsubscribe" => (
            EventKind::Unsubscribed,
            None,
            Some(SuppressionReason::OptOut),
        ),
        _ => return None,
    })
}

/// A phone number as stored (E.164), when it reads as a French one.
fn normalise_phone(raw: &str) -> Option<String> {
    lba_core::PhoneNumber::parse(raw)
        .or_else(|_| lba_core::PhoneNumber::parse(&format!("+{raw}")))
        .ok()
        .map(|p| p.e164().to_owned())
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
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
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
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            None,
            "En-tête X-Webhook-Secret absent ou incorrect.",
        );
    }
    let events = match parse_events(&body) {
        Ok(events) => events,
        Err((field, message)) => {
            return webhook_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                Some(&field),
                &format!("{field} : {message}"),
            );
        }
    };
    match record(&state, &events).await {
        Ok((recorded, ignored)) => (
            StatusCode::OK,
            Json(serde_json::json!({ "recorded": recorded, "ignored": ignored })),
        )
            .into_response(),
        Err(e) => crate::AppError::Unavailable(e).into_response(),
    }
}

async fn record(
    state: &AppState,
    events: &[ProviderEvent],
) -> Result<(usize, usize), lba_store::StoreError> {
    let store = &state.store;
    let now = Utc::now();
    let (mut recorded, mut ignored) = (0, 0);
    for e in events {
        let Some((kind, detail, suppression)) = meaning(&e.event) else {
            ignored += 1;
            continue;
        };
        let mut message = match &e.message_id {
            Some(id) if !id.is_empty() => store.message_by_provider_id(id).await?,
            _ => None,
        };
        // A recipient alone (a STOP reply carries only the number).
        let mut target: Option<(String, String)> = None;
        if let Some(recipient) = e.recipient.as_deref().filter(|r| !r.is_empty()) {
            let (channel, address) = if recipient.contains('@') {
                ("email", recipient.to_lowercase())
            } else {
                match normalise_phone(recipient) {
                    Some(phone) => ("sms", phone),
                    None => ("sms", recipient.to_owned()),
                }
            };
            if message.is_none() {
                message = store.last_message_to(channel, &address).await?;
            }
            target = Some((channel.to_owned(), address));
        }
        if let Some(m) = &message {
            target = Some((m.channel.clone(), m.recipient.clone()));
            store.insert_message_event(m.id, kind, detail, now).await?;
        }
        let Some((channel, address)) = target else {
            ignored += 1;
            continue;
        };
        if let Some(reason) = suppression {
            // STOP is an SMS reply whatever the message looked like.
            let channel = if kind == EventKind::Stop {
                "sms"
            } else {
                channel.as_str()
            };
            store.suppress(channel, &address, reason, now).await?;
        }
        recorded += 1;
    }
    tracing::info!(recorded, ignored, "delivery webhook");
    Ok((recorded, ignored))
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

    #[test]
    fn phones_are_normalised() {
        assert_eq!(
            normalise_phone("33612345678").as_deref(),
            Some("+33612345678")
        );
        assert_eq!(
            normalise_phone("06 12 34 56 78").as_deref(),
            Some("+33612345678")
        );
        assert_eq!(
            normalise_phone("+33612345678").as_deref(),
            Some("+33612345678")
        );
    }
}
