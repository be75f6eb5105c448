//! Demo job offers: a generated company, one of its métiers, a real ROME
//! appellation of that métier as the title.

use chrono::{DateTime, Days, NaiveDate, TimeDelta, Utc};
use lba_core::ids::CodeRome;
use lba_core::level::DiplomaLevel;
use lba_core::opportunity::{Company, ContractType, Offer, OfferOrigin, OfferStatus};
use rand::RngExt;

use super::catalog::Catalog;
use super::companies::company;
use super::sample::{DOMAIN, Rng, Stream, Weighted, chance, pick, pick_str, record_rng};
use super::words::{OFFER_MISSIONS, OFFER_OPENINGS, OFFER_PROFILES};

/// Offers are published within this many days before the reference date…
const PUBLISHED_WITHIN_DAYS: i64 = 60;
/// …and expire this many days after publication.
const LIFETIME_DAYS: std::ops::RangeInclusive<i64> = 30..=120;

/// Offer `index`, at one of the first `companies` demo companies: a pure
/// function of its arguments. Picking the company uniformly makes offers
/// follow the companies, hence the population.
pub(super) fn offer(
    catalog: &Catalog,
    seed: u64,
    reference: NaiveDate,
    companies: u64,
    index: u64,
) -> Option<Offer> {
    let mut rng = record_rng(seed, Stream::Offer, index);
    let company = company(catalog, seed, rng.random_range(0..companies.max(1)))?;
    let weights = Weighted::new(company.romes.iter().map(|r| u64::from(r.score)))?;
    let rome = company.romes.get(weights.sample(&mut rng))?.rome.clone();
    offer_at(catalog, rng, reference, company, rome, index)
}

/// Offer `index` of the dense core: at a company of its placement, for the
/// placement's métier, open on the reference date.
pub(super) fn placed_offer(
    catalog: &Catalog,
    seed: u64,
    reference: NaiveDate,
    company: Company,
    index: u64,
) -> Option<Offer> {
    let rng = record_rng(seed, Stream::Offer, index);
    let rome = company.romes.first()?.rome.clone();
    let mut offer = offer_at(catalog, rng, reference, company, rome, index)?;
    let midnight = reference_instant(reference);
    offer.status = OfferStatus::Active;
    if offer.expires_at <= midnight {
        offer.expires_at = midnight + TimeDelta::days(60);
    }
    Some(offer)
}

/// The rest of an offer once its company and métier are drawn.
fn offer_at(
    catalog: &Catalog,
    mut rng: Rng,
    reference: NaiveDate,
    company: Company,
    rome: CodeRome,
    index: u64,
) -> Option<Offer> {
    let (ogr, title) = pick(&mut rng, catalog.appellations.get(&rome)?)?.clone();

    let origin = match rng.random_range(0..100) {
        0..50 => OfferOrigin::Platform,
        50..85 => OfferOrigin::FranceTravail,
        _ => OfferOrigin::Partner,
    };
    let midnight = reference.and_hms_opt(0, 0, 0)?.and_utc();
    let published_at =
        midnight - TimeDelta::seconds(rng.random_range(1..=PUBLISHED_WITHIN_DAYS * 86_400));
    let expires_at = published_at + TimeDelta::days(rng.random_range(LIFETIME_DAYS));
    let status = if expires_at <= midnight {
        OfferStatus::Expired
    } else {
        match rng.random_range(0..100) {
            0..6 => OfferStatus::Filled,
            6..9 => OfferStatus::Cancelled,
            _ => OfferStatus::Active,
        }
    };
    let contract_types = if chance(&mut rng, 15) {
        vec![
            ContractType::Apprentissage,
            ContractType::Professionnalisation,
        ]
    } else {
        vec![ContractType::Apprentissage]
    };
    // The level of a course leading to the métier when there is one.
    let level = if chance(&mut rng, 30) {
        None
    } else if let Some(level) = catalog
        .rome_levels
        .get(&rome)
        .and_then(|l| pick(&mut rng, l))
    {
        Some(*level)
    } else {
        let n = match rng.random_range(0..100) {
            0..35 => 3,
            35..70 => 4,
            _ => 5,
        };
        DiplomaLevel::new(n).ok()
    };
    let start_date = published_at
        .date_naive()
        .checked_add_days(Days::new(rng.random_range(14..=90)));
    let duration_months = match rng.random_range(0..100) {
        0..30 => 12,
        30..85 => 24,
        _ => 36,
    };
    let id = format!("demo-o-{index:07}");
    let description = description(
        &mut rng,
        &company.name,
        &title,
        &company.place.city,
        duration_months,
        level,
    );
    let apply_url = match origin {
        OfferOrigin::Platform => None,
        OfferOrigin::FranceTravail => Some(format!("https://francetravail.{DOMAIN}/offres/{id}")),
        OfferOrigin::Partner => Some(format!("https://partenaire.{DOMAIN}/offres/{id}")),
    };
    Some(Offer {
        id,
        is_demo: true,
        origin,
        status,
        title,
        appellation_ogr: Some(ogr),
        rome,
        description,
        contract_types,
        level,
        start_date,
        duration_months: Some(duration_months),
        company_siret: Some(company.siret),
        company_name: company.name,
        company_naf: company.naf,
        company_headcount: company.headcount,
        place: company.place,
        published_at,
        expires_at,
        apply_url,
    })
}

/// A few sentences from the templates.
fn description(
    rng: &mut Rng,
    company: &str,
    title: &str,
    city: &str,
    months: u16,
    level: Option<DiplomaLevel>,
) -> String {
    let opening = pick_str(rng, OFFER_OPENINGS)
        .replace("{company}", company)
        .replace("{title}", &title.to_lowercase())
        .replace("{city}", city);
    let mut text = format!(
        "{opening} {} {} Contrat en alternance de {months} mois.",
        pick_str(rng, OFFER_MISSIONS),
        pick_str(rng, OFFER_PROFILES),
    );
    if let Some(level) = level {
        text.push_str(&format!(" Niveau visé : {}.", level.label_fr()));
    }
    text
}

/// The reference date's midnight (UTC): the instant offers are compared to.
pub fn reference_instant(reference: NaiveDate) -> DateTime<Utc> {
    reference
        .and_hms_opt(0, 0, 0)
        .map_or(DateTime::<Utc>::MIN_UTC, |t| t.and_utc())
}

/// The recruiter email of the demo offers posted on the platform (imported
/// ones are applied to on their site of origin), so that a local run can
/// apply to them: `recrutement.<offer id>@<demo domain>`.
pub(super) fn recruiter_contacts(offers: &[Offer]) -> Vec<(String, String)> {
    offers
        .iter()
        .filter(|o| o.origin == OfferOrigin::Platform)
        .map(|o| (o.id.clone(), format!("recrutement.{}@{DOMAIN}", o.id)))
        .collect()
}
