//! Demo training courses: real diplomas taught at real located CFAs.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, Months, NaiveDate};
use lba_core::opportunity::{Formation, Place, Session};
use rand::RngExt;

use super::catalog::{Catalog, Cfa, Course};
use super::sample::{DOMAIN, Rng, Stream, Weighted, chance, phone, pick, record_rng, slug};

/// Share of courses a specialised CFA takes from its speciality.
const SPECIALITY_PERCENT: u32 = 90;
/// Attempts at finding a (CFA, diploma) pair not used yet.
const ATTEMPTS: usize = 12;

/// `count` courses, all drawn from one stream (courses avoid repeating a
/// diploma at the same CFA, which needs the choices made before).
pub(super) fn formations(
    catalog: &Catalog,
    seed: u64,
    reference: NaiveDate,
    count: u64,
) -> Vec<Formation> {
    // Some CFAs are much bigger than others: weights 1–31, skewed low.
    let mut sizes = record_rng(seed, Stream::Cfas, 0);
    let Some(cfa_weights) = Weighted::new(catalog.cfas.iter().map(|_| {
        let u: f64 = sizes.random();
        1 + (u * u * 30.0) as u64
    })) else {
        return Vec::new();
    };
    let mut rng = record_rng(seed, Stream::Formation, 0);
    let mut used = BTreeSet::new();
    let mut out = Vec::with_capacity(usize::try_from(count).unwrap_or_default());
    for index in 0..count {
        let mut choice = None;
        for _ in 0..ATTEMPTS {
            let cfa = cfa_weights.sample(&mut rng);
            let course = choose_course(catalog, catalog.cfas.get(cfa), &mut rng);
            choice = Some((cfa, course));
            if used.insert((cfa, course)) {
                break;
            }
        }
        let Some((cfa, course)) = choice else {
            continue;
        };
        if let (Some(cfa), Some(course)) = (catalog.cfas.get(cfa), catalog.courses.get(course)) {
            out.push(formation(index, cfa, course, reference, &mut rng));
        }
    }
    out
}

fn choose_course(catalog: &Catalog, cfa: Option<&Cfa>, rng: &mut Rng) -> usize {
    match cfa.and_then(|c| c.speciality.as_ref()) {
        Some((courses, weights)) if chance(rng, SPECIALITY_PERCENT) => courses
            .get(weights.sample(rng))
            .copied()
            .unwrap_or_default(),
        _ => catalog.course_weights.sample(rng),
    }
}

/// Typical lengths in months by level: CAP 2 years, bac pro 2–3, BTS 2,
/// licence pro 1, master 2.
fn durations(level: u8) -> &'static [u16] {
    match level {
        3 => &[24, 24, 12],
        4 => &[24, 36, 24],
        5 => &[24],
        6 => &[12, 12, 24],
        _ => &[24, 24, 12],
    }
}

fn formation(
    index: u64,
    cfa: &Cfa,
    course: &Course,
    reference: NaiveDate,
    rng: &mut Rng,
) -> Formation {
    let months = pick(rng, durations(course.level.get()))
        .copied()
        .unwrap_or(24);
    let sessions = sessions(reference.year(), months, rng);
    let place = &cfa.cfa;
    Formation {
        id: format!("demo-f-{index:06}"),
        is_demo: true,
        title: course.title.clone(),
        diploma_title: course.diploma.title.trim().to_owned(),
        cfd: Some(course.diploma.cfd.clone()),
        rncp: course.diploma.rncp.clone(),
        level: Some(course.level),
        romes: course.romes.clone(),
        cfa_uai: Some(place.uai.clone()),
        cfa_siret: place.siret.clone(),
        cfa_name: cfa.name.clone(),
        place: Place {
            address: place.address.as_str().into(),
            postal_code: place.postal_code.clone(),
            commune_insee: place.commune_insee.clone(),
            city: place.city.as_str().into(),
            point: place.point,
        },
        sessions,
        duration_months: Some(months),
        capacity: (!chance(rng, 10)).then(|| rng.random_range(8..=30)),
        distance_learning: chance(rng, 2),
        email: Some(format!(
            "{}.{}@{DOMAIN}",
            slug(&cfa.name, "-", 4),
            place.uai.as_str().to_ascii_lowercase()
        )),
        phone: chance(rng, 85).then(|| phone(rng, &cfa.region, false)),
        onisep_url: None,
    }
}

/// One session starting in September or October of `year`, sometimes a
/// second one later in the autumn; each lasts `months`.
fn sessions(year: i32, months: u16, rng: &mut Rng) -> Vec<Session> {
    let Some(september) = NaiveDate::from_ymd_opt(year, 9, 1) else {
        return Vec::new();
    };
    let count = if chance(rng, 20) { 2 } else { 1 };
    let mut offsets: Vec<u64> = (0..count).map(|_| rng.random_range(0..61)).collect();
    offsets.sort_unstable();
    offsets.dedup();
    offsets
        .into_iter()
        .filter_map(|days| {
            let start = september.checked_add_days(Days::new(days))?;
            let end = start
                .checked_add_months(Months::new(u32::from(months)))
                .and_then(|d| d.pred_opt());
            Some(Session { start, end })
        })
        .collect()
}
