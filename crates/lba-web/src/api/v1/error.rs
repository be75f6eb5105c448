//! Errors of the v1 JSON API, in the v1 `LbacError` shape:
//! `{"error": "wrong_parameters", "error_messages": ["romes : …"]}`.
//!
//! Every message starts with the name of the parameter at fault, as the v1
//! API did (`"romes : Badly formatted rome codes…"`), but in French.

use std::fmt::Display;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lba_app::error_codes::{self, ErrorCode};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::http_status;

/// An error of the v1 API.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ApiError {
    /// Some parameters are wrong (400); one message per problem.
    #[error("wrong parameters: {0:?}")]
    WrongParameters(Vec<String>),
    /// The resource does not exist (404).
    #[error("not found: {0}")]
    NotFound(String),
    /// A request understood but refused (quota, rate limit, closed target):
    /// its status, a stable code and a French message.
    #[error("{code}: {message}")]
    Refused {
        /// HTTP status.
        status: StatusCode,
        /// Stable code (`quota_reached`, `too_many_requests`…).
        code: &'static str,
        /// French message.
        message: String,
    },
}

impl ApiError {
    /// A 400 about one parameter.
    pub(crate) fn wrong(param: &str, message: impl Display) -> Self {
        Self::WrongParameters(vec![format!("{param} : {message}")])
    }

    /// A refusal with a registered code (its status is the code's).
    pub(crate) fn coded(code: ErrorCode, message: impl Display) -> Self {
        Self::refused(http_status(code), code.code(), message)
    }

    /// A refusal with its status and code.
    pub(crate) fn refused(status: StatusCode, code: &'static str, message: impl Display) -> Self {
        Self::Refused {
            status,
            code,
            message: message.to_string(),
        }
    }

    /// A 404 about one parameter.
    pub(crate) fn not_found(param: &str, message: impl Display) -> Self {
        Self::NotFound(format!("{param} : {message}"))
    }
}

/// The body of every v1 error (the v1 `LbacError` schema).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = LbacError)]
pub(crate) struct ErrorBody {
    /// Stable error code: `wrong_parameters`, `not_found`.
    #[schema(example = "wrong_parameters")]
    error: &'static str,
    /// One French message per problem, each starting with the parameter
    /// name (`"romes : …"`).
    #[schema(example = json!(["romes : au plus 20 codes ROME (21 reçus)"]))]
    error_messages: Vec<String>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, error, error_messages) = match self {
            Self::WrongParameters(messages) => {
                let code = error_codes::WRONG_PARAMETERS;
                (http_status(code), code.code(), messages)
            }
            Self::NotFound(message) => {
                let code = error_codes::NOT_FOUND;
                (http_status(code), code.code(), vec![message])
            }
            Self::Refused {
                status,
                code,
                message,
            } => (status, code, vec![message]),
        };
        (
            status,
            Json(ErrorBody {
                error,
                error_messages,
            }),
        )
            .into_response()
    }
}

pub(crate) use lba_app::search_request::{Problems, WrongParameters, echo, truncate};

impl From<WrongParameters> for ApiError {
    fn from(e: WrongParameters) -> Self {
        Self::WrongParameters(e.0)
    }
}
