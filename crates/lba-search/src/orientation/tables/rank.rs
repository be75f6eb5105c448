//! The ranking itself (the formula is documented in the parent module):
//! the candidates of the chosen centres, walked by their best possible
//! score until no other can enter the list.

use lba_core::ids::CodeRome;

use super::super::*;
use super::{Found, OrientationTables, PlaceKeys, pack, saturating_log};

impl OrientationTables {
    /// Ranks the métiers of the chosen interests. `opportunities` counts what
    /// is near the place for a ROME code (called only with a place).
    pub fn rank(
        &self,
        query: &OrientationQuery,
        opportunities: &dyn Fn(&CodeRome) -> OpportunityCounts,
    ) -> Result<Vec<Suggestion>, OrientationError> {
        self.rank_top(query, opportunities, SUGGESTIONS)
    }

    /// The first `limit` métiers. The tension figure and, with a place, the
    /// opportunities (the costly parts: table look-ups and range queries in
    /// the index) are computed only for the candidates that can still enter
    /// the first `limit`: candidates are taken by their best possible score
    /// (the highest tension and all the opportunities they could have) and
    /// the walk stops once `limit` métiers with a course nearby score more
    /// than the next candidate could. The list is exactly the one of
    /// scoring every candidate.
    ///
    /// The chosen centres hold hundreds of fiches: their interest sums go
    /// in a table indexed by fiche (no hash map, nothing allocated per
    /// candidate), and the reasons, labels and codes are written for the
    /// `limit` métiers kept only.
    pub fn rank_top(
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
        // Fiche → interest sum, added in the order chosen. Every weight is
        // positive (at most 5 centres), so a sum still at 0 is a fiche not
        // yet met.
        let mut interest = vec![0.0_f64; self.fiches.len()];
        let mut matched: Vec<usize> = Vec::with_capacity(1024);
        for (p, centre) in query.interests.iter().enumerate() {
            for &(i, principal) in self.by_centre.get(centre).into_iter().flatten() {
                if interest[i] == 0.0 {
                    matched.push(i);
                }
                interest[i] += position_weight(p) * if principal { 1.0 } else { 0.5 };
            }
        }
        let with_place = query.place.is_some();
        let place_keys = query.place.as_ref().map(|p| PlaceKeys {
            departement: (2, pack(&p.departement)),
            region: (1, pack(&p.region)),
        });
        let total = w.interest
            + w.tension
            + w.trend
            + w.transition
            + if with_place { w.opportunities } else { 0.0 };
        let normalise = |score: f64| if total > 0.0 { score / total } else { 0.0 };
        // Every candidate as one sort key: its best possible score
        // (descending), then its code's order; `interest` then holds its
        // score before the tension and the opportunities. Sorting plain
        // integers rather than structures compared through floats was most
        // of the ranking's cost (hundreds of candidates, most of them walked
        // when few métiers have a course near the place).
        let mut candidates: Vec<u128> = matched
            .into_iter()
            .map(|i| {
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
                let base = w.interest * interest[i] / max_interest
                    + w.trend * trend_term
                    + w.transition * transition_term;
                let best = base + w.tension + if with_place { w.opportunities } else { 0.0 };
                interest[i] = base;
                (u128::from(descending(normalise(best))) << 64) | u128::from(fiche.order)
            })
            .collect();
        // Codes are unique: the keys are distinct, unstable sorting is exact.
        candidates.sort_unstable();
        let mut ranked: Vec<Scored> = Vec::with_capacity(4 * limit.min(64));
        // Scores of the métiers with a course nearby, best first.
        let mut with_course: Vec<f64> = Vec::with_capacity(ranked.capacity());
        for key in candidates {
            let c = Candidate {
                fiche: self.by_order[(key & u128::from(u32::MAX)) as usize],
                order: (key & u128::from(u32::MAX)) as u32,
                best: ascending((key >> 64) as u64),
            };
            if with_course.len() >= limit && c.best + 1e-9 < with_course[limit - 1] {
                break;
            }
            let fiche = &self.fiches[c.fiche];
            let base = interest[c.fiche];
            let found = Self::tension_for(fiche, place_keys);
            let tension_term = found.map_or(0.5, |t| ((t.indicator + 2.0) / 4.0).clamp(0.0, 1.0));
            let counts = query.place.as_ref().map(|_| opportunities(&fiche.code));
            let opportunity_term = counts.map_or(0.0, |c| {
                0.6 * saturating_log(c.courses, 20)
                    + 0.2 * saturating_log(c.offers, 50)
                    + 0.2 * saturating_log(c.companies, 100)
            });
            let score =
                normalise(base + w.tension * tension_term + w.opportunities * opportunity_term);
            let no_course = counts.is_some_and(|c| c.courses == 0);
            if !no_course {
                let at = with_course.partition_point(|s| *s >= score);
                with_course.insert(at, score);
            }
            ranked.push(Scored {
                fiche: c.fiche,
                order: c.order,
                no_course,
                score,
                found,
                counts,
            });
        }
        ranked.sort_unstable_by(|a, b| {
            a.no_course
                .cmp(&b.no_course)
                .then(b.score.total_cmp(&a.score))
                .then(a.order.cmp(&b.order))
        });
        Ok(ranked
            .into_iter()
            .take(limit)
            .map(|s| self.suggestion(query, s))
            .collect())
    }

