//! Deterministic randomness for the demo generator: one ChaCha8 stream per
//! record, weighted choices, jittered points and synthetic contacts.

use std::f64::consts::TAU;

use lba_core::geo::GeoPoint;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The random source of one record.
pub(super) type Rng = ChaCha8Rng;

/// Domain of every demo email address and URL. `exemple.fr` is the French
/// counterpart of `example.com`: nobody receives mail there on our behalf.
pub(super) const DOMAIN: &str = "exemple.fr";

/// Which family of records a stream feeds, so that records of different
/// kinds with the same index never share their randomness.
#[derive(Clone, Copy, Debug)]
pub(super) enum Stream {
    /// Assignment of courses to CFAs.
    Cfas = 1,
    /// One formation.
    Formation = 2,
    /// One company.
    Company = 3,
    /// One offer.
    Offer = 4,
    /// One candidate of a demo cohort file.
    Cohort = 5,
    /// The outcomes of one person of a campaign.
    Outcomes = 6,
}

/// The random stream of record `index` of a kind: the ChaCha key is the
/// seed, the stream and the index side by side, so it is a pure function of
/// the three (and distinct triples never share a stream). This is what lets
/// companies be regenerated from their index when offers refer to them, and
/// any chunk be generated on its own.
pub(super) fn record_rng(seed: u64, stream: Stream, index: u64) -> Rng {
    let mut key = [0_u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&(stream as u64).to_le_bytes());
    key[16..24].copy_from_slice(&index.to_le_bytes());
    key[24..].copy_from_slice(b"lba-demo");
    ChaCha8Rng::from_seed(key)
}

/// Discrete weighted choice by binary search over cumulative weights
/// (integer weights: exact and identical on every platform).
#[derive(Clone, Debug)]
pub(super) struct Weighted {
    cumulative: Vec<u64>,
    total: u64,
}

impl Weighted {
    /// `None` when every weight is zero (nothing could be chosen).
    pub(super) fn new(weights: impl IntoIterator<Item = u64>) -> Option<Self> {
        let mut total = 0_u64;
        let cumulative: Vec<u64> = weights
            .into_iter()
            .map(|w| {
                total = total.saturating_add(w);
                total
            })
            .collect();
        (total > 0).then_some(Self { cumulative, total })
    }

    /// An index drawn with probability proportional to its weight.
    pub(super) fn sample(&self, rng: &mut Rng) -> usize {
        let x = rng.random_range(0..self.total);
        self.cumulative.partition_point(|&c| c <= x)
    }
}

/// A uniformly chosen element, `None` for an empty slice.
pub(super) fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> Option<&'a T> {
    if items.is_empty() {
        None
    } else {
        items.get(rng.random_range(0..items.len()))
    }
}

/// A uniformly chosen element of a non-empty constant list.
pub(super) fn pick_str(rng: &mut Rng, items: &[&'static str]) -> &'static str {
    pick(rng, items).copied().unwrap_or_default()
}

/// True with probability `percent` %.
pub(super) fn chance(rng: &mut Rng, percent: u32) -> bool {
    rng.random_range(0..100) < percent
}

/// Kilometres per degree of latitude.
const KM_PER_DEGREE: f64 = 111.195;

/// `point` moved by up to `max_km` in a uniformly random direction, with a
/// uniform density over the disc; the result stays a valid point.
pub(super) fn jitter(rng: &mut Rng, point: GeoPoint, max_km: f64) -> GeoPoint {
    let distance = max_km * rng.random::<f64>().sqrt();
    let bearing = rng.random::<f64>() * TAU;
    let lat = point.lat() + distance * bearing.cos() / KM_PER_DEGREE;
    let cos_lat = point.lat().to_radians().cos().max(0.01);
    let lon = point.lon() + distance * bearing.sin() / (KM_PER_DEGREE * cos_lat);
    GeoPoint::new(lat.clamp(-90.0, 90.0), lon.clamp(-180.0, 180.0)).unwrap_or(point)
}

/// A phone number in the blocks the French regulator (Arcep) sets aside for
/// fiction, so no real subscriber can be called: `01 99 00 xx xx` for
/// Île-de-France, `02 61 91`, `03 53 01`, `04 65 71`, `05 36 49` for the
/// other metropolitan areas, `09 77 42` overseas, `06 39 98` for mobiles.
pub(super) fn phone(rng: &mut Rng, region: &str, mobile: bool) -> String {
    let block = if mobile {
        "06 39 98"
    } else {
        match region {
            "11" => "01 99 00",
            "24" | "28" | "52" | "53" => "02 61 91",
            "27" | "32" | "44" => "03 53 01",
            "84" | "93" | "94" => "04 65 71",
            "75" | "76" => "05 36 49",
            _ => "09 77 42",
        }
    };
    let n: u32 = rng.random_range(0..10_000);
    format!("{block} {:02} {:02}", n / 100, n % 100)
}

/// Lowercase ASCII words joined by `sep`, at most `max_words` of them:
/// `"Boulangerie Lefèvre"` → `boulangerie-lefevre`.
pub(super) fn slug(text: &str, sep: &str, max_words: usize) -> String {
    lba_core::text::tokens(text)
        .into_iter()
        .take(max_words)
        .collect::<Vec<_>>()
        .join(sep)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;

    #[test]
    fn streams_are_pure_and_distinct() {
        let a: u64 = record_rng(1, Stream::Company, 5).random();
        let b: u64 = record_rng(1, Stream::Company, 5).random();
        let c: u64 = record_rng(1, Stream::Offer, 5).random();
        let d: u64 = record_rng(2, Stream::Company, 5).random();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, d);
    }

    #[test]
    fn weighted_choice_skips_zero_weights_and_follows_weights() {
        assert!(Weighted::new([0, 0]).is_none());
        let w = Weighted::new([0, 1, 0, 3]).unwrap();
        let mut rng = record_rng(0, Stream::Cfas, 0);
        let mut counts = [0; 4];
        for _ in 0..4000 {
            counts[w.sample(&mut rng)] += 1;
        }
        assert_eq!((counts[0], counts[2]), (0, 0));
        assert!((2700..3300).contains(&counts[3]), "{counts:?}");
    }

    #[test]
    fn jitter_stays_within_the_radius() {
        let p = GeoPoint::new(48.85, 2.35).unwrap();
        let mut rng = record_rng(0, Stream::Company, 1);
        for _ in 0..1000 {
            assert!(jitter(&mut rng, p, 2.0).distance_km(&p) <= 2.01);
        }
    }

    #[test]
    fn fiction_phone_numbers() {
        let mut rng = record_rng(0, Stream::Company, 1);
        let p = phone(&mut rng, "11", false);
        assert!(p.starts_with("01 99 00 ") && p.len() == 14, "{p}");
        assert!(phone(&mut rng, "01", true).starts_with("06 39 98"));
    }
}
