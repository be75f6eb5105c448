//! `GET /assets/geo/{departements,regions}.geojson`: the offline base layer
//! of the results map (outlines from the data directory, loaded once by
//! `lba_app::map`), gzip-compressed when the client accepts it, cached for a
//! day. 404 when the server runs without the outlines.

use axum::Router;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;

/// The route.
pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/assets/geo/{name}", get(outline))
}

async fn outline(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(layer) = state
        .ops
        .map_outlines
        .as_deref()
        .and_then(|outlines| outlines.get(&name))
    else {
        return (StatusCode::NOT_FOUND, "fond de carte absent").into_response();
    };
    let gzip = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let refused = parts.any(|p| p.trim().replace(' ', "") == "q=0");
            name.eq_ignore_ascii_case("gzip") && !refused
        });
    let bytes = if gzip { &layer.gzip } else { &layer.json };
    let mut response = Response::new(Body::from(Bytes::from_owner(Arc::clone(bytes))));
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/geo+json"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if gzip {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    response
}
