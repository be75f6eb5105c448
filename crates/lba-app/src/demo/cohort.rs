//! `lba demo cohort`: a generated cohort export in the import format
//! ("Fichier de cohorte" in the README), so that campaigns can be tried
//! and measured without real Parcoursup data. Deterministic for a seed.
//!
//! - wishes point to the courses and CFAs of the store when there are
//!   some (course key, or CFA UAI + CFD), else to invented keys;
//! - about 15 % of candidates are minors at the reference date, most with
//!   a parent's contacts; about 12 % also have a student-status wish;
//! - about 1 % of rows are broken (bad wish type, bad date, bad UAI, no
//!   candidate id) and some contacts are invalid, as in real exports.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use chrono::{Days, NaiveDate};
use lba_data::cohort::COLUMNS;
use lba_store::Store;
use lba_store::cohort::FormationLink;
use rand::RngExt;
use serde::Serialize;

use super::sample::{DOMAIN, Rng, Stream, chance, phone, pick, pick_str, record_rng, slug};
use super::words::SURNAMES;
use crate::ImportError;

/// Frequent first names of people born around 2007.
#[rustfmt::skip]
const FIRST_NAMES: &[&str] = &[
    "Lucas", "Léa", "Hugo", "Manon", "Enzo", "Chloé", "Nathan", "Emma", "Louis", "Camille",
    "Théo", "Inès", "Mathis", "Jade", "Tom", "Sarah", "Noah", "Lola", "Gabriel", "Zoé",
    "Rayan", "Louise", "Maxime", "Lina", "Axel", "Océane", "Yanis", "Clara", "Kylian", "Anaïs",
    "Evan", "Maëlys", "Adam", "Alice", "Timéo", "Romane", "Mohamed", "Julia", "Noé", "Éléna",
];

/// Classes of candidates, by source.
const CLASSES: &[&str] = &[
    "Terminale bac pro",
    "Terminale générale",
    "Terminale technologique",
    "Terminale CAP",
];

/// Settings of one generated file.
#[derive(Clone, Debug, Serialize)]
pub struct CohortConfig {
    /// Candidates (rows are about twice as many).
    pub candidates: u64,
    /// Seed of every random choice.
    pub seed: u64,
    /// The day ages are computed at (about 15 % are under 18 then).
    pub reference_date: NaiveDate,
}

/// What was written.
#[derive(Clone, Debug, Default, Serialize)]
pub struct CohortFileReport {
    /// The file.
    pub file: String,
    /// Candidates.
    pub candidates: u64,
    /// Rows (wishes), broken ones included.
    pub rows: u64,
    /// Rows made invalid on purpose.
    pub broken_rows: u64,
    /// Candidates under 18 at the reference date.
    pub minors: u64,
    /// Candidates with a student-status wish too.
    pub with_student_wish: u64,
    /// Stored courses the wishes could point to.
    pub store_courses: u64,
}

