//! Orientation toward métiers d'avenir: from a young person's centres of
//! interest (ROME 4.0) and place to a ranked list of métiers, each with the
//! reasons it is proposed.
//!
//! Everything the ranking needs is precomputed in [`OrientationTables`] when
//! the referentials are loaded: the fiches under each centre of interest, the
//! DARES tension of each fiche per département, région and France (through
//! its FAP families), its 2011–2019 trend and its transition tags. A query
//! only reads these tables and asks the caller for the opportunities near
//! the place (the search index counts them). Deterministic: the same input
//! gives the same list.
//!
//! # The formula (weights in [`Weights`], one place)
//!
//! `score = w.interest × interest + w.tension × tension + w.trend × trend
//!        + w.transition × transition + w.opportunities × opportunities`,
//! each term in [0, 1]:
//! - **interest**: for each chosen centre the fiche belongs to, 1 when it is
//!   the fiche's principal centre and 0.5 otherwise, times the centre's
//!   weight (1 when the interests are not ordered; 1, 0.85, 0.7, 0.55, 0.4 in
//!   the order given); divided by the sum of the chosen centres' weights. A
//!   fiche under none of the chosen centres is never proposed.
//! - **tension**: the DARES indicator (standardised, 0 = average métier) of
//!   the fiche's FAP families, averaged with their employment as weights, in
//!   the young person's département when it has at least
//!   [`MIN_DEPARTEMENT_EMPLOYMENT`] jobs in those families, else in the
//!   région, else in France; mapped linearly from [−2, 2] to [0, 1].
//! - **trend**: the least-squares slope of the national indicator over
//!   2011–2019, mapped from [−0.1, 0.1] per year to [0, 1].
//! - **transition**: 0 without tag; 0.6 for one of the ecological
//!   (« Emploi vert » or « stratégique pour la transition écologique »),
//!   digital or demographic transitions, 0.8 for two, 1 for three.
//! - **opportunities** (only with a place): 0.6 × courses + 0.2 × offers +
//!   0.2 × companies, each `ln(1 + n) / ln(1 + cap)` capped at 1 (caps 20,
//!   50, 100), counted within [`OPPORTUNITY_RADIUS_KM`].
//!
//! Without a place the opportunities term is left out (the others keep their
//! weights) and tensions are national. With a place, a métier without any
//! apprenticeship course within the radius comes after all the others,
//! whatever its score, and says so.

use lba_core::ids::CodeRome;

/// Radius of the opportunity counts, in kilometres.
pub const OPPORTUNITY_RADIUS_KM: f64 = 60.0;
/// A département's own tension is used when the FAP families of the fiche
/// employ at least this many people there (smaller figures are noisy).
pub const MIN_DEPARTEMENT_EMPLOYMENT: u32 = 1_000;
/// Métiers proposed.
pub const SUGGESTIONS: usize = 10;
/// Centres of interest a young person picks.
pub const INTERESTS: std::ops::RangeInclusive<usize> = 1..=5;

/// The weights of the ranking terms.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Weights {
    /// Interest match.
    pub interest: f64,
    /// Labour-market tension near the young person.
    pub tension: f64,
    /// National tension trend.
    pub trend: f64,
    /// Ecological, digital, demographic transitions.
    pub transition: f64,
    /// Courses, offers and companies near the place.
    pub opportunities: f64,
}

/// The ranking methods compared by the orientation experiment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// What the young person likes, and what they can start near home.
    Interests,
    /// The same plus the "avenir" signals: tension, trend, transitions.
    Avenir,
}

impl Method {
    /// Both methods, in a stable order (the experiment's arms).
    pub const ALL: [Method; 2] = [Method::Interests, Method::Avenir];

    /// The method's weights.
    pub const fn weights(self) -> Weights {
        match self {
            Method::Interests => Weights {
                interest: 0.85,
                tension: 0.0,
                trend: 0.0,
                transition: 0.0,
                opportunities: 0.15,
            },
            Method::Avenir => Weights {
                interest: 0.45,
                tension: 0.2,
                trend: 0.05,
                transition: 0.1,
                opportunities: 0.2,
            },
        }
    }

    /// Stable identifier (stored with every suggestion shown).
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Interests => "interets",
            Method::Avenir => "avenir",
        }
    }
}

/// A ROME fiche as the tables need it.
#[derive(Clone, Debug, PartialEq)]
pub struct FicheInput {
    /// ROME 4.0 code.
    pub code: CodeRome,
    /// Label.
    pub label: String,
    /// ROME v3 parent (the key of the FAP table).
    pub parent: CodeRome,
    /// Ecological transition tag of the fiche (`Emploi Vert`…).
    pub transition_eco: Option<String>,
    /// Digital transition.
    pub transition_num: bool,
    /// Demographic transition.
    pub transition_demo: bool,
}

