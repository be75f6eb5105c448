//! NAF sections and codes, hiring per ROME and NAF, tension, contact modes, headcount brackets.

use sqlx::Transaction;

use super::*;
use crate::batch::insert;
use crate::portable::{Portable, PushValue as _};

pub(super) async fn write_naf<DB: Portable>(
    tx: &mut Transaction<'_, DB>,
    data: &Referentials,
    counts: &mut WriteCounts,
) -> Result<(), sqlx::Error> {
    let mut done = |table: &str, n: u64| counts.tables.push((table.to_owned(), n));

    done(
        "naf_sections",
        insert(
            tx,
            "naf_sections",
            &["code", "label"],
            &["code"],
            &data.naf_sections,
            |b, s| {
                b.push_value(s.code.as_str()).push_value(s.label.as_str());
            },
        )
        .await?,
    );
    done(
        "naf_codes",
        insert(
            tx,
            "naf_codes",
            &["code", "label"],
            &["code"],
            &data.naf_codes,
            |b, n| {
                b.push_value(n.code.as_str()).push_value(n.label.as_str());
            },
        )
        .await?,
    );
    done(
        "rome_naf_hirings",
        insert(
            tx,
            "rome_naf_hirings",
            &["rome_v3_code", "naf_code", "hirings"],
            &[],
            &data.rome_naf_hirings,
            |b, h| {
                b.push_value(h.rome_v3.as_str())
                    .push_value(h.naf.as_str())
                    .push_value(h.hirings);
            },
        )
        .await?,
    );
    done(
        "rome_tension",
        insert(
            tx,
            "rome_tension",
            &["fap_code", "rome_v3_code", "fap_label", "tension_pct"],
            &[],
            &data.rome_tension,
            |b, t| {
                b.push_value(t.fap_code.as_str())
                    .push_value(t.rome_v3.as_str())
                    .push_value(t.fap_label.as_str())
                    .push_value(t.tension_pct);
            },
        )
        .await?,
    );
    done(
        "contact_modes",
        insert(
            tx,
            "contact_modes",
            &["naf_prefix", "rome_v3_code", "mode"],
            &[],
            &data.contact_modes,
            |b, m| {
                b.push_value(m.naf_prefix.as_str())
                    .push_value(m.rome_v3.as_str())
                    .push_value(m.mode.as_deref());
            },
        )
        .await?,
    );
    done(
        "headcount_brackets",
        insert(
            tx,
            "headcount_brackets",
            &["code", "label"],
            &["code"],
            &data.headcount_brackets,
            |b, h| {
                b.push_value(h.code.as_str()).push_value(h.label.as_str());
            },
        )
        .await?,
    );
    Ok(())
}
