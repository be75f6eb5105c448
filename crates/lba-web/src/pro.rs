//! The pro space `/pro/…` (issue 19, DSFR, French, no JavaScript needed):
//! sign-in by magic link (`auth`), company and CFA accounts (`signup`),
//! recruiters' offers with their one-click links and the spontaneous
//! applications (`offers`), CFAs (`cfa`, also seen by administrators), what
//! OPCOs and administrators decide (`admin`), company exclusions
//! (`exclusions`). Handlers call `lba_app::pro`; every POST carries the
//! session's CSRF token.

mod admin;
pub(crate) mod auth;
mod cfa;
mod delegation;
mod exclusions;
mod links;
mod offers;
pub(crate) mod session;
mod signup;
mod views;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

/// The pro routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/pro", get(offers::home))
        .route(
            "/pro/connexion",
            get(auth::login_page).post(auth::login_submit),
        )
        .route("/pro/connexion/lien", get(auth::open_link))
        .route("/pro/deconnexion", post(auth::logout))
        .route("/pro/deconnexion-partout", post(auth::logout_everywhere))
        .route(
            "/pro/inscription/entreprise",
            get(signup::company_page).post(signup::company_submit),
        )
        .route(
            "/pro/inscription/cfa",
            get(signup::cfa_page).post(signup::cfa_submit),
        )
        .route("/pro/offres/nouvelle", get(offers::new_page))
        .route("/pro/offres", post(offers::create))
        .route("/pro/offres/{id}", get(offers::show))
        .route("/pro/offres/{id}/modifier", post(offers::change))
        .route("/pro/offres/{id}/cfa", post(delegation::delegate))
        .route("/pro/delegation/{offer}/{uai}", get(delegation::for_cfa))
        .route(
            "/pro/offres/{id}/candidatures/{application}/cv",
            get(offers::cv),
        )
        .route(
            "/pro/candidatures/{application}/cv",
            get(offers::spontaneous_cv),
        )
        .route(
            "/pro/offre/{id}/action",
            get(links::link_page).post(links::link_submit),
        )
        .route("/pro/cfa/adresse", post(cfa::set_address))
        .route("/pro/cfa/demandes", post(cfa::set_requests))
        .route("/pro/entreprises", get(admin::companies))
        .route("/pro/entreprises/{siret}", post(admin::decide))
        .route(
            "/pro/admin/comptes",
            get(admin::users).post(admin::create_user),
        )
        .route("/pro/admin/comptes/{id}", post(admin::set_access))
        .route("/pro/admin/journal", get(admin::journal))
        .route(
            "/pro/admin/exclusions",
            get(exclusions::list).post(exclusions::add),
        )
        .route(
            "/pro/admin/exclusions/{siret}/retirer",
            post(exclusions::remove),
        )
        .route("/pro/admin/cfa", get(cfa::admin_find))
        .route("/pro/admin/cfa/{uai}", get(cfa::admin_page))
        .route("/pro/admin/cfa/{uai}/adresse", post(cfa::admin_set_address))
        .route(
            "/pro/admin/cfa/{uai}/demandes",
            post(cfa::admin_set_requests),
        )
}
