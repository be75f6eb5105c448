//! The local demo's dense core: in the largest cities, companies and open
//! offers for the métiers young people most often start by apprenticeship,
//! so that a first search ("Boulanger" around Lyon) never lands on empty
//! sections. The core replaces the last records of the local set (the totals
//! stay 20,000 companies and 6,000 offers); it is demo data like the rest
//! (`is_demo`, SIRET 999…).

use lba_core::ids::CodeRome;

use super::catalog::{Catalog, Commune};

/// The largest cities (INSEE codes), by population; Paris, Marseille and
/// Lyon by a central arrondissement (their communes are assembled from
/// them and may not be in the sampling catalog).
const CITIES: [&str; 15] = [
    "75111", "13201", "69383", "31555", "06088", "44109", "34172", "67482", "33063", "59350",
    "35238", "51454", "76351", "42218", "83137",
];

/// Common first métiers of apprentices (ROME 4.0): food trades, kitchen
/// and restaurant service, shop sales, hairdressing, car mechanics, the
/// building trades, office and IT.
const METIERS: [&str; 12] = [
    "D1102", "D1104", "G1602", "G1803", "D1106", "D1507", "D1202", "I1604", "F1603", "F1602",
    "M1607", "M1805",
];

/// Companies per (city, métier).
pub(super) const COMPANIES_PER_PLACE: u64 = 3;
/// Open offers per (city, métier).
pub(super) const OFFERS_PER_PLACE: u64 = 2;

/// One (city, métier) of the core, with an activity that hires for it.
#[derive(Clone, Debug)]
pub(super) struct Placement {
    /// Index in `Catalog::communes`.
    pub commune: usize,
    /// The métier.
    pub rome: CodeRome,
    /// Index in `Catalog::activities` of an activity hiring for it.
    pub activity: usize,
}

/// The placements the catalog allows (cities and métiers it knows), in a
/// fixed order.
pub(super) fn placements(catalog: &Catalog) -> Vec<Placement> {
    let communes: Vec<usize> = CITIES
        .iter()
        .filter_map(|code| {
            catalog
                .communes
                .iter()
                .position(|c: &Commune| c.insee.as_str() == *code)
        })
        .collect();
    let metiers: Vec<(CodeRome, usize)> = METIERS
        .iter()
        .filter_map(|code| {
            let rome: CodeRome = code.parse().ok()?;
            catalog.appellations.get(&rome)?;
            let activity = catalog
                .activities
                .iter()
                .position(|a| a.romes.iter().any(|codes| codes.contains(&rome)))?;
            Some((rome, activity))
        })
        .collect();
    communes
        .iter()
        .flat_map(|&commune| {
            metiers.iter().map(move |(rome, activity)| Placement {
                commune,
                rome: rome.clone(),
                activity: *activity,
            })
        })
        .collect()
}
