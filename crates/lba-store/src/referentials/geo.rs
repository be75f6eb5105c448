// Included in each backend module of `referential_writer!` (see mod.rs):
// Regions, départements, communes with their postal codes and aliases.

async fn write_geo(
    tx: &mut Transaction<'_, Db>,
    data: &Referentials,
    counts: &mut WriteCounts,
) -> Result<(), sqlx::Error> {
    let mut done = |table: &str, n: u64| counts.tables.push((table.to_owned(), n));

    done(
        "regions",
        insert(
            tx,
            "regions",
            &["code", "name", "lat", "lon", "chef_lieu"],
            &["code"],
            &data.regions,
            |b, r| {
                b.push_bind(r.code.as_str())
                    .push_bind(r.name.as_str())
                    .push_bind(r.point.map(|p| p.lat()))
                    .push_bind(r.point.map(|p| p.lon()))
                    .push_bind(r.chef_lieu.as_deref());
            },
        )
        .await?,
    );
    done(
        "departements",
        insert(
            tx,
            "departements",
            &["code", "region_code", "name", "lat", "lon", "chef_lieu"],
            &["code"],
            &data.departements,
            |b, d| {
                b.push_bind(d.code.as_str())
                    .push_bind(d.region_code.as_str())
                    .push_bind(d.name.as_str())
                    .push_bind(d.point.map(|p| p.lat()))
                    .push_bind(d.point.map(|p| p.lon()))
                    .push_bind(d.chef_lieu.as_deref());
            },
        )
        .await?,
    );

    // Cities before their arrondissements (parent_insee references them).
    let (cities, arrondissements): (Vec<&Commune>, Vec<&Commune>) =
        data.communes.iter().partition(|c| c.parent.is_none());
    let commune_columns = [
        "insee",
        "kind",
        "name",
        "name_with_article",
        "name_normalized",
        "parent_insee",
        "departement_code",
        "region_code",
        "lat",
        "lon",
        "point_approximated",
        "area_km2",
        "population",
        "from_arrondissements",
    ];
    fn bind_commune<'a>(b: &mut Separated<'_, 'a, Db, &'static str>, c: &&'a Commune) {
        b.push_bind(c.insee.as_str())
            .push_bind(c.kind.as_str())
            .push_bind(c.name.as_str())
            .push_bind(c.name_with_article.as_str())
            .push_bind(normalize(&c.name))
            .push_bind(c.parent.as_ref().map(|p| p.as_str()))
            .push_bind(c.departement.as_str())
            .push_bind(c.region.as_str())
            .push_bind(c.point.map(|p| p.lat()))
            .push_bind(c.point.map(|p| p.lon()))
            .push_bind(c.point_approximated)
            .push_bind(c.area_km2)
            .push_bind(c.population)
            .push_bind(c.from_arrondissements);
    }
    let n = insert(
        tx,
        "communes",
        &commune_columns,
        &["insee"],
        &cities,
        bind_commune,
    )
    .await?
        + insert(
            tx,
            "communes",
            &commune_columns,
            &["insee"],
            &arrondissements,
            bind_commune,
        )
        .await?;
    done("communes", n);
    let postal: Vec<(&str, &str)> = data
        .communes
        .iter()
        .flat_map(|c| {
            c.postal_codes
                .iter()
                .map(move |p| (c.insee.as_str(), p.as_str()))
        })
        .collect();
    done(
        "commune_postal_codes",
        insert(
            tx,
            "commune_postal_codes",
            &["insee", "postal_code"],
            &[],
            &postal,
            |b, (i, p)| {
                b.push_bind(*i).push_bind(*p);
            },
        )
        .await?,
    );
    let aliases: Vec<(&str, &str)> = data
        .communes
        .iter()
        .flat_map(|c| {
            c.aliases
                .iter()
                .map(move |a| (c.insee.as_str(), a.as_str()))
        })
        .collect();
    done(
        "commune_aliases",
        insert(
            tx,
            "commune_aliases",
            &["insee", "name", "name_normalized"],
            &[],
            &aliases,
            |b, (i, a)| {
                b.push_bind(*i).push_bind(*a).push_bind(normalize(a));
            },
        )
        .await?,
    );
    Ok(())
}
