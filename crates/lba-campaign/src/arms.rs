//! Arm assignment: a control arm that receives nothing and message
//! variants, each with a share. People are ordered within their stratum
//! (département × level) by a keyed hash of (campaign, person), HMAC-SHA256
//! with a secret key, so the order is unpredictable without the key but
//! reproducible with it. In each stratum every arm gets the floor of its
//! expected count plus at most one of the seats left, which go to the arms
//! most owed across the strata already dealt: each arm's count stays within
//! one person of its share **in every stratum**, and within a person or two
//! overall even when strata hold only a few people each.

use std::collections::BTreeMap;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// One arm of a campaign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arm {
    /// Name ("controle", "a", "b"…).
    pub name: String,
    /// Share in percent.
    pub share: u32,
    /// The control arm receives nothing.
    #[serde(default)]
    pub control: bool,
}

/// Why a list of arms is not usable.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ArmsError {
    /// The shares do not add up to 100.
    #[error("les parts des bras font {0} % au lieu de 100 %")]
    Shares(u32),
    /// Two arms share a name, or a name is empty.
    #[error("nom de bras vide ou en double : « {0} »")]
    Name(String),
    /// Fewer than two arms.
    #[error("il faut au moins deux bras (un témoin et une variante)")]
    TooFew,
}

/// Checks a list of arms.
pub fn validate(arms: &[Arm]) -> Result<(), ArmsError> {
    if arms.len() < 2 {
        return Err(ArmsError::TooFew);
    }
    let total: u32 = arms.iter().map(|a| a.share).sum();
    if total != 100 {
        return Err(ArmsError::Shares(total));
    }
    for (i, arm) in arms.iter().enumerate() {
        if arm.name.trim().is_empty() || arms[..i].iter().any(|a| a.name == arm.name) {
            return Err(ArmsError::Name(arm.name.clone()));
        }
    }
    Ok(())
}

/// The keyed hash ordering people of a campaign.
pub fn rank_key(key: &[u8], campaign: &str, person: &str) -> [u8; 32] {
    // HMAC accepts keys of any length: `new_from_slice` cannot fail.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return [0; 32];
    };
    mac.update(campaign.as_bytes());
    mac.update(&[0]);
    mac.update(person.as_bytes());
    mac.finalize().into_bytes().into()
}

/// The stratum of a person: département and level.
pub fn stratum(departement: Option<&str>, level: Option<u8>) -> String {
    format!(
        "{}|{}",
        departement.unwrap_or("?"),
        level.map_or_else(|| "?".to_owned(), |l| l.to_string())
    )
}

