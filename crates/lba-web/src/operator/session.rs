//! The operator pages belong to the pro space's `admin` role (issue 19):
//! an operator is a professional signed in by magic link whose account is
//! an administrator's. The shared operator secret is gone. Every POST form
//! carries the session's CSRF token.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use lba_app::pro::Pro;
use lba_core::pro::Role;

use crate::AppState;
use crate::pro::session::{NoSession, ProUser, current, forbidden};

/// A signed-in administrator (extractor): their session's CSRF token.
#[derive(Clone)]
pub(crate) struct Operator {
    /// The CSRF token forms carry.
    pub(crate) csrf: String,
    /// Who (for the audit log).
    pub(crate) pro: Pro,
}

impl Operator {
    /// Whether `token` is this session's CSRF token.
    pub(crate) fn csrf_ok(&self, token: Option<&str>) -> bool {
        ProUser(self.pro.clone()).csrf_ok(token)
    }
}

/// Why a request has no operator.
pub(crate) enum NoOperator {
    /// Not signed in, or the database failed.
    Session(NoSession),
    /// Signed in without the `admin` role (403).
    Forbidden,
}

impl IntoResponse for NoOperator {
    fn into_response(self) -> Response {
        match self {
            Self::Session(s) => s.into_response(),
            Self::Forbidden => forbidden(),
        }
    }
}

impl FromRequestParts<AppState> for Operator {
    type Rejection = NoOperator;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match current(parts, state).await.map_err(NoOperator::Session)? {
            None => Err(NoOperator::Session(NoSession::Login)),
            Some(pro) if pro.role == Role::Admin => Ok(Self {
                csrf: pro.csrf.clone(),
                pro,
            }),
            Some(_) => Err(NoOperator::Forbidden),
        }
    }
}

pub(crate) use crate::pro::session::csrf_refused;
