//! Orientation toward métiers d'avenir (issue 16), usable without
//! JavaScript:
//!
//! - `GET /orientation`: the questionnaire: 3 to 5 centres of interest
//!   (checkboxes in a fieldset), a place (commune, autocomplete with
//!   JavaScript, typed name resolved without), a target level. A person who
//!   came through a campaign's tracked link finds their commune filled in.
//! - `GET /orientation/resultats?interets=…&lieu=…&insee=…&niveau=…`:
//!   10 métiers with their reasons, ranked by the visitor's method (the
//!   experiment arm), recorded; `rang_<centre>=1…5` puts the centres in
//!   order. A bad answer shows the questionnaire again (422) with the
//!   message next to the field.
//! - `GET /orientation/suivi/{view}/{rank}/{fiche|recherche}`: records
//!   that a suggestion was followed (only for the visitor it was shown to)
//!   and redirects to the ROME fiche or to the search near the place.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use lba_app::orientation::{self, Centre, Destination, ResultsError, ResultsInput, ResultsView};
use lba_app::search_request::lookup;

use super::{Meta, PageError, format, render};
use crate::AppState;
use crate::visitor::Visitor;

/// Centres a young person picks on the page.
const PICK: std::ops::RangeInclusive<usize> = 3..=5;

/// The routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/orientation", get(questionnaire))
        .route("/orientation/resultats", get(results))
        .route("/orientation/suivi/{view}/{rank}/{to}", get(follow))
}

/// The questionnaire's answers as sent (every field optional).
#[derive(Clone, Debug, Default)]
struct Answers {
    interests: Vec<String>,
    lieu: String,
    insee: String,
    niveau: String,
    /// (centre, rank) pairs of `rang_<centre>`.
    ranks: Vec<(String, String)>,
}

impl Answers {
    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut a = Self::default();
        for (name, value) in pairs {
            let value = value.trim().to_owned();
            match name.as_str() {
                "interets" => a.interests.push(value),
                "lieu" => a.lieu = value,
                "insee" => a.insee = value,
                "niveau" => a.niveau = value,
                other => {
                    if let Some(centre) = other.strip_prefix("rang_") {
                        a.ranks.push((centre.to_owned(), value));
                    }
                }
            }
        }
        a
    }

    fn chose(&self, code: i32) -> bool {
        self.interests.iter().any(|i| i == &code.to_string())
    }

    /// The query string of these answers (without the order).
    fn query(&self) -> String {
        let mut pairs: Vec<(&str, &str)> = self
            .interests
            .iter()
            .map(|i| ("interets", i.as_str()))
            .collect();
        pairs.push(("lieu", &self.lieu));
        pairs.push(("insee", &self.insee));
        pairs.push(("niveau", &self.niveau));
        format::query_string(&pairs)
    }
}

/// The messages next to the fields.
#[derive(Clone, Debug, Default)]
struct FieldErrors {
    interets: Option<String>,
    lieu: Option<String>,
    niveau: Option<String>,
    rang: Option<String>,
}

impl FieldErrors {
    fn any(&self) -> bool {
        self.interets.is_some()
            || self.lieu.is_some()
            || self.niveau.is_some()
            || self.rang.is_some()
    }
}

