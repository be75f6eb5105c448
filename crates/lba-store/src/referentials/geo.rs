//! Regions, départements, communes with their postal codes and aliases.

use sqlx::Transaction;
use sqlx::query_builder::Separated;

use super::*;
use crate::batch::insert;
use crate::portable::{Portable, PushValue as _};

pub(super) async fn write_geo<DB: Portable>(
    tx: &mut Transaction<'_, DB>,
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
                b.push_value(r.code.as_str())
                    .push_value(r.name.as_str())
                    .push_value(r.point.map(|p| p.lat()))
                    .push_value(r.point.map(|p| p.lon()))
                    .push_value(r.chef_lieu.as_deref());
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
                b.push_value(d.code.as_str())
                    .push_value(d.region_code.as_str())
                    .push_value(d.name.as_str())
                    .push_value(d.point.map(|p| p.lat()))
                    .push_value(d.point.map(|p| p.lon()))
                    .push_value(d.chef_lieu.as_deref());
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
    fn bind_commune<'a, DB: Portable>(
        b: &mut Separated<'_, 'a, DB, &'static str>,
        c: &&'a Commune,
    ) {
        b.push_value(c.insee.as_str())
            .push_value(c.kind.as_str())
            .push_value(c.name.as_str())
            .push_value(c.name_with_article.as_str())
            .push_value(normalize(&c.name))
            .push_value(c.parent.as_ref().map(|p| p.as_str()))
            .push_value(c.departement.as_str())
            .push_value(c.region.as_str())
            .push_value(c.point.map(|p| p.lat()))
            .push_value(c.point.map(|p| p.lon()))
            .push_value(c.point_approximated)
            .push_value(c.area_km2)
            .push_value(c.population)
            .push_value(c.from_arrondissements);
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
                b.push_value(*i).push_value(*p);
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
                b.push_value(*i).push_value(*a).push_value(normalize(a));
            },
        )
        .await?,
    );
    Ok(())
}
