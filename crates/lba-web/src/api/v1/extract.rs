//! Extractors whose rejections come out in the v1 error shape (400 JSON)
//! instead of axum's plain-text ones.

use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::error::{ApiError, truncate};

/// How much of axum's rejection text a message keeps.
const MAX_DETAIL_CHARS: usize = 160;

/// The query string as `T` (a struct of `Option<String>`: values are
/// validated by the handler, which names the parameter at fault). Unknown
/// parameters are ignored.
#[derive(Debug)]
pub(crate) struct V1Query<T>(pub(crate) T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for V1Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(Self(value)),
            Err(rejection) => Err(ApiError::wrong(
                "query",
                format!(
                    "paramètres de la requête illisibles ({})",
                    truncate(&rejection.body_text(), MAX_DETAIL_CHARS)
                ),
            )),
        }
    }
}

/// One path segment as `T`.
#[derive(Debug)]
pub(crate) struct V1Path<T>(pub(crate) T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for V1Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(Self(value)),
            Err(rejection) => Err(ApiError::wrong(
                "path",
                format!(
                    "chemin illisible ({})",
                    truncate(&rejection.body_text(), MAX_DETAIL_CHARS)
                ),
            )),
        }
    }
}
