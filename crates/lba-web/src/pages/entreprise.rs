//! `/entreprise/{siret}`: a company likely to hire an apprentice, its
//! activity, size and hiring potential, and how to contact it.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use lba_app::details::RomeFicheDetail;
use lba_core::ids::Siret;
use lba_core::opportunity::Company;

use super::apply_view::{self, ApplyForm, ApplyView};
use super::{Meta, PageError, format, render};
use crate::AppState;
use lba_app::apply::Target;

#[derive(Template)]
#[template(path = "entreprise.html")]
struct EntreprisePage {
    meta: Meta,
    c: Arc<Company>,
    address: String,
    naf_label: Option<String>,
    headcount: Option<String>,
    potential: &'static str,
    stars: String,
    /// Whole stars drawn (out of 5), for the visual.
    full_stars: usize,
    fiches: Vec<RomeFicheDetail>,
    /// "environ 3 personnes", when the hiring-potential model scored it.
    predicted: Option<String>,
    apply: ApplyView,
}

/// Predicted hirings in words: a count is an estimate, so it is rounded
/// and never shown with decimals.
fn predicted_words(n: f64) -> String {
    if n < 0.5 {
        "peut-être une personne".to_owned()
    } else if n < 1.5 {
        "environ une personne".to_owned()
    } else {
        format!("environ {} personnes", n.round())
    }
}

/// GET `/entreprise/{siret}`.
pub(crate) async fn page(
    State(state): State<AppState>,
    Path(siret): Path<String>,
) -> Result<Response, PageError> {
    let siret = Siret::parse(&siret)
        .map_err(|e| PageError::BadRequest(format!("Ce numéro SIRET n'est pas valide : {e}.")))?;
    render_page(&state, siret.as_str(), ApplyForm::default(), StatusCode::OK).await
}

/// The page of company `siret` (already checked) with the application
/// `form`, answered with `status`.
pub(crate) async fn render_page(
    state: &AppState,
    siret: &str,
    form: ApplyForm,
    status: StatusCode,
) -> Result<Response, PageError> {
    let c = state
        .search
        .snapshot()
        .companies
        .get(siret)
        .ok_or(PageError::NotFound)?;
    let mut other_ways = Vec::new();
    if let Some(phone) = &c.phone {
        other_ways.push((
            format!("tel:{phone}"),
            format!("Appeler l'entreprise au {phone}"),
        ));
    }
    if let Some(url) = &c.website {
        other_ways.push((url.clone(), "Site internet de l'entreprise".to_owned()));
    }
    let apply =
        apply_view::view(state, &Target::Company(siret.to_owned()), form, other_ways).await?;
    let romes: Vec<_> = c.romes.iter().map(|r| r.rome.clone()).collect();
    let lba_app::details::EmployerDetails {
        fiches,
        naf_label,
        headcount,
        predicted_hirings,
    } = lba_app::details::company(
        &state.store,
        siret,
        &romes,
        c.naf.as_ref(),
        c.headcount.as_deref(),
    )
    .await?;
    let predicted = predicted_hirings.map(predicted_words);
    let score = c.best_score(&[]);
    let page = EntreprisePage {
        meta: Meta::new(
            format!(
                "{} à {} – entreprise qui recrute en alternance",
                c.name, c.place.city
            ),
            format!(
                "{} à {} : activité, potentiel d'embauche en alternance et contact.",
                c.name, c.place.city
            ),
        ),
        address: format::address(&c.place),
        naf_label,
        headcount,
        potential: format::potential_words(score),
        stars: format::stars_text(score),
        full_stars: format::stars(score).round() as usize,
        fiches,
        predicted,
        apply,
        c,
    };
    Ok(render(status, &page))
}
