//! Demo companies likely to hire: placed like the population, active in a
//! real NAF activity and hiring for the métiers that activity hires for.

use lba_core::ids::{CodeRome, Siret};
use lba_core::opportunity::{Company, Place, RomeScore};
use rand::RngExt;

use super::catalog::{Activity, Catalog, Commune};
use super::dense::Placement;
use super::sample::{DOMAIN, Rng, Stream, chance, jitter, phone, pick, pick_str, record_rng, slug};
use super::words::{HEADCOUNTS, NAME_PATTERNS, STREET_KINDS, STREET_NAMES, SURNAMES};

/// Companies lie within this distance of their commune's centre (km).
const JITTER_KM: f64 = 2.0;
/// …or this one in a municipal arrondissement (smaller).
const JITTER_ARRONDISSEMENT_KM: f64 = 0.8;
/// Relative odds of 1, 2, 3 and 4 métiers.
const ROME_COUNTS: [u32; 4] = [40, 30, 20, 10];

/// The synthetic SIRET of company `index`: `999`, the index on 10 digits
/// and a Luhn key: a prefix at the very top of the number range, so that
/// demo companies stand out at a glance (and are valid for `Siret::parse`).
pub fn demo_siret(index: u64) -> Option<Siret> {
    let body = format!("999{:010}", index % 10_000_000_000);
    // Luhn over the 14 digits: the key is position 0 from the right, so
    // the body's last digit (position 1) is doubled.
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    let key = (10 - sum % 10) % 10;
    Siret::parse(&format!("{body}{key}")).ok()
}

/// Company `index`: a pure function of the catalog, the seed and the
/// index, so that offers can refer to any company without keeping them all.
pub(super) fn company(catalog: &Catalog, seed: u64, index: u64) -> Option<Company> {
    let mut rng = record_rng(seed, Stream::Company, index);
    let commune = catalog
        .communes
        .get(catalog.commune_weights.sample(&mut rng))?;
    let activity = catalog
        .activities
        .get(catalog.activity_weights.sample(&mut rng))?;
    let romes = romes(activity, &mut rng);
    build(catalog, rng, index, commune, activity, romes)
}

/// Company `index` of the dense core: in the placement's city, hiring for
/// its métier first (a good score: 60–100), maybe for others of the
/// activity too.
pub(super) fn placed_company(
    catalog: &Catalog,
    seed: u64,
    index: u64,
    placement: &Placement,
) -> Option<Company> {
    let mut rng = record_rng(seed, Stream::Company, index);
    let commune = catalog.communes.get(placement.commune)?;
    let activity = catalog.activities.get(placement.activity)?;
    let mut romes = romes(activity, &mut rng);
    romes.retain(|r| r.rome != placement.rome);
    romes.truncate(ROME_COUNTS.len() - 1);
    // First and best: scores stay sorted, best first.
    let score = rng
        .random_range(60..=100)
        .max(romes.first().map_or(0, |r| r.score));
    romes.insert(
        0,
        RomeScore {
            rome: placement.rome.clone(),
            score,
        },
    );
    build(catalog, rng, index, commune, activity, romes)
}

/// The rest of a company once its place, activity and métiers are drawn.
fn build(
    catalog: &Catalog,
    mut rng: Rng,
    index: u64,
    commune: &Commune,
    activity: &Activity,
    romes: Vec<RomeScore>,
) -> Option<Company> {
    if romes.is_empty() {
        return None;
    }
    let surname = pick_str(&mut rng, SURNAMES);
    let name = company_name(&activity.short_label, surname, &mut rng);
    let max_km = if commune.arrondissement {
        JITTER_ARRONDISSEMENT_KM
    } else {
        JITTER_KM
    };
    let place = Place {
        address: format!(
            "{} {} {}",
            rng.random_range(1..=120),
            pick_str(&mut rng, STREET_KINDS),
            pick_str(&mut rng, STREET_NAMES)
        )
        .into(),
        postal_code: pick(&mut rng, &commune.postal_codes).cloned(),
        commune_insee: Some(commune.insee.clone()),
        city: commune.name.as_str().into(),
        point: jitter(&mut rng, commune.point, max_km),
    };
    let headcount = HEADCOUNTS
        .get(catalog.headcounts.sample(&mut rng))
        .map(|(code, _)| (*code).to_owned());
    let email = chance(&mut rng, 60).then(|| format!("{}.{index}@{DOMAIN}", slug(&name, "-", 4)));
    let phone = chance(&mut rng, 40).then(|| {
        let mobile = chance(&mut rng, 30);
        phone(&mut rng, &commune.region, mobile)
    });
    Some(Company {
        siret: demo_siret(index)?,
        is_demo: true,
        name: name.into(),
        naf: Some(activity.naf.clone()),
        headcount: headcount.map(Into::into),
        place,
        romes,
        email,
        phone: phone.map(Into::into),
        website: None,
    })
}

/// 1–4 distinct métiers of the activity, drawn by hirings, scored 20–100,
/// best first.
fn romes(activity: &Activity, rng: &mut Rng) -> Vec<RomeScore> {
    let roll = rng.random_range(0..ROME_COUNTS.iter().sum::<u32>());
    let mut wanted = 1;
    let mut acc = 0;
    for (i, odds) in ROME_COUNTS.iter().enumerate() {
        acc += odds;
        if roll < acc {
            wanted = i + 1;
            break;
        }
    }
    let wanted = wanted.min(activity.romes.len());
    let mut chosen: Vec<CodeRome> = Vec::with_capacity(wanted);
    // A few extra draws so that rare métiers can still be reached.
    for _ in 0..wanted * 4 {
        if chosen.len() >= wanted {
            break;
        }
        let entry = activity.weights.sample(rng);
        if let Some(code) = activity.romes.get(entry).and_then(|f| pick(rng, f))
            && !chosen.contains(code)
        {
            chosen.push(code.clone());
        }
    }
    let mut scores: Vec<u8> = chosen.iter().map(|_| rng.random_range(20..=100)).collect();
    scores.sort_unstable_by(|a, b| b.cmp(a));
    chosen
        .into_iter()
        .zip(scores)
        .map(|(rome, score)| RomeScore { rome, score })
        .collect()
}

/// "Boulangerie Martin" from a short activity label, or a pattern such as
/// "Établissements Martin" when the label is too long or generic to read
/// as a shop sign.
fn company_name(short_label: &str, surname: &str, rng: &mut Rng) -> String {
    let words = short_label.split_whitespace().count();
    let generic = short_label.starts_with("Activit") || short_label.starts_with("Autre");
    if words <= 4 && !generic && chance(rng, 75) {
        format!("{short_label} {surname}")
    } else {
        pick_str(rng, NAME_PATTERNS).replace("{}", surname)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_sirets_are_valid_and_recognisable() {
        for index in [0, 1, 9, 10, 12_345, 999_999, 1_000_000] {
            let siret = demo_siret(index);
            assert!(siret.is_some(), "{index}");
            if let Some(siret) = siret {
                assert!(siret.as_str().starts_with("999"));
                assert_eq!(siret.as_str().len(), 14);
            }
        }
        assert_ne!(demo_siret(1), demo_siret(2));
    }
}
