//! OPCOs and administrators: the companies to validate (an OPCO sees its
//! own), accounts and roles, the audit log. Handlers call
//! `lba_app::pro::admin`, which checks who may decide what.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use lba_app::pro::CompanyDecision;
use lba_app::pro::{ProError, admin};
use lba_core::pro::{CompanyStatus, Role};

use super::auth::unavailable;
use super::offers::refresh_soon;
use super::session::{self, ProUser};
use super::views::{self, CompaniesPage, Errors, JournalPage, Nav, UsersPage, accounts, meta};
use crate::AppState;
use crate::pages::render;

/// GET `/pro/entreprises`.
pub(crate) async fn companies(
    State(state): State<AppState>,
    pro: ProUser,
    axum::extract::Query(n): axum::extract::Query<super::offers::Notice>,
) -> Response {
    if let Some(r) = pro.refused_unless(&[Role::Opco, Role::Admin]) {
        return r;
    }
    match admin::companies(&state.store, &pro.0).await {
        Ok(list) => render(
            StatusCode::OK,
            &CompaniesPage {
                meta: meta("Entreprises"),
                nav: Nav::of(&pro.0),
                companies: list
                    .into_iter()
                    .map(|c| {
                        let label = CompanyStatus::from_stored(&c.status)
                            .map_or("", CompanyStatus::label_fr);
                        (c, label)
                    })
                    .collect(),
                notice: super::offers::notice_text(&n),
            },
        ),
        Err(e) => unavailable(&e),
    }
}

/// The decision form.
#[derive(serde::Deserialize)]
pub(crate) struct DecisionForm {
    #[serde(default)]
    csrf: Option<String>,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    opco: String,
}

/// POST `/pro/entreprises/{siret}`: validate, refuse, deactivate, or (an
/// administrator) set the OPCO.
pub(crate) async fn decide(
    State(state): State<AppState>,
    pro: ProUser,
    Path(siret): Path<String>,
    Form(f): Form<DecisionForm>,
) -> Response {
    if !pro.csrf_ok(f.csrf.as_deref()) {
        return session::csrf_refused();
    }
    if let Some(r) = pro.refused_unless(&[Role::Opco, Role::Admin]) {
        return r;
    }
    let now = Utc::now();
    let result = match f.decision.as_str() {
        "valider" => {
            admin::decide(&state.store, &pro.0, &siret, CompanyDecision::Validate, now).await
        }
        "refuser" => {
            admin::decide(&state.store, &pro.0, &siret, CompanyDecision::Refuse, now).await
        }
        "desactiver" => {
            admin::decide(
                &state.store,
                &pro.0,
                &siret,
                CompanyDecision::Deactivate,
                now,
            )
            .await
        }
        "opco" => admin::set_opco(&state.store, &pro.0, &siret, &f.opco, now).await,
        _ => {
            return views::message(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Décision inconnue",
                "Choisissez valider, refuser ou désactiver.",
            );
        }
    };
    match result {
        Ok(applied) => {
            refresh_soon(&state);
            let avis = if applied { "decision" } else { "sans_effet" };
            Redirect::to(&format!("/pro/entreprises?avis={avis}")).into_response()
        }
        Err(ProError::NotFound) => views::message(
            StatusCode::NOT_FOUND,
            "Entreprise introuvable",
            "Cette entreprise n'existe pas ou n'est pas rattachée à votre OPCO.",
        ),
        Err(e) => unavailable(&e),
    }
}

fn users_page(
    users: Vec<lba_app::pro::ProUserRow>,
    pro: &ProUser,
    notice: Option<String>,
    errors: Errors,
    status: StatusCode,
) -> Response {
    render(
        status,
        &UsersPage {
            meta: meta("Comptes"),
            nav: Nav::of(&pro.0),
            users: users
                .into_iter()
                .map(|u| accounts::User {
                    attached: [u.company_siret, u.cfa_uai, u.opco]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(", "),
                    active: u.status == "active",
                    status: match u.status.as_str() {
                        "active" => "Actif",
                        "pending" => "En attente",
                        _ => "Désactivé",
                    }
                    .to_owned(),
                    id: u.id,
                    email: u.email,
                    role: u.role,
                })
                .collect(),
            roles: Role::ALL
                .iter()
                .map(|r| (r.as_str(), r.label_fr()))
                .collect(),
            notice,
            errors,
        },
    )
}

