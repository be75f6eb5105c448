//! The referentials reshaped for generation: usable diplomas with their
//! métiers, CFAs with a speciality, communes and activities (NAF) with the
//! weights to sample them, appellations by métier. Built once per run; a
//! pure function of the referentials.

use std::collections::{BTreeMap, BTreeSet};

use lba_core::geo::GeoPoint;
use lba_core::ids::{CodeRome, InseeCode, NafCode, PostalCode};
use lba_core::level::DiplomaLevel;
use lba_core::referential::{CfaRef, DiplomaRef, ReferentialData};
use lba_core::text::tokens;

use super::labels::{cfa_name, course_title, is_general_degree, tidy};
use super::matching::diploma_romes;
use super::sample::Weighted;
use super::words::{CFA_HINTS, HEADCOUNTS, HIGHER_EDUCATION_HINTS, TRADE_HINTS};

/// A diploma that can be taught, with its métiers.
#[derive(Clone, Debug)]
pub(super) struct Course {
    /// The diploma.
    pub diploma: DiplomaRef,
    /// Its level (3–7).
    pub level: DiplomaLevel,
    /// Title shown for the course (`BTS Banque`).
    pub title: String,
    /// 1–3 métiers.
    pub romes: Vec<CodeRome>,
}

/// A located CFA and what it tends to teach.
#[derive(Clone, Debug)]
pub(super) struct Cfa {
    /// The real CFA.
    pub cfa: CfaRef,
    /// Name shown (`CFA DE CAULNES` for `DE CAULNES`).
    pub name: String,
    /// Région code of its commune ("" when unknown).
    pub region: String,
    /// Courses of its speciality (indices into `Catalog::courses`) and
    /// their weights; `None` for a generalist CFA.
    pub speciality: Option<(Vec<usize>, Weighted)>,
}

/// A commune where companies are placed.
#[derive(Clone, Debug)]
pub(super) struct Commune {
    /// INSEE code.
    pub insee: InseeCode,
    /// Name.
    pub name: String,
    /// Postal codes.
    pub postal_codes: Vec<PostalCode>,
    /// Région code.
    pub region: String,
    /// Centre.
    pub point: GeoPoint,
    /// A municipal arrondissement (small: companies stay closer).
    pub arrondissement: bool,
}

/// An activity with the métiers it hires for.
#[derive(Clone, Debug)]
pub(super) struct Activity {
    /// NAF code.
    pub naf: NafCode,
    /// Label cut before its first comma or parenthesis.
    pub short_label: String,
    /// For each ROME v3 code it hires for, the ROME 4.0 fiches with an
    /// appellation that descend from it.
    pub romes: Vec<Vec<CodeRome>>,
    /// Hirings of each entry of `romes`.
    pub weights: Weighted,
}

/// Everything the generators sample from.
#[derive(Clone, Debug)]
pub(super) struct Catalog {
    /// Usable diplomas.
    pub courses: Vec<Course>,
    /// Weights of `courses` (lower levels favoured: they are fewer in the
    /// diploma file than in real apprenticeship).
    pub course_weights: Weighted,
    /// Located CFAs.
    pub cfas: Vec<Cfa>,
    /// Communes with a point and inhabitants.
    pub communes: Vec<Commune>,
    /// Weights of `communes`: their population.
    pub commune_weights: Weighted,
    /// Activities with at least one usable métier.
    pub activities: Vec<Activity>,
    /// Weights of `activities`: their total hirings.
    pub activity_weights: Weighted,
    /// Levels of the courses leading to each métier, for offers.
    pub rome_levels: BTreeMap<CodeRome, Vec<DiplomaLevel>>,
    /// Appellations (OGR, label) by ROME code.
    pub appellations: BTreeMap<CodeRome, Vec<(i64, String)>>,
    /// Weights of `HEADCOUNTS`.
    pub headcounts: Weighted,
}

