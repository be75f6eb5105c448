//! The ranking as it was written before the request path was made cheaper
//! (a hash map of every candidate with its reasons, a suggestion built for
//! every candidate walked): kept for the tests only, which check that the
//! optimised [`OrientationTables::rank_top`] gives exactly its lists.

use std::collections::HashMap;

use lba_core::ids::CodeRome;

use super::super::*;
use super::{Found, OrientationTables, PlaceKeys, pack, saturating_log};

impl OrientationTables {
    /// The first `limit` métiers. The tension figure and, with a place, the
    /// opportunities (the costly parts: table look-ups and range queries in
    /// the index) are computed only for the candidates that can still enter
    /// the first `limit`: candidates are taken by their best possible score
    /// (the highest tension and all the opportunities they could have) and
    /// the walk stops once `limit` métiers with a course nearby score more
    /// than the next candidate could. The list is exactly the one of
    /// scoring every candidate.
    pub(crate) fn rank_top_reference(
        &self,
        query: &OrientationQuery,
        opportunities: &dyn Fn(&CodeRome) -> OpportunityCounts,
        limit: usize,
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
        let with_place = query.place.is_some();
        let place_keys = query.place.as_ref().map(|p| PlaceKeys {
            departement: (2, pack(&p.departement)),
            region: (1, pack(&p.region)),
        });
        // The area named by a figure's level (only for the métiers kept).
        let figure = |f: Found| TensionFigure {
            area: match (f.level, query.place.as_ref()) {
                (2, Some(p)) => Area::Departement(p.departement.clone()),
                (1, Some(p)) => Area::Region(p.region.clone()),
                _ => Area::National,
            },
            indicator: f.indicator,
            employment: f.employment,
        };
        let total = w.interest
            + w.tension
            + w.trend
            + w.transition
            + if with_place { w.opportunities } else { 0.0 };
        let normalise = |score: f64| if total > 0.0 { score / total } else { 0.0 };
        // Every candidate with its score before the opportunities.
        let mut candidates: Vec<Candidate> = matched
            .into_iter()
            .map(|(i, (interest_sum, reasons))| {
                let fiche = &self.fiches[i];
                let trend_term = fiche.trend.map_or(0.5, |s| (0.5 + s * 5.0).clamp(0.0, 1.0));
                let transition_term = match fiche.transitions.count() {
                    0 => 0.0,
                    1 => 0.6,
                    2 => 0.8,
                    _ => 1.0,
                };
                // Without the tension, looked up only for the candidates
                // that can still reach the list (its term is at most 1).
                let base = w.interest * interest_sum / max_interest
                    + w.trend * trend_term
                    + w.transition * transition_term;
                let best = base + w.tension + if with_place { w.opportunities } else { 0.0 };
                Candidate {
                    fiche: i,
                    base,
                    best: normalise(best),
                    reasons,
                }
            })
            .collect();
        candidates.sort_by(|a, b| {
            b.best
                .total_cmp(&a.best)
                .then(self.fiches[a.fiche].code.cmp(&self.fiches[b.fiche].code))
        });
        let mut ranked: Vec<(bool, Suggestion)> = Vec::new();
        // Scores of the métiers with a course nearby, best first.
        let mut with_course: Vec<f64> = Vec::new();
        for c in candidates {
            if with_course.len() >= limit && c.best + 1e-9 < with_course[limit - 1] {
                break;
            }
            let fiche = &self.fiches[c.fiche];
            let found = Self::tension_for(fiche, place_keys);
            let tension_term = found.map_or(0.5, |t| ((t.indicator + 2.0) / 4.0).clamp(0.0, 1.0));
            let counts = query.place.as_ref().map(|_| opportunities(&fiche.code));
            let opportunity_term = counts.map_or(0.0, |c| {
                0.6 * saturating_log(c.courses, 20)
                    + 0.2 * saturating_log(c.offers, 50)
                    + 0.2 * saturating_log(c.companies, 100)
            });
            let score =
                normalise(c.base + w.tension * tension_term + w.opportunities * opportunity_term);
            let mut reasons = c.reasons;
            let tension = found.map(figure);
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
            if !no_course {
                let at = with_course.partition_point(|s| *s >= score);
                with_course.insert(at, score);
            }
            ranked.push((
                no_course,
                Suggestion {
                    code: fiche.code.clone(),
                    label: fiche.label.clone(),
                    score,
                    reasons,
                    tension,
                    opportunities: counts,
                },
            ));
        }
        ranked.sort_by(|(a_none, a), (b_none, b)| {
            a_none
                .cmp(b_none)
                .then(b.score.total_cmp(&a.score))
                .then(a.code.cmp(&b.code))
        });
        Ok(ranked.into_iter().take(limit).map(|(_, s)| s).collect())
    }
}

/// A métier under a chosen centre, before its opportunities are counted.
struct Candidate {
    fiche: usize,
    /// Weighted sum of the terms known without the tension and the
    /// place's counts.
    base: f64,
    /// The best score it could reach (the highest tension, all the
    /// opportunities).
    best: f64,
    reasons: Vec<Reason>,
}

