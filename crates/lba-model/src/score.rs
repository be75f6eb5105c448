//! From predicted hirings to what candidates see: a score 0–100, stars,
//! the split across métiers (ROME) and the display threshold.
//!
//! - score: piecewise-linear in the predicted hirings of the next six
//!   months, through [`ScoreScale`] breakpoints (a setting). Defaults:
//!   0 → 0, 0.5 → 20, 1 → 40, 3 → 60, 6 → 80, 15 → 100 (constant beyond):
//!   "about one hiring in six months" is a good prospect for a spontaneous
//!   application, and the scale flattens for big recruiters;
//! - stars: `2.5 + 2.5 × (max(score, 20) − 20) / 80`;
//! - per ROME: `predicted × affinity(rome, naf)` where affinity is the
//!   share of the activity's hirings made in that métier (public ROME × NAF
//!   table, ROME v3 codes; every ROME 4.0 fiche inherits the affinity of
//!   its parent v3 code: the fiches of one v3 code are variants of one job);
//! - threshold: a company shows for a métier when its score for it reaches
//!   `5 + 15 × (100 − tension %) / 100` (20 with no tension figure), so
//!   that métiers en tension show more companies.

use std::collections::{BTreeMap, HashMap};

use lba_core::ids::CodeRome;
use lba_core::opportunity::RomeScore;
use serde::{Deserialize, Serialize};

/// The piecewise-linear map from predicted hirings to a score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreScale {
    /// (predicted hirings, score) pairs, increasing in both.
    points: Vec<(f64, f64)>,
}

/// Breakpoints that cannot define a score.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "barème de score invalide « {0} » : attendu « embauches:score,… » croissant, scores de 0 à 100 (ex. 0:0,0.5:20,1:40,3:60,6:80,15:100)"
)]
pub struct ScaleError(pub String);

impl Default for ScoreScale {
    fn default() -> Self {
        Self {
            points: vec![
                (0.0, 0.0),
                (0.5, 20.0),
                (1.0, 40.0),
                (3.0, 60.0),
                (6.0, 80.0),
                (15.0, 100.0),
            ],
        }
    }
}

impl ScoreScale {
    /// Parses `0:0,0.5:20,…` (at least two points, strictly increasing
    /// hirings, non-decreasing scores within 0–100).
    pub fn parse(s: &str) -> Result<Self, ScaleError> {
        let err = || ScaleError(s.to_owned());
        let mut points = Vec::new();
        for pair in s.split(',') {
            let (h, sc) = pair.trim().split_once(':').ok_or_else(err)?;
            let h: f64 = h.trim().parse().map_err(|_| err())?;
            let sc: f64 = sc.trim().parse().map_err(|_| err())?;
            points.push((h, sc));
        }
        let ok = points.len() >= 2
            && points
                .iter()
                .all(|&(h, sc)| h.is_finite() && h >= 0.0 && (0.0..=100.0).contains(&sc))
            && points
                .windows(2)
                .all(|w| w[0].0 < w[1].0 && w[0].1 <= w[1].1);
        if ok { Ok(Self { points }) } else { Err(err()) }
    }

    /// The score (0–100) of `predicted` hirings.
    pub fn score(&self, predicted: f64) -> u8 {
        let Some(&(x0, y0)) = self.points.first() else {
            return 0;
        };
        let mut value = y0;
        if predicted > x0 {
            value = self.points.last().map_or(y0, |p| p.1);
            for w in self.points.windows(2) {
                let ((xa, ya), (xb, yb)) = (w[0], w[1]);
                if predicted <= xb {
                    value = ya + (yb - ya) * (predicted - xa) / (xb - xa);
                    break;
                }
            }
        }
        value.round().clamp(0.0, 100.0) as u8
    }
}

/// Stars shown for a score: 2.5 to 5.
pub fn stars(score: u8) -> f64 {
    2.5 + 2.5 * (f64::from(score.max(20)) - 20.0) / 80.0
}

/// The star band (half-stars: 5 = 2.5 stars … 10 = 5 stars), used to count
/// companies whose display changed between two runs.
pub fn star_band(score: u8) -> u8 {
    (stars(score) * 2.0).round() as u8
}

/// The minimum score for a company to show for a métier of this tension
/// (percent, 0–100); 20 without a tension figure.
pub fn display_threshold(tension_pct: Option<f64>) -> f64 {
    match tension_pct {
        Some(t) => 5.0 + 15.0 * (100.0 - t.clamp(0.0, 100.0)) / 100.0,
        None => 20.0,
    }
}

/// Affinities of each activity (NAF) with the ROME 4.0 fiches.
#[derive(Clone, Debug, Default)]
pub struct Affinities {
    by_naf: HashMap<String, Vec<(CodeRome, f64)>>,
}

impl Affinities {
    /// From the ROME v3 × NAF hirings and the (fiche, parent v3 code) pairs.
    pub fn new<'a>(
        hirings: impl IntoIterator<Item = (&'a str, &'a CodeRome, i64)>,
        fiches: impl IntoIterator<Item = (&'a CodeRome, &'a CodeRome)>,
    ) -> Self {
        let mut children: HashMap<&CodeRome, Vec<&CodeRome>> = HashMap::new();
        for (fiche, parent) in fiches {
            children.entry(parent).or_default().push(fiche);
        }
        let mut per_naf: BTreeMap<&str, Vec<(&CodeRome, i64)>> = BTreeMap::new();
        for (naf, rome_v3, n) in hirings {
            per_naf.entry(naf).or_default().push((rome_v3, n.max(0)));
        }
        let mut by_naf = HashMap::new();
        for (naf, rows) in per_naf {
            let total: i64 = rows.iter().map(|r| r.1).sum();
            if total <= 0 {
                continue;
            }
            let mut list = Vec::new();
            for (v3, n) in rows {
                let share = n as f64 / total as f64;
                for fiche in children.get(v3).into_iter().flatten() {
                    list.push(((*fiche).clone(), share));
                }
            }
            by_naf.insert(naf.to_owned(), list);
        }
        Self { by_naf }
    }

    /// The fiches of `naf` with their affinity.
    pub fn of(&self, naf: &str) -> &[(CodeRome, f64)] {
        self.by_naf.get(naf).map_or(&[], Vec::as_slice)
    }
}

/// The métiers a company shows for: its predicted hirings split by
/// affinity, scored, kept when the score reaches the métier's threshold;
/// best first (then by code).
pub fn rome_scores(
    predicted: f64,
    affinities: &[(CodeRome, f64)],
    thresholds: &HashMap<CodeRome, f64>,
    scale: &ScoreScale,
) -> Vec<RomeScore> {
    let mut out: Vec<RomeScore> = affinities
        .iter()
        .filter_map(|(rome, affinity)| {
            let score = scale.score(predicted * affinity);
            let threshold = thresholds.get(rome).copied().unwrap_or(20.0);
            (score > 0 && f64::from(score) >= threshold).then(|| RomeScore {
                rome: rome.clone(),
                score,
            })
        })
        .collect();
    out.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.rome.cmp(&b.rome)));
    out
}
