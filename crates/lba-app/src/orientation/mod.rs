//! Orientation toward métiers d'avenir (issue 16): the tables built once
//! from the store, and one questionnaire answered from them and the search
//! index snapshot (no SQL per request).
//!
//! The ranking itself is `lba_search::orientation` (its formula is
//! documented there). This module turns stored rows into its inputs, finds
//! the département and région of the place, and counts the opportunities
//! near it in the index.
//!
//! The experiment (which method and presentation a visitor gets, what is
//! recorded) is [`experiment`]; its statistics [`stats`]; the reasons in
//! plain French [`view`].

use lba_core::geo::{GeoPoint, Radius};
use lba_core::ids::CodeRome;
use lba_search::Index;
use lba_search::orientation::{
    Area, FicheInput, Method, OPPORTUNITY_RADIUS_KM, OpportunityCounts, OrientationError,
    OrientationInputs, OrientationQuery, OrientationTables, PlaceArea, Suggestion, TensionInput,
};
use lba_store::{Store, StoreError};

mod counts;
mod experiment;
mod stats;
mod view;
mod writer;

pub use experiment::{Arm, Destination, Presentation, application_sent, assign, follow};
pub use stats::{ArmStats, ExperimentStats, MethodComparison, RateView, stats, stats_csv};
pub use view::{PlaceWords, sentences};

use crate::learning::Learner;

/// A centre of interest as the questionnaire shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Centre {
    /// Code (1–30).
    pub code: i32,
    /// The statement ("J'ai envie de créer, construire, rénover").
    pub label: String,
    /// Its definition.
    pub definition: String,
}

/// The orientation tables.
#[derive(Clone, Debug)]
pub struct Orientation {
    tables: OrientationTables,
    centres: Vec<Centre>,
    /// Records the results pages shown (group commit, [`writer`]).
    writer: writer::ViewWriter,
    /// Opportunity counts already made for the current index ([`counts`]).
    counts: std::sync::Arc<counts::CountsCache>,
}

/// One questionnaire.
#[derive(Clone, Debug, PartialEq)]
pub struct Questionnaire {
    /// Chosen centres, in order.
    pub interests: Vec<i32>,
    /// The order was given on purpose.
    pub ordered: bool,
    /// Where the young person is (a commune centre or coordinates).
    pub point: Option<GeoPoint>,
    /// Target diploma level (3–8): courses at this level or one below or
    /// above count as reachable.
    pub level: Option<u8>,
    /// Ranking method (the visitor's experiment arm).
    pub method: Method,
}

/// The answer to a questionnaire.
#[derive(Clone, Debug, PartialEq)]
pub struct Proposals {
    /// The place's département and région, when a point was given and a
    /// commune is near it.
    pub place: Option<PlaceArea>,
    /// The ranked métiers.
    pub suggestions: Vec<Suggestion>,
}

impl Orientation {
    /// Builds the tables from the store (referentials and DARES imported).
    pub async fn load(store: &Store) -> Result<Self, StoreError> {
        let rows = store.orientation_rows().await?;
        let code = |s: &str| s.parse::<CodeRome>().ok();
        let fiches = rows
            .fiches
            .into_iter()
            .filter_map(|f| {
                Some(FicheInput {
                    code: code(&f.code)?,
                    parent: code(&f.parent_code)?,
                    label: f.label,
                    transition_eco: f.transition_eco,
                    transition_num: f.transition_num.unwrap_or(false),
                    transition_demo: f.transition_demo.unwrap_or(false),
                })
            })
            .collect();
        let interests = rows
            .interests
            .into_iter()
            .filter_map(|(centre, rome, principal)| {
                Some((i32::try_from(centre).ok()?, code(&rome)?, principal))
            })
            .collect();
        let tensions = rows
            .tensions
            .into_iter()
            .filter_map(|t| {
                let area = match t.area_kind.as_str() {
                    "nat" => Area::National,
                    "reg" => Area::Region(t.area_code),
                    "dep" => Area::Departement(t.area_code),
                    _ => return None,
                };
                Some(TensionInput {
                    fap: t.fap_code,
                    area,
                    employment: u32::try_from(t.employment).unwrap_or(0),
                    indicator: t.indicator,
                })
            })
            .collect();
        let trends = rows
            .trends
            .into_iter()
            .filter_map(|(fap, year, v)| Some((fap, u16::try_from(year).ok()?, v)))
            .collect();
        let fap_romes = rows
            .fap_romes
            .into_iter()
            .filter_map(|(fap, rome)| Some((fap, code(&rome)?)))
            .collect();
        Ok(Self {
            writer: writer::ViewWriter::start(store.clone()),
            counts: std::sync::Arc::default(),
            tables: OrientationTables::new(OrientationInputs {
                fiches,
                interests,
                tensions,
                trends,
                fap_romes,
            }),
            centres: rows
                .centres
                .into_iter()
                .filter_map(|(code, label, definition)| {
                    Some(Centre {
                        code: i32::try_from(code).ok()?,
                        label,
                        definition,
                    })
                })
                .collect(),
        })
    }

