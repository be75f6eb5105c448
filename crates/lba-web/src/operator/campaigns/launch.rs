//! POST launch: renders and enqueues every message.

use super::*;

/// POST `/operateur/campagnes/{id}/lancer` (needs the confirmation box).
pub(crate) async fn launch(
    operator: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let pairs = Pairs(pairs);
    if !operator.csrf_ok(Some(&pairs.get("csrf"))) {
        return Ok(csrf_refused());
    }
    if !pairs.checked("confirmation") {
        return campaign_page(
            &state,
            &operator,
            &id,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("Cochez la case de confirmation pour lancer la campagne.".into()),
        )
        .await;
    }
    let cfg = content_config(&state);
    match app::launch(&state.store, &state.search, &cfg, &id, Utc::now()).await {
        Ok(r) => {
            tracing::info!(campaign = %id, new = r.new, errors = r.errors, "campaign launched by an operator");
            let mut notice = format!(
                "Campagne lancée : {} personnes, dont {} dans le bras témoin ; {} messages préparés \
                 ({} e-mails, {} SMS, dont {} à un parent), {} nouveaux, {} au total ; premiers envois \
                 à partir du {}.",
                r.people,
                r.control,
                r.rendered,
                r.email,
                r.sms,
                r.to_parents,
                r.new,
                r.total,
                when(r.not_before),
            );
            if r.unreachable > 0 {
                notice.push_str(&format!(
                    " {} personnes n'ont aucune adresse sur les canaux de la campagne.",
                    r.unreachable
                ));
            }
            if r.errors > 0 {
                notice.push_str(&format!(
                    " {} messages n'ont pas pu être préparés (par exemple : {}).",
                    r.errors,
                    r.issues
                        .iter()
                        .take(3)
                        .map(|i| format!("{} {} : {}", i.person, i.channel, i.reason))
                        .collect::<Vec<_>>()
                        .join(" ; ")
                ));
            }
            if !r.complete {
                notice.push_str(" Le lancement n'est pas terminé : relancez-le.");
            }
            campaign_page(&state, &operator, &id, StatusCode::OK, Some(notice)).await
        }
        Err(e) => failure(e, Some(format!("/operateur/campagnes/{id}"))),
    }
}
