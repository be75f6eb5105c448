//! `lba campaign import-outcomes`: reads an outcomes file (one dated event
//! per row, see `lba_data::outcomes`), finds each row's person in the
//! cohort and stores the events; an event already stored is left alone, so
//! re-importing a file (or a longer version of it) is safe.
//!
//! The person of a row: `id_candidat` as a full cohort id
//! (`parcoursup:123`), else `{source}:{id_candidat}` for the `parcoursup`
//! and `affelnet` files, else (the `contrats` file, which knows no platform)
//! the one cohort person with that candidate id. A row whose person is not
//! in the cohort, or is ambiguous, is rejected on `id_candidat`.
//!
//! [`cohort_changes`] turns what a newer cohort export changes (a contract
//! now signed, a wish now accepted, refused or given up) into dated events
//! too.

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use chrono::NaiveDate;
use lba_campaign::outcome::{OutcomeEvent, OutcomeSource};
use lba_campaign::{Person, WishStatus};
use lba_data::{Item, Rejected};
use lba_store::Store;
use lba_store::outcomes::NewOutcome;
use serde::Serialize;

use crate::{ImportError, Progress};

/// Events written per store transaction.
const BATCH: usize = 10_000;
/// At most this many rejects are listed.
const LISTED: usize = 20;

/// What an outcomes import did.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct OutcomesReport {
    /// The file read.
    pub file: String,
    /// `parcoursup`, `affelnet` or `contrats`.
    pub source: String,
    /// Rows read.
    pub rows: u64,
    /// Rows rejected (bad value, unknown person).
    pub rejected: u64,
    /// The first rejected rows.
    pub rejects: Vec<Rejected>,
    /// Events new to the store.
    pub stored: u64,
    /// Events already stored (a re-import).
    pub already_stored: u64,
    /// Contracts signed among the rows kept.
    pub contracts: u64,
    /// Wall time in milliseconds.
    pub duration_ms: u64,
}

impl OutcomesReport {
    fn reject(&mut self, rejected: Rejected) {
        self.rejected += 1;
        if self.rejects.len() < LISTED {
            self.rejects.push(rejected);
        }
    }
}

/// Finds the cohort person of a row.
struct People {
    by_candidate: HashMap<String, Vec<String>>,
}

impl People {
    fn find(&self, source: OutcomeSource, raw: &str) -> Result<String, String> {
        let known = |id: &str| {
            id.split_once(':').is_some_and(|(_, candidate)| {
                self.by_candidate
                    .get(candidate)
                    .is_some_and(|ids| ids.iter().any(|i| i == id))
            })
        };
        if (raw.starts_with("parcoursup:") || raw.starts_with("affelnet:")) && known(raw) {
            return Ok(raw.to_owned());
        }
        match source {
            OutcomeSource::Parcoursup | OutcomeSource::Affelnet => {
                let id = format!("{}:{raw}", source.as_str());
                if known(&id) {
                    Ok(id)
                } else {
                    Err(format!(
                        "« {raw} » : personne inconnue de la cohorte {}",
                        source.as_str()
                    ))
                }
            }
            OutcomeSource::Contrats => match self.by_candidate.get(raw).map(Vec::as_slice) {
                Some([one]) => Ok(one.clone()),
                Some([_, _, ..]) => Err(format!(
                    "« {raw} » : candidat présent sur Parcoursup et Affelnet, écrire parcoursup:{raw} ou affelnet:{raw}"
                )),
                _ => Err(format!("« {raw} » : personne inconnue de la cohorte")),
            },
        }
    }
}

/// Imports an outcomes file.
pub async fn import(
    store: &Store,
    path: &Path,
    source: OutcomeSource,
    progress: &dyn Progress,
) -> Result<OutcomesReport, ImportError> {
    let started = Instant::now();
    let mut report = OutcomesReport {
        file: path.display().to_string(),
        source: source.as_str().to_owned(),
        ..OutcomesReport::default()
    };
    let people = People {
        by_candidate: store.people_by_candidate().await?,
    };
    let reader = lba_data::outcomes::open(path)?;
    progress.stage("lecture des résultats", None);
    let mut batch = Vec::with_capacity(BATCH);
    for item in reader {
        report.rows += 1;
        match item? {
            Item::Rejected(r) => report.reject(r),
            Item::Record(row) => match people.find(source, &row.candidate_id) {
                Err(reason) => report.reject(Rejected {
                    line: row.line,
                    field: "id_candidat".to_owned(),
                    reason,
                }),
                Ok(person_id) => {
                    report.contracts += u64::from(row.event == OutcomeEvent::ContratSigne);
                    batch.push(NewOutcome {
                        person_id,
                        event: row.event,
                        date: row.date,
                        source,
                        employer_siret: row
                            .employer_siret
                            .map(|s| s.as_str().to_owned())
                            .unwrap_or_default(),
                        course_key: row.course_key.unwrap_or_default(),
                    });
                }
            },
        }
        if batch.len() >= BATCH {
            write(store, &mut batch, &mut report).await?;
            progress.advance(BATCH as u64);
        }
    }
    write(store, &mut batch, &mut report).await?;
    progress.finish();
    report.duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    Ok(report)
}

async fn write(
    store: &Store,
    batch: &mut Vec<NewOutcome>,
    report: &mut OutcomesReport,
) -> Result<(), ImportError> {
    if batch.is_empty() {
        return Ok(());
    }
    // The same event twice in one file counts once.
    batch.sort_unstable_by(|a, b| {
        (
            &a.person_id,
            a.event,
            a.date,
            &a.employer_siret,
            &a.course_key,
        )
            .cmp(&(
                &b.person_id,
                b.event,
                b.date,
                &b.employer_siret,
                &b.course_key,
            ))
    });
    let before = batch.len() as u64;
    batch.dedup();
    let stored = store.insert_outcomes(batch).await?;
    report.stored += stored;
    report.already_stored += before - stored;
    batch.clear();
    Ok(())
}

/// The events a newer cohort export shows for `people` against what is
/// stored (`before`: (person, wish) → (status, contract signed)), dated
/// `today`: a contract now signed, a wish now accepted, refused or given up.
pub fn cohort_changes(
    people: &[Person],
    before: &HashMap<(String, String), (String, bool)>,
    today: NaiveDate,
) -> Vec<NewOutcome> {
    let mut out = Vec::new();
    for p in people {
        let Some(source) = OutcomeSource::parse(p.source.as_str()) else {
            continue;
        };
        let mut push = |event: OutcomeEvent, course_key: &str| {
            let o = NewOutcome {
                person_id: p.id.clone(),
                event,
                date: today,
                source,
                employer_siret: String::new(),
                course_key: course_key.to_owned(),
            };
            if !out.contains(&o) {
                out.push(o);
            }
        };
        for w in &p.wishes {
            let Some((status, signed)) = before.get(&(p.id.clone(), w.key.clone())) else {
                continue;
            };
            let course = w.course_key.as_deref().unwrap_or_default();
            if w.contract_signed && !signed {
                push(OutcomeEvent::ContratSigne, course);
            }
            if w.status.as_str() != status {
                match w.status {
                    WishStatus::Accepte => push(OutcomeEvent::VoeuAccepte, course),
                    WishStatus::Refuse => push(OutcomeEvent::VoeuRefuse, course),
                    WishStatus::Desiste => push(OutcomeEvent::Abandon, course),
                    WishStatus::EnAttente | WishStatus::Propose => {}
                }
            }
        }
    }
    out
}