    /// The centres of interest, by code.
    pub fn centres(&self) -> &[Centre] {
        &self.centres
    }

    /// Ranks the métiers for a questionnaire.
    pub fn propose(
        &self,
        index: &Index,
        questionnaire: &Questionnaire,
    ) -> Result<Proposals, OrientationError> {
        let hit = questionnaire.point.and_then(|p| index.places.nearest(p));
        let place = hit.as_ref().map(|h| PlaceArea {
            departement: h.departement.clone(),
            region: h.region.clone(),
        });
        let point = questionnaire.point.filter(|_| place.is_some());
        let query = OrientationQuery {
            interests: questionnaire.interests.clone(),
            ordered: questionnaire.ordered,
            place: place.clone(),
            method: questionnaire.method,
        };
        let level = questionnaire.level;
        let snapshot = (
            index.version,
            index.built_at.timestamp_nanos_opt().unwrap_or_default(),
        );
        // The place's remembered counts, found once for the questionnaire.
        let near = point.map(|p| (p, self.counts.near(snapshot, p, level)));
        let counts = |rome: &CodeRome| match &near {
            Some((p, near)) => {
                near.get_or_count(rome, || opportunities_near(index, rome, *p, level))
            }
            None => OpportunityCounts::default(),
        };
        Ok(Proposals {
            place,
            suggestions: self.tables.rank(&query, &counts)?,
        })
    }
}

/// Courses (at the level, one below or one above, or of unknown level),
/// offers and companies of one métier within the orientation radius.
fn opportunities_near(
    index: &Index,
    rome: &CodeRome,
    point: GeoPoint,
    level: Option<u8>,
) -> OpportunityCounts {
    // 60 km is within Radius::MAX_KM: the default is never taken.
    let radius = Radius::new(OPPORTUNITY_RADIUS_KM as u16).unwrap_or_default();
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let level_ok = |f: &lba_core::opportunity::Formation| match (level, f.level) {
        (Some(want), Some(l)) => l.get().abs_diff(want) <= 1,
        _ => true,
    };
    OpportunityCounts {
        courses: count(
            index
                .formations
                .count_within(rome, point, radius, &level_ok),
        ),
        offers: count(index.offers.count_within(rome, point, radius, &|_| true)),
        companies: count(index.companies.count_within(rome, point, radius, &|_| true)),
    }
}

impl Orientation {
    /// The label of fiche `code`.
    pub fn label(&self, code: &CodeRome) -> Option<&str> {
        self.tables.label(code)
    }
}

/// The questionnaire of the pages (the method comes from the visitor's arm).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResultsInput {
    /// Chosen centres, in order.
    pub interests: Vec<i32>,
    /// The order was given on purpose.
    pub ordered: bool,
    /// The place: a commune's INSEE code (its centre is used).
    pub insee: Option<String>,
    /// Target diploma level.
    pub level: Option<u8>,
}

/// One proposed métier as the results page shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct SuggestionView {
    /// 1 for the first.
    pub rank: i64,
    pub code: String,
    pub label: String,
    /// Why, in plain French.
    pub reasons: Vec<String>,
    /// No apprenticeship course within 60 km.
    pub far: bool,
    /// The tracked link to the ROME fiche.
    pub fiche_href: String,
    /// The tracked link to the search of the métier near the place.
    pub search_href: String,
}

/// The results page.
#[derive(Clone, Debug, PartialEq)]
pub struct ResultsView {
    /// The recorded view.
    pub view_id: i64,
    /// The visitor's arm.
    pub arm: Arm,
    /// The chosen centres, in the order used.
    pub chosen: Vec<Centre>,
    /// Where, when a place was given.
    pub place: Option<PlaceWords>,
    pub suggestions: Vec<SuggestionView>,
}

