//! `/entreprise/{siret}`: a company likely to hire an apprentice, its
//! activity, size and hiring potential, and how to contact it.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use lba_app::details::RomeFicheDetail;
use lba_core::ids::{CodeRome, Siret};
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
    /// The métier the headline score is for, when the visitor came from a
    /// search for it (the score its result card showed).
    metier: Option<String>,
    /// Every métier of the company with its score: the searched one first,
    /// then by score.
    scores: Vec<MetierScore>,
    apply: ApplyView,
}

/// One métier's hiring potential.
struct MetierScore {
    code: String,
    label: String,
    stars: String,
}

/// The query of `/entreprise/{siret}`: the métier of the search that led
/// here (`?metier=D1102`, from the result card).
#[derive(Debug, serde::Deserialize)]
pub(crate) struct CompanyQuery {
    metier: Option<String>,
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
    Query(query): Query<CompanyQuery>,
) -> Result<Response, PageError> {
    let siret = Siret::parse(&siret)
        .map_err(|e| PageError::BadRequest(format!("Ce numéro SIRET n'est pas valide : {e}.")))?;
    let metier = match query.metier.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(code) => Some(CodeRome::parse(code).map_err(|e| {
            PageError::BadRequest(format!(
                "Le code métier (paramètre « metier ») n'est pas valide : {e}."
            ))
        })?),
    };
    render_page_for(
        &state,
        siret.as_str(),
        metier.as_ref(),
        ApplyForm::default(),
        StatusCode::OK,
    )
    .await
}

/// The page of company `siret` (already checked) with the application
/// `form`, answered with `status`.
pub(crate) async fn render_page(
    state: &AppState,
    siret: &str,
    form: ApplyForm,
    status: StatusCode,
) -> Result<Response, PageError> {
    render_page_for(state, siret, None, form, status).await
}

/// The page of company `siret`, its headline score for `metier` when the
/// company has it (else its best score).
async fn render_page_for(
    state: &AppState,
    siret: &str,
    metier: Option<&CodeRome>,
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
    let target =
        Target::Company(lba_core::ids::Siret::parse(siret).map_err(|_| PageError::NotFound)?);
    let apply = apply_view::view(state, &target, form, other_ways).await?;
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
    let searched = metier.and_then(|m| c.romes.iter().find(|r| &r.rome == m));
    let score = searched.map_or_else(|| c.best_score(&[]), |r| r.score);
    let label_of = |code: &CodeRome| {
        fiches
            .iter()
            .find(|f| f.code == code.as_str())
            .map_or_else(|| code.as_str().to_owned(), |f| f.label.clone())
    };
    let mut ranked: Vec<_> = c.romes.iter().collect();
    ranked.sort_by(|a, b| {
        let first =
            |r: &&lba_core::opportunity::RomeScore| Some(&r.rome) == searched.map(|s| &s.rome);
        first(b)
            .cmp(&first(a))
            .then(b.score.cmp(&a.score))
            .then(a.rome.cmp(&b.rome))
    });
    let scores = ranked
        .into_iter()
        .map(|r| MetierScore {
            code: r.rome.as_str().to_owned(),
            label: label_of(&r.rome),
            stars: format::stars_text(r.score),
        })
        .collect();
    let metier = searched.map(|r| label_of(&r.rome));
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
        metier,
        scores,
        apply,
        c,
    };
    Ok(render(status, &page))
}
