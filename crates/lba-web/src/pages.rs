//! Server-rendered candidate pages (askama templates styled with the DSFR):
//! home, results, detail pages and the métier page. They work without
//! JavaScript; `assets/app/*.js` enhance the search form and the map.

mod apply_form;
mod apply_view;
mod candidature;
mod cards;
mod entreprise;
mod error;
mod form;
mod format;
mod formation;
mod home;
mod metier;
mod offre;
mod orientation;
mod parcours;
mod rendez_vous;
mod results;

use askama::Template;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};

use crate::AppState;

pub(crate) use error::PageError;

/// The page routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home::page))
        .route("/recherche", get(results::page))
        .route("/formation/{id}", get(formation::page))
        .route("/formation/{id}/contact", post(formation::contact_submit))
        .route(
            "/formation/{id}/contact/envoye",
            get(formation::contact_sent),
        )
        .route("/offre/{id}", get(offre::page))
        .route(
            "/offre/{id}/candidature",
            post(apply_form::offer_submit).layer(DefaultBodyLimit::disable()),
        )
        .route("/entreprise/{siret}", get(entreprise::page))
        .route(
            "/entreprise/{siret}/candidature",
            post(apply_form::company_submit).layer(DefaultBodyLimit::disable()),
        )
        .route("/candidature/envoyee", get(apply_form::sent_page))
        .route("/metier/{code}", get(metier::page))
        .route(
            "/candidature/{id}/reponse",
            get(candidature::answer_page).post(candidature::answer_submit),
        )
        .route(
            "/candidature/{id}/suppression",
            get(candidature::deletion_page).post(candidature::deletion_submit),
        )
        .route(
            "/rendez-vous/{id}/reponse",
            get(rendez_vous::answer_page).post(rendez_vous::answer_submit),
        )
        .merge(parcours::routes())
        .merge(orientation::routes())
}

/// The `<title>` and `<meta name="description">` of a page.
#[derive(Clone, Debug)]
pub(crate) struct Meta {
    /// Page title.
    pub(crate) title: String,
    /// Page description.
    pub(crate) description: String,
}

impl Meta {
    fn new(title: impl Into<String>, description: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            description: description.into(),
        }
    }
}

/// Renders `template` with `status`; a rendering failure gives a plain 500.
pub(crate) fn render<T: Template>(status: StatusCode, template: &T) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template rendering failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Html(
                    "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Erreur \
                      – La bonne alternance</title></head><body><h1>Erreur interne</h1><p>Une \
                      erreur est survenue. Réessayez plus tard.</p></body></html>",
                ),
            )
                .into_response()
        }
    }
}