/// Assigns each `(person, stratum)` to an arm index of `arms` (validated).
/// Returns, in the input order, the arm index of each person.
pub fn assign(key: &[u8], campaign: &str, arms: &[Arm], people: &[(String, String)]) -> Vec<usize> {
    let mut strata: BTreeMap<&str, Vec<([u8; 32], usize)>> = BTreeMap::new();
    for (i, (person, stratum)) in people.iter().enumerate() {
        strata
            .entry(stratum.as_str())
            .or_default()
            .push((rank_key(key, campaign, person), i));
    }
    let mut out = vec![0; people.len()];
    // What each arm is owed overall, in hundredths of a person: the
    // fractional seats of the strata already dealt minus the extra seats
    // they got.
    let mut owed = vec![0_i64; arms.len()];
    for members in strata.values_mut() {
        members.sort_unstable();
        let k = members.len() as i64;
        // Each arm gets the floor of its expected count in this stratum…
        let mut seats: Vec<i64> = arms.iter().map(|a| k * i64::from(a.share) / 100).collect();
        let fractions: Vec<i64> = arms.iter().map(|a| k * i64::from(a.share) % 100).collect();
        // …and the seats left go to the arms most owed overall, so that
        // small strata do not all round the same way.
        let left = k - seats.iter().sum::<i64>();
        let mut order: Vec<usize> = (0..arms.len()).collect();
        order.sort_by_key(|&a| {
            std::cmp::Reverse(
                owed.get(a).copied().unwrap_or_default()
                    + fractions.get(a).copied().unwrap_or_default(),
            )
        });
        for (rank, &a) in order.iter().enumerate() {
            let extra = i64::from((rank as i64) < left);
            if let Some(s) = seats.get_mut(a) {
                *s += extra;
            }
            if let Some(o) = owed.get_mut(a) {
                *o += fractions.get(a).copied().unwrap_or_default() - 100 * extra;
            }
        }
        // Members are in keyed-hash order: dealing the seats in runs is as
        // random as the order itself.
        let mut slots = members.iter();
        for (a, &n) in seats.iter().enumerate() {
            for (_, index) in slots.by_ref().take(usize::try_from(n).unwrap_or_default()) {
                if let Some(slot) = out.get_mut(*index) {
                    *slot = a;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arms() -> Vec<Arm> {
        vec![
            Arm {
                name: "controle".into(),
                share: 20,
                control: true,
            },
            Arm {
                name: "a".into(),
                share: 40,
                control: false,
            },
            Arm {
                name: "b".into(),
                share: 40,
                control: false,
            },
        ]
    }

    fn people() -> Vec<(String, String)> {
        (0..5_000)
            .map(|i| {
                (
                    format!("p{i}"),
                    stratum(Some(&format!("{:02}", i % 7 + 1)), Some((i % 3 + 3) as u8)),
                )
            })
            .collect()
    }

    #[test]
    fn shares_hold_in_every_stratum() {
        let people = people();
        let got = assign(b"secret", "c1", &arms(), &people);
        let mut per: BTreeMap<&str, [u64; 3]> = BTreeMap::new();
        for ((_, s), a) in people.iter().zip(&got) {
            per.entry(s.as_str()).or_default()[*a] += 1;
        }
        assert_eq!(per.len(), 21);
        for (s, counts) in per {
            let n: u64 = counts.iter().sum();
            for (a, arm) in arms().iter().enumerate() {
                let expected = n as f64 * f64::from(arm.share) / 100.0;
                assert!((counts[a] as f64 - expected).abs() < 1.0, "{s}: {counts:?}");
            }
        }
    }

    #[test]
    fn deterministic_for_the_key_and_different_across_campaigns() {
        let people = people();
        let a = assign(b"secret", "c1", &arms(), &people);
        assert_eq!(a, assign(b"secret", "c1", &arms(), &people));
        let other = assign(b"secret", "c2", &arms(), &people);
        let same = a.iter().zip(&other).filter(|(x, y)| x == y).count();
        // Independent assignments agree about 0.2² + 0.4² + 0.4² = 36 % of the time.
        assert!(same > 1_400 && same < 2_200, "{same}");
        let other_key = assign(b"other", "c1", &arms(), &people);
        assert_ne!(a, other_key);
    }

    #[test]
    fn small_strata_do_not_favour_the_first_variant() {
        // About three people per stratum, as in a real cohort spread over
        // départements and levels.
        let people: Vec<(String, String)> = (0..6_000)
            .map(|i| {
                (
                    format!("p{i}"),
                    stratum(Some(&format!("{:03}", i % 2_000)), Some(3)),
                )
            })
            .collect();
        let got = assign(b"secret", "c1", &arms(), &people);
        let mut counts = [0_u64; 3];
        for a in got {
            counts[a] += 1;
        }
        // 20 / 40 / 40 % of 6,000, within a few people.
        for (count, expected) in counts.iter().zip([1_200.0, 2_400.0, 2_400.0]) {
            assert!((*count as f64 - expected).abs() < 5.0, "{counts:?}");
        }
    }

    #[test]
    fn arms_are_validated() {
        assert_eq!(validate(&arms()), Ok(()));
        let mut bad = arms();
        bad[0].share = 30;
        assert_eq!(validate(&bad), Err(ArmsError::Shares(110)));
        bad[0].share = 20;
        bad[2].name = "a".into();
        assert_eq!(validate(&bad), Err(ArmsError::Name("a".into())));
        assert_eq!(validate(&bad[..1]), Err(ArmsError::TooFew));
    }
}
