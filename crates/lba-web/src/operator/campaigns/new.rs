//! Creation of a campaign: the empty form and its submission.

use super::*;

/// GET `/operateur/campagnes/nouvelle`.
pub(crate) async fn new_form(operator: Operator, State(state): State<AppState>) -> Response {
    form_response(
        &state,
        &operator,
        StatusCode::OK,
        &SpecForm::default(),
        None,
        None,
        None,
    )
    .await
}

/// POST `/operateur/campagnes`: create (or preview without JavaScript).
pub(crate) async fn create(
    operator: Operator,
    State(state): State<AppState>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let pairs = Pairs(pairs);
    if !operator.csrf_ok(Some(&pairs.get("csrf"))) {
        return Ok(csrf_refused());
    }
    save(&state, &operator, &pairs, None).await
}
