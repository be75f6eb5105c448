//! `/offre/{id}`: an apprenticeship job offer, its contract and employer,
//! and the métier's fiche.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use lba_app::details::RomeFicheDetail;
use lba_core::opportunity::Offer;

use super::apply_view::{self, ApplyForm, ApplyView};
use super::{Meta, PageError, format, render};
use crate::AppState;
use lba_app::apply::Target;

#[derive(Template)]
#[template(path = "offre.html")]
struct OffrePage {
    meta: Meta,
    o: Arc<Offer>,
    contracts: String,
    level: String,
    address: String,
    start: Option<String>,
    duration: Option<String>,
    published: String,
    naf_label: Option<String>,
    headcount: Option<String>,
    fiches: Vec<RomeFicheDetail>,
    apply: ApplyView,
    /// A CFA posted it on behalf of the company.
    posted_by: Option<String>,
}

/// GET `/offre/{id}`.
pub(crate) async fn page(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    render_page(&state, &id, ApplyForm::default(), StatusCode::OK).await
}

/// The page of offer `id` with the application `form` (blank, or as sent
/// with its errors), answered with `status`.
pub(crate) async fn render_page(
    state: &AppState,
    id: &str,
    form: ApplyForm,
    status: StatusCode,
) -> Result<Response, PageError> {
    let o = state
        .search
        .snapshot()
        .offers
        .get(id)
        .ok_or(PageError::NotFound)?;
    let other_ways = o
        .apply_url
        .iter()
        .map(|url| {
            (
                url.clone(),
                "Postuler sur le site d'origine de l'offre".to_owned(),
            )
        })
        .collect();
    let apply = apply_view::view(state, &Target::Offer(id.to_owned()), form, other_ways).await?;
    let lba_app::details::EmployerDetails {
        fiches,
        naf_label,
        headcount,
        ..
    } = lba_app::details::offer(
        &state.store,
        &o.rome,
        o.company_naf.as_ref(),
        o.company_headcount.as_deref(),
    )
    .await?;
    let posted_by = lba_app::details::offer_posted_by(&state.store, id).await?;
    let contracts = o
        .contract_types
        .iter()
        .map(|c| format!("Contrat d'{}", c.label_fr().to_lowercase()))
        .collect::<Vec<_>>()
        .join(", ")
        .replace("d'professionnalisation", "de professionnalisation");
    let page = OffrePage {
        posted_by,
        meta: Meta::new(
            format!("{} à {} – offre en alternance", o.title, o.place.city),
            format!(
                "Offre d'emploi en alternance : {} chez {} à {}.",
                o.title, o.company_name, o.place.city
            ),
        ),
        contracts,
        level: o
            .level
            .map_or_else(|| "Tous niveaux".to_owned(), format::level),
        address: format::address(&o.place),
        start: o.start_date.map(format::date),
        duration: o.duration_months.map(format::months),
        published: format::date(o.published_at.date_naive()),
        naf_label,
        headcount,
        fiches,
        apply,
        o,
    };
    Ok(render(status, &page))
}
