//! Visitor identity and campaign attribution, for every feature that keeps
//! something per visitor (learning modules now; orientation and CFA contact
//! later).
//!
//! - `lba_visiteur`: a first-party random id (UUID v4) signed with the
//!   site's link key, `<uuid>.<exp>.<sig>`; HttpOnly, SameSite=Lax, Secure
//!   when the public URL is https, one year. No third-party tracking.
//! - `lba_suivi`: set by the tracked-link route `/c/{code}`, the id of the
//!   campaign message clicked, `<message id>.<exp>.<sig>`, 30 days: later
//!   pages know the cohort person, campaign and arm.
//!
//! A modified or malformed cookie is refused with a clear 400 page
//! (nothing is stored); an expired one is replaced.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, TimeDelta, Utc};
use lba_app::attribution::Attribution;
use lba_app::lba_notify::links::LinkError;
use lba_app::lba_notify::{LinkKey, Signature};

use crate::AppState;
use crate::csrf::{cookie_value, secure_cookies};
use crate::pages::PageError;

/// Visitor cookie.
pub(crate) const VISITOR_COOKIE: &str = "lba_visiteur";
/// Campaign attribution cookie.
pub(crate) const TRACKING_COOKIE: &str = "lba_suivi";
const VISITOR_DAYS: i64 = 365;
const TRACKING_DAYS: i64 = 30;

fn visitor_message(id: &str) -> String {
    format!("visiteur:{id}")
}

fn tracking_message(message_id: i64) -> String {
    format!("suivi:{message_id}")
}

/// `<value>.<exp>.<sig>` of a signed cookie.
fn signed_value(key: &LinkKey, value: &str, message: &str, expires: DateTime<Utc>) -> String {
    let signature = key.sign(message, expires);
    format!("{value}.{}.{}", signature.exp, signature.sig)
}

fn split(cookie: &str) -> Option<(&str, Signature)> {
    let mut parts = cookie.splitn(3, '.');
    let value = parts.next()?;
    let exp = parts.next()?.parse().ok()?;
    let sig = parts.next()?.to_owned();
    Some((value, Signature { exp, sig }))
}

fn set_cookie(name: &str, value: &str, days: i64, secure: bool) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{}",
        days * 86_400,
        if secure { "; Secure" } else { "" }
    ))
    .ok()
}

/// The `Set-Cookie` of the tracking cookie for `message_id` (the click route).
pub(crate) fn tracking_cookie(state: &AppState, message_id: i64) -> Option<HeaderValue> {
    let key = &state.apply.config.key;
    let expires = Utc::now() + TimeDelta::days(TRACKING_DAYS);
    let value = signed_value(
        key,
        &message_id.to_string(),
        &tracking_message(message_id),
        expires,
    );
    set_cookie(
        TRACKING_COOKIE,
        &value,
        TRACKING_DAYS,
        secure_cookies(state),
    )
}

/// Why a cookie is refused.
#[derive(Debug)]
pub(crate) struct ForgedCookie;

impl IntoResponse for ForgedCookie {
    fn into_response(self) -> Response {
        PageError::Rejected {
            status: StatusCode::BAD_REQUEST,
            heading: "Identifiant de visite invalide",
            message: "Ton navigateur a envoyé un identifiant de visite modifié ou illisible : rien n'a été enregistré. Efface les cookies de ce site puis recharge la page.".to_owned(),
        }
        .into_response()
    }
}

/// The visitor of a request (extractor): their id, whether it is new (the
/// response must set the cookie: [`Visitor::attach`]) and the campaign
/// attribution when a tracked link was followed.
#[derive(Clone, Debug)]
pub(crate) struct Visitor {
    /// Random id (UUID v4, simple form).
    pub key: String,
    /// The campaign person, campaign and arm, when known.
    pub attribution: Option<Attribution>,
    set_cookie: Option<HeaderValue>,
}

impl Visitor {
    /// `response` with the visitor cookie set when the id is new.
    pub(crate) fn attach(&self, mut response: Response) -> Response {
        if let Some(cookie) = &self.set_cookie {
            response
                .headers_mut()
                .append(header::SET_COOKIE, cookie.clone());
        }
        response
    }

    /// The learner of the learning modules.
    pub(crate) fn learner(&self) -> lba_app::learning::Learner {
        lba_app::learning::Learner::new(&self.key, self.attribution.as_ref())
    }
}

