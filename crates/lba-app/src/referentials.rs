//! `lba import referentials`: reads every referential file of the data
//! directory, cross-checks them (unknown ROME codes, départements, duplicate
//! keys), locates the CFAs through their commune, and stores everything in
//! one transaction, then the DARES tension tables in a second one (a failure
//! there leaves the referentials written; running the import again completes
//! it).

use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::time::Instant;

use chrono::Utc;
use lba_core::geo::GeoPoint;
use lba_core::ids::{CodeRome, InseeCode};
use lba_core::text::normalize;
use lba_data::csv_source::CsvReader;
use lba_data::dares::{self, FapOfRome};
use lba_data::geo::CommuneAssembly;
use lba_data::{DataDir, DataError, Item, Rejected, cfa, diplomas, geo, naf, rome};
use lba_store::dares::DaresCounts;
use lba_store::referentials::{LocatedCfa, MatchedSubdomain, Referentials, WriteCounts};
use lba_store::{Store, StoreError};
use serde::Serialize;

use crate::Progress;

/// At most this many rejected rows are listed per file (all are counted).
const REJECTS_LISTED: usize = 20;

/// Why an import stopped.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A file is unusable.
    #[error(transparent)]
    Data(#[from] DataError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What happened to one file.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct FileReport {
    /// Path relative to the data directory.
    pub file: String,
    /// Data rows read.
    pub read: u64,
    /// Rows kept.
    pub accepted: u64,
    /// Rows rejected (bad value, unknown reference, duplicate key).
    pub rejected: u64,
    /// The first rejected rows, with line, field and reason.
    pub rejects: Vec<Rejected>,
}

impl FileReport {
    fn reject(&mut self, rejected: Rejected) {
        self.rejected += 1;
        if self.rejects.len() < REJECTS_LISTED {
            self.rejects.push(rejected);
        }
    }
}

/// A CFA that could not be located, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnlocatedCfa {
    /// UAI.
    pub uai: String,
    /// Commune code in the file.
    pub commune_code: String,
    /// Commune name in the file.
    pub commune_name: String,
    /// Why.
    pub reason: String,
}

/// The outcome of a referential import.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ReferentialReport {
    /// The data directory read.
    pub data_dir: String,
    /// One entry per file, in reading order.
    pub files: Vec<FileReport>,
    /// Notes from assembling one commune per INSEE code.
    pub communes: CommuneAssembly,
    /// CFAs left without coordinates.
    pub cfas_unlocated: Vec<UnlocatedCfa>,
    /// CFAs whose SIRET failed validation (kept without SIRET): "UAI: value".
    pub cfas_invalid_siret: Vec<String>,
    /// Rows written per table.
    pub written: WriteCounts,
    /// DARES rows written (tensions, trends, FAP → ROME links).
    pub written_dares: DaresCounts,
    /// ROME 4.0 fiches whose v3 parent belongs to no FAP family: they get
    /// no tension figure (orientation says nothing about recruiting there).
    pub fiches_without_fap: Vec<String>,
    /// Wall time in milliseconds.
    pub duration_ms: u64,
}

impl ReferentialReport {
    /// Total rejected rows over all files.
    pub fn rejected(&self) -> u64 {
        self.files.iter().map(|f| f.rejected).sum()
    }
}

