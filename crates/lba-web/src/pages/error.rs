//! The French DSFR error pages (4xx, 500) of the page routes.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lba_app::StoreError;

use super::{Meta, render};

/// An error of a page handler, shown as an HTML page.
#[derive(Debug, thiserror::Error)]
pub(crate) enum PageError {
    /// No such page or record (404).
    #[error("not found")]
    NotFound,
    /// The address is malformed (400); the message is shown.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// A request refused before any handler ran (see `crate::rejection`):
    /// its status, heading and French message.
    #[error("rejected: {message}")]
    Rejected {
        /// HTTP status (4xx).
        status: StatusCode,
        /// Heading of the page.
        heading: &'static str,
        /// What went wrong.
        message: String,
    },
    /// The database failed (500); logged, never shown.
    #[error("store: {0}")]
    Store(#[from] StoreError),
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    meta: Meta,
    status: u16,
    heading: &'static str,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, heading, message) = match self {
            Self::NotFound => (
                StatusCode::NOT_FOUND,
                "Page non trouvée",
                "La page que vous cherchez n'existe pas ou n'est plus disponible : l'offre a \
                 peut-être été pourvue ou l'adresse contient une erreur."
                    .to_owned(),
            ),
            Self::BadRequest(message) => (StatusCode::BAD_REQUEST, "Adresse incorrecte", message),
            Self::Rejected {
                status,
                heading,
                message,
            } => (status, heading, message),
            Self::Store(e) => {
                tracing::error!(error = %e, "store error on a page");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Erreur inattendue",
                    "Le service rencontre un problème. Réessayez dans quelques instants."
                        .to_owned(),
                )
            }
        };
        let page = ErrorPage {
            meta: Meta::new(
                format!("{heading} – La bonne alternance"),
                format!("Erreur {} : {heading}", status.as_u16()),
            ),
            status: status.as_u16(),
            heading,
            message,
        };
        render(status, &page)
    }
}