fn well_formed_id(id: &str) -> bool {
    id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Reads a signed cookie: `Ok(None)` when absent or expired, `Err` when
/// modified or malformed.
fn read_signed<'a>(
    key: &LinkKey,
    cookie: Option<&'a str>,
    message: impl Fn(&str) -> Option<String>,
    now: DateTime<Utc>,
) -> Result<Option<&'a str>, ForgedCookie> {
    let Some(cookie) = cookie else {
        return Ok(None);
    };
    let (value, signature) = split(cookie).ok_or(ForgedCookie)?;
    let message = message(value).ok_or(ForgedCookie)?;
    match key.verify(&message, &signature, now) {
        Ok(()) => Ok(Some(value)),
        Err(LinkError::Expired) => Ok(None),
        Err(LinkError::Invalid) => Err(ForgedCookie),
    }
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let key = &state.apply.config.key;
        let now = Utc::now();
        let visitor = read_signed(
            key,
            cookie_value(&parts.headers, VISITOR_COOKIE),
            |id| well_formed_id(id).then(|| visitor_message(id)),
            now,
        )
        .map_err(IntoResponse::into_response)?;
        let tracking = read_signed(
            key,
            cookie_value(&parts.headers, TRACKING_COOKIE),
            |id| id.parse::<i64>().ok().map(tracking_message),
            now,
        )
        .map_err(IntoResponse::into_response)?;
        let attribution = match tracking.and_then(|id| id.parse::<i64>().ok()) {
            Some(id) => lba_app::attribution::attribution(&state.store, id)
                .await
                .map_err(|e| PageError::Store(e).into_response())?,
            None => None,
        };
        let (id, set_cookie) = match visitor {
            Some(id) => (id.to_owned(), None),
            None => {
                let id = uuid::Uuid::new_v4().simple().to_string();
                let value = signed_value(
                    key,
                    &id,
                    &visitor_message(&id),
                    now + TimeDelta::days(VISITOR_DAYS),
                );
                let cookie =
                    set_cookie(VISITOR_COOKIE, &value, VISITOR_DAYS, secure_cookies(state));
                (id, cookie)
            }
        };
        Ok(Self {
            key: id,
            attribution,
            set_cookie,
        })
    }
}

/// The visitor of a request when they already hold a valid cookie or came
/// through a campaign's tracked link, for records that are only a bonus (an
/// application that follows orientation results, a CFA request attributed
/// to a campaign arm): never refuses the request and never creates a
/// visitor.
pub(crate) struct KnownVisitor(pub Option<Known>);

/// A visitor with a valid cookie: the learner key and the campaign
/// attribution.
pub(crate) struct Known {
    learner: lba_app::learning::Learner,
    attribution: Option<Attribution>,
}

impl Known {
    pub(crate) fn learner(&self) -> &lba_app::learning::Learner {
        &self.learner
    }

    pub(crate) fn attribution(&self) -> Option<Attribution> {
        self.attribution.clone()
    }
}

impl FromRequestParts<AppState> for KnownVisitor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(
            match Visitor::from_request_parts(parts, state).await {
                // A new visitor counts only through a campaign attribution
                // (their key is then the person's).
                Ok(v) if v.set_cookie.is_none() || v.attribution.is_some() => Some(Known {
                    learner: v.learner(),
                    attribution: v.attribution,
                }),
                _ => None,
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_cookies_round_trip_and_refuse_changes() {
        let key = LinkKey::new(b"test key");
        let now = Utc::now();
        let id = "0123456789abcdef0123456789abcdef";
        let value = signed_value(&key, id, &visitor_message(id), now + TimeDelta::days(1));
        let message = |v: &str| well_formed_id(v).then(|| visitor_message(v));
        assert_eq!(
            read_signed(&key, Some(&value), message, now).ok(),
            Some(Some(id))
        );
        let forged = value.replacen('0', "1", 1);
        assert!(read_signed(&key, Some(&forged), message, now).is_err());
        assert!(read_signed(&key, Some("n'importe quoi"), message, now).is_err());
        assert_eq!(read_signed(&key, None, message, now).ok(), Some(None));
        let old = signed_value(&key, id, &visitor_message(id), now - TimeDelta::days(1));
        assert_eq!(read_signed(&key, Some(&old), message, now).ok(), Some(None));
    }
}