/// A referential the generator cannot do without is empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("référentiel manquant : {0} (lancez d'abord `lba import referentials`)")]
pub struct MissingReferential(pub &'static str);

fn level_weight(level: DiplomaLevel) -> u64 {
    if level.get() <= 5 { 3 } else { 1 }
}

impl Catalog {
    /// Prepares the referentials.
    pub(super) fn new(data: &ReferentialData) -> Result<Self, MissingReferential> {
        let appellations = appellations(data);
        let courses = courses(data, &appellations);
        let course_weights = Weighted::new(courses.iter().map(|c| level_weight(c.level)))
            .ok_or(MissingReferential("diplômes rattachables à un métier ROME"))?;

        let regions: BTreeMap<&str, &str> = data
            .communes
            .iter()
            .map(|c| (c.insee.as_str(), c.region.as_str()))
            .collect();
        let cfas: Vec<Cfa> = data
            .cfas
            .iter()
            .map(|cfa| {
                let region = cfa
                    .commune_insee
                    .as_ref()
                    .and_then(|i| regions.get(i.as_str()))
                    .copied()
                    .unwrap_or_default()
                    .to_owned();
                let mut located = cfa.clone();
                located.city = tidy(&cfa.city);
                Cfa {
                    name: cfa_name(&cfa.name),
                    speciality: speciality(&cfa.name, &courses),
                    cfa: located,
                    region,
                }
            })
            .collect();
        if cfas.is_empty() {
            return Err(MissingReferential("CFA localisés"));
        }

        let communes = communes(data);
        let commune_weights =
            Weighted::new(communes.iter().map(|c| c.1)).ok_or(MissingReferential("communes"))?;
        let communes: Vec<Commune> = communes.into_iter().map(|c| c.0).collect();

        let activities = activities(data, &appellations);
        let activity_weights = Weighted::new(activities.iter().map(|a| a.1))
            .ok_or(MissingReferential("embauches par code NAF et ROME"))?;
        let activities = activities.into_iter().map(|a| a.0).collect();

        let mut rome_levels: BTreeMap<CodeRome, Vec<DiplomaLevel>> = BTreeMap::new();
        for course in &courses {
            for rome in &course.romes {
                let levels = rome_levels.entry(rome.clone()).or_default();
                if !levels.contains(&course.level) {
                    levels.push(course.level);
                }
            }
        }
        rome_levels.values_mut().for_each(|l| l.sort_unstable());

        Ok(Self {
            rome_levels,
            courses,
            course_weights,
            cfas,
            communes,
            commune_weights,
            activities,
            activity_weights,
            appellations,
            headcounts: Weighted::new(HEADCOUNTS.iter().map(|h| h.1))
                .ok_or(MissingReferential("tranches d'effectif"))?,
        })
    }
}

fn appellations(data: &ReferentialData) -> BTreeMap<CodeRome, Vec<(i64, String)>> {
    let mut by_rome: BTreeMap<CodeRome, Vec<(i64, String)>> = BTreeMap::new();
    for a in &data.appellations {
        by_rome
            .entry(a.rome.clone())
            .or_default()
            .push((a.ogr, a.label.clone()));
    }
    by_rome
}

/// Active diplomas open to apprenticeship, levels 3–7, one per CFD, that
/// match métiers with appellations.
fn courses(
    data: &ReferentialData,
    appellations: &BTreeMap<CodeRome, Vec<(i64, String)>>,
) -> Vec<Course> {
    let mut seen_cfd = BTreeSet::new();
    let usable: Vec<bool> = data
        .diplomas
        .iter()
        .map(|d| {
            d.active
                && d.apprenticeship == Some(true)
                && d.level.is_some_and(|l| (3..=7).contains(&l.get()))
                && !is_general_degree(&d.title)
                && seen_cfd.insert(d.cfd.clone())
        })
        .collect();
    diploma_romes(data, |i| usable.get(i).copied().unwrap_or(false))
        .into_iter()
        .filter_map(|(d, romes)| {
            let diploma = data.diplomas.get(d)?;
            let romes: Vec<CodeRome> = romes
                .into_iter()
                .filter_map(|r| data.romes.get(r))
                .map(|r| r.code.clone())
                .filter(|code| appellations.contains_key(code))
                .collect();
            if romes.is_empty() {
                return None;
            }
            Some(Course {
                level: diploma.level?,
                title: course_title(&diploma.title),
                romes,
                diploma: diploma.clone(),
            })
        })
        .collect()
}

/// The courses a CFA's name suggests, `None` when it suggests none.
fn speciality(name: &str, courses: &[Course]) -> Option<(Vec<usize>, Weighted)> {
    let words = tokens(name);
    let has = |w: &str| words.iter().any(|x| x == w);
    let prefixes: Vec<&str> = CFA_HINTS
        .iter()
        .filter(|(word, _)| has(word))
        .flat_map(|(_, prefixes)| prefixes.iter().copied())
        .collect();
    let higher = HIGHER_EDUCATION_HINTS.iter().any(|w| has(w));
    let trades = !higher && TRADE_HINTS.iter().any(|w| has(w));
    if prefixes.is_empty() && !higher && !trades {
        return None;
    }
    let chosen: Vec<usize> = courses
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            (prefixes.is_empty()
                || c.romes
                    .iter()
                    .any(|r| prefixes.iter().any(|p| r.as_str().starts_with(p))))
                && (!higher || c.level.get() >= 5)
                && (!trades || c.level.get() <= 5)
        })
        .map(|(i, _)| i)
        .collect();
    let weights = Weighted::new(
        chosen
            .iter()
            .filter_map(|&i| courses.get(i))
            .map(|c| level_weight(c.level)),
    )?;
    Some((chosen, weights))
}

