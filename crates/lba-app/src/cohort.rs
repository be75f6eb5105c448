//! `lba campaign import-cohort`: reads a cohort export (one row per wish),
//! builds one person per candidate with their wishes, links each wish to a
//! stored course and CFA when possible, and writes people in batches.
//!
//! - Rows are grouped by candidate id over the whole file (an export is
//!   not always sorted); the first row of a candidate gives their identity
//!   and contacts.
//! - A candidate is **apprenticeship-only** when none of their wishes is
//!   under student status.
//! - Linking: the course key (`cle_ministere_educatif`) to a stored course;
//!   else CFA (UAI, or SIRET) + CFD to a stored course of that CFA; the CFA
//!   by UAI or SIRET among the stored CFAs. Wishes left unlinked are counted
//!   and the first ones listed.
//! - Re-importing a newer export replaces each person present in it with
//!   their wishes (no duplicates); people absent from it are kept.

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use lba_campaign::{Person, Source, Wish, WishKind};
use lba_core::geo::GeoPoint;
use lba_data::cohort::{self, CohortRow};
use lba_data::{Item, Rejected};
use lba_store::Store;
use lba_store::cohort::FormationLink;
use serde::Serialize;

use crate::{ImportError, Progress};

/// People written per store transaction.
const BATCH: usize = 2_000;
/// At most this many rejects, contact issues and unlinked wishes are listed.
const LISTED: usize = 20;

/// A wish that could not be linked to a stored course or CFA.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Unlinked {
    /// Line in the file.
    pub line: u64,
    /// The wish key.
    pub wish: String,
    /// What is missing.
    pub reason: String,
}

/// The outcome of a cohort import.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CohortReport {
    /// The file read.
    pub file: String,
    /// Platform.
    pub source: String,
    /// Rows read.
    pub rows: u64,
    /// Rows rejected.
    pub rejected: u64,
    /// The first rejected rows (line, field, reason).
    pub rejects: Vec<Rejected>,
    /// Contact details dropped (invalid e-mail, phone, landline).
    pub contacts_refused: u64,
    /// The first ones.
    pub contact_issues: Vec<Rejected>,
    /// Candidates in the file.
    pub people: u64,
    /// New people.
    pub created: u64,
    /// People already stored, updated.
    pub updated: u64,
    /// Wishes kept.
    pub wishes: u64,
    /// Candidates with only apprenticeship wishes.
    pub apprenticeship_only: u64,
    /// Wishes linked to a stored course.
    pub linked_courses: u64,
    /// Wishes linked to a stored CFA.
    pub linked_cfas: u64,
    /// Wishes linked to no course.
    pub unlinked: u64,
    /// The first unlinked wishes.
    pub unlinked_wishes: Vec<Unlinked>,
    /// Candidates without any usable contact (theirs or a parent's).
    pub unreachable: u64,
    /// Outcome events recorded from what changed since the previous export
    /// (a contract now signed, a wish now accepted, refused or given up).
    pub outcome_events: u64,
    /// Wall time in milliseconds.
    pub duration_ms: u64,
}

impl CohortReport {
    fn reject(&mut self, rejected: Rejected) {
        self.rejected += 1;
        if self.rejects.len() < LISTED {
            self.rejects.push(rejected);
        }
    }
}

/// What the import knows of the store to link wishes and locate homes.
struct Links {
    by_id: HashMap<String, usize>,
    by_cfa_cfd: HashMap<(String, String), usize>,
    courses: Vec<FormationLink>,
    cfa_uais: std::collections::HashSet<String>,
    cfa_by_siret: HashMap<String, String>,
    levels: HashMap<String, u8>,
    communes: HashMap<String, (Option<GeoPoint>, String, String)>,
    postal: HashMap<String, String>,
}

