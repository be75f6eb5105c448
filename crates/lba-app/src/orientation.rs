//! Orientation toward métiers d'avenir (issue 16): the tables built once
//! from the store, and one questionnaire answered from them and the search
//! index snapshot (no SQL per request).
//!
//! The ranking itself is `lba_search::orientation` (its formula is
//! documented there). This module turns stored rows into its inputs, finds
//! the département and région of the place, and counts the opportunities
//! near it in the index.
//!
//! Partial: the pages, the v1 endpoint and the experiment's records are not
//! built yet.

use lba_core::geo::{GeoPoint, Radius};
use lba_core::ids::CodeRome;
use lba_search::orientation::{
    Area, FicheInput, Method, OPPORTUNITY_RADIUS_KM, OpportunityCounts, OrientationError,
    OrientationInputs, OrientationQuery, OrientationTables, PlaceArea, Suggestion, TensionInput,
};
use lba_search::{Index, RomeFilter};
use lba_store::{Store, StoreError};

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
#[derive(Clone, Debug, Default)]
pub struct Orientation {
    tables: OrientationTables,
    centres: Vec<Centre>,
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
        let counts = |rome: &CodeRome| match point {
            Some(p) => opportunities_near(index, rome, p, level),
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
    let Ok(filter) = RomeFilter::codes(vec![rome.clone()]) else {
        return OpportunityCounts::default();
    };
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
                .find(&filter, Some(point), radius, &level_ok)
                .len(),
        ),
        offers: count(
            index
                .offers
                .find(&filter, Some(point), radius, &|_| true)
                .len(),
        ),
        companies: count(
            index
                .companies
                .find(&filter, Some(point), radius, &|_| true)
                .len(),
        ),
    }
}
