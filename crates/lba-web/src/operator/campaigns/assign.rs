//! POST assign: stores the arm of every targeted person.

use super::*;

/// POST `/operateur/campagnes/{id}/attribuer`: stores the arm of every
/// targeted person (nothing is sent), so that the report shows the arm
/// sizes and the minimum detectable effect before the launch.
pub(crate) async fn assign(
    operator: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let pairs = Pairs(pairs);
    if !operator.csrf_ok(Some(&pairs.get("csrf"))) {
        return Ok(csrf_refused());
    }
    let key = content_config(&state).link_key;
    match app::assign(&state.store, &key, &id, Utc::now()).await {
        Ok(r) => {
            let notice = format!(
                "Bras attribués : {} personnes ciblées ({} nouvelles). Rien n'est envoyé avant le lancement.",
                r.total, r.new
            );
            campaign_page(&state, &operator, &id, StatusCode::OK, Some(notice)).await
        }
        Err(e) => failure(e, Some(format!("/operateur/campagnes/{id}"))),
    }
}
