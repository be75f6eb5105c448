//! Creating a company or a CFA account (`lba_app::pro::signup`): errors next
//! to the fields (422), the name and status once created.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use lba_app::pro::ProError;
use lba_app::pro::signup::{self, Contact};

use super::auth::{client_hash, unavailable};
use super::views::{Errors, SignupPage, meta};
use crate::AppState;
use crate::apply_state::ClientIp;
use crate::pages::render;

/// The sign-up form (both kinds).
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub(crate) struct SignupForm {
    #[serde(default)]
    siret: String,
    #[serde(default)]
    cfa: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    last_name: String,
    #[serde(default)]
    phone: String,
}

fn page(
    status: StatusCode,
    kind: &'static str,
    f: &SignupForm,
    errors: Errors,
    refused: Option<String>,
    done: Option<(String, bool)>,
) -> Response {
    render(
        status,
        &SignupPage {
            meta: meta(if kind == "cfa" {
                "Créer le compte d'un CFA"
            } else {
                "Créer le compte d'une entreprise"
            }),
            kind,
            id: if kind == "cfa" {
                f.cfa.clone()
            } else {
                f.siret.clone()
            },
            email: f.email.clone(),
            first_name: f.first_name.clone(),
            last_name: f.last_name.clone(),
            phone: f.phone.clone(),
            errors,
            refused,
            done,
        },
    )
}

/// GET `/pro/inscription/entreprise`.
pub(crate) async fn company_page() -> Response {
    page(
        StatusCode::OK,
        "entreprise",
        &SignupForm::default(),
        Errors::default(),
        None,
        None,
    )
}

/// GET `/pro/inscription/cfa`.
pub(crate) async fn cfa_page() -> Response {
    page(
        StatusCode::OK,
        "cfa",
        &SignupForm::default(),
        Errors::default(),
        None,
        None,
    )
}

async fn submit(
    state: AppState,
    ip: Option<std::net::IpAddr>,
    kind: &'static str,
    f: SignupForm,
) -> Response {
    let contact = Contact {
        email: f.email.clone(),
        first_name: f.first_name.clone(),
        last_name: f.last_name.clone(),
        phone: f.phone.clone(),
    };
    let client = client_hash(&state, ip);
    let now = Utc::now();
    let result = if kind == "cfa" {
        signup::cfa(&state.store, &f.cfa, &contact, client.as_deref(), now).await
    } else {
        signup::company(&state.store, &f.siret, &contact, client.as_deref(), now).await
    };
    match result {
        Ok(done) => page(
            StatusCode::OK,
            kind,
            &f,
            Errors::default(),
            None,
            Some((done.name, done.validated)),
        ),
        Err(ProError::Fields(errors)) => page(
            StatusCode::UNPROCESSABLE_ENTITY,
            kind,
            &f,
            Errors(errors),
            None,
            None,
        ),
        Err(ProError::Refused(why)) => page(
            StatusCode::CONFLICT,
            kind,
            &f,
            Errors::default(),
            Some(why),
            None,
        ),
        Err(ProError::TooMany) => page(
            StatusCode::TOO_MANY_REQUESTS,
            kind,
            &f,
            Errors::default(),
            Some("Trop de demandes pour le moment. Réessayez dans une heure.".to_owned()),
            None,
        ),
        Err(e) => unavailable(&e),
    }
}

/// POST `/pro/inscription/entreprise`.
pub(crate) async fn company_submit(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Form(f): Form<SignupForm>,
) -> Response {
    submit(state, ip, "entreprise", f).await
}

/// POST `/pro/inscription/cfa`.
pub(crate) async fn cfa_submit(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Form(f): Form<SignupForm>,
) -> Response {
    submit(state, ip, "cfa", f).await
}