/// Writes a cohort file at `out` from the courses of `store`.
pub async fn write_cohort(
    store: &Store,
    config: &CohortConfig,
    out: &Path,
) -> Result<CohortFileReport, ImportError> {
    let courses = store.formation_links().await?;
    let refs = store.referential_data().await?;
    // Residences: communes with a postal code, weighted towards the
    // département of the course when there is one.
    let communes: Vec<(String, String, String)> = refs
        .communes
        .iter()
        .filter(|c| !c.arrondissement && c.population > 0)
        .filter_map(|c| {
            let postal = c.postal_codes.first()?;
            Some((
                c.insee.as_str().to_owned(),
                postal.as_str().to_owned(),
                c.departement.clone(),
            ))
        })
        .collect();
    let mut by_departement: std::collections::HashMap<&str, Vec<usize>> =
        std::collections::HashMap::new();
    for (i, c) in communes.iter().enumerate() {
        by_departement.entry(c.2.as_str()).or_default().push(i);
    }
    let course_deps: Vec<Option<String>> = {
        let cfa_deps: std::collections::HashMap<&str, String> = refs
            .cfas
            .iter()
            .filter_map(|c| {
                Some((
                    c.uai.as_str(),
                    c.commune_insee.as_ref()?.departement().to_owned(),
                ))
            })
            .collect();
        courses
            .iter()
            .map(|c| c.cfa_uai.as_deref().and_then(|u| cfa_deps.get(u)).cloned())
            .collect()
    };
    let io = |source: std::io::Error| {
        ImportError::Data(lba_data::DataError::Io {
            file: out.to_path_buf(),
            source,
        })
    };
    let mut w = BufWriter::new(File::create(out).map_err(io)?);
    writeln!(w, "{}", COLUMNS.join(";")).map_err(io)?;
    let mut report = CohortFileReport {
        file: out.display().to_string(),
        candidates: config.candidates,
        store_courses: courses.len() as u64,
        ..CohortFileReport::default()
    };
    for index in 0..config.candidates {
        let mut rng = record_rng(config.seed, Stream::Cohort, index);
        let candidate = Candidate::new(&mut rng, index, config.reference_date);
        if candidate.minor {
            report.minors += 1;
        }
        let wishes = rng.random_range(1..=3_u32);
        let student = chance(&mut rng, 12);
        if student {
            report.with_student_wish += 1;
        }
        let first_course = if courses.is_empty() {
            None
        } else {
            Some(rng.random_range(0..courses.len()))
        };
        let dep = first_course.and_then(|i| course_deps.get(i).cloned().flatten());
        let home = dep
            .as_deref()
            .and_then(|d| by_departement.get(d))
            .and_then(|list| pick(&mut rng, list).copied())
            .or_else(|| (!communes.is_empty()).then(|| rng.random_range(0..communes.len())))
            .and_then(|i| communes.get(i));
        for n in 0..wishes + u32::from(student) {
            let kind = if n == wishes {
                "scolaire"
            } else {
                "apprentissage"
            };
            let course = match (n, first_course) {
                (0, Some(i)) => courses.get(i),
                _ => pick(&mut rng, &courses),
            };
            let mut fields = candidate.fields(home);
            fields.extend(wish_fields(&mut rng, course, kind));
            report.rows += 1;
            if chance(&mut rng, 1) {
                report.broken_rows += 1;
                break_row(&mut rng, &mut fields);
            }
            let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            writeln!(w, "{}", line.join(";")).map_err(io)?;
        }
    }
    w.flush().map_err(io)?;
    Ok(report)
}

/// The person part of a candidate's rows.
struct Candidate {
    id: String,
    first: &'static str,
    last: &'static str,
    birth: NaiveDate,
    minor: bool,
    email: String,
    mobile: String,
    parent_email: String,
    parent_mobile: String,
    school: String,
    class: &'static str,
}

impl Candidate {
    fn new(rng: &mut Rng, index: u64, reference: NaiveDate) -> Self {
        let first = pick_str(rng, FIRST_NAMES);
        let last = pick_str(rng, SURNAMES);
        let minor = chance(rng, 15);
        // Minors: 16–17 years old; others 18–20.
        let age_days: u64 = if minor {
            rng.random_range(16 * 365 + 5..18 * 365 - 5)
        } else {
            rng.random_range(18 * 365 + 5..21 * 365)
        };
        let birth = reference
            .checked_sub_days(Days::new(age_days))
            .unwrap_or(reference);
        let handle = format!(
            "{}.{}{}",
            slug(first, "", 1),
            slug(last, "", 2),
            index % 1000
        );
        let email = match rng.random_range(0..100) {
            0..3 => format!("{handle}@"), // broken
            3..8 => String::new(),
            _ => format!("{handle}@{DOMAIN}"),
        };
        let mobile = match rng.random_range(0..100) {
            0..4 => phone(rng, "11", false), // landline: no SMS
            4..10 => String::new(),
            _ => phone(rng, "", true),
        };
        let parents = (minor && chance(rng, 90)) || chance(rng, 20);
        let (parent_email, parent_mobile) = if parents {
            (
                if chance(rng, 85) {
                    format!("parent.{}{}@{DOMAIN}", slug(last, "", 2), index % 1000)
                } else {
                    String::new()
                },
                if chance(rng, 90) {
                    phone(rng, "", true)
                } else {
                    String::new()
                },
            )
        } else {
            (String::new(), String::new())
        };
        Self {
            id: format!("{}", 100_000_000 + index),
            first,
            last,
            birth,
            minor,
            email,
            mobile,
            parent_email,
            parent_mobile,
            school: uai(rng.random_range(0..10_000_000)),
            class: pick_str(rng, CLASSES),
        }
    }

