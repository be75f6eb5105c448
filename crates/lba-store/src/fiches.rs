//! Read models for the candidate pages: a ROME fiche with its texts and
//! close métiers, and the labels of NAF codes and headcount brackets.

use lba_core::ids::{CodeRome, NafCode};

use crate::backend::with_pool;
use crate::{Store, StoreError};

pub use lba_core::referential::RomeFicheDetail;

type FicheRow = (
    String,
    Option<String>,
    Option<bool>,
    Option<bool>,
    Option<bool>,
    Option<bool>,
);

const FICHE_SQL: &str = "SELECT label, transition_eco, transition_num, transition_demo, \
    regulated, executive FROM rome_fiches WHERE code = $1";
const APPELLATIONS_SQL: &str = "SELECT label FROM rome_appellations WHERE rome_code = $1 \
    ORDER BY principal DESC, label_normalized, ogr";
const TEXTS_SQL: &str =
    "SELECT kind, text FROM rome_texts WHERE rome_code = $1 ORDER BY kind, position";
const CLOSE_SQL: &str = "SELECT m.target_code, f.label FROM rome_mobility m \
    JOIN rome_fiches f ON f.code = m.target_code WHERE m.rome_code = $1 \
    ORDER BY m.rank, m.target_code";

impl Store {
    /// The fiche `code`, or `None` when the ROME referential does not know it.
    pub async fn rome_fiche(&self, code: &CodeRome) -> Result<Option<RomeFicheDetail>, StoreError> {
        let code = code.as_str();
        let row: Option<FicheRow> = with_pool!(self, |pool| {
            sqlx::query_as(FICHE_SQL)
                .bind(code)
                .fetch_optional(pool)
                .await
        })?;
        let Some((label, eco, num, demo, regulated, executive)) = row else {
            return Ok(None);
        };
        let appellations: Vec<(String,)> = with_pool!(self, |pool| {
            sqlx::query_as(APPELLATIONS_SQL)
                .bind(code)
                .fetch_all(pool)
                .await
        })?;
        let texts: Vec<(String, String)> = with_pool!(self, |pool| {
            sqlx::query_as(TEXTS_SQL).bind(code).fetch_all(pool).await
        })?;
        let close: Vec<(String, String)> = with_pool!(self, |pool| {
            sqlx::query_as(CLOSE_SQL).bind(code).fetch_all(pool).await
        })?;
        let mut tags: Vec<String> = eco.into_iter().filter(|e| !e.trim().is_empty()).collect();
        let flags = [
            (num, "Transition numérique"),
            (demo, "Transition démographique"),
            (regulated, "Métier réglementé"),
            (executive, "Emploi cadre"),
        ];
        tags.extend(
            flags
                .into_iter()
                .filter(|(flag, _)| *flag == Some(true))
                .map(|(_, tag)| tag.to_owned()),
        );
        let (definition, access): (Vec<_>, Vec<_>) = texts
            .into_iter()
            .partition(|(kind, _)| kind == "definition");
        Ok(Some(RomeFicheDetail {
            code: code.to_owned(),
            label,
            tags,
            appellations: appellations.into_iter().map(|(a,)| a).collect(),
            definition: definition.into_iter().map(|(_, t)| t).collect(),
            access: access
                .into_iter()
                .filter(|(kind, _)| kind == "acces_metier")
                .map(|(_, t)| t)
                .collect(),
            close,
        }))
    }

    /// The label of NAF sub-class `naf`, when known.
    pub async fn naf_label(&self, naf: &NafCode) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = with_pool!(self, |pool| {
            sqlx::query_as("SELECT label FROM naf_codes WHERE code = $1")
                .bind(naf.as_str())
                .fetch_optional(pool)
                .await
        })?;
        Ok(row.map(|(label,)| label))
    }

    /// The label of INSEE headcount bracket `code` (`"11"` → "10 à 19
    /// salariés"), when known.
    pub async fn headcount_label(&self, code: &str) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = with_pool!(self, |pool| {
            sqlx::query_as("SELECT label FROM headcount_brackets WHERE code = $1")
                .bind(code)
                .fetch_optional(pool)
                .await
        })?;
        Ok(row.map(|(label,)| label))
    }
}
