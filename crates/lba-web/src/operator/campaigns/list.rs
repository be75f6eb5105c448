//! GET `/operateur/campagnes`: every campaign with its totals.

use super::*;

struct Row {
    id: String,
    name: String,
    status: &'static str,
    created: String,
    targeted: i64,
    messages: i64,
    sent: i64,
}

#[derive(Template)]
#[template(path = "operateur/liste.html")]
struct ListPage {
    meta: Meta,
    csrf: String,
    rows: Vec<Row>,
}

/// GET `/operateur/campagnes`.
pub(crate) async fn list(
    operator: Operator,
    State(state): State<AppState>,
) -> Result<Response, PageError> {
    let rows = app::list(&state.store)
        .await?
        .into_iter()
        .map(|s| Row {
            status: s.campaign.status.label(),
            created: when(s.campaign.created_at),
            id: s.campaign.id,
            name: s.campaign.name,
            targeted: s.targeted,
            messages: s.messages,
            sent: s.sent,
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &ListPage {
            meta: Meta {
                title: "Campagnes – Opérateurs – La bonne alternance".into(),
                description: "Campagnes d'e-mails et de SMS".into(),
            },
            csrf: operator.csrf,
            rows,
        },
    ))
}
