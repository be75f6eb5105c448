//! Diplomas with their synonyms, and the CFAs.

use sqlx::Transaction;

use super::*;
use crate::batch::insert;
use crate::portable::{Portable, PushValue as _};

pub(super) async fn write_training<DB: Portable>(
    tx: &mut Transaction<'_, DB>,
    data: &Referentials,
    counts: &mut WriteCounts,
) -> Result<(), sqlx::Error> {
    let mut done = |table: &str, n: u64| counts.tables.push((table.to_owned(), n));

    done(
        "diplomas",
        insert(
            tx,
            "diplomas",
            &[
                "cfd",
                "rncp_code",
                "title",
                "title_normalized",
                "level",
                "kind",
                "last_update",
                "apprenticeship",
                "valid_until",
                "active",
            ],
            &["cfd", "rncp_code"],
            &data.diplomas,
            |b, d| {
                b.push_value(d.cfd.as_str())
                    .push_value(d.rncp.as_ref().map_or("", |r| r.as_str()))
                    .push_value(d.title.as_str())
                    .push_value(normalize(&d.title))
                    .push_value(d.level.map(|l| i64::from(l.get())))
                    .push_value(d.kind.as_deref())
                    .push_value(d.last_update.as_deref())
                    .push_value(d.apprenticeship)
                    .push_value(d.valid_until)
                    .push_value(d.active);
            },
        )
        .await?,
    );
    let synonyms: Vec<(i64, i64, &str)> = data
        .diploma_synonyms
        .iter()
        .zip(1_i64..)
        .flat_map(|(g, id)| {
            g.synonyms
                .iter()
                .zip(1_i64..)
                .map(move |(t, pos)| (id, pos, t.as_str()))
        })
        .collect();
    done(
        "diploma_synonyms",
        insert(
            tx,
            "diploma_synonyms",
            &["group_id", "position", "term", "term_normalized"],
            &[],
            &synonyms,
            |b, (g, p, t)| {
                b.push_value(*g)
                    .push_value(*p)
                    .push_value(*t)
                    .push_value(normalize(t));
            },
        )
        .await?,
    );

    done(
        "cfas",
        insert(
            tx,
            "cfas",
            &[
                "uai",
                "name",
                "denomination",
                "siret",
                "nature",
                "sector",
                "commune_code",
                "commune_insee",
                "commune_name",
                "address",
                "po_box",
                "postal_code",
                "city",
                "opened_on",
                "closed_on",
                "lat",
                "lon",
                "location_issue",
            ],
            &["uai"],
            &data.cfas,
            |b, l| {
                let c = &l.cfa;
                b.push_value(c.uai.as_str())
                    .push_value(c.name.as_str())
                    .push_value(c.denomination.as_str())
                    .push_value(c.siret.as_ref().map(|s| s.as_str()))
                    .push_value(c.nature.as_str())
                    .push_value(c.sector.as_deref())
                    .push_value(c.commune_code_raw.as_str())
                    .push_value(l.commune.as_ref().map(|i| i.as_str()))
                    .push_value(c.commune_name.as_str())
                    .push_value(c.address.as_deref())
                    .push_value(c.po_box.as_deref())
                    .push_value(c.postal_code.as_ref().map(|p| p.as_str()))
                    .push_value(c.city.as_deref())
                    .push_value(c.opened_on)
                    .push_value(c.closed_on)
                    .push_value(l.point.map(|p| p.lat()))
                    .push_value(l.point.map(|p| p.lon()))
                    .push_value(l.issue.as_deref());
            },
        )
        .await?,
    );
    Ok(())
}
