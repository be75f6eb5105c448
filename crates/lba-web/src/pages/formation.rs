//! `/formation/{id}`: a training course, its CFA, sessions and contact,
//! and the métiers it leads to.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use lba_app::details::RomeFicheDetail;
use lba_core::opportunity::Formation;

use super::{Meta, PageError, format, render};
use crate::AppState;

#[derive(Template)]
#[template(path = "formation.html")]
struct FormationPage {
    meta: Meta,
    f: Arc<Formation>,
    level: Option<String>,
    address: String,
    sessions: Vec<String>,
    duration: Option<String>,
    fiches: Vec<RomeFicheDetail>,
}

/// GET `/formation/{id}`.
pub(crate) async fn page(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let f = state
        .search
        .snapshot()
        .formations
        .get(&id)
        .ok_or(PageError::NotFound)?;
    let fiches = lba_app::details::rome_fiches(&state.store, &f.romes).await?;
    let sessions = f
        .sessions
        .iter()
        .map(|s| match s.end {
            Some(end) => format!("Du {} au {}", format::date(s.start), format::date(end)),
            None => format!("À partir du {}", format::date(s.start)),
        })
        .collect();
    let page = FormationPage {
        meta: Meta::new(
            format!("{} à {} – formation en alternance", f.title, f.place.city),
            format!(
                "{} ({}) à {} : diplôme, sessions et contact du CFA.",
                f.title, f.cfa_name, f.place.city
            ),
        ),
        level: f.level.map(format::level),
        address: format::address(&f.place),
        sessions,
        duration: f.duration_months.map(format::months),
        fiches,
        f,
    };
    Ok(render(StatusCode::OK, &page))
}