/// Checks the answers against the centres and the places index.
fn understand(
    answers: &Answers,
    centres: &[Centre],
    index: &lba_search::Index,
) -> Result<ResultsInput, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut interests = Vec::new();
    for raw in &answers.interests {
        match raw.parse::<i32>() {
            Ok(code) if centres.iter().any(|c| c.code == code) => {
                if !interests.contains(&code) {
                    interests.push(code);
                }
            }
            _ => {
                errors.interets = Some(format!(
                    "Ce centre d'intérêt n'existe pas ({}). Coche-les dans la liste.",
                    lba_app::search_request::echo(raw)
                ));
            }
        }
    }
    if errors.interets.is_none() && !PICK.contains(&interests.len()) {
        errors.interets = Some(format!(
            "Coche entre 3 et 5 centres d'intérêt (tu en as coché {}).",
            interests.len()
        ));
    }
    let mut ordered = false;
    if !answers.ranks.is_empty() && errors.interets.is_none() {
        let mut ranked: Vec<(u8, i32)> = Vec::new();
        for (centre, rank) in &answers.ranks {
            if rank.is_empty() {
                continue;
            }
            let code = centre.parse::<i32>().ok().filter(|c| interests.contains(c));
            let rank = rank.parse::<u8>().ok().filter(|r| (1..=5).contains(r));
            match (code, rank) {
                (Some(code), Some(rank)) => ranked.push((rank, code)),
                _ => {
                    errors.rang =
                        Some("Classe tes choix avec les numéros de 1 à 5 proposés.".to_owned());
                }
            }
        }
        if errors.rang.is_none() && !ranked.is_empty() {
            // Ranked centres first (by rank, then code), the others after.
            ranked.sort_unstable();
            let mut order: Vec<i32> = ranked.iter().map(|(_, c)| *c).collect();
            order.dedup();
            for code in &interests {
                if !order.contains(code) {
                    order.push(*code);
                }
            }
            interests = order;
            ordered = true;
        }
    }
    let insee = if !answers.insee.is_empty() {
        match index.places.get(&answers.insee) {
            Some(hit) => Some(hit.insee.to_string()),
            None => {
                errors.lieu =
                    Some("Cette commune est inconnue. Tape son nom ou son code postal.".to_owned());
                None
            }
        }
    } else if !answers.lieu.is_empty() {
        match lookup::places(index, &answers.lieu, 1).into_iter().next() {
            Some(hit) => Some(hit.insee.to_string()),
            None => {
                errors.lieu = Some(format!(
                    "Aucune commune ne correspond à « {} ». Tape le nom d'une ville ou un code postal.",
                    lba_app::search_request::echo(&answers.lieu)
                ));
                None
            }
        }
    } else {
        None
    };
    let level = if answers.niveau.is_empty() {
        None
    } else {
        match answers.niveau.parse::<u8>() {
            Ok(n) if (3..=7).contains(&n) => Some(n),
            _ => {
                errors.niveau = Some("Choisis un niveau dans la liste.".to_owned());
                None
            }
        }
    };
    if errors.any() {
        return Err(errors);
    }
    Ok(ResultsInput {
        interests,
        ordered,
        insee,
        level,
    })
}

/// The levels offered (3 = CAP … 7 = master).
const LEVELS: [(&str, &str); 6] = [
    ("", "Peu importe"),
    ("3", "CAP, BEP"),
    ("4", "Bac, bac pro, BP"),
    ("5", "BTS, DEUST (bac + 2)"),
    ("6", "Licence, BUT (bac + 3)"),
    ("7", "Master, diplôme d'ingénieur (bac + 5)"),
];

#[derive(Template)]
#[template(path = "orientation.html")]
struct QuestionnairePage {
    meta: Meta,
    centres: Vec<Centre>,
    answers: Answers,
    errors: FieldErrors,
    /// The place came from the campaign link (said on the page).
    place_from_campaign: bool,
}

impl QuestionnairePage {
    fn checked(&self, code: &i32) -> bool {
        self.answers.chose(*code)
    }

    fn levels(&self) -> Vec<(&'static str, &'static str, bool)> {
        LEVELS
            .iter()
            .map(|(v, l)| (*v, *l, *v == self.answers.niveau))
            .collect()
    }
}

async fn centres(state: &AppState) -> Result<Vec<Centre>, PageError> {
    Ok(state.search.orientation().await?.centres().to_vec())
}