#[cfg(test)]
mod tests {
    //! The optimised ranking against this one: the same lists, scores to
    //! the bit and reasons, on the real ROME and DARES files and thousands
    //! of drawn questionnaires.

    use lba_data::{Item, dares, rome};
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;

    fn data(relative: &str) -> std::path::PathBuf {
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"))
            .join(relative)
    }

    fn records<T>(reader: Result<lba_data::CsvReader<T>, lba_data::DataError>) -> Vec<T> {
        reader
            .unwrap()
            .filter_map(|item| match item.unwrap() {
                Item::Record(r) => Some(r),
                Item::Rejected(_) => None,
            })
            .collect()
    }

    fn real_tables() -> OrientationTables {
        let fiches = records(rome::fiches(&data(rome::files::FICHES)))
            .into_iter()
            .map(|f| FicheInput {
                code: f.code,
                label: f.label,
                parent: f.parent_code,
                transition_eco: f.transition_eco,
                transition_num: f.transition_num.unwrap_or(false),
                transition_demo: f.transition_demo.unwrap_or(false),
            })
            .collect();
        let interests = records(rome::interest_tree(&data(rome::files::INTEREST_TREE)))
            .into_iter()
            .map(|l| (l.centre, l.rome, l.principal))
            .collect();
        let tensions = records(dares::tensions(&data(dares::files::TENSIONS)))
            .into_iter()
            .map(|t| TensionInput {
                fap: t.fap.as_str().to_owned(),
                area: match t.area {
                    dares::TensionArea::National => Area::National,
                    dares::TensionArea::Region(r) => Area::Region(r),
                    dares::TensionArea::Departement(d) => Area::Departement(d),
                },
                employment: t.employment,
                indicator: t.indicator,
            })
            .collect();
        let trends = records(dares::trends(&data(dares::files::TRENDS)))
            .into_iter()
            .map(|t| (t.fap.as_str().to_owned(), t.year, t.indicator))
            .collect();
        let fap_romes = records(dares::fap_rome(&data(dares::files::FAP_ROME)))
            .into_iter()
            .filter_map(|l| l.rome.map(|r| (l.fap.as_str().to_owned(), r)))
            .collect();
        OrientationTables::new(OrientationInputs {
            fiches,
            interests,
            tensions,
            trends,
            fap_romes,
        })
    }

    /// Counts drawn from the code and a seed: many métiers without a
    /// course, some with hundreds of companies.
    fn counts(code: &CodeRome, seed: u64) -> OpportunityCounts {
        let n: u64 = code.as_str()[1..].parse().unwrap();
        let h = (n ^ seed).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 20;
        OpportunityCounts {
            courses: (h % 5) as u32 * (h % 9) as u32,
            offers: (h % 61) as u32,
            companies: (h % 307) as u32,
        }
    }

    #[test]
    fn the_optimised_ranking_gives_exactly_the_lists_of_the_reference() {
        let tables = real_tables();
        let centres = tables.centres();
        assert_eq!(centres.len(), 30);
        // Départements and régions of the DARES file, and ones it lacks.
        let places = [
            ("69", "84"),
            ("75", "11"),
            ("2A", "94"),
            ("971", "01"),
            ("35", "53"),
            ("59", "32"),
            ("13", "93"),
            ("23", "75"),
            ("99", "99"),
        ];
        let mut rng = ChaCha8Rng::seed_from_u64(16);
        for case in 0..3_000 {
            let n = rng.random_range(1..=5);
            let mut interests = Vec::new();
            while interests.len() < n {
                let c = centres[rng.random_range(0..centres.len())];
                if !interests.contains(&c) {
                    interests.push(c);
                }
            }
            let place = (rng.random_range(0..8) > 0).then(|| {
                let (d, r) = places[rng.random_range(0..places.len())];
                PlaceArea {
                    departement: d.into(),
                    region: r.into(),
                }
            });
            let query = OrientationQuery {
                interests,
                ordered: rng.random_range(0..2) == 0,
                place,
                method: Method::ALL[case % 2],
            };
            let seed = rng.random_range(0..u64::MAX);
            let opportunities = |code: &CodeRome| counts(code, seed);
            let limit = [10, 10, 10, 1, 3, 25, usize::MAX][case % 7];
            assert_eq!(
                tables.rank_top(&query, &opportunities, limit),
                tables.rank_top_reference(&query, &opportunities, limit),
                "{query:?}, limit {limit}"
            );
        }
        // Refusals are the same too.
        let bad = OrientationQuery {
            interests: vec![1, 1],
            ordered: false,
            place: None,
            method: Method::Avenir,
        };
        assert_eq!(
            tables.rank_top(&bad, &|c| counts(c, 0), 10),
            tables.rank_top_reference(&bad, &|c| counts(c, 0), 10)
        );
    }
}
