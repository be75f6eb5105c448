//! Writing the referential data set in one transaction.
//!
//! Entity tables (fiches, appellations, communes, diplomas, CFAs…) are
//! upserted on their natural key so that rows referenced by later data keep
//! their identity; link tables (texts, mobility, postal codes, aliases,
//! hiring tables, synonyms) are replaced whole. Re-running with the same
//! files therefore gives the same rows, and a failed run changes nothing.

use chrono::{DateTime, Utc};
use lba_core::geo::GeoPoint;
use lba_core::ids::InseeCode;
use lba_core::text::normalize;
use lba_data::cfa::Cfa;
use lba_data::diplomas::{Diploma, SynonymGroup};
use lba_data::geo::{Commune, Departement, Region};
use lba_data::naf::{CodeLabel, ContactMode, NafLabel, RomeNafHiring, Tension};
use lba_data::rome::{
    InterestCentre, InterestCentreRome, RomeAppellation, RomeFiche, RomeMobility, RomeSubdomain,
    RomeText,
};
use serde::Serialize;

use crate::{Store, StoreError};

/// A CFA with the place it was located at.
#[derive(Clone, Debug)]
pub struct LocatedCfa {
    /// The CFA as read.
    pub cfa: Cfa,
    /// The stored commune it is in, when found.
    pub commune: Option<InseeCode>,
    /// Its point (the commune's), when found.
    pub point: Option<GeoPoint>,
    /// Why it could not be located.
    pub issue: Option<String>,
}

/// A sous-domaine with the appellation it was matched to.
#[derive(Clone, Debug)]
pub struct MatchedSubdomain {
    /// As read.
    pub subdomain: RomeSubdomain,
    /// The appellation whose label matched, if any.
    pub appellation_ogr: Option<i64>,
}

/// The whole referential data set, validated and cross-checked by the caller.
#[derive(Clone, Debug, Default)]
pub struct Referentials {
    /// Régions.
    pub regions: Vec<Region>,
    /// Départements.
    pub departements: Vec<Departement>,
    /// Communes, arrondissements first-parent-then-child order not required.
    pub communes: Vec<Commune>,
    /// ROME fiches.
    pub rome_fiches: Vec<RomeFiche>,
    /// ROME appellations.
    pub rome_appellations: Vec<RomeAppellation>,
    /// ROME texts.
    pub rome_texts: Vec<RomeText>,
    /// ROME mobility links.
    pub rome_mobility: Vec<RomeMobility>,
    /// Centres of interest.
    pub interest_centres: Vec<InterestCentre>,
    /// Centre → fiche links.
    pub interest_centre_romes: Vec<InterestCentreRome>,
    /// Sous-domaines.
    pub rome_subdomains: Vec<MatchedSubdomain>,
    /// NAF sections.
    pub naf_sections: Vec<CodeLabel>,
    /// NAF sub-classes.
    pub naf_codes: Vec<NafLabel>,
    /// ROME v3 × NAF hirings.
    pub rome_naf_hirings: Vec<RomeNafHiring>,
    /// Hiring tension.
    pub rome_tension: Vec<Tension>,
    /// Contact modes.
    pub contact_modes: Vec<ContactMode>,
    /// Headcount brackets.
    pub headcount_brackets: Vec<CodeLabel>,
    /// Diplomas.
    pub diplomas: Vec<Diploma>,
    /// Diploma synonym groups.
    pub diploma_synonyms: Vec<SynonymGroup>,
    /// CFAs.
    pub cfas: Vec<LocatedCfa>,
}

/// Rows written per table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct WriteCounts {
    /// Table name → rows written, in write order.
    pub tables: Vec<(String, u64)>,
}

impl Store {
    /// Writes the referential data set in one transaction and records the run
    /// in `import_runs` with `report`.
    pub async fn write_referentials(
        &self,
        data: &Referentials,
        source: &str,
        started_at: DateTime<Utc>,
        report: &impl Serialize,
    ) -> Result<WriteCounts, StoreError> {
        let report = serde_json::to_string(report)?;
        let counts = match self {
            Store::Sqlite(pool) => {
                let mut tx = pool.begin().await?;
                let counts = sqlite::write(&mut tx, data).await?;
                crate::imports::record_sqlite(&mut tx, "referentials", source, started_at, &report)
                    .await?;
                tx.commit().await?;
                counts
            }
            Store::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                let counts = postgres::write(&mut tx, data).await?;
                crate::imports::record_postgres(
                    &mut tx,
                    "referentials",
                    source,
                    started_at,
                    &report,
                )
                .await?;
                tx.commit().await?;
                counts
            }
        };
        Ok(counts)
    }
}

/// The writer, written once and compiled for each backend.
macro_rules! referential_writer {
    ($module:ident, $db:ty) => {
        mod $module {
            use sqlx::Transaction;
            use sqlx::query_builder::Separated;

            use super::*;
            use crate::batch::$module::{clear, insert};

            type Db = $db;

            pub(super) async fn write(
                tx: &mut Transaction<'_, Db>,
                data: &Referentials,
            ) -> Result<WriteCounts, sqlx::Error> {
                let mut counts = WriteCounts::default();
                let mut done = |table: &str, n: u64| counts.tables.push((table.to_owned(), n));

                // Link tables first: they reference the entity tables.
                for table in [
                    "commune_postal_codes",
                    "commune_aliases",
                    "rome_texts",
                    "rome_mobility",
                    "interest_centre_romes",
                    "rome_subdomains",
                    "rome_naf_hirings",
                    "rome_tension",
                    "contact_modes",
                    "diploma_synonyms",
                ] {
                    clear(tx, table).await?;
                }

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

                done(
                    "naf_sections",
                    insert(
                        tx,
                        "naf_sections",
                        &["code", "label"],
                        &["code"],
                        &data.naf_sections,
                        |b, s| {
                            b.push_bind(s.code.as_str()).push_bind(s.label.as_str());
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
                            b.push_bind(n.code.as_str()).push_bind(n.label.as_str());
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
                            b.push_bind(h.rome_v3.as_str())
                                .push_bind(h.naf.as_str())
                                .push_bind(h.hirings);
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
                            b.push_bind(t.fap_code.as_str())
                                .push_bind(t.rome_v3.as_str())
                                .push_bind(t.fap_label.as_str())
                                .push_bind(t.tension_pct);
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
                            b.push_bind(m.naf_prefix.as_str())
                                .push_bind(m.rome_v3.as_str())
                                .push_bind(m.mode.as_deref());
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
                            b.push_bind(h.code.as_str()).push_bind(h.label.as_str());
                        },
                    )
                    .await?,
                );

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
                Ok(counts)
            }
        }
    };
}

referential_writer!(sqlite, sqlx::Sqlite);
referential_writer!(postgres, sqlx::Postgres);
