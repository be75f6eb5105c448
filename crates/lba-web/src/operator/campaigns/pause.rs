//! POST pause.

use super::*;

/// POST `/operateur/campagnes/{id}/pause` (with a reason).
pub(crate) async fn pause(
    operator: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let pairs = Pairs(pairs);
    if !operator.csrf_ok(Some(&pairs.get("csrf"))) {
        return Ok(csrf_refused());
    }
    let reason = pairs.get("raison");
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return campaign_page(
            &state,
            &operator,
            &id,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("Indiquez la raison de la pause (500 caractères au plus).".into()),
        )
        .await;
    }
    match app::pause(&state.store, &id, reason, Utc::now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/operateur/campagnes/{id}")).into_response()),
        Err(e) => failure(e, Some(format!("/operateur/campagnes/{id}"))),
    }
}