    fn fields(&self, home: Option<&(String, String, String)>) -> Vec<String> {
        vec![
            self.id.clone(),
            self.last.to_owned(),
            self.first.to_owned(),
            self.birth.format("%Y-%m-%d").to_string(),
            self.email.clone(),
            self.mobile.clone(),
            self.parent_email.clone(),
            self.parent_mobile.clone(),
            home.map(|h| h.1.clone()).unwrap_or_default(),
            home.map(|h| h.0.clone()).unwrap_or_default(),
            self.school.clone(),
            self.class.to_owned(),
        ]
    }
}

/// The wish columns: a stored course by key (70 %), by CFA + CFD (15 %),
/// a Parcoursup id (10 %) or an unknown key (5 %).
fn wish_fields(rng: &mut Rng, course: Option<&FormationLink>, kind: &str) -> Vec<String> {
    let mut key = String::new();
    let mut psup = String::new();
    let mut cfa_uai = String::new();
    let mut cfa_siret = String::new();
    let mut cfd = String::new();
    match (rng.random_range(0..100), course) {
        (0..70, Some(c)) => {
            key.clone_from(&c.id);
            cfa_uai = c.cfa_uai.clone().unwrap_or_default();
            cfd = c.cfd.clone().unwrap_or_default();
        }
        (70..85, Some(c)) if c.cfa_uai.is_some() && c.cfd.is_some() => {
            cfa_uai = c.cfa_uai.clone().unwrap_or_default();
            cfa_siret = c.cfa_siret.clone().unwrap_or_default();
            cfd = c.cfd.clone().unwrap_or_default();
        }
        (85..95, _) => psup = format!("{}", rng.random_range(10_000..99_999)),
        _ => {
            key = format!(
                "000{}P{:05}",
                rng.random_range(10..99),
                rng.random_range(0..99_999)
            )
        }
    }
    let status = match rng.random_range(0..100) {
        0..55 => "en_attente",
        55..85 => "propose",
        85..92 => "accepte",
        92..97 => "refuse",
        _ => "desiste",
    };
    let contract = if kind == "apprentissage" && chance(rng, 4) {
        "O"
    } else {
        "N"
    };
    vec![
        key,
        psup,
        cfa_uai,
        cfa_siret,
        cfd,
        kind.to_owned(),
        status.to_owned(),
        contract.to_owned(),
    ]
}

/// Makes one field invalid, as real exports sometimes are.
fn break_row(rng: &mut Rng, fields: &mut [String]) {
    let (index, value) = match rng.random_range(0..4) {
        0 => (17, "stage".to_owned()),     // type_voeu
        1 => (3, "31/02/2007".to_owned()), // date_naissance
        2 => (10, "1234567A".to_owned()),  // uai_etablissement (bad letter)
        _ => (0, String::new()),           // id_candidat
    };
    if let Some(field) = fields.get_mut(index) {
        *field = value;
    }
}

/// A valid UAI for a number below 10,000,000.
fn uai(n: u32) -> String {
    const LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPRSTUVWXYZ";
    let letter = LETTERS.get((n % 23) as usize).copied().unwrap_or(b'A');
    format!("{n:07}{}", char::from(letter))
}

fn csv_field(value: &str) -> String {
    if value.contains([';', '"', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}