/// An area of the tension figures.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Area {
    /// France.
    National,
    /// A région (INSEE code on two digits).
    Region(String),
    /// A département.
    Departement(String),
}

/// One tension row of a FAP family in an area.
#[derive(Clone, Debug, PartialEq)]
pub struct TensionInput {
    /// FAP family (225 or 87; only the families linked to ROME codes count).
    pub fap: String,
    /// Area.
    pub area: Area,
    /// Average employment.
    pub employment: u32,
    /// Standardised indicator, when published.
    pub indicator: Option<f64>,
}

/// The inputs of [`OrientationTables::new`].
#[derive(Clone, Debug, Default)]
pub struct OrientationInputs {
    /// Every ROME fiche.
    pub fiches: Vec<FicheInput>,
    /// (centre of interest, fiche, principal) links.
    pub interests: Vec<(i32, CodeRome, bool)>,
    /// Tension rows.
    pub tensions: Vec<TensionInput>,
    /// (FAP family, year, national indicator) trend points.
    pub trends: Vec<(String, u16, f64)>,
    /// (FAP family, ROME v3 code) links.
    pub fap_romes: Vec<(String, CodeRome)>,
}

/// A tension figure as shown to the young person.
#[derive(Clone, Debug, PartialEq)]
pub struct TensionFigure {
    /// Where the figure comes from.
    pub area: Area,
    /// Employment-weighted indicator.
    pub indicator: f64,
    /// Jobs of the families in the area.
    pub employment: u32,
}

/// Which transitions a fiche carries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Transitions {
    /// Ecological transition.
    pub ecological: bool,
    /// Digital transition.
    pub digital: bool,
    /// Demographic transition (care, ageing population).
    pub demographic: bool,
}

impl Transitions {
    fn count(self) -> u8 {
        u8::from(self.ecological) + u8::from(self.digital) + u8::from(self.demographic)
    }
}

/// Opportunities near the place for one métier.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OpportunityCounts {
    /// Apprenticeship courses at or near the target level.
    pub courses: u32,
    /// Open offers.
    pub offers: u32,
    /// Companies likely to hire.
    pub companies: u32,
}

/// Where the young person is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlaceArea {
    /// Département code.
    pub departement: String,
    /// Région code.
    pub region: String,
}

/// One orientation request.
#[derive(Clone, Debug, PartialEq)]
pub struct OrientationQuery {
    /// Chosen centres of interest (1 to 5), in the young person's order.
    pub interests: Vec<i32>,
    /// The order of `interests` was given on purpose.
    pub ordered: bool,
    /// The place, when given.
    pub place: Option<PlaceArea>,
    /// Ranking method (the visitor's experiment arm).
    pub method: Method,
}

/// Why a métier is proposed (rendered in plain French by the pages, given
/// as data by the API).
#[derive(Clone, Debug, PartialEq)]
pub enum Reason {
    /// It belongs to a chosen centre of interest.
    Interest {
        /// Centre code.
        centre: i32,
        /// It is the fiche's principal centre.
        principal: bool,
    },
    /// Employers struggle to recruit (indicator above 0.3) in the area.
    Tension(TensionFigure),
    /// The national tension rose over 2011–2019.
    RisingTension {
        /// Slope per year.
        slope: f64,
    },
    /// The fiche carries transitions.
    Transitions(Transitions),
    /// Courses, offers and companies near the place.
    Opportunities(OpportunityCounts),
    /// No apprenticeship course within the radius.
    NoCourseNearby,
}

/// A proposed métier.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    /// ROME code.
    pub code: CodeRome,
    /// Label.
    pub label: String,
    /// Score in [0, 1] (before the "no course nearby" rule).
    pub score: f64,
    /// Why, most important first.
    pub reasons: Vec<Reason>,
    /// The tension figure used, when known.
    pub tension: Option<TensionFigure>,
    /// Opportunities near the place (`None` without a place).
    pub opportunities: Option<OpportunityCounts>,
}

/// Why a query is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OrientationError {
    /// Fewer than 1 or more than 5 interests.
    #[error("choisis entre 1 et 5 centres d'intérêt ({0} donnés)")]
    InterestCount(usize),
    /// An unknown centre code.
    #[error("centre d'intérêt inconnu : {0}")]
    UnknownInterest(i32),
    /// The same centre twice.
    #[error("centre d'intérêt en double : {0}")]
    DuplicateInterest(i32),
}

mod tables;

pub use tables::OrientationTables;