impl Links {
    async fn load(store: &Store) -> Result<Self, ImportError> {
        let courses = store.formation_links().await?;
        let refs = store.referential_data().await?;
        let mut by_id = HashMap::with_capacity(courses.len());
        let mut by_cfa_cfd = HashMap::new();
        for (i, c) in courses.iter().enumerate() {
            by_id.insert(c.id.clone(), i);
            if let Some(cfd) = &c.cfd {
                for cfa in [&c.cfa_uai, &c.cfa_siret].into_iter().flatten() {
                    by_cfa_cfd.entry((cfa.clone(), cfd.clone())).or_insert(i);
                }
            }
        }
        let mut communes = HashMap::new();
        let mut postal = HashMap::new();
        for c in &refs.communes {
            communes.insert(
                c.insee.as_str().to_owned(),
                (c.point, c.departement.clone(), c.region.clone()),
            );
            for p in &c.postal_codes {
                postal
                    .entry(p.as_str().to_owned())
                    .or_insert_with(|| c.insee.as_str().to_owned());
            }
        }
        Ok(Self {
            by_id,
            by_cfa_cfd,
            cfa_uais: refs
                .cfas
                .iter()
                .map(|c| c.uai.as_str().to_owned())
                .collect(),
            cfa_by_siret: refs
                .cfas
                .iter()
                .filter_map(|c| {
                    Some((
                        c.siret.as_ref()?.as_str().to_owned(),
                        c.uai.as_str().to_owned(),
                    ))
                })
                .collect(),
            levels: refs
                .diplomas
                .iter()
                .filter_map(|d| Some((d.cfd.as_str().to_owned(), d.level?.get())))
                .collect(),
            courses,
            communes,
            postal,
        })
    }

    /// The wish of `row`, linked, with why it was not when it was not.
    fn wish(&self, row: &CohortRow, position: u32) -> (Wish, Option<String>) {
        let w = &row.wish;
        let uai = w.cfa_uai.as_ref().map(|u| u.as_str().to_owned());
        let siret = w.cfa_siret.as_ref().map(|s| s.as_str().to_owned());
        let cfd = w.cfd.as_ref().map(|c| c.as_str().to_owned());
        let course = w
            .course_key
            .as_ref()
            .and_then(|k| self.by_id.get(k))
            .or_else(|| {
                let cfd = cfd.clone()?;
                [&uai, &siret]
                    .into_iter()
                    .flatten()
                    .find_map(|cfa| self.by_cfa_cfd.get(&(cfa.clone(), cfd.clone())))
            })
            .and_then(|&i| self.courses.get(i));
        let linked_cfa = uai
            .clone()
            .filter(|u| self.cfa_uais.contains(u))
            .or_else(|| {
                siret
                    .as_ref()
                    .and_then(|s| self.cfa_by_siret.get(s))
                    .cloned()
            })
            .or_else(|| {
                course
                    .and_then(|c| c.cfa_uai.clone())
                    .filter(|u| self.cfa_uais.contains(u))
            });
        let level = course
            .and_then(|c| c.level)
            .and_then(|l| u8::try_from(l).ok())
            .or_else(|| cfd.as_ref().and_then(|c| self.levels.get(c)).copied());
        let reason = match (course, &w.course_key, &w.parcoursup_id) {
            (Some(_), _, _) => None,
            (None, Some(_), _) => {
                Some("clé ministère éducatif absente du catalogue stocké".to_owned())
            }
            (None, None, Some(_)) => Some(
                "identifiant Parcoursup seul : le catalogue stocké ne permet pas de le relier"
                    .to_owned(),
            ),
            (None, None, None) => Some("aucune formation de ce CFA pour ce CFD".to_owned()),
        };
        (
            Wish {
                key: w.key(),
                position,
                course_key: w.course_key.clone(),
                parcoursup_id: w.parcoursup_id.clone(),
                cfa_uai: uai,
                cfa_siret: siret,
                cfd,
                formation_id: course.map(|c| c.id.clone()),
                linked_cfa_uai: linked_cfa,
                level,
                kind: w.kind,
                status: w.status,
                contract_signed: w.contract_signed,
            },
            reason,
        )
    }

    fn person(&self, source: Source, row: &CohortRow) -> Person {
        let insee = row
            .commune_insee
            .as_ref()
            .map(|c| c.as_str().to_owned())
            .or_else(|| {
                row.postal_code
                    .as_ref()
                    .and_then(|p| self.postal.get(p.as_str()))
                    .cloned()
            });
        let place = insee.as_ref().and_then(|i| self.communes.get(i));
        Person {
            id: Person::id_for(source, &row.candidate_id),
            source,
            candidate_id: row.candidate_id.clone(),
            first_name: row.first_name.clone(),
            last_name: row.last_name.clone(),
            birth_date: row.birth_date,
            email: row.email.clone(),
            mobile: row.mobile.clone(),
            parent_email: row.parent_email.clone(),
            parent_mobile: row.parent_mobile.clone(),
            postal_code: row.postal_code.as_ref().map(|p| p.as_str().to_owned()),
            commune_insee: insee.clone(),
            departement: place.map(|p| p.1.clone()).or_else(|| {
                row.postal_code
                    .as_ref()
                    .map(|p| departement_of_postal(p.as_str()))
            }),
            region: place.map(|p| p.2.clone()),
            home: place.and_then(|p| p.0),
            school_uai: row.school_uai.as_ref().map(|u| u.as_str().to_owned()),
            class: row.class.clone(),
            apprenticeship_only: true,
            wishes: Vec::new(),
        }
    }
}