/// GET `/pro/admin/comptes`.
pub(crate) async fn users(
    State(state): State<AppState>,
    pro: ProUser,
    axum::extract::Query(n): axum::extract::Query<super::offers::Notice>,
) -> Response {
    if let Some(r) = pro.refused_unless(&[Role::Admin]) {
        return r;
    }
    match admin::users(&state.store, &pro.0).await {
        Ok(list) => users_page(
            list,
            &pro,
            super::offers::notice_text(&n),
            Errors::default(),
            StatusCode::OK,
        ),
        Err(e) => unavailable(&e),
    }
}

/// The new-account form.
#[derive(serde::Deserialize)]
pub(crate) struct NewUserForm {
    #[serde(default)]
    csrf: Option<String>,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    opco: String,
}

/// POST `/pro/admin/comptes`: an OPCO or administrator account.
pub(crate) async fn create_user(
    State(state): State<AppState>,
    pro: ProUser,
    Form(f): Form<NewUserForm>,
) -> Response {
    if !pro.csrf_ok(f.csrf.as_deref()) {
        return session::csrf_refused();
    }
    if let Some(r) = pro.refused_unless(&[Role::Admin]) {
        return r;
    }
    let role = match f.role.as_str() {
        "opco" => Role::Opco,
        "admin" => Role::Admin,
        _ => {
            return views::message(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Rôle inconnu",
                "Choisissez OPCO ou administrateur.",
            );
        }
    };
    let opco = Some(f.opco.trim()).filter(|o| !o.is_empty() && role == Role::Opco);
    let created = lba_app::pro::auth::create_account(
        &state.store,
        &f.email,
        role,
        "",
        "",
        opco,
        &pro.0.id,
        Utc::now(),
    )
    .await;
    match created {
        Ok(_) => Redirect::to("/pro/admin/comptes?avis=compte").into_response(),
        Err(ProError::Fields(errors)) => match admin::users(&state.store, &pro.0).await {
            Ok(list) => users_page(
                list,
                &pro,
                None,
                Errors(errors),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            Err(e) => unavailable(&e),
        },
        Err(e) => unavailable(&e),
    }
}

/// The access form of one account.
#[derive(serde::Deserialize)]
pub(crate) struct AccessForm {
    #[serde(default)]
    csrf: Option<String>,
    #[serde(default)]
    role: String,
    #[serde(default)]
    active: Option<String>,
}

/// POST `/pro/admin/comptes/{id}`.
pub(crate) async fn set_access(
    State(state): State<AppState>,
    pro: ProUser,
    Path(id): Path<String>,
    Form(f): Form<AccessForm>,
) -> Response {
    if !pro.csrf_ok(f.csrf.as_deref()) {
        return session::csrf_refused();
    }
    if let Some(r) = pro.refused_unless(&[Role::Admin]) {
        return r;
    }
    let Some(role) = Role::from_stored(&f.role) else {
        return views::message(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Rôle inconnu",
            "Choisissez un rôle de la liste.",
        );
    };
    match admin::set_access(
        &state.store,
        &pro.0,
        &id,
        role,
        f.active.is_some(),
        Utc::now(),
    )
    .await
    {
        Ok(_) => Redirect::to("/pro/admin/comptes?avis=compte").into_response(),
        Err(ProError::Refused(why)) => views::message(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Modification refusée",
            &why,
        ),
        Err(e) => unavailable(&e),
    }
}

/// GET `/pro/admin/journal`.
pub(crate) async fn journal(State(state): State<AppState>, pro: ProUser) -> Response {
    if let Some(r) = pro.refused_unless(&[Role::Admin]) {
        return r;
    }
    match admin::audit_log(&state.store, &pro.0).await {
        Ok(entries) => render(
            StatusCode::OK,
            &JournalPage {
                meta: meta("Journal"),
                nav: Nav::of(&pro.0),
                entries: entries
                    .into_iter()
                    .map(|e| {
                        (
                            chrono::DateTime::from_timestamp_millis(e.at)
                                .map(views::date)
                                .unwrap_or_default(),
                            e.user_id,
                            e.action,
                            e.subject,
                            e.detail.unwrap_or_default(),
                        )
                    })
                    .collect(),
            },
        ),
        Err(e) => unavailable(&e),
    }
}
