//! `/metier/{code_rome}`: a ROME fiche with its appellations, definition,
//! access texts and close métiers, and a link to search it.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use lba_app::details::RomeFicheDetail;
use lba_core::ids::CodeRome;

use super::{Meta, PageError, format, render};
use crate::AppState;

#[derive(Template)]
#[template(path = "metier.html")]
struct MetierPage {
    meta: Meta,
    fiche: RomeFicheDetail,
    search_url: String,
}

/// GET `/metier/{code}`.
pub(crate) async fn page(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let code = CodeRome::parse(&code).map_err(|_| {
        PageError::BadRequest(
            "Ce code ROME n'est pas valide : il s'écrit avec une lettre et quatre chiffres, \
             par exemple D1102."
                .to_owned(),
        )
    })?;
    let fiche = lba_app::details::rome_fiche(&state.store, &code)
        .await?
        .ok_or(PageError::NotFound)?;
    let search_url = format!(
        "/recherche?{}",
        format::query_string(&[("romes", &fiche.code), ("metier", &fiche.label)])
    );
    let page = MetierPage {
        meta: Meta::new(
            format!("{} ({}) – fiche métier", fiche.label, fiche.code),
            format!(
                "Le métier {} : définition, accès, appellations et métiers proches, formations et offres en alternance.",
                fiche.label
            ),
        ),
        fiche,
        search_url,
    };
    Ok(render(StatusCode::OK, &page))
}