/// Communes and arrondissements with a point and inhabitants, with their
/// population; a city divided into arrondissements is represented by them.
fn communes(data: &ReferentialData) -> Vec<(Commune, u64)> {
    let divided: BTreeSet<&InseeCode> = data
        .communes
        .iter()
        .filter_map(|c| c.parent.as_ref())
        .collect();
    data.communes
        .iter()
        .filter(|c| !divided.contains(&c.insee))
        .filter_map(|c| {
            let weight = u64::try_from(c.population).ok().filter(|p| *p > 0)?;
            Some((
                Commune {
                    insee: c.insee.clone(),
                    name: tidy(&c.name),
                    postal_codes: c.postal_codes.clone(),
                    region: c.region.clone(),
                    point: c.point?,
                    arrondissement: c.arrondissement,
                },
                weight,
            ))
        })
        .collect()
}

/// Activities with their total hirings, keeping only the ROME v3 codes
/// that have ROME 4.0 fiches with appellations.
fn activities(
    data: &ReferentialData,
    appellations: &BTreeMap<CodeRome, Vec<(i64, String)>>,
) -> Vec<(Activity, u64)> {
    let mut children: BTreeMap<&CodeRome, Vec<CodeRome>> = BTreeMap::new();
    for rome in &data.romes {
        if appellations.contains_key(&rome.code) {
            children
                .entry(&rome.parent_code)
                .or_default()
                .push(rome.code.clone());
        }
    }
    let mut by_naf: BTreeMap<&NafCode, Vec<(Vec<CodeRome>, u64)>> = BTreeMap::new();
    for pair in &data.rome_naf {
        let hirings = u64::try_from(pair.hirings).unwrap_or(0);
        if let Some(fiches) = children.get(&pair.rome_v3).filter(|_| hirings > 0) {
            by_naf
                .entry(&pair.naf)
                .or_default()
                .push((fiches.clone(), hirings));
        }
    }
    by_naf
        .into_iter()
        .filter_map(|(naf, entries)| {
            let label = data.naf_labels.get(naf.as_str())?;
            let total = entries.iter().map(|e| e.1).sum();
            let weights = Weighted::new(entries.iter().map(|e| e.1))?;
            Some((
                Activity {
                    naf: naf.clone(),
                    short_label: short_label(label),
                    romes: entries.into_iter().map(|e| e.0).collect(),
                    weights,
                },
                total,
            ))
        })
        .collect()
}

/// A NAF label cut before its first comma, parenthesis, colon or semicolon.
fn short_label(label: &str) -> String {
    label
        .split(['(', ',', ';', ':'])
        .next()
        .unwrap_or(label)
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn naf_labels_are_shortened() {
        assert_eq!(
            short_label("Culture de céréales (à l'exception du riz), de légumineuses"),
            "Culture de céréales"
        );
    }
}
