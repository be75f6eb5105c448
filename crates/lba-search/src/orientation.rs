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

use std::collections::{BTreeSet, HashMap};

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

#[derive(Clone, Debug)]
struct Fiche {
    code: CodeRome,
    label: String,
    transitions: Transitions,
    /// Trend slope of the national indicator per year.
    trend: Option<f64>,
    /// Tension per area, computed over the fiche's FAP families.
    tension: HashMap<Area, (f64, u32)>,
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

/// The precomputed tables.
#[derive(Clone, Debug, Default)]
pub struct OrientationTables {
    fiches: Vec<Fiche>,
    /// Centre → (fiche index, principal).
    by_centre: HashMap<i32, Vec<(usize, bool)>>,
}

impl OrientationTables {
    /// Builds the tables. Links to unknown fiches are ignored.
    pub fn new(inputs: OrientationInputs) -> Self {
        let mut faps_of_rome: HashMap<CodeRome, BTreeSet<String>> = HashMap::new();
        for (fap, rome) in inputs.fap_romes {
            faps_of_rome.entry(rome).or_default().insert(fap);
        }
        let mut rows_of_fap: HashMap<&str, Vec<&TensionInput>> = HashMap::new();
        for row in &inputs.tensions {
            rows_of_fap.entry(row.fap.as_str()).or_default().push(row);
        }
        let mut points_of_fap: HashMap<&str, Vec<(f64, f64)>> = HashMap::new();
        for (fap, year, indicator) in &inputs.trends {
            points_of_fap
                .entry(fap.as_str())
                .or_default()
                .push((f64::from(*year), *indicator));
        }
        let slope_of_fap: HashMap<&str, f64> = points_of_fap
            .into_iter()
            .filter_map(|(fap, points)| slope(&points).map(|s| (fap, s)))
            .collect();

        let mut fiches = Vec::with_capacity(inputs.fiches.len());
        let mut index_of: HashMap<CodeRome, usize> = HashMap::new();
        for input in inputs.fiches {
            let faps: Vec<&str> = faps_of_rome
                .get(&input.parent)
                .map(|s| s.iter().map(String::as_str).collect())
                .unwrap_or_default();
            // Per area: Σ indicator × employment, Σ employment, plain values.
            let mut sums: HashMap<&Area, (f64, u32, Vec<f64>)> = HashMap::new();
            for fap in &faps {
                for row in rows_of_fap.get(fap).into_iter().flatten() {
                    let Some(v) = row.indicator else { continue };
                    let entry = sums.entry(&row.area).or_default();
                    entry.0 += v * f64::from(row.employment);
                    entry.1 = entry.1.saturating_add(row.employment);
                    entry.2.push(v);
                }
            }
            let tension = sums
                .into_iter()
                .map(|(area, (sum, employment, plain))| {
                    let value = if employment > 0 {
                        sum / f64::from(employment)
                    } else {
                        plain.iter().sum::<f64>() / plain.len() as f64
                    };
                    (area.clone(), (value, employment))
                })
                .collect();
            let slopes: Vec<f64> = faps
                .iter()
                .filter_map(|f| slope_of_fap.get(f).copied())
                .collect();
            let trend =
                (!slopes.is_empty()).then(|| slopes.iter().sum::<f64>() / slopes.len() as f64);
            let ecological = matches!(
                input.transition_eco.as_deref(),
                Some("Emploi Vert" | "Emploi stratégique pour la Transition écologique")
            );
            index_of.insert(input.code.clone(), fiches.len());
            fiches.push(Fiche {
                code: input.code,
                label: input.label,
                transitions: Transitions {
                    ecological,
                    digital: input.transition_num,
                    demographic: input.transition_demo,
                },
                trend,
                tension,
            });
        }
        let mut by_centre: HashMap<i32, Vec<(usize, bool)>> = HashMap::new();
        for (centre, rome, principal) in inputs.interests {
            if let Some(&i) = index_of.get(&rome) {
                by_centre.entry(centre).or_default().push((i, principal));
            }
        }
        for links in by_centre.values_mut() {
            links.sort_unstable();
            links.dedup_by_key(|l| l.0);
        }
        Self { fiches, by_centre }
    }

    /// Known centre codes, sorted.
    pub fn centres(&self) -> Vec<i32> {
        let mut c: Vec<i32> = self.by_centre.keys().copied().collect();
        c.sort_unstable();
        c
    }

    /// Checks a query's interests.
    pub fn validate(&self, query: &OrientationQuery) -> Result<(), OrientationError> {
        if !INTERESTS.contains(&query.interests.len()) {
            return Err(OrientationError::InterestCount(query.interests.len()));
        }
        let mut seen = BTreeSet::new();
        for &c in &query.interests {
            if !self.by_centre.contains_key(&c) {
                return Err(OrientationError::UnknownInterest(c));
            }
            if !seen.insert(c) {
                return Err(OrientationError::DuplicateInterest(c));
            }
        }
        Ok(())
    }

    /// The tension figure of a fiche for a place: département when its
    /// families employ enough people there, else région, else France.
    fn tension_for(&self, fiche: &Fiche, place: Option<&PlaceArea>) -> Option<TensionFigure> {
        let figure = |area: Area| {
            fiche
                .tension
                .get(&area)
                .map(|&(indicator, employment)| TensionFigure {
                    area,
                    indicator,
                    employment,
                })
        };
        if let Some(place) = place {
            if let Some(f) = figure(Area::Departement(place.departement.clone()))
                .filter(|f| f.employment >= MIN_DEPARTEMENT_EMPLOYMENT)
            {
                return Some(f);
            }
            if let Some(f) = figure(Area::Region(place.region.clone())) {
                return Some(f);
            }
        }
        figure(Area::National)
    }

