//! Half-years (`2024-S1`, `2024-S2`) and the hiring history per
//! establishment.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;

/// A half-year: S1 is January–June, S2 July–December.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HalfYear {
    /// Ordinal: `year × 2 + (half − 1)`, so that consecutive half-years
    /// differ by one.
    ordinal: i32,
}

/// A period that is not `YYYY-S1` or `YYYY-S2`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("période « {0} » invalide : attendu AAAA-S1 ou AAAA-S2 (ex. 2024-S1)")]
pub struct PeriodError(pub String);

impl HalfYear {
    /// `year`, half 1 or 2.
    pub fn new(year: i32, half: u8) -> Option<Self> {
        ((1900..=2999).contains(&year) && (half == 1 || half == 2)).then(|| Self {
            ordinal: year * 2 + i32::from(half) - 1,
        })
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.ordinal.div_euclid(2)
    }

    /// 1 or 2.
    pub fn half(self) -> u8 {
        if self.ordinal.rem_euclid(2) == 0 {
            1
        } else {
            2
        }
    }

    /// `n` half-years later (earlier when negative).
    pub fn offset(self, n: i32) -> Self {
        Self {
            ordinal: self.ordinal + n,
        }
    }

    /// Number of half-years from `self` to `later` (negative when before).
    pub fn until(self, later: Self) -> i32 {
        later.ordinal - self.ordinal
    }
}

impl FromStr for HalfYear {
    type Err = PeriodError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || PeriodError(s.to_owned());
        let (year, half) = s.trim().split_once('-').ok_or_else(err)?;
        let half = match half {
            "S1" | "s1" => 1,
            "S2" | "s2" => 2,
            _ => return Err(err()),
        };
        if year.len() != 4 {
            return Err(err());
        }
        let year: i32 = year.parse().map_err(|_| err())?;
        Self::new(year, half).ok_or_else(err)
    }
}

impl fmt::Display for HalfYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-S{}", self.year(), self.half())
    }
}

impl serde::Serialize for HalfYear {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for HalfYear {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Hirings per establishment and half-year. Within the covered range
/// (`first..=last`), a missing (establishment, half-year) pair counts as
/// zero hirings: files commonly leave out the empty periods.
#[derive(Clone, Debug, Default)]
pub struct History {
    series: HashMap<String, BTreeMap<HalfYear, f64>>,
    range: Option<(HalfYear, HalfYear)>,
}

impl History {
    /// An empty history.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records `hirings` for `key` in `period` (a repeated pair replaces
    /// the earlier value).
    pub fn insert(&mut self, key: &str, period: HalfYear, hirings: f64) {
        self.series
            .entry(key.to_owned())
            .or_default()
            .insert(period, hirings);
        self.range = Some(match self.range {
            None => (period, period),
            Some((a, b)) => (a.min(period), b.max(period)),
        });
    }

    /// First and last half-years present.
    pub fn range(&self) -> Option<(HalfYear, HalfYear)> {
        self.range
    }

    /// Number of establishments with at least one row.
    pub fn establishments(&self) -> usize {
        self.series.len()
    }

    /// Hirings of `key` in `period`: 0 inside the range when absent,
    /// `None` outside the range (unknown).
    pub fn get(&self, key: &str, period: HalfYear) -> Option<f64> {
        let (first, last) = self.range?;
        if period < first || period > last {
            return None;
        }
        Some(
            self.series
                .get(key)
                .and_then(|s| s.get(&period))
                .copied()
                .unwrap_or(0.0),
        )
    }

    /// Total hirings in `period` over every establishment.
    pub fn total(&self, period: HalfYear) -> f64 {
        self.series.values().filter_map(|s| s.get(&period)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let p: HalfYear = "2024-S2".parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((p.year(), p.half()), (2024, 2));
        assert_eq!(p.to_string(), "2024-S2");
        assert_eq!(p.offset(1).to_string(), "2025-S1");
        assert_eq!(p.offset(-3).to_string(), "2023-S1");
        assert_eq!(p.offset(-3).until(p), 3);
        for bad in ["2024", "2024-S3", "24-S1", "2024-T1", "abcd-S1", ""] {
            assert!(bad.parse::<HalfYear>().is_err(), "{bad}");
        }
    }

    #[test]
    fn missing_periods_inside_the_range_are_zero() {
        let mut h = History::new();
        let p: HalfYear = "2020-S1".parse().unwrap_or_else(|e| panic!("{e}"));
        h.insert("a", p, 3.0);
        h.insert("b", p.offset(2), 1.0);
        assert_eq!(h.get("a", p.offset(1)), Some(0.0));
        assert_eq!(h.get("c", p), Some(0.0));
        assert_eq!(h.get("a", p.offset(3)), None);
        assert_eq!(h.total(p), 3.0);
    }
}
