//! One error type for every handler: a stable code, a French message, the
//! right status, and no internals in the response.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lba_app::error_codes::{self, ErrorCode};
use serde::Serialize;

/// The HTTP status of a registered error code.
pub(crate) fn http_status(code: ErrorCode) -> StatusCode {
    StatusCode::from_u16(code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// An error returned by a handler.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such page or resource.
    #[error("not found")]
    NotFound,
    /// The database is not reachable.
    #[error("store unavailable: {0}")]
    Unavailable(#[from] lba_app::StoreError),
}

#[derive(Serialize)]
struct ErrorBody {
    error: &'static str,
    message: &'static str,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, error, message) = match &self {
            Self::NotFound => (
                http_status(error_codes::NOT_FOUND),
                error_codes::NOT_FOUND.code(),
                "Cette page n'existe pas.",
            ),
            Self::Unavailable(e) => {
                tracing::error!(error = %e, "store unavailable");
                (
                    http_status(error_codes::UNAVAILABLE),
                    error_codes::UNAVAILABLE.code(),
                    "Le service est momentanément indisponible. Réessayez dans quelques instants.",
                )
            }
        };
        (status, Json(ErrorBody { error, message })).into_response()
    }
}
