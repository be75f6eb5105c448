//! Login (limited per client address and globally, see `limit`) and
//! logout of the operator pages.

use axum::Form;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use std::time::Duration;

use super::limit::Attempt;
use super::session::{self, NoOperator, Operator};
use super::views;
use crate::AppState;
use crate::apply_state::ClientIp;

/// GET `/operateur/connexion`.
pub(crate) async fn login_page(State(state): State<AppState>) -> Response {
    match session::keys(&state) {
        Ok(_) => views::login(StatusCode::OK, None),
        Err(e) => e.into_response(),
    }
}

/// The login form.
#[derive(serde::Deserialize)]
pub(crate) struct LoginForm {
    #[serde(default)]
    secret: String,
}

/// How many whole seconds `d` is, rounded up, at least 1.
fn whole_seconds(d: Duration) -> u64 {
    let secs = d.as_secs() + u64::from(d.subsec_nanos() > 0);
    secs.max(1)
}

/// The 429 page of a locked-out attempt, with `Retry-After`.
fn too_many(retry_after: Duration) -> Response {
    let secs = whole_seconds(retry_after);
    let unit = if secs == 1 { "seconde" } else { "secondes" };
    let mut response = views::login(
        StatusCode::TOO_MANY_REQUESTS,
        Some(&format!(
            "Trop de tentatives. Réessayez dans {secs} {unit}."
        )),
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    response
}

/// POST `/operateur/connexion`: right secret → session cookie and 303 to
/// the campaigns; wrong → the form again (401); too many failures from the
/// address or from everyone → 429 with `Retry-After`, whatever the secret
/// (see `limit`).
pub(crate) async fn login_submit(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Form(form): Form<LoginForm>,
) -> Response {
    let keys = match session::keys(&state) {
        Ok(k) => k,
        Err(e) => return e.into_response(),
    };
    let client = ip.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
    match state
        .ops
        .login_guard
        .attempt(ip, || keys.check_secret(&form.secret))
    {
        Attempt::Locked {
            retry_after,
            global,
        } => {
            tracing::warn!(
                client = %client,
                retry_after_s = whole_seconds(retry_after),
                global,
                "operator login refused: too many failed attempts"
            );
            return too_many(retry_after);
        }
        Attempt::Wrong => {
            tracing::warn!(client = %client, "operator login refused: wrong secret");
            return views::login(StatusCode::UNAUTHORIZED, Some("Secret incorrect."));
        }
        Attempt::Granted => {}
    }
    let value = keys.new_session(Utc::now());
    let secure = crate::csrf::secure_cookies(&state);
    let mut response = Redirect::to("/operateur/campagnes").into_response();
    if let Ok(cookie) = HeaderValue::from_str(&session::set_cookie(&value, secure)) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    tracing::info!(client = %client, "operator signed in");
    response
}

/// The CSRF field of a form.
#[derive(serde::Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: Option<String>,
}

/// POST `/operateur/deconnexion`: ends the session.
pub(crate) async fn logout(operator: Operator, Form(form): Form<CsrfForm>) -> Response {
    if !operator.csrf_ok(form.csrf.as_deref()) {
        return session::csrf_refused();
    }
    let mut response = Redirect::to("/operateur/connexion").into_response();
    if let Ok(cookie) = HeaderValue::from_str(&session::clear_cookie()) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

/// GET `/operateur`: to the campaigns (or the login page).
pub(crate) async fn home(operator: Result<Operator, NoOperator>) -> Response {
    match operator {
        Ok(_) => Redirect::to("/operateur/campagnes").into_response(),
        Err(e) => e.into_response(),
    }
}
