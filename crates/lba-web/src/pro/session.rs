//! The pro-space session (extractor): the `lba_pro` cookie holds a random
//! id whose SHA-256 names a row of `pro_sessions` (`lba_app::pro::auth`).
//! HttpOnly, SameSite=Lax (the magic link arrives from a mail client, a
//! cross-site navigation), Secure when the site is served over https,
//! Path=/ (the operator pages under `/operateur` use it too). Every POST
//! form carries the session's CSRF token, compared in constant time.

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use lba_app::pro::Pro;
use lba_core::pro::Role;
use subtle::ConstantTimeEq;

use crate::AppState;
use crate::csrf::cookie_value;
use crate::operator::views;

/// Name of the session cookie.
pub(crate) const COOKIE: &str = "lba_pro";

/// The `Set-Cookie` of a new session (30 days, renewed by use).
pub(crate) fn set_cookie(value: &str, secure: bool) -> String {
    format!(
        "{COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        lba_app::pro::auth::SESSION_DAYS * 86_400,
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` that ends a session in the browser.
pub(crate) fn clear_cookie() -> String {
    format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// A signed-in professional (extractor).
#[derive(Clone, Debug)]
pub(crate) struct ProUser(pub(crate) Pro);

impl ProUser {
    /// Whether `token` is this session's CSRF token.
    pub(crate) fn csrf_ok(&self, token: Option<&str>) -> bool {
        token.is_some_and(|t| bool::from(t.as_bytes().ct_eq(self.0.csrf.as_bytes())))
    }

    /// The 403 page unless the account has one of `roles`.
    pub(crate) fn refused_unless(&self, roles: &[Role]) -> Option<Response> {
        (!roles.contains(&self.0.role)).then(forbidden)
    }
}

/// The 403 page of a role that may not see a page.
pub(crate) fn forbidden() -> Response {
    views::message_back(
        StatusCode::FORBIDDEN,
        "Accès réservé",
        "Votre compte ne donne pas accès à cette page.",
        Some("/pro".to_owned()),
    )
}

/// Not signed in: to the sign-in page (303); the database failed: 503.
pub(crate) enum NoSession {
    Login,
    Unavailable,
}

impl IntoResponse for NoSession {
    fn into_response(self) -> Response {
        match self {
            Self::Login => Redirect::to("/pro/connexion").into_response(),
            Self::Unavailable => views::message(
                StatusCode::SERVICE_UNAVAILABLE,
                "Service indisponible",
                "Le service est momentanément indisponible. Réessayez dans un instant.",
            ),
        }
    }
}

/// The professional of the request's cookie, if its session is live.
pub(crate) async fn current(parts: &Parts, state: &AppState) -> Result<Option<Pro>, NoSession> {
    let Some(value) = cookie_value(&parts.headers, COOKIE) else {
        return Ok(None);
    };
    lba_app::pro::auth::session(&state.store, value, Utc::now())
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "pro session lookup failed");
            NoSession::Unavailable
        })
}

impl FromRequestParts<AppState> for ProUser {
    type Rejection = NoSession;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        current(parts, state)
            .await?
            .map(Self)
            .ok_or(NoSession::Login)
    }
}

/// A 403 page for a POST without a valid CSRF token.
pub(crate) fn csrf_refused() -> Response {
    views::message(
        StatusCode::FORBIDDEN,
        "Formulaire expiré",
        "Le jeton de sécurité du formulaire est absent ou invalide. Rechargez la page et recommencez.",
    )
}
