//! Edition of a draft campaign: the filled form and its submission.

use super::*;

/// GET `/operateur/campagnes/{id}/modifier` (drafts only).
pub(crate) async fn edit_form(
    operator: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let Some(c) = app::find(&state.store, &id).await? else {
        return Err(PageError::NotFound);
    };
    let back = Some(format!("/operateur/campagnes/{id}"));
    if c.status != CampaignStatus::Draft {
        return Ok(views::message_back(
            StatusCode::CONFLICT,
            "Modification impossible",
            &format!(
                "La campagne est « {} » : seule une campagne en brouillon peut être modifiée.",
                c.status.label()
            ),
            back,
        ));
    }
    let Some(spec) = parse_spec(&c) else {
        return Ok(views::message_back(
            StatusCode::CONFLICT,
            "Spécification illisible",
            "La spécification enregistrée ne peut pas être relue.",
            back,
        ));
    };
    Ok(form_response(
        &state,
        &operator,
        StatusCode::OK,
        &SpecForm::from_spec(&spec),
        None,
        None,
        Some(&id),
    )
    .await)
}

/// POST `/operateur/campagnes/{id}/modifier`.
pub(crate) async fn edit_submit(
    operator: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let pairs = Pairs(pairs);
    if !operator.csrf_ok(Some(&pairs.get("csrf"))) {
        return Ok(csrf_refused());
    }
    save(&state, &operator, &pairs, Some(&id)).await
}