/// Reads every referential file in `dir` and stores it. Idempotent: running
/// it again with the same files leaves the same rows.
pub async fn import_referentials(
    store: &Store,
    dir: &DataDir,
    progress: &dyn Progress,
) -> Result<ReferentialReport, ImportError> {
    let clock = Instant::now();
    let started_at = Utc::now();
    let mut report = ReferentialReport {
        data_dir: dir.root().display().to_string(),
        ..ReferentialReport::default()
    };
    // Reading is synchronous and CPU-bound but short (≈ 120k rows); it runs
    // before any database work so that a malformed file changes nothing.
    let mut r = Reader {
        dir,
        report: &mut report,
        progress,
    };

    let regions = r.read(geo::files::REGIONS, geo::regions, |x| x.code.clone())?;
    let region_codes: HashSet<String> = regions.iter().map(|x| x.1.code.clone()).collect();
    let departements = r.read(geo::files::DEPARTEMENTS, geo::departements, |x| {
        x.code.clone()
    })?;
    let departements = r.keep(departements, |_, d| {
        check(
            region_codes.contains(&d.region_code),
            "insee_reg",
            "région inconnue",
        )
    });
    let dept_codes: HashSet<String> = departements.iter().map(|x| x.1.code.clone()).collect();
    let commune_rows = r.read_all(geo::files::COMMUNES, geo::commune_rows)?;
    let commune_rows = r.keep(commune_rows, |_, c| {
        if c.kind != geo::CommuneRowType::Deleguee && !dept_codes.contains(&c.departement) {
            return Err((
                "insee_dep",
                format!("département « {} » inconnu", c.departement),
            ));
        }
        Ok(())
    });
    let (communes, assembly) = geo::assemble_communes(strip(commune_rows));
    r.report.communes = assembly;

    let fiches = r.read(rome::files::FICHES, rome::fiches, |x| x.code.clone())?;
    let known: HashSet<CodeRome> = fiches.iter().map(|x| x.1.code.clone()).collect();
    let unknown = |code: &CodeRome| format!("code ROME « {code} » absent des fiches");
    let appellations = r.read(rome::files::APPELLATIONS, rome::appellations, |x| x.ogr)?;
    let appellations = r.keep(appellations, |_, a| {
        check(known.contains(&a.rome), "code_rome", &unknown(&a.rome))
    });
    let texts = r.read(rome::files::TEXTS, rome::texts, |x| {
        (x.rome.clone(), x.kind, x.position)
    })?;
    let texts = r.keep(texts, |_, t| {
        check(known.contains(&t.rome), "code_rome", &unknown(&t.rome))
    });
    let mobility = r.read(rome::files::MOBILITY, rome::mobility, |x| {
        (x.rome.clone(), x.target.clone())
    })?;
    let mobility = r.keep(mobility, |_, m| {
        check(known.contains(&m.rome), "code_rome", &unknown(&m.rome))?;
        check(
            known.contains(&m.target),
            "code_rome_cible",
            &unknown(&m.target),
        )
    });
    let centres = r.read(rome::files::INTEREST_CENTRES, rome::interest_centres, |x| {
        x.code
    })?;
    let centre_codes: HashSet<i32> = centres.iter().map(|x| x.1.code).collect();
    let tree = r.read(rome::files::INTEREST_TREE, rome::interest_tree, |x| {
        (x.centre, x.rome.clone())
    })?;
    let tree = r.keep(tree, |_, l| {
        check(
            centre_codes.contains(&l.centre),
            "code_centre_interet",
            "centre d'intérêt inconnu",
        )?;
        check(known.contains(&l.rome), "code_rome", &unknown(&l.rome))
    });
    let subdomains = r.read(rome::files::SUBDOMAINS, rome::subdomains, |x| {
        (
            x.rome.clone(),
            x.appellation_label.clone(),
            x.subdomain.clone(),
        )
    })?;
    let subdomains = r.keep(subdomains, |_, s| {
        check(known.contains(&s.rome), "code", &unknown(&s.rome))
    });
    let by_label: HashMap<(CodeRome, String), i64> = appellations
        .iter()
        .map(|(_, a)| ((a.rome.clone(), normalize(&a.label)), a.ogr))
        .collect();
    let subdomains = strip(subdomains)
        .into_iter()
        .map(|s| MatchedSubdomain {
            appellation_ogr: by_label
                .get(&(s.rome.clone(), normalize(&s.appellation_label)))
                .copied(),
            subdomain: s,
        })
        .collect();

    let naf_sections = r.read(naf::files::SECTIONS, naf::code_labels, |x| x.code.clone())?;
    let naf_codes = r.read(naf::files::LABELS, naf::labels, |x| x.code.clone())?;
    let rome_naf = r.read(naf::files::ROME_NAF, naf::rome_naf, |x| {
        (x.rome_v3.clone(), x.naf.clone())
    })?;
    let tension = r.read(naf::files::TENSION, naf::tension, |x| {
        (x.fap_code.clone(), x.rome_v3.clone())
    })?;
    let contact_modes = r.read(naf::files::CONTACT_MODES, naf::contact_modes, |x| {
        (x.naf_prefix.clone(), x.rome_v3.clone())
    })?;
    let headcounts = r.read(naf::files::HEADCOUNTS, naf::code_labels, |x| x.code.clone())?;

    let diplomas = r.read(diplomas::files::KIT, diplomas::kit, |x| {
        (x.cfd.clone(), x.rncp.clone())
    })?;
    r.progress.stage(diplomas::files::SYNONYMS, None);
    let synonyms = diplomas::synonyms(&dir.file(diplomas::files::SYNONYMS))?;
    r.report.files.push(FileReport {
        file: diplomas::files::SYNONYMS.to_owned(),
        read: synonyms.len() as u64,
        accepted: synonyms.len() as u64,
        ..FileReport::default()
    });

    let cfas = r.read(cfa::FILE, cfa::cfas, |x| x.uai.clone())?;

    let tensions = r.read(dares::files::TENSIONS, dares::tensions, |x| {
        (x.fap.clone(), x.area.clone())
    })?;
    let trends = r.read(dares::files::TRENDS, dares::trends, |x| {
        (x.fap.clone(), x.year)
    })?;
    let fap_romes = r.read(dares::files::FAP_ROME, dares::fap_rome, |x| {
        (x.fap.clone(), x.rome.clone())
    })?;
    let (tensions, trends, fap_romes) = (strip(tensions), strip(trends), strip(fap_romes));
    let families = FapOfRome::new(fap_romes.iter().cloned());
    r.report.fiches_without_fap = fiches
        .iter()
        .filter(|(_, f)| families.families(&f.parent_code).is_empty())
        .map(|(_, f)| f.code.as_str().to_owned())
        .collect();
    let cfas = locate_cfas(strip(cfas), &communes, r.report);

    let data = Referentials {
        regions: strip(regions),
        departements: strip(departements),
        communes,
        rome_fiches: strip(fiches),
        rome_appellations: strip(appellations),
        rome_texts: strip(texts),
        rome_mobility: strip(mobility),
        interest_centres: strip(centres),
        interest_centre_romes: strip(tree),
        rome_subdomains: subdomains,
        naf_sections: strip(naf_sections),
        naf_codes: strip(naf_codes),
        rome_naf_hirings: strip(rome_naf),
        rome_tension: strip(tension),
        contact_modes: strip(contact_modes),
        headcount_brackets: strip(headcounts),
        diplomas: strip(diplomas),
        diploma_synonyms: synonyms,
        cfas,
    };
    progress.stage("écriture en base", None);
    report.duration_ms = u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX);
    report.written = store
        .write_referentials(&data, &report.data_dir, started_at, &report)
        .await?;
    report.written_dares = store.write_dares(&tensions, &trends, &fap_romes).await?;
    report.duration_ms = u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX);
    progress.finish();
    tracing::info!(
        rejected = report.rejected(),
        cfas_unlocated = report.cfas_unlocated.len(),
        duration_ms = report.duration_ms,
        "referentials imported"
    );
    Ok(report)
}

