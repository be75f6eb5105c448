//! Login and logout of the operator pages.

use axum::Form;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;

use super::session::{self, NoOperator, Operator};
use super::views;
use crate::AppState;

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

/// POST `/operateur/connexion`: right secret → session cookie and 303 to
/// the campaigns; wrong → the form again (401).
pub(crate) async fn login_submit(
    State(state): State<AppState>,
    Form(form): Form<LoginForm>,
) -> Response {
    let keys = match session::keys(&state) {
        Ok(k) => k,
        Err(e) => return e.into_response(),
    };
    if !keys.check_secret(&form.secret) {
        tracing::info!("operator login refused");
        return views::login(StatusCode::UNAUTHORIZED, Some("Secret incorrect."));
    }
    let value = keys.new_session(Utc::now());
    let secure = crate::csrf::secure_cookies(&state);
    let mut response = Redirect::to("/operateur/campagnes").into_response();
    if let Ok(cookie) = HeaderValue::from_str(&session::set_cookie(&value, secure)) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    tracing::info!("operator signed in");
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
