//! Loads the referential read models ([`ReferentialData`]) whole: what the
//! search index (autocomplete) and the demo generator need, already parsed
//! into domain types.

use std::collections::BTreeMap;

use lba_core::geo::GeoPoint;
use lba_core::ids::PostalCode;
use lba_core::level::DiplomaLevel;
pub use lba_core::referential::{
    AppellationRef, CfaRef, CommuneRef, DiplomaRef, ReferentialData, RomeNafRef, RomeRef,
};

use crate::backend::with_pool;
use crate::{Store, StoreError};

fn bad(table: &'static str, key: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        table,
        key: key.to_owned(),
        detail: e.to_string(),
    }
}

type CommuneRow = (
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    Option<f64>,
    Option<f64>,
    i64,
);
type CfaRow = (
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    f64,
    f64,
);
type DiplomaRow = (String, String, String, Option<i64>, Option<bool>, bool);

impl Store {
    /// Loads the referential read models.
    pub async fn referential_data(&self) -> Result<ReferentialData, StoreError> {
        let romes: Vec<(String, String, String)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT code, label, parent_code FROM rome_fiches ORDER BY code"
        )
        .fetch_all(p)
        .await)?;
        let appellations: Vec<(i64, String, String)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT ogr, rome_code, label FROM rome_appellations ORDER BY ogr"
        )
        .fetch_all(p)
        .await)?;
        let subdomains: Vec<(String, String)> = with_pool!(self, |p| {
            sqlx::query_as("SELECT DISTINCT subdomain, rome_code FROM rome_subdomains ORDER BY subdomain, rome_code").fetch_all(p).await
        })?;
        let diplomas: Vec<DiplomaRow> = with_pool!(self, |p| {
            sqlx::query_as("SELECT cfd, rncp_code, title, level, apprenticeship, active FROM diplomas ORDER BY cfd, rncp_code").fetch_all(p).await
        })?;
        let synonyms: Vec<(i64, String)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT group_id, term FROM diploma_synonyms ORDER BY group_id, position"
        )
        .fetch_all(p)
        .await)?;
        let communes: Vec<CommuneRow> = with_pool!(self, |p| {
            sqlx::query_as("SELECT insee, name, kind, parent_insee, departement_code, region_code, lat, lon, population FROM communes ORDER BY insee").fetch_all(p).await
        })?;
        let postal: Vec<(String, String)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT insee, postal_code FROM commune_postal_codes ORDER BY insee, postal_code"
        )
        .fetch_all(p)
        .await)?;
        let aliases: Vec<(String, String)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT insee, name FROM commune_aliases ORDER BY insee, name"
        )
        .fetch_all(p)
        .await)?;
        let cfas: Vec<CfaRow> = with_pool!(self, |p| {
            sqlx::query_as("SELECT uai, siret, name, address, postal_code, commune_insee, commune_name, lat, lon FROM cfas WHERE lat IS NOT NULL AND lon IS NOT NULL ORDER BY uai").fetch_all(p).await
        })?;
        let rome_naf: Vec<(String, String, i64)> = with_pool!(self, |p| {
            sqlx::query_as("SELECT rome_v3_code, naf_code, hirings FROM rome_naf_hirings ORDER BY rome_v3_code, naf_code").fetch_all(p).await
        })?;
        let naf_labels: Vec<(String, String)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT code, label FROM naf_codes"
        )
        .fetch_all(p)
        .await)?;
        let departements: Vec<(String, String)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT code, name FROM departements"
        )
        .fetch_all(p)
        .await)?;
        let regions: Vec<(String, String)> =
            with_pool!(self, |p| sqlx::query_as("SELECT code, name FROM regions")
                .fetch_all(p)
                .await)?;

        let mut postal_by: BTreeMap<String, Vec<PostalCode>> = BTreeMap::new();
        for (insee, code) in postal {
            let parsed = code
                .parse()
                .map_err(|e| bad("commune_postal_codes", &insee, e))?;
            postal_by.entry(insee).or_default().push(parsed);
        }
        let mut aliases_by: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (insee, name) in aliases {
            aliases_by.entry(insee).or_default().push(name);
        }
        let mut groups: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        for (group, term) in synonyms {
            groups.entry(group).or_default().push(term);
        }
        Ok(ReferentialData {
            romes: romes
                .into_iter()
                .map(|(code, label, parent)| {
                    Ok(RomeRef {
                        code: code.parse().map_err(|e| bad("rome_fiches", &code, e))?,
                        parent_code: parent.parse().map_err(|e| bad("rome_fiches", &code, e))?,
                        label,
                    })
                })
                .collect::<Result<_, StoreError>>()?,
            appellations: appellations
                .into_iter()
                .map(|(ogr, rome, label)| {
                    Ok(AppellationRef {
                        ogr,
                        rome: rome
                            .parse()
                            .map_err(|e| bad("rome_appellations", &ogr.to_string(), e))?,
                        label,
                    })
                })
                .collect::<Result<_, StoreError>>()?,
            subdomains: subdomains
                .into_iter()
                .map(|(label, rome)| {
                    Ok((
                        label,
                        rome.parse().map_err(|e| bad("rome_subdomains", &rome, e))?,
                    ))
                })
                .collect::<Result<_, StoreError>>()?,
            diplomas: diplomas
                .into_iter()
                .map(|(cfd, rncp, title, level, apprenticeship, active)| {
                    Ok(DiplomaRef {
                        rncp: if rncp.is_empty() {
                            None
                        } else {
                            Some(rncp.parse().map_err(|e| bad("diplomas", &cfd, e))?)
                        },
                        level: level
                            .map(|l| {
                                u8::try_from(l)
                                    .map_err(|e| bad("diplomas", &cfd, e))
                                    .and_then(|l| {
                                        DiplomaLevel::new(l).map_err(|e| bad("diplomas", &cfd, e))
                                    })
                            })
                            .transpose()?,
                        cfd: cfd.parse().map_err(|e| bad("diplomas", &cfd, e))?,
                        title,
                        apprenticeship,
                        active,
                    })
                })
                .collect::<Result<_, StoreError>>()?,
            synonyms: groups.into_values().collect(),
            communes: communes
                .into_iter()
                .map(
                    |(insee, name, kind, parent, departement, region, lat, lon, population)| {
                        let point = match (lat, lon) {
                            (Some(lat), Some(lon)) => Some(
                                GeoPoint::new(lat, lon).map_err(|e| bad("communes", &insee, e))?,
                            ),
                            _ => None,
                        };
                        Ok(CommuneRef {
                            parent: parent
                                .map(|p| p.parse().map_err(|e| bad("communes", &insee, e)))
                                .transpose()?,
                            postal_codes: postal_by.remove(&insee).unwrap_or_default(),
                            aliases: aliases_by.remove(&insee).unwrap_or_default(),
                            insee: insee.parse().map_err(|e| bad("communes", &insee, e))?,
                            arrondissement: kind == "ARM",
                            name,
                            departement,
                            region,
                            point,
                            population,
                        })
                    },
                )
                .collect::<Result<_, StoreError>>()?,
            cfas: cfas
                .into_iter()
                .map(
                    |(uai, siret, name, address, postal, insee, city, lat, lon)| {
                        Ok(CfaRef {
                            siret: siret
                                .map(|s| s.parse().map_err(|e| bad("cfas", &uai, e)))
                                .transpose()?,
                            postal_code: postal
                                .map(|s| s.parse().map_err(|e| bad("cfas", &uai, e)))
                                .transpose()?,
                            commune_insee: insee
                                .map(|s| s.parse().map_err(|e| bad("cfas", &uai, e)))
                                .transpose()?,
                            point: GeoPoint::new(lat, lon).map_err(|e| bad("cfas", &uai, e))?,
                            uai: uai.parse().map_err(|e| bad("cfas", &uai, e))?,
                            name,
                            address: address.unwrap_or_default(),
                            city,
                        })
                    },
                )
                .collect::<Result<_, StoreError>>()?,
            rome_naf: rome_naf
                .into_iter()
                .map(|(rome, naf, hirings)| {
                    Ok(RomeNafRef {
                        rome_v3: rome
                            .parse()
                            .map_err(|e| bad("rome_naf_hirings", &rome, e))?,
                        naf: naf.parse().map_err(|e| bad("rome_naf_hirings", &naf, e))?,
                        hirings,
                    })
                })
                .collect::<Result<_, StoreError>>()?,
            naf_labels: naf_labels.into_iter().collect(),
            departements: departements.into_iter().collect(),
            regions: regions.into_iter().collect(),
        })
    }
}
