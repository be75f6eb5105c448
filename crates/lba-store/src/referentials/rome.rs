// Included in each backend module of `referential_writer!` (see mod.rs):
// ROME fiches, appellations, texts, mobility, interest centres and subdomains.

async fn write_rome(
    tx: &mut Transaction<'_, Db>,
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
                b.push_bind(f.code.as_str())
                    .push_bind(f.fiche_number.as_str())
                    .push_bind(f.ogr)
                    .push_bind(f.label.as_str())
                    .push_bind(normalize(&f.label))
                    .push_bind(f.transition_eco.as_deref())
                    .push_bind(f.transition_num)
                    .push_bind(f.transition_demo)
                    .push_bind(f.regulated)
                    .push_bind(f.executive)
                    .push_bind(f.parent_code.as_str());
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
                b.push_bind(a.ogr)
                    .push_bind(a.rome.as_str())
                    .push_bind(a.label.as_str())
                    .push_bind(a.short_label.as_str())
                    .push_bind(normalize(&a.label))
                    .push_bind(a.transition_eco.as_deref())
                    .push_bind(a.transition_num)
                    .push_bind(a.transition_demo)
                    .push_bind(a.regulated)
                    .push_bind(a.executive)
                    .push_bind(a.principal)
                    .push_bind(a.rare);
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
                b.push_bind(t.rome.as_str())
                    .push_bind(t.kind.as_str())
                    .push_bind(i64::from(t.position))
                    .push_bind(t.text.as_str());
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
                b.push_bind(m.rome.as_str())
                    .push_bind(m.target.as_str())
                    .push_bind(i64::from(m.rank));
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
                b.push_bind(i64::from(c.code))
                    .push_bind(c.label.as_str())
                    .push_bind(c.definition.as_str());
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
                b.push_bind(i64::from(l.centre))
                    .push_bind(l.rome.as_str())
                    .push_bind(l.principal);
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
                b.push_bind(s.subdomain.rome.as_str())
                    .push_bind(s.subdomain.appellation_label.as_str())
                    .push_bind(s.subdomain.subdomain.as_str())
                    .push_bind(s.appellation_ogr);
            },
        )
        .await?,
    );
    Ok(())
}
