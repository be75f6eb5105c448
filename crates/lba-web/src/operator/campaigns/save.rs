//! The specification form shared by creation and edition: render it with its
//! errors, check and store it.

use super::*;

pub(super) async fn form_response(
    state: &AppState,
    operator: &Operator,
    status: StatusCode,
    form: &SpecForm,
    pairs: Option<&Pairs>,
    error: Option<&FieldError>,
    target: Option<&str>,
) -> Response {
    let preview = preview_of(state, form, pairs).await;
    let (heading, action, back) = match target {
        Some(id) => (
            "Modifier la campagne".to_owned(),
            format!("/operateur/campagnes/{id}/modifier"),
            format!("/operateur/campagnes/{id}"),
        ),
        None => (
            "Nouvelle campagne".to_owned(),
            "/operateur/campagnes".to_owned(),
            "/operateur/campagnes".to_owned(),
        ),
    };
    views::form_page(
        status,
        form,
        FormContext {
            heading,
            action,
            back,
            csrf: &operator.csrf,
            error,
            preview: &preview,
        },
    )
}

/// What a form POST does after the CSRF check.
pub(super) async fn save(
    state: &AppState,
    operator: &Operator,
    pairs: &Pairs,
    target: Option<&str>,
) -> Result<Response, PageError> {
    let form = SpecForm::from_pairs(pairs);
    let spec = match form.to_spec() {
        Ok(spec) => spec,
        Err(e) => {
            let status = if pairs.get("action") == "apercu" {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            return Ok(form_response(
                state,
                operator,
                status,
                &form,
                Some(pairs),
                Some(&e),
                target,
            )
            .await);
        }
    };
    if pairs.get("action") == "apercu" {
        return Ok(form_response(
            state,
            operator,
            StatusCode::OK,
            &form,
            Some(pairs),
            None,
            target,
        )
        .await);
    }
    let now = Utc::now();
    let saved = match target {
        Some(id) => app::update(&state.store, id, &spec, now)
            .await
            .map(|()| id.to_owned()),
        None => app::create(&state.store, &spec, now).await,
    };
    match saved {
        Ok(id) => Ok(Redirect::to(&format!("/operateur/campagnes/{id}")).into_response()),
        Err(CampaignError::Invalid(e)) => {
            let e = FieldError {
                field: e.field,
                message: e.message,
            };
            Ok(form_response(
                state,
                operator,
                StatusCode::UNPROCESSABLE_ENTITY,
                &form,
                Some(pairs),
                Some(&e),
                target,
            )
            .await)
        }
        Err(e) => failure(e, target.map(|id| format!("/operateur/campagnes/{id}"))),
    }
}