/// The département of a postal code without a known commune: its first two
/// digits (three overseas).
fn departement_of_postal(code: &str) -> String {
    if code.starts_with("97") {
        code.chars().take(3).collect()
    } else {
        code.chars().take(2).collect()
    }
}

/// Imports the cohort export at `path` from `source` into `store`.
pub async fn import(
    store: &Store,
    path: &Path,
    source: Source,
    progress: &dyn Progress,
) -> Result<CohortReport, ImportError> {
    let clock = Instant::now();
    let mut report = CohortReport {
        file: path.display().to_string(),
        source: source.as_str().to_owned(),
        ..CohortReport::default()
    };
    let reader = cohort::open(path)?;
    let links = Links::load(store).await?;
    let mut people: Vec<Person> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut seen: HashMap<(usize, String), u64> = HashMap::new();
    progress.stage("cohorte", None);
    for item in reader {
        progress.advance(1);
        report.rows += 1;
        let row = match item? {
            Item::Rejected(rejected) => {
                report.reject(rejected);
                continue;
            }
            Item::Record(row) => row,
        };
        let at = *index.entry(row.candidate_id.clone()).or_insert_with(|| {
            people.push(links.person(source, &row));
            people.len() - 1
        });
        let Some(person) = people.get_mut(at) else {
            continue;
        };
        let key = row.wish.key();
        if let Some(first) = seen.get(&(at, key.clone())) {
            report.reject(Rejected {
                line: row.line,
                field: "cle_ministere_educatif".to_owned(),
                reason: format!("vœu en double pour ce candidat (déjà vu ligne {first})"),
            });
            continue;
        }
        seen.insert((at, key), row.line);
        for issue in &row.contact_issues {
            report.contacts_refused += 1;
            if report.contact_issues.len() < LISTED {
                report.contact_issues.push(issue.clone());
            }
        }
        let position = u32::try_from(person.wishes.len()).unwrap_or(u32::MAX);
        let (wish, unlinked) = links.wish(&row, position);
        if wish.formation_id.is_some() {
            report.linked_courses += 1;
        }
        if wish.linked_cfa_uai.is_some() {
            report.linked_cfas += 1;
        }
        if let Some(reason) = unlinked {
            report.unlinked += 1;
            if report.unlinked_wishes.len() < LISTED {
                report.unlinked_wishes.push(Unlinked {
                    line: row.line,
                    wish: wish.key.clone(),
                    reason,
                });
            }
        }
        if wish.kind == WishKind::Scolaire {
            person.apprenticeship_only = false;
        }
        person.wishes.push(wish);
    }
    report.people = people.len() as u64;
    report.wishes = people.iter().map(|p| p.wishes.len() as u64).sum();
    report.apprenticeship_only = people.iter().filter(|p| p.apprenticeship_only).count() as u64;
    report.unreachable = people
        .iter()
        .filter(|p| {
            p.email.is_none()
                && p.mobile.is_none()
                && p.parent_email.is_none()
                && p.parent_mobile.is_none()
        })
        .count() as u64;
    progress.stage("écriture des personnes", Some(report.people));
    for chunk in people.chunks(BATCH) {
        // What this export changes for people already stored becomes dated
        // outcome events (a contract now signed…), written once the people are.
        let ids: Vec<&str> = chunk.iter().map(|p| p.id.as_str()).collect();
        let before = store.wish_states(&ids).await?;
        let changes =
            crate::outcomes::cohort_changes(chunk, &before, chrono::Utc::now().date_naive());
        let written = store.upsert_people(chunk).await?;
        if !changes.is_empty() {
            report.outcome_events += store.insert_outcomes(&changes).await?;
        }
        report.created += written.created;
        report.updated += written.updated;
        progress.advance(chunk.len() as u64);
    }
    progress.finish();
    report.duration_ms = u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX);
    Ok(report)
}