/// Why results cannot be shown.
#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    /// A bad questionnaire (unknown or repeated centre, too few or many).
    #[error(transparent)]
    Invalid(#[from] OrientationError),
    /// The INSEE code names no known commune.
    #[error("commune inconnue : {0}")]
    UnknownCommune(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Ranks the métiers for `input` with the visitor's method, records the
/// page and what it showed, and returns its view.
pub async fn results(
    store: &Store,
    search: &crate::Search,
    key: &lba_notify::LinkKey,
    learner: &Learner,
    input: &ResultsInput,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<ResultsView, ResultsError> {
    let arm = assign(key, learner.key());
    let tables = search.orientation().await?;
    let index = search.snapshot();
    let hit = match &input.insee {
        Some(code) => Some(
            index
                .places
                .get(code)
                .ok_or_else(|| ResultsError::UnknownCommune(code.clone()))?,
        ),
        None => None,
    };
    let questionnaire = Questionnaire {
        interests: input.interests.clone(),
        ordered: input.ordered,
        point: hit.as_ref().map(|h| h.point),
        level: input.level,
        method: arm.method,
    };
    let proposals = tables.propose(&index, &questionnaire)?;
    let place = hit.as_ref().map(|h| PlaceWords {
        commune: h.name.clone(),
        departement: h.departement_name.clone(),
        region: h.region.clone(),
    });
    let view_id = experiment::record_view(
        store,
        &tables.writer,
        experiment::ViewRecord {
            learner,
            arm,
            interests: &input.interests,
            ordered: input.ordered,
            level: input.level,
            commune_insee: hit.as_ref().map(|h| h.insee.to_string()),
            departement: proposals.place.as_ref().map(|p| p.departement.clone()),
            suggestions: proposals
                .suggestions
                .iter()
                .map(|s| (s.code.as_str().to_owned(), s.score))
                .collect(),
        },
        now,
    )
    .await?;
    let chosen = input
        .interests
        .iter()
        .filter_map(|code| tables.centres.iter().find(|c| c.code == *code).cloned())
        .collect();
    let suggestions = proposals
        .suggestions
        .iter()
        .zip(1..)
        .map(|(s, rank)| SuggestionView {
            rank,
            code: s.code.as_str().to_owned(),
            label: s.label.clone(),
            reasons: sentences(
                &s.reasons,
                &tables.centres,
                place.as_ref(),
                arm.presentation,
            ),
            far: s
                .reasons
                .contains(&lba_search::orientation::Reason::NoCourseNearby),
            fiche_href: format!("/orientation/suivi/{view_id}/{rank}/fiche"),
            search_href: format!("/orientation/suivi/{view_id}/{rank}/recherche"),
        })
        .collect();
    Ok(ResultsView {
        view_id,
        arm,
        chosen,
        place,
        suggestions,
    })
}

/// Where a followed suggestion leads: the ROME fiche, or the search of the
/// métier near the view's place (all of France without one).
pub async fn destination(
    store: &Store,
    search: &crate::Search,
    learner: &Learner,
    view_id: i64,
    rank: i64,
    to: Destination,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<String>, StoreError> {
    let Some(suggestion) = follow(store, learner, view_id, rank, to, now).await? else {
        return Ok(None);
    };
    Ok(Some(match to {
        Destination::Fiche => format!("/metier/{}", suggestion.rome),
        Destination::Search => {
            let label = match suggestion.rome.parse::<CodeRome>() {
                Ok(code) => search
                    .orientation()
                    .await?
                    .label(&code)
                    .map(str::to_owned)
                    .unwrap_or_default(),
                Err(_) => String::new(),
            };
            let mut url = form_urlencoded::Serializer::new(String::new());
            url.append_pair("romes", &suggestion.rome);
            if !label.is_empty() {
                url.append_pair("metier", &label);
            }
            if let Some(insee) = &suggestion.commune_insee {
                url.append_pair("insee", insee);
            }
            format!("/recherche?{}", url.finish())
        }
    }))
}

/// The place of a cohort person (their commune), to pre-fill the
/// questionnaire of someone who came through a campaign's tracked link:
/// (INSEE code, "Rennes (35000)").
pub async fn person_place(
    store: &Store,
    search: &crate::Search,
    person_id: &str,
) -> Result<Option<(String, String)>, StoreError> {
    let Some(person) = store.cohort_person(person_id).await? else {
        return Ok(None);
    };
    let index = search.snapshot();
    Ok(person
        .commune_insee
        .as_deref()
        .and_then(|code| index.places.get(code))
        .map(|hit| {
            let name = match &hit.postal_code {
                Some(postal) => format!("{} ({postal})", hit.name),
                None => hit.name.clone(),
            };
            (hit.insee.to_string(), name)
        }))
}