/// GET `/orientation`.
async fn questionnaire(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let mut answers = Answers::from_pairs(pairs);
    let mut place_from_campaign = false;
    if answers.lieu.is_empty()
        && answers.insee.is_empty()
        && let Some(person) = visitor.attribution.as_ref().map(|a| a.person_id.clone())
        && let Some((insee, name)) =
            orientation::person_place(&state.store, &state.search, &person).await?
    {
        answers.insee = insee;
        answers.lieu = name;
        place_from_campaign = true;
    }
    let page = QuestionnairePage {
        meta: meta_questionnaire(),
        centres: centres(&state).await?,
        answers,
        errors: FieldErrors::default(),
        place_from_campaign,
    };
    Ok(visitor.attach(render(StatusCode::OK, &page)))
}

fn meta_questionnaire() -> Meta {
    Meta::new(
        "Trouver un métier qui te plaît – La bonne alternance",
        "Choisis ce que tu aimes faire : on te propose 10 métiers qui recrutent et que tu peux apprendre en apprentissage près de chez toi.",
    )
}

#[derive(Template)]
#[template(path = "orientation_resultats.html")]
struct ResultsPage {
    meta: Meta,
    r: ResultsView,
    /// The query string to change the answers.
    change: String,
    answers: Answers,
}

impl ResultsPage {
    /// The rank options of the centre at `position` (0-based).
    fn rank_options(&self, position: &usize) -> Vec<(usize, bool)> {
        let n = self.r.chosen.len();
        (1..=n).map(|r| (r, r == position + 1)).collect()
    }

    fn ordered_by_hand(&self) -> bool {
        !self.answers.ranks.is_empty()
    }

    fn far_count(&self) -> usize {
        self.r.suggestions.iter().filter(|s| s.far).count()
    }

    fn method_code(&self) -> &'static str {
        self.r.arm.method.as_str()
    }

    fn presentation_code(&self) -> &'static str {
        self.r.arm.presentation.as_str()
    }
}

/// GET `/orientation/resultats`.
async fn results(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let answers = Answers::from_pairs(pairs);
    let centres = centres(&state).await?;
    let index = state.search.snapshot();
    let input = match understand(&answers, &centres, &index) {
        Ok(input) => input,
        Err(errors) => {
            let page = QuestionnairePage {
                meta: Meta::new(
                    "Erreur : trouver un métier qui te plaît – La bonne alternance",
                    meta_questionnaire().description,
                ),
                centres,
                answers,
                errors,
                place_from_campaign: false,
            };
            return Ok(visitor.attach(render(StatusCode::UNPROCESSABLE_ENTITY, &page)));
        }
    };
    let view = orientation::results(
        &state.store,
        &state.search,
        &state.apply.config.key,
        &visitor.learner(),
        &input,
        Utc::now(),
    )
    .await
    .map_err(|e| match e {
        ResultsError::Store(e) => PageError::Store(e),
        other => PageError::Rejected {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            heading: "Questionnaire incomplet",
            message: format!("{other}. Reprends le questionnaire."),
        },
    })?;
    let page = ResultsPage {
        meta: Meta::new(
            "Des métiers pour toi – La bonne alternance",
            "Dix métiers qui correspondent à ce que tu aimes, avec les formations en apprentissage et les entreprises près de chez toi.",
        ),
        change: answers.query(),
        r: view,
        answers,
    };
    Ok(visitor.attach(render(StatusCode::OK, &page)))
}

/// GET `/orientation/suivi/{view}/{rank}/{to}`.
async fn follow(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((view, rank, to)): Path<(String, String, String)>,
) -> Result<Response, PageError> {
    let to = match to.as_str() {
        "fiche" => Destination::Fiche,
        "recherche" => Destination::Search,
        _ => return Err(PageError::NotFound),
    };
    let (Ok(view), Ok(rank)) = (view.parse::<i64>(), rank.parse::<i64>()) else {
        return Err(PageError::NotFound);
    };
    let target = orientation::destination(
        &state.store,
        &state.search,
        &visitor.learner(),
        view,
        rank,
        to,
        Utc::now(),
    )
    .await?
    .ok_or(PageError::NotFound)?;
    Ok(visitor.attach(
        (
            StatusCode::SEE_OTHER,
            [
                (header::LOCATION, target),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
        )
            .into_response(),
    ))
}
