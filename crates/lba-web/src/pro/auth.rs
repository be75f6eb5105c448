//! Sign-in by magic link: the form (same answer whether or not the address
//! has an account), the link that opens a session, logging out (this
//! session, or every session of the account).

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use lba_app::lba_notify::Signature;
use lba_app::pro::auth::{self, LinkProblem};
use lba_app::pro::{Pro, ProError};

use super::session::{self, ProUser};
use super::views;
use crate::AppState;
use crate::apply_state::ClientIp;

/// GET `/pro/connexion`.
pub(crate) async fn login_page() -> Response {
    views::login(StatusCode::OK, "", None, false)
}

/// The sign-in form.
#[derive(serde::Deserialize)]
pub(crate) struct LoginForm {
    #[serde(default)]
    email: String,
}

/// A keyed hash of the client's address (rate limits without keeping it).
pub(crate) fn client_hash(state: &AppState, ip: Option<std::net::IpAddr>) -> Option<String> {
    ip.map(|ip| {
        state
            .apply
            .config
            .key
            .keyed_hash(&format!("pro-client:{ip}"))
    })
}

/// POST `/pro/connexion`: mails a link when the address has an account;
/// the page says the same either way.
pub(crate) async fn login_submit(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Form(form): Form<LoginForm>,
) -> Response {
    let client = client_hash(&state, ip);
    match auth::request_link(&state.store, &form.email, client.as_deref(), Utc::now()).await {
        Ok(_) => views::login(StatusCode::OK, &form.email, None, true),
        Err(ProError::Fields(errors)) => views::login(
            StatusCode::UNPROCESSABLE_ENTITY,
            &form.email,
            errors.into_iter().next().map(|e| e.1),
            false,
        ),
        Err(ProError::TooMany) => {
            let mut r = views::login(
                StatusCode::TOO_MANY_REQUESTS,
                &form.email,
                Some("Trop de demandes de lien pour le moment. Réessayez dans une heure.".into()),
                false,
            );
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("3600"));
            r
        }
        Err(e) => unavailable(&e),
    }
}

/// The 503 page of a failed use case.
pub(crate) fn unavailable(e: &ProError) -> Response {
    tracing::error!(error = %e, "pro space: use case failed");
    views::message(
        StatusCode::SERVICE_UNAVAILABLE,
        "Service indisponible",
        "Le service est momentanément indisponible. Réessayez dans un instant.",
    )
}

/// The query of a sign-in link.
#[derive(serde::Deserialize)]
pub(crate) struct LinkQuery {
    #[serde(default)]
    id: String,
    #[serde(default)]
    exp: i64,
    #[serde(default)]
    sig: String,
}

/// GET `/pro/connexion/lien`: a good link opens a session (a new id, in a
/// new cookie) and goes to the dashboard; any other gets a French page
/// saying why, with a way to ask for a new link.
pub(crate) async fn open_link(
    State(state): State<AppState>,
    Query(q): Query<LinkQuery>,
) -> Response {
    let signature = Signature {
        exp: q.exp,
        sig: q.sig,
    };
    let key = &state.apply.config.key;
    match auth::sign_in(&state.store, key, &q.id, &signature, Utc::now()).await {
        Ok(Ok(signed)) => {
            let mut r = Redirect::to("/pro").into_response();
            let cookie = session::set_cookie(&signed.cookie, crate::csrf::secure_cookies(&state));
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                r.headers_mut().insert(header::SET_COOKIE, v);
            }
            r
        }
        Ok(Err(problem)) => {
            let (status, heading, text) = match problem {
                LinkProblem::Expired => (
                    StatusCode::GONE,
                    "Lien expiré",
                    "Ce lien de connexion a expiré : il n'est valable que 15 minutes. Demandez-en un nouveau.",
                ),
                LinkProblem::Used => (
                    StatusCode::GONE,
                    "Lien déjà utilisé",
                    "Ce lien de connexion a déjà servi : chaque lien ne marche qu'une fois. Demandez-en un nouveau.",
                ),
                LinkProblem::NoAccount => (
                    StatusCode::FORBIDDEN,
                    "Compte inactif",
                    "Aucun compte actif n'existe pour cette adresse. Si votre compte attend une validation, vous recevrez un e-mail.",
                ),
                LinkProblem::Invalid => (
                    StatusCode::BAD_REQUEST,
                    "Lien invalide",
                    "Ce lien de connexion n'est pas valide : il a peut-être été coupé par votre messagerie. Demandez-en un nouveau.",
                ),
            };
            crate::operator::views::message_back(
                status,
                heading,
                text,
                Some("/pro/connexion".to_owned()),
            )
        }
        Err(e) => unavailable(&e),
    }
}

/// The CSRF field of a form.
#[derive(serde::Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: Option<String>,
}

/// Revokes `pro`'s session and clears the cookie (also the operator
/// pages' logout).
pub(crate) async fn end_session(state: &AppState, pro: &Pro) -> Response {
    if let Err(e) = auth::log_out(&state.store, pro, Utc::now()).await {
        return unavailable(&e);
    }
    cleared(Redirect::to("/pro/connexion").into_response())
}

fn cleared(mut r: Response) -> Response {
    if let Ok(v) = HeaderValue::from_str(&session::clear_cookie()) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

/// POST `/pro/deconnexion`.
pub(crate) async fn logout(
    State(state): State<AppState>,
    pro: ProUser,
    Form(form): Form<CsrfForm>,
) -> Response {
    if !pro.csrf_ok(form.csrf.as_deref()) {
        return session::csrf_refused();
    }
    end_session(&state, &pro.0).await
}

/// POST `/pro/deconnexion-partout`: every session of the account.
pub(crate) async fn logout_everywhere(
    State(state): State<AppState>,
    pro: ProUser,
    Form(form): Form<CsrfForm>,
) -> Response {
    if !pro.csrf_ok(form.csrf.as_deref()) {
        return session::csrf_refused();
    }
    match auth::log_out_everywhere(&state.store, &pro.0, Utc::now()).await {
        Ok(_) => cleared(Redirect::to("/pro/connexion").into_response()),
        Err(e) => unavailable(&e),
    }
}
