//! Errors of the v1 JSON API, in the v1 `LbacError` shape:
//! `{"error": "wrong_parameters", "error_messages": ["romes : …"]}`.
//!
//! Every message starts with the name of the parameter at fault, as the v1
//! API did (`"romes : Badly formatted rome codes…"`), but in French.

use std::fmt::Display;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// How many characters of a bad value an error message echoes.
const MAX_ECHO_CHARS: usize = 40;

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
                (StatusCode::BAD_REQUEST, "wrong_parameters", messages)
            }
            Self::NotFound(message) => (StatusCode::NOT_FOUND, "not_found", vec![message]),
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

/// Collects the problems of a request so that all of them are reported at
/// once, as the v1 API did.
#[derive(Debug, Default)]
pub(crate) struct Problems(Vec<String>);

impl Problems {
    /// Records a problem with `param`.
    pub(crate) fn add(&mut self, param: &str, message: impl Display) {
        self.0.push(format!("{param} : {message}"));
    }

    /// The messages recorded, each `"param : message"`.
    pub(crate) fn into_messages(self) -> Vec<String> {
        self.0
    }

    /// How many problems were recorded.
    pub(crate) fn count(&self) -> usize {
        self.0.len()
    }

    /// The value of `result`, or `None` after recording its error.
    pub(crate) fn check<T, E: Display>(&mut self, param: &str, result: Result<T, E>) -> Option<T> {
        result.map_err(|e| self.add(param, e)).ok()
    }

    /// The 400 error when a problem was recorded.
    pub(crate) fn finish(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::WrongParameters(self.0))
        }
    }

    /// `value` when no problem was recorded, else the 400 error. The
    /// parsers record a problem whenever they give `None`; a `None` without
    /// one still gives a 400 rather than a panic.
    pub(crate) fn finish_with<T>(self, value: Option<T>) -> Result<T, ApiError> {
        self.finish()?;
        value.ok_or_else(|| ApiError::wrong("requête", "paramètres invalides"))
    }
}

/// Copies `input` for an error message, at most [`MAX_ECHO_CHARS`]
/// characters, a cut marked with `…`.
pub(crate) fn echo(input: &str) -> String {
    truncate(input, MAX_ECHO_CHARS)
}

/// At most `max` characters of `input`, a cut marked with `…`.
pub(crate) fn truncate(input: &str, max: usize) -> String {
    match input.char_indices().nth(max) {
        None => input.to_owned(),
        Some((cut, _)) => format!("{}…", input.get(..cut).unwrap_or_default()),
    }
}
