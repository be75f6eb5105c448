//! `/recherche`: the results of a search, by kind (formations, offres,
//! entreprises), 20 per kind per page, with the map. A bad query shows the
//! form again with the messages next to the fields (400).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use lba_core::geo::Radius;

use super::cards::{self, Card};
use super::form::{self, FormView, SearchParams};
use super::home::HomePage;
use super::{Meta, render};
use crate::AppState;

/// Results per kind per page.
const PER_PAGE: usize = 20;

/// One kind of results.
pub(crate) struct Section {
    /// Anchor and list id suffix: `formations`, `offres`, `entreprises`.
    pub(crate) id: &'static str,
    /// Heading.
    pub(crate) heading: &'static str,
    /// All results of that kind.
    pub(crate) total: usize,
    /// This page's cards.
    pub(crate) cards: Vec<Card>,
    /// The previous and next pages, when there are.
    pub(crate) prev_url: Option<String>,
    pub(crate) next_url: Option<String>,
    /// Message when empty.
    pub(crate) empty: &'static str,
}

#[derive(Template)]
#[template(path = "results.html")]
struct ResultsPage {
    meta: Meta,
    form: FormView,
    heading: String,
    metier: String,
    place: Option<String>,
    radius_km: u16,
    sections: Vec<Section>,
    markers_json: String,
    /// The searched place, `lat,lon`, for the map's radius circle.
    center: Option<String>,
    fallback: bool,
    nothing: bool,
    widen_url: Option<String>,
}

/// GET `/recherche`.
pub(crate) async fn page(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> Response {
    let index = state.search.snapshot();
    let understood = match form::understand(&params, &index) {
        Ok(understood) => understood,
        Err(errors) => {
            let page = HomePage::with_errors(FormView::from_params(&params, errors));
            return render(StatusCode::BAD_REQUEST, &page);
        }
    };
    let results = index.search(&understood.query);
    let page_number = params
        .page
        .as_deref()
        .and_then(|p| p.trim().parse::<usize>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let radius_km = understood.query.radius.km();
    let where_ = match &understood.place {
        Some(place) => format!("à {place} ({radius_km} km)"),
        None => "en France".to_owned(),
    };
    let section = |id, heading, empty, all: Vec<Card>| {
        let total = all.len();
        let start = (page_number - 1).saturating_mul(PER_PAGE);
        let cards: Vec<Card> = all.into_iter().skip(start).take(PER_PAGE).collect();
        let link = |n: usize| format!("{}#{id}", params.url(None, Some(n)));
        Section {
            id,
            heading,
            total,
            cards,
            prev_url: (page_number > 1).then(|| link(page_number - 1)),
            next_url: (start.saturating_add(PER_PAGE) < total).then(|| link(page_number + 1)),
            empty,
        }
    };
    let sections = vec![
        section(
            "formations",
            "Formations",
            "Aucune formation trouvée pour cette recherche.",
            results.formations.iter().map(cards::formation).collect(),
        ),
        section(
            "offres",
            "Offres d'emploi",
            "Aucune offre d'emploi en alternance dans ce rayon.",
            results
                .offers
                .iter()
                .map(|h| cards::offer(h, index.posted_by_cfa.get(&h.item.id)))
                .collect(),
        ),
        section(
            "entreprises",
            "Entreprises",
            "Aucune entreprise susceptible de recruter dans ce rayon.",
            results
                .companies
                .iter()
                .map(|hit| cards::company(hit, &understood.query.romes))
                .collect(),
        ),
    ];
    let shown: Vec<&Card> = sections.iter().flat_map(|s| s.cards.iter()).collect();
    let markers_json = cards::markers_json(&shown);
    let nothing = sections.iter().all(|s| s.total == 0);
    let widen_url = (nothing && understood.place.is_some() && radius_km < Radius::MAX_KM)
        .then(|| params.url(Some((radius_km.max(5) * 2).min(Radius::MAX_KM)), None));
    let metier = understood.metier;
    let page = ResultsPage {
        meta: Meta::new(
            format!("{metier} {where_} : formations, offres et entreprises en alternance"),
            format!(
                "Formations, offres d'emploi et entreprises qui recrutent en alternance pour le métier {metier} {where_}."
            ),
        ),
        form: FormView::from_params(&params, form::FieldErrors::default()),
        heading: format!("{metier} {where_}"),
        metier,
        place: understood.place,
        radius_km,
        sections,
        markers_json,
        center: understood
            .query
            .point
            .map(|p| format!("{:.5},{:.5}", p.lat(), p.lon())),
        fallback: results.formations_fallback,
        nothing,
        widen_url,
    };
    render(StatusCode::OK, &page)
}
