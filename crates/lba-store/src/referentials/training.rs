// Included in each backend module of `referential_writer!` (see mod.rs):
// Diplomas with their synonyms, and the CFAs.

async fn write_training(
    tx: &mut Transaction<'_, Db>,
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
                b.push_bind(d.cfd.as_str())
                    .push_bind(d.rncp.as_ref().map_or("", |r| r.as_str()))
                    .push_bind(d.title.as_str())
                    .push_bind(normalize(&d.title))
                    .push_bind(d.level.map(|l| i64::from(l.get())))
                    .push_bind(d.kind.as_deref())
                    .push_bind(d.last_update.as_deref())
                    .push_bind(d.apprenticeship)
                    .push_bind(d.valid_until)
                    .push_bind(d.active);
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
                b.push_bind(*g)
                    .push_bind(*p)
                    .push_bind(*t)
                    .push_bind(normalize(t));
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
                b.push_bind(c.uai.as_str())
                    .push_bind(c.name.as_str())
                    .push_bind(c.denomination.as_str())
                    .push_bind(c.siret.as_ref().map(|s| s.as_str()))
                    .push_bind(c.nature.as_str())
                    .push_bind(c.sector.as_deref())
                    .push_bind(c.commune_code_raw.as_str())
                    .push_bind(l.commune.as_ref().map(|i| i.as_str()))
                    .push_bind(c.commune_name.as_str())
                    .push_bind(c.address.as_deref())
                    .push_bind(c.po_box.as_deref())
                    .push_bind(c.postal_code.as_ref().map(|p| p.as_str()))
                    .push_bind(c.city.as_deref())
                    .push_bind(c.opened_on)
                    .push_bind(c.closed_on)
                    .push_bind(l.point.map(|p| p.lat()))
                    .push_bind(l.point.map(|p| p.lon()))
                    .push_bind(l.issue.as_deref());
            },
        )
        .await?,
    );
    Ok(())
}