    /// The suggestion of a métier kept, with its reasons.
    fn suggestion(&self, query: &OrientationQuery, s: Scored) -> Suggestion {
        let fiche = &self.fiches[s.fiche];
        let mut reasons = Vec::with_capacity(query.interests.len() + 4);
        // Each chosen centre the fiche is under, in the order chosen (the
        // centre's fiches are sorted, one link per fiche).
        for centre in &query.interests {
            let links = self.by_centre.get(centre).map_or(&[][..], Vec::as_slice);
            if let Ok(k) = links.binary_search_by_key(&s.fiche, |l| l.0) {
                reasons.push(Reason::Interest {
                    centre: *centre,
                    principal: links[k].1,
                });
            }
        }
        // The area named by the figure's level.
        let tension = s.found.map(|f| TensionFigure {
            area: match (f.level, query.place.as_ref()) {
                (2, Some(p)) => Area::Departement(p.departement.clone()),
                (1, Some(p)) => Area::Region(p.region.clone()),
                _ => Area::National,
            },
            indicator: f.indicator,
            employment: f.employment,
        });
        if query.method == Method::Avenir {
            if let Some(t) = tension.as_ref().filter(|t| t.indicator > 0.3) {
                reasons.push(Reason::Tension(t.clone()));
            }
            if let Some(slope) = fiche.trend.filter(|s| *s > 0.02) {
                reasons.push(Reason::RisingTension { slope });
            }
            if fiche.transitions.count() > 0 {
                reasons.push(Reason::Transitions(fiche.transitions));
            }
        }
        if let Some(c) = s.counts {
            reasons.push(if s.no_course {
                Reason::NoCourseNearby
            } else {
                Reason::Opportunities(c)
            });
        }
        Suggestion {
            code: fiche.code.clone(),
            label: fiche.label.clone(),
            score: s.score,
            reasons,
            tension,
            opportunities: s.counts,
        }
    }
}

/// A métier under a chosen centre, before its opportunities are counted.
struct Candidate {
    fiche: usize,
    /// [`Fiche::order`].
    order: u32,
    /// The best score it could reach (the highest tension, all the
    /// opportunities).
    best: f64,
}

/// A float as an integer sorted in the reverse of [`f64::total_cmp`]
/// (the same bit flip), so that the best scores come first.
fn descending(x: f64) -> u64 {
    let bits = x.to_bits();
    let ordered = if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    };
    !ordered
}

/// The float of [`descending`].
fn ascending(key: u64) -> f64 {
    let ordered = !key;
    f64::from_bits(if ordered >> 63 == 1 {
        ordered & !(1 << 63)
    } else {
        !ordered
    })
}

/// A candidate scored (tension and counts known), before the cut.
struct Scored {
    fiche: usize,
    order: u32,
    /// With a place, no course within the radius (shown last).
    no_course: bool,
    score: f64,
    found: Option<Found>,
    counts: Option<OpportunityCounts>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descending_keys_reverse_the_total_order_and_give_the_float_back() {
        let values = [
            f64::NEG_INFINITY,
            -1.5,
            -0.0,
            0.0,
            1e-300,
            0.25,
            0.250_000_000_000_000_06,
            1.0,
            f64::INFINITY,
        ];
        for a in values {
            assert_eq!(ascending(descending(a)).to_bits(), a.to_bits());
            for b in values {
                assert_eq!(
                    descending(a).cmp(&descending(b)),
                    b.total_cmp(&a),
                    "{a} {b}"
                );
            }
        }
    }
}
