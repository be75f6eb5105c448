//! Operator pages under `/operateur/…` (French, DSFR), for the pro space's
//! administrators (signed in by magic link, `crate::pro`): the campaigns — list, create/edit with
//! a live preview, launch, pause/resume and the report per arm. Every route
//! but the login page requires the session; every POST form carries a CSRF
//! token. No campaign logic here: handlers call `lba_app::campaigns`.

mod auth;
mod campaigns;
mod cfa;
mod chart;
mod form;
mod orientation;
mod parcours;
mod person;
mod session;
pub(crate) mod views;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

/// The operator routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/operateur", get(auth::home))
        .route("/operateur/connexion", get(auth::login_page))
        .route("/operateur/deconnexion", post(auth::logout))
        .merge(campaign_routes())
        .route("/operateur/parcours", get(parcours::stats))
        .route("/operateur/parcours.csv", get(parcours::csv))
        .route("/operateur/orientation", get(orientation::stats))
        .route("/operateur/cfa", get(cfa::follow_up))
        .route("/operateur/cfa.csv", get(cfa::csv))
        .route("/operateur/orientation.csv", get(orientation::csv))
        .route("/operateur/personnes", get(person::find))
        .route("/operateur/personnes/{id}", get(person::show))
        .route("/operateur/personnes/{id}/parcours.csv", get(person::csv))
}

/// The campaign routes.
fn campaign_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/operateur/campagnes",
            get(campaigns::list).post(campaigns::create),
        )
        .route("/operateur/campagnes/nouvelle", get(campaigns::new_form))
        .route("/operateur/campagnes/apercu", post(campaigns::preview))
        .route("/operateur/campagnes/{id}", get(campaigns::show))
        .route(
            "/operateur/campagnes/{id}/modifier",
            get(campaigns::edit_form).post(campaigns::edit_submit),
        )
        .route(
            "/operateur/campagnes/{id}/attribuer",
            post(campaigns::assign),
        )
        .route("/operateur/campagnes/{id}/lancer", post(campaigns::launch))
        .route("/operateur/campagnes/{id}/pause", post(campaigns::pause))
        .route("/operateur/campagnes/{id}/reprise", post(campaigns::resume))
        .route("/operateur/campagnes/{id}/impact", get(campaigns::impact))
        .route(
            "/operateur/campagnes/{id}/impact.csv",
            get(campaigns::impact_csv),
        )
        .route(
            "/operateur/campagnes/{id}/personnes.csv",
            get(campaigns::people_csv),
        )
}
