//! The lift curve: the share of the actual hirings of a period captured by
//! the top 10 %, 20 %, …, 100 % of establishments ranked by a score.
//!
//! Ties are resolved by their expectation under a random order: when the
//! cut falls inside a group of equal scores, the group contributes in
//! proportion to the part of it above the cut. So a constant score gives
//! exactly the random baseline, and ranking by headcount (a few brackets,
//! many ties) is not flattered or penalised by an arbitrary tie-break.

use serde::{Deserialize, Serialize};

/// One point of a lift curve.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LiftPoint {
    /// Share of establishments kept, in percent (10, 20, … 100).
    pub top_pct: u32,
    /// Share of the actual hirings they made, in percent.
    pub captured_pct: f64,
}

/// The lift curve of `scores` against `actual` at `steps` evenly spaced
/// cuts (10 gives deciles); empty when nothing was hired or the slices
/// differ in length.
pub fn lift_curve(scores: &[f64], actual: &[f64], steps: u32) -> Vec<LiftPoint> {
    let n = scores.len();
    let total: f64 = actual.iter().sum();
    if n == 0 || n != actual.len() || total <= 0.0 || steps == 0 {
        return Vec::new();
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    // Groups of equal scores: (size, sum of actual hirings).
    let mut groups: Vec<(usize, f64)> = Vec::new();
    let mut previous: Option<f64> = None;
    for &i in &order {
        match (previous, groups.last_mut()) {
            (Some(p), Some(last)) if p == scores[i] => {
                last.0 += 1;
                last.1 += actual[i];
            }
            _ => groups.push((1, actual[i])),
        }
        previous = Some(scores[i]);
    }
    (1..=steps)
        .map(|k| {
            let cut = n as f64 * f64::from(k) / f64::from(steps);
            let (mut taken, mut captured) = (0.0, 0.0);
            for &(size, sum) in &groups {
                let size = size as f64;
                if taken + size <= cut {
                    taken += size;
                    captured += sum;
                } else {
                    captured += sum * (cut - taken) / size;
                    break;
                }
            }
            LiftPoint {
                top_pct: 100 * k / steps,
                captured_pct: 100.0 * captured / total,
            }
        })
        .collect()
}

/// The expected curve of a random ranking: `k %` of the hirings in the
/// top `k %`.
pub fn random_curve(steps: u32) -> Vec<LiftPoint> {
    (1..=steps)
        .map(|k| LiftPoint {
            top_pct: 100 * k / steps,
            captured_pct: 100.0 * f64::from(k) / f64::from(steps),
        })
        .collect()
}

/// The captured share at `top_pct`, if the curve has that point.
pub fn at(curve: &[LiftPoint], top_pct: u32) -> Option<f64> {
    curve
        .iter()
        .find(|p| p.top_pct == top_pct)
        .map(|p| p.captured_pct)
}
