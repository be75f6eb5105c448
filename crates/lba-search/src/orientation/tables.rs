//! The precomputed orientation tables and the ranking itself (the formula
//! is documented in the parent module).

use std::collections::{BTreeSet, HashMap};

use lba_core::ids::CodeRome;

use super::*;

#[derive(Clone, Debug)]
struct Fiche {
    code: CodeRome,
    label: String,
    transitions: Transitions,
    /// Trend slope of the national indicator per year.
    trend: Option<f64>,
    /// Tension per area (indicator, employment), computed over the fiche's
    /// FAP families, sorted by area key (looked up without allocating).
    tension: Vec<(AreaKey, f64, u32)>,
    /// Position of the code among all the fiches' codes (candidates are
    /// sorted by it without reading the codes).
    order: u32,
}

/// An area as a small copyable key: kind (0 France, 1 région,
/// 2 département) and its code's bytes packed ("2A", "971").
type AreaKey = (u8, u32);

fn pack(code: &str) -> u32 {
    code.bytes()
        .take(4)
        .fold(0u32, |acc, b| (acc << 8) | u32::from(b))
}

fn area_key(area: &Area) -> AreaKey {
    match area {
        Area::National => (0, 0),
        Area::Region(code) => (1, pack(code)),
        Area::Departement(code) => (2, pack(code)),
    }
}

/// The keys of a place's département and région.
#[derive(Clone, Copy)]
struct PlaceKeys {
    departement: AreaKey,
    region: AreaKey,
}

/// A tension figure found for a candidate: which level, indicator,
/// employment (the area's name is attached only to the métiers kept).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Found {
    level: u8,
    indicator: f64,
    employment: u32,
}

/// The precomputed tables.
#[derive(Clone, Debug, Default)]
pub struct OrientationTables {
    fiches: Vec<Fiche>,
    /// Fiche index by [`Fiche::order`].
    by_order: Vec<usize>,
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
            let mut tension: Vec<(AreaKey, f64, u32)> = sums
                .into_iter()
                .map(|(area, (sum, employment, plain))| {
                    let value = if employment > 0 {
                        sum / f64::from(employment)
                    } else {
                        plain.iter().sum::<f64>() / plain.len() as f64
                    };
                    (area_key(area), value, employment)
                })
                .collect();
            tension.sort_unstable_by_key(|t| t.0);
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
                order: 0,
            });
        }
        let mut by_order: Vec<usize> = (0..fiches.len()).collect();
        by_order.sort_by(|&a, &b| fiches[a].code.cmp(&fiches[b].code));
        for (order, &i) in (0u32..).zip(&by_order) {
            fiches[i].order = order;
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
        Self {
            fiches,
            by_order,
            by_centre,
        }
    }

    /// The label of fiche `code`.
    pub fn label(&self, code: &CodeRome) -> Option<&str> {
        self.fiches
            .iter()
            .find(|f| &f.code == code)
            .map(|f| f.label.as_str())
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
    fn tension_for(fiche: &Fiche, place: Option<PlaceKeys>) -> Option<Found> {
        let figure = |key: AreaKey| {
            fiche
                .tension
                .binary_search_by_key(&key, |t| t.0)
                .ok()
                .map(|i| Found {
                    level: key.0,
                    indicator: fiche.tension[i].1,
                    employment: fiche.tension[i].2,
                })
        };
        if let Some(place) = place {
            if let Some(f) =
                figure(place.departement).filter(|f| f.employment >= MIN_DEPARTEMENT_EMPLOYMENT)
            {
                return Some(f);
            }
            if let Some(f) = figure(place.region) {
                return Some(f);
            }
        }
        figure((0, 0))
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

mod rank;
#[cfg(test)]
mod reference;

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