/// Reads files into (line, record) lists while filling the report.
struct Reader<'a> {
    dir: &'a DataDir,
    report: &'a mut ReferentialReport,
    progress: &'a dyn Progress,
}

impl Reader<'_> {
    /// Reads every row of a file.
    fn read_all<T>(
        &mut self,
        file: &str,
        open: fn(&std::path::Path) -> Result<CsvReader<T>, DataError>,
    ) -> Result<Vec<(u64, T)>, DataError> {
        self.progress.stage(file, None);
        let mut report = FileReport {
            file: file.to_owned(),
            ..FileReport::default()
        };
        let mut records = Vec::new();
        let mut reader = open(&self.dir.file(file))?;
        while let Some(item) = reader.next() {
            report.read += 1;
            match item? {
                Item::Record(record) => records.push((reader.line(), record)),
                Item::Rejected(rejected) => report.reject(rejected),
            }
            self.progress.advance(1);
        }
        report.accepted = records.len() as u64;
        self.report.files.push(report);
        Ok(records)
    }

    /// Reads a file whose rows have a unique key: later duplicates are rejected.
    fn read<T, K: Eq + Hash>(
        &mut self,
        file: &str,
        open: fn(&std::path::Path) -> Result<CsvReader<T>, DataError>,
        key: impl Fn(&T) -> K,
    ) -> Result<Vec<(u64, T)>, DataError> {
        let records = self.read_all(file, open)?;
        let mut first_line: HashMap<K, u64> = HashMap::with_capacity(records.len());
        Ok(self.keep(records, |line, record| {
            match first_line.entry(key(record)) {
                std::collections::hash_map::Entry::Occupied(first) => {
                    Err(("", format!("doublon de la ligne {}", first.get())))
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(line);
                    Ok(())
                }
            }
        }))
    }

    /// Keeps the records that pass `check`, rejecting the others in the
    /// report of the last file read.
    fn keep<T>(
        &mut self,
        records: Vec<(u64, T)>,
        mut check: impl FnMut(u64, &T) -> Result<(), (&'static str, String)>,
    ) -> Vec<(u64, T)> {
        let mut kept = Vec::with_capacity(records.len());
        let mut rejects = Vec::new();
        for (line, record) in records {
            match check(line, &record) {
                Ok(()) => kept.push((line, record)),
                Err((field, reason)) => rejects.push(Rejected {
                    line,
                    field: field.to_owned(),
                    reason,
                }),
            }
        }
        if let Some(file) = self.report.files.last_mut() {
            for rejected in rejects {
                file.accepted = file.accepted.saturating_sub(1);
                file.reject(rejected);
            }
        }
        kept
    }
}