    /// Ranks the métiers of the chosen interests. `opportunities` counts what
    /// is near the place for a ROME code (called only with a place).
    pub fn rank(
        &self,
        query: &OrientationQuery,
        opportunities: &dyn Fn(&CodeRome) -> OpportunityCounts,
    ) -> Result<Vec<Suggestion>, OrientationError> {
        self.validate(query)?;
        let w = query.method.weights();
        let position_weight = |p: usize| {
            if query.ordered {
                1.0 - 0.15 * p as f64
            } else {
                1.0
            }
        };
        let max_interest: f64 = (0..query.interests.len()).map(position_weight).sum();
        // Fiche → (interest sum, reasons of interest), in the order chosen.
        let mut matched: HashMap<usize, (f64, Vec<Reason>)> = HashMap::new();
        for (p, centre) in query.interests.iter().enumerate() {
            for &(i, principal) in self.by_centre.get(centre).into_iter().flatten() {
                let entry = matched.entry(i).or_default();
                entry.0 += position_weight(p) * if principal { 1.0 } else { 0.5 };
                entry.1.push(Reason::Interest {
                    centre: *centre,
                    principal,
                });
            }
        }
        let mut ranked: Vec<(bool, Suggestion)> = matched
            .into_iter()
            .map(|(i, (interest_sum, mut reasons))| {
                let fiche = &self.fiches[i];
                let interest = interest_sum / max_interest;
                let tension = self.tension_for(fiche, query.place.as_ref());
                let tension_term = tension
                    .as_ref()
                    .map_or(0.5, |t| ((t.indicator + 2.0) / 4.0).clamp(0.0, 1.0));
                let trend_term = fiche.trend.map_or(0.5, |s| (0.5 + s * 5.0).clamp(0.0, 1.0));
                let transition_term = match fiche.transitions.count() {
                    0 => 0.0,
                    1 => 0.6,
                    2 => 0.8,
                    _ => 1.0,
                };
                let counts = query.place.as_ref().map(|_| opportunities(&fiche.code));
                let opportunity_term = counts.map(|c| {
                    0.6 * saturating_log(c.courses, 20)
                        + 0.2 * saturating_log(c.offers, 50)
                        + 0.2 * saturating_log(c.companies, 100)
                });
                let mut score = w.interest * interest
                    + w.tension * tension_term
                    + w.trend * trend_term
                    + w.transition * transition_term;
                let mut total = w.interest + w.tension + w.trend + w.transition;
                if let Some(o) = opportunity_term {
                    score += w.opportunities * o;
                    total += w.opportunities;
                }
                let score = if total > 0.0 { score / total } else { 0.0 };
                if query.method == Method::Avenir {
                    if let Some(t) = tension.as_ref().filter(|t| t.indicator > 0.3) {
                        reasons.push(Reason::Tension(t.clone()));
                    }
                    if let Some(s) = fiche.trend.filter(|s| *s > 0.02) {
                        reasons.push(Reason::RisingTension { slope: s });
                    }
                    if fiche.transitions.count() > 0 {
                        reasons.push(Reason::Transitions(fiche.transitions));
                    }
                }
                let no_course = counts.is_some_and(|c| c.courses == 0);
                if let Some(c) = counts {
                    reasons.push(if no_course {
                        Reason::NoCourseNearby
                    } else {
                        Reason::Opportunities(c)
                    });
                }
                (
                    no_course,
                    Suggestion {
                        code: fiche.code.clone(),
                        label: fiche.label.clone(),
                        score,
                        reasons,
                        tension,
                        opportunities: counts,
                    },
                )
            })
            .collect();
        ranked.sort_by(|(a_none, a), (b_none, b)| {
            a_none
                .cmp(b_none)
                .then(b.score.total_cmp(&a.score))
                .then(a.code.cmp(&b.code))
        });
        Ok(ranked
            .into_iter()
            .take(SUGGESTIONS)
            .map(|(_, s)| s)
            .collect())
    }
}

/// `ln(1 + n) / ln(1 + cap)`, at most 1.
fn saturating_log(n: u32, cap: u32) -> f64 {
    (f64::from(n).ln_1p() / f64::from(cap).ln_1p()).min(1.0)
}

/// Least-squares slope of (x, y) points; `None` under two distinct x.
fn slope(points: &[(f64, f64)]) -> Option<f64> {
    let n = points.len() as f64;
    if points.len() < 2 {
        return None;
    }
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    if sxx == 0.0 {
        return None;
    }
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    Some(sxy / sxx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slope_of_a_line_and_of_too_few_points() {
        let s = slope(&[(2011.0, 0.0), (2012.0, 0.1), (2013.0, 0.2)]).unwrap();
        assert!((s - 0.1).abs() < 1e-12, "{s}");
        assert_eq!(slope(&[(2011.0, 1.0)]), None);
        assert_eq!(slope(&[(2011.0, 1.0), (2011.0, 2.0)]), None);
    }

    #[test]
    fn logs_saturate() {
        assert_eq!(saturating_log(0, 20), 0.0);
        assert!((saturating_log(20, 20) - 1.0).abs() < 1e-12);
        assert_eq!(saturating_log(1_000, 20), 1.0);
    }
}
