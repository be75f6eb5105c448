//! HTTP layer of La bonne alternance (axum): each handler parses its input,
//! calls one use case and renders JSON or HTML. No SQL here.

mod api;
mod apply_state;
mod assets;
mod campaign_routes;
mod csrf;
mod error;
mod health;
mod map_layer;
mod operator;
mod ops_state;
mod pages;
mod pro;
mod rejection;
mod security;
mod server;
mod visitor;

use std::future::Future;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, StatusCode};
use axum::routing::get;
use lba_app::Store;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use apply_state::{ApplyState, RateLimit};
pub use error::AppError;
pub use ops_state::OpsState;
pub use security::{CONTENT_SECURITY_POLICY, DOCS_CONTENT_SECURITY_POLICY, HttpPolicy};
pub use server::{ServerLimits, serve_router};

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database handle, passed to the `lba_app` use cases.
    pub store: Store,
    /// The in-memory search index.
    pub search: lba_app::Search,
    /// Settings and rate limiter of the application routes.
    pub apply: ApplyState,
    /// Settings of the campaign routes (operators, tracking, webhook).
    pub ops: OpsState,
}

/// The whole HTTP application, with the default [`HttpPolicy`] of its
/// public URL (no partner CORS origin).
pub fn router(state: AppState) -> Router {
    let policy = HttpPolicy::new(&state.ops.public_url, Vec::new());
    router_with(state, &policy)
}

/// The whole HTTP application under `policy`.
pub fn router_with(state: AppState, policy: &HttpPolicy) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    let security_headers = std::sync::Arc::new(policy.headers());
    Router::new()
        .route("/healthz", get(health::healthz))
        .merge(api::router(policy))
        .merge(pages::routes())
        .merge(operator::routes())
        .merge(pro::routes())
        .merge(campaign_routes::routes())
        .merge(map_layer::routes())
        .merge(assets::router())
        .fallback(not_found)
        .with_state(state)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(axum::middleware::from_fn(rejection::french_rejections))
        .layer(tower::util::MapResponseLayer::new(move |response| {
            security::add_headers(&security_headers, response)
        }))
        .layer(TraceLayer::new_for_http().make_span_with(
            |request: &axum::http::Request<axum::body::Body>| {
                let id = request
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                // Path only: query strings may hold personal data.
                tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
            },
        ))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

/// Unknown paths: a JSON error under `/api`, the French 404 page elsewhere.
async fn not_found(uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    if uri.path().starts_with("/api/") {
        AppError::NotFound.into_response()
    } else {
        pages::PageError::NotFound.into_response()
    }
}

/// Serves the application on `listener` within `limits` until `shutdown`
/// resolves, then lets requests in flight finish (see [`serve_router`]).
///
/// # Errors
/// As [`serve_router`].
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    policy: &HttpPolicy,
    limits: ServerLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_router(listener, router_with(state, policy), limits, shutdown).await
}