fn check(ok: bool, field: &'static str, reason: &str) -> Result<(), (&'static str, String)> {
    if ok {
        Ok(())
    } else {
        Err((field, reason.to_owned()))
    }
}

fn strip<T>(records: Vec<(u64, T)>) -> Vec<T> {
    records.into_iter().map(|(_, r)| r).collect()
}

/// Locates each CFA at its commune (an arrondissement or a city works too).
fn locate_cfas(
    cfas: Vec<cfa::Cfa>,
    communes: &[geo::Commune],
    report: &mut ReferentialReport,
) -> Vec<LocatedCfa> {
    let points: HashMap<&InseeCode, Option<GeoPoint>> =
        communes.iter().map(|c| (&c.insee, c.point)).collect();
    cfas.into_iter()
        .map(|cfa| {
            if let Some(raw) = &cfa.invalid_siret {
                report
                    .cfas_invalid_siret
                    .push(format!("{}: {raw}", cfa.uai));
            }
            let (commune, point, issue) = match &cfa.commune_insee {
                None if cfa.commune_code_raw.starts_with("99") => (
                    None,
                    None,
                    Some(unknown_commune_reason(&cfa.commune_code_raw)),
                ),
                None => (
                    None,
                    None,
                    Some(format!(
                        "code commune « {} » mal formé",
                        cfa.commune_code_raw
                    )),
                ),
                Some(insee) => match points.get(insee) {
                    Some(Some(point)) => (Some(insee.clone()), Some(*point), None),
                    Some(None) => (
                        Some(insee.clone()),
                        None,
                        Some("commune sans coordonnées".to_owned()),
                    ),
                    None => (None, None, Some(unknown_commune_reason(insee.as_str()))),
                },
            };
            if let Some(reason) = &issue {
                report.cfas_unlocated.push(UnlocatedCfa {
                    uai: cfa.uai.to_string(),
                    commune_code: cfa.commune_code_raw.clone(),
                    commune_name: cfa.commune_name.clone(),
                    reason: reason.clone(),
                });
            }
            LocatedCfa {
                cfa,
                commune,
                point,
                issue,
            }
        })
        .collect()
}

fn unknown_commune_reason(code: &str) -> String {
    if code.starts_with("99") {
        format!(
            "code « {code} » : pays étranger (codes INSEE 99xxx), hors du référentiel des communes"
        )
    } else if code.starts_with("975")
        || code.starts_with("977")
        || code.starts_with("978")
        || code.starts_with("98")
    {
        format!("code « {code} » : collectivité d'outre-mer, hors du référentiel des communes")
    } else {
        format!("code « {code} » absent du référentiel des communes (commune fusionnée ?)")
    }
}
