//! ROME fiches, appellations, texts, mobility, interest centres and subdomains.

use sqlx::Transaction;

use super::*;
use crate::batch::insert;
use crate::portable::{Portable, PushValue as _};

pub(super) async fn write_rome<DB: Portable>(
    tx: &mut Transaction<'_, DB>,
    data: &Referentials,
    counts: &mut WriteCounts,
) -> Result<(), sqlx::Error> {
    let mut done = |table: &str, n: u64| counts.tables.push((table.to_owned(), n));

    done(
        "rome_fiches",
        insert(
            tx,
            "rome_fiches",
            &[
                "code",
                "fiche_number",
                "ogr",
                "label",
                "label_normalized",
                "transition_eco",
                "transition_num",
                "transition_demo",
                "regulated",
                "executive",
                "parent_code",
            ],
            &["code"],
            &data.rome_fiches,
            |b, f| {
                b.push_value(f.code.as_str())
                    .push_value(f.fiche_number.as_str())
                    .push_value(f.ogr)
                    .push_value(f.label.as_str())
                    .push_value(normalize(&f.label))
                    .push_value(f.transition_eco.as_deref())
                    .push_value(f.transition_num)
                    .push_value(f.transition_demo)
                    .push_value(f.regulated)
                    .push_value(f.executive)
                    .push_value(f.parent_code.as_str());
            },
        )
        .await?,
    );
    done(
        "rome_appellations",
        insert(
            tx,
            "rome_appellations",
            &[
                "ogr",
                "rome_code",
                "label",
                "short_label",
                "label_normalized",
                "transition_eco",
                "transition_num",
                "transition_demo",
                "regulated",
                "executive",
                "principal",
                "rare",
            ],
            &["ogr"],
            &data.rome_appellations,
            |b, a| {
                b.push_value(a.ogr)
                    .push_value(a.rome.as_str())
                    .push_value(a.label.as_str())
                    .push_value(a.short_label.as_str())
                    .push_value(normalize(&a.label))
                    .push_value(a.transition_eco.as_deref())
                    .push_value(a.transition_num)
                    .push_value(a.transition_demo)
                    .push_value(a.regulated)
                    .push_value(a.executive)
                    .push_value(a.principal)
                    .push_value(a.rare);
            },
        )
        .await?,
    );
    done(
        "rome_texts",
        insert(
            tx,
            "rome_texts",
            &["rome_code", "kind", "position", "text"],
            &[],
            &data.rome_texts,
            |b, t| {
                b.push_value(t.rome.as_str())
                    .push_value(t.kind.as_str())
                    .push_value(i64::from(t.position))
                    .push_value(t.text.as_str());
            },
        )
        .await?,
    );
    done(
        "rome_mobility",
        insert(
            tx,
            "rome_mobility",
            &["rome_code", "target_code", "rank"],
            &[],
            &data.rome_mobility,
            |b, m| {
                b.push_value(m.rome.as_str())
                    .push_value(m.target.as_str())
                    .push_value(i64::from(m.rank));
            },
        )
        .await?,
    );
    done(
        "interest_centres",
        insert(
            tx,
            "interest_centres",
            &["code", "label", "definition"],
            &["code"],
            &data.interest_centres,
            |b, c| {
                b.push_value(i64::from(c.code))
                    .push_value(c.label.as_str())
                    .push_value(c.definition.as_str());
            },
        )
        .await?,
    );
    done(
        "interest_centre_romes",
        insert(
            tx,
            "interest_centre_romes",
            &["centre_code", "rome_code", "principal"],
            &[],
            &data.interest_centre_romes,
            |b, l| {
                b.push_value(i64::from(l.centre))
                    .push_value(l.rome.as_str())
                    .push_value(l.principal);
            },
        )
        .await?,
    );
    done(
        "rome_subdomains",
        insert(
            tx,
            "rome_subdomains",
            &[
                "rome_code",
                "appellation_label",
                "subdomain",
                "appellation_ogr",
            ],
            &[],
            &data.rome_subdomains,
            |b, s| {
                b.push_value(s.subdomain.rome.as_str())
                    .push_value(s.subdomain.appellation_label.as_str())
                    .push_value(s.subdomain.subdomain.as_str())
                    .push_value(s.appellation_ogr);
            },
        )
        .await?,
    );
    Ok(())
}
