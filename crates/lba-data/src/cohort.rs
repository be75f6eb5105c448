//! The cohort export (Parcoursup or Affelnet): one row per wish of a
//! candidate, `;` or `,`, UTF-8 or Latin-1 (detected, see [`crate::sniff`]).
//! The columns are documented in the README ("Fichier de cohorte").
//!
//! A row whose candidate or wish cannot be used is rejected. A contact
//! detail that fails validation does not reject the wish: it is dropped and
//! listed in [`CohortRow::contact_issues`] (the candidate may still be
//! reached through another channel or a parent).

use std::path::Path;

use chrono::NaiveDate;
pub use lba_campaign::{WishKind, WishStatus};
use lba_core::contact::{Email, PhoneNumber};
use lba_core::ids::{Cfd, InseeCode, PostalCode, Siret, Uai};

use crate::csv_source::{CsvReader, Row};
use crate::{DataError, Rejected};

/// The columns of the export, in the documented order.
pub const COLUMNS: &[&str] = &[
    "id_candidat",
    "nom",
    "prenom",
    "date_naissance",
    "email",
    "telephone_portable",
    "email_parent",
    "telephone_parent",
    "code_postal",
    "code_insee",
    "uai_etablissement",
    "classe",
    "cle_ministere_educatif",
    "id_parcoursup",
    "uai_cfa",
    "siret_cfa",
    "cfd",
    "type_voeu",
    "statut",
    "contrat_signe",
];

/// One wish row of the export, validated.
#[derive(Clone, Debug, PartialEq)]
pub struct CohortRow {
    /// Line in the file.
    pub line: u64,
    /// Stable candidate id of the source platform.
    pub candidate_id: String,
    /// Last name.
    pub last_name: String,
    /// First name.
    pub first_name: String,
    /// Birth date (`AAAA-MM-JJ` or `JJ/MM/AAAA`).
    pub birth_date: Option<NaiveDate>,
    /// The candidate's e-mail.
    pub email: Option<Email>,
    /// The candidate's mobile (E.164).
    pub mobile: Option<PhoneNumber>,
    /// A parent's e-mail.
    pub parent_email: Option<Email>,
    /// A parent's mobile (E.164).
    pub parent_mobile: Option<PhoneNumber>,
    /// Postal code of residence.
    pub postal_code: Option<PostalCode>,
    /// INSEE commune of residence.
    pub commune_insee: Option<InseeCode>,
    /// UAI of the current school.
    pub school_uai: Option<Uai>,
    /// Current class ("Terminale bac pro", "3e"…).
    pub class: Option<String>,
    /// The wish.
    pub wish: CohortWish,
    /// Contact details dropped because invalid (the row is kept).
    pub contact_issues: Vec<Rejected>,
}

/// The wish part of a row.
#[derive(Clone, Debug, PartialEq)]
pub struct CohortWish {
    /// `cle_ministere_educatif` of the course (the catalogue key).
    pub course_key: Option<String>,
    /// Parcoursup id of the course.
    pub parcoursup_id: Option<String>,
    /// UAI of the CFA.
    pub cfa_uai: Option<Uai>,
    /// SIRET of the CFA.
    pub cfa_siret: Option<Siret>,
    /// Diploma code.
    pub cfd: Option<Cfd>,
    /// Apprenticeship or student status.
    pub kind: WishKind,
    /// Answer status.
    pub status: WishStatus,
    /// An apprenticeship contract is already signed.
    pub contract_signed: bool,
}

impl CohortWish {
    /// A key identifying the wish within a candidate: the course key, else
    /// the Parcoursup id, else CFA + diploma.
    pub fn key(&self) -> String {
        if let Some(key) = &self.course_key {
            return format!("cle:{key}");
        }
        if let Some(id) = &self.parcoursup_id {
            return format!("psup:{id}");
        }
        let cfa = self
            .cfa_uai
            .as_ref()
            .map(|u| u.as_str().to_owned())
            .or_else(|| self.cfa_siret.as_ref().map(|s| s.as_str().to_owned()))
            .unwrap_or_default();
        let cfd = self.cfd.as_ref().map(Cfd::as_str).unwrap_or_default();
        format!("cfa:{cfa}:{cfd}")
    }
}

