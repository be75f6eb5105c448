//! `/`: what the service does, and the search form. Also the page shown
//! again, with the messages next to the fields, when a search is refused.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;

use super::form::FormView;
use super::{Meta, render};

/// The home page (or the corrected form).
#[derive(Template)]
#[template(path = "home.html")]
pub(crate) struct HomePage {
    meta: Meta,
    form: FormView,
    has_errors: bool,
}

impl HomePage {
    /// The form holding the refused search and its messages.
    pub(crate) fn with_errors(form: FormView) -> Self {
        Self {
            meta: Meta::new(
                "Erreur dans la recherche – La bonne alternance",
                "Corrigez votre recherche de formations, offres et entreprises en alternance.",
            ),
            has_errors: form.errors.any(),
            form,
        }
    }
}

/// GET `/`.
pub(crate) async fn page() -> Response {
    let page = HomePage {
        meta: Meta::new(
            "La bonne alternance : trouvez une formation, une offre ou une entreprise en alternance",
            "Cherchez un métier et un lieu : La bonne alternance trouve les formations, les offres \
             d'emploi et les entreprises qui recrutent en alternance près de chez vous.",
        ),
        form: FormView::default(),
        has_errors: false,
    };
    render(StatusCode::OK, &page)
}
