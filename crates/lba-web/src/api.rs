//! The public JSON API under `/api`: the v1 routes, their OpenAPI document
//! at `/api/openapi.json` (declared with the routes by `utoipa`) and its
//! documentation page at `/api/docs/` (Swagger UI, vendored in the binary:
//! no CDN). CORS is open for reading (`crate::security`).

pub(crate) mod v1;

use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::AppState;

/// Where the OpenAPI document is served.
const OPENAPI_PATH: &str = "/api/openapi.json";

/// The top of the OpenAPI document; the paths come from the routes.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "La bonne alternance — API",
        version = "1",
        description = "Formations, offres et entreprises en alternance. Compatible avec l'API v1 de \
            La bonne alternance pour les champs connus ; nos champs en plus sont nommés \
            explicitement (`isDemo` : donnée de démonstration, `outsideRadius` : formation hors \
            du rayon). Erreurs : `{\"error\": \"wrong_parameters\", \"error_messages\": [\"romes : …\"]}`.",
        license(name = "MIT")
    ),
    tags(
        (name = "formations", description = "Formations en apprentissage"),
        (name = "jobs", description = "Offres d'emploi en alternance et entreprises susceptibles de recruter"),
        (name = "metiers", description = "Recherche de métiers"),
        (name = "places", description = "Recherche de communes"),
        (name = "orientation", description = "Métiers d'avenir selon les centres d'intérêt et le lieu"),
        (name = "applications", description = "Candidatures à une offre ou spontanées, envoyées par e-mail au recruteur"),
        (name = "appointments", description = "Demandes de contact à un CFA au sujet d'une formation"),
    )
)]
struct ApiDoc;

/// The OpenAPI document and the router of `/api`.
fn parts() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", v1::router())
        .split_for_parts()
}

/// The routes under `/api`.
pub(crate) fn router(policy: &crate::HttpPolicy) -> Router<AppState> {
    let (api, openapi) = parts();
    let docs = SwaggerUi::new("/api/docs")
        .url(OPENAPI_PATH, openapi)
        // No call to the public validator: nothing leaves the page.
        .config(Config::new([OPENAPI_PATH]).validator_url("none"));
    // Swagger UI sets inline styles as it renders: its pages alone get
    // `style-src 'unsafe-inline'` (scripts stay restricted to the app).
    let docs =
        Router::<AppState>::from(docs).layer(tower::util::MapResponseLayer::new(|response| {
            crate::security::with_docs_csp(response)
        }));
    api.merge(docs).layer(policy.cors())
}