/// Opens a cohort export, detecting its encoding and delimiter.
pub fn open(path: &Path) -> Result<CsvReader<CohortRow>, DataError> {
    let format = crate::sniff::sniff(path)?;
    CsvReader::open(path, format, COLUMNS, parse_row)
}

fn parse_row(row: &Row<'_>) -> Result<CohortRow, Rejected> {
    let candidate_id = row.required("id_candidat")?.to_owned();
    let kind = match row.required("type_voeu")?.to_lowercase().as_str() {
        "apprentissage" | "app" | "alternance" => WishKind::Apprentissage,
        "scolaire" | "sco" | "statut scolaire" => WishKind::Scolaire,
        other => {
            return Err(row.reject(
                "type_voeu",
                format!("« {other} » : attendu apprentissage ou scolaire"),
            ));
        }
    };
    let raw_status = row.required("statut")?.to_lowercase();
    let status = WishStatus::from_stored(&raw_status).ok_or_else(|| {
        row.reject(
            "statut",
            format!("« {raw_status} » : attendu en_attente, propose, accepte, refuse ou desiste"),
        )
    })?;
    let wish = CohortWish {
        course_key: row.opt("cle_ministere_educatif").map(str::to_owned),
        parcoursup_id: row.opt("id_parcoursup").map(str::to_owned),
        cfa_uai: row.parse_opt("uai_cfa")?,
        cfa_siret: row.parse_opt("siret_cfa")?,
        cfd: row.parse_opt("cfd")?,
        kind,
        status,
        contract_signed: row.flag("contrat_signe")?.unwrap_or(false),
    };
    if wish.course_key.is_none()
        && wish.parcoursup_id.is_none()
        && (wish.cfd.is_none() || wish.cfa_uai.is_none() && wish.cfa_siret.is_none())
    {
        return Err(row.reject(
            "cle_ministere_educatif",
            "vœu sans formation : ni clé ministère éducatif, ni id Parcoursup, ni CFA + CFD",
        ));
    }
    let mut issues = Vec::new();
    let own_email = parse_email(row, "email", &mut issues);
    let own_mobile = parse_mobile(row, "telephone_portable", &mut issues);
    let parent_email = parse_email(row, "email_parent", &mut issues);
    let parent_mobile = parse_mobile(row, "telephone_parent", &mut issues);
    Ok(CohortRow {
        line: row.line(),
        candidate_id,
        last_name: row.get("nom").to_owned(),
        first_name: row.required("prenom")?.to_owned(),
        birth_date: date(row, "date_naissance")?,
        email: own_email,
        mobile: own_mobile,
        parent_email,
        parent_mobile,
        postal_code: row.parse_opt("code_postal")?,
        commune_insee: row.parse_opt("code_insee")?,
        school_uai: row.parse_opt("uai_etablissement")?,
        class: row.opt("classe").map(str::to_owned),
        wish,
        contact_issues: issues,
    })
}

fn parse_email(row: &Row<'_>, field: &str, issues: &mut Vec<Rejected>) -> Option<Email> {
    let raw = row.opt(field)?;
    Email::parse(raw)
        .map_err(|e| issues.push(row.reject(field, e.to_string())))
        .ok()
}

/// A mobile number: SMS can only reach mobiles, so a landline is dropped.
fn parse_mobile(row: &Row<'_>, field: &str, issues: &mut Vec<Rejected>) -> Option<PhoneNumber> {
    let raw = row.opt(field)?;
    match PhoneNumber::parse(raw) {
        Ok(phone) if phone.is_mobile() => Some(phone),
        Ok(_) => {
            issues.push(row.reject(field, "numéro fixe : aucun SMS possible"));
            None
        }
        Err(e) => {
            issues.push(row.reject(field, e.to_string()));
            None
        }
    }
}

fn date(row: &Row<'_>, field: &str) -> Result<Option<NaiveDate>, Rejected> {
    let Some(raw) = row.opt(field) else {
        return Ok(None);
    };
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(raw, "%d/%m/%Y"))
        .map(Some)
        .map_err(|_| {
            row.reject(
                field,
                format!("date « {raw} » illisible : attendu AAAA-MM-JJ ou JJ/MM/AAAA"),
            )
        })
}
