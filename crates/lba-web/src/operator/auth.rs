//! The old operator login: signing in is the pro space's now
//! (`/pro/connexion`, magic link, `admin` role). The old addresses
//! redirect there; logging out ends the pro session.

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use super::session::{NoOperator, Operator};
use crate::AppState;

/// GET `/operateur/connexion`: to the pro space's sign-in page.
pub(crate) async fn login_page() -> Redirect {
    Redirect::to("/pro/connexion")
}

/// The CSRF field of a form.
#[derive(serde::Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: Option<String>,
}

/// POST `/operateur/deconnexion`: ends the session.
pub(crate) async fn logout(
    State(state): State<AppState>,
    operator: Operator,
    Form(form): Form<CsrfForm>,
) -> Response {
    if !operator.csrf_ok(form.csrf.as_deref()) {
        return super::session::csrf_refused();
    }
    crate::pro::auth::end_session(&state, &operator.pro).await
}

/// GET `/operateur`: to the campaigns (or the sign-in page).
pub(crate) async fn home(operator: Result<Operator, NoOperator>) -> Response {
    match operator {
        Ok(_) => Redirect::to("/operateur/campagnes").into_response(),
        Err(e) => e.into_response(),
    }
}
