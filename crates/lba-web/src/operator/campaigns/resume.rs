//! POST resume.

use super::*;

/// POST `/operateur/campagnes/{id}/reprise`.
pub(crate) async fn resume(
    operator: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let pairs = Pairs(pairs);
    if !operator.csrf_ok(Some(&pairs.get("csrf"))) {
        return Ok(csrf_refused());
    }
    match app::resume(&state.store, &id, Utc::now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/operateur/campagnes/{id}")).into_response()),
        Err(e) => failure(e, Some(format!("/operateur/campagnes/{id}"))),
    }
}
