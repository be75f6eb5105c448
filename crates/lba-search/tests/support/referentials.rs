//! Reads the referentials the autocomplete indexes use straight from the
//! shared data directory with the `lba-data` readers (no database). Shared by
//! the integration tests (`tests/it`) and the autocomplete benchmark.

#![allow(
    clippy::expect_used,
    dead_code,
    reason = "test support: fails loudly; each includer uses a part"
)]

use std::path::PathBuf;

use lba_core::referential::{AppellationRef, CommuneRef, DiplomaRef, ReferentialData, RomeRef};
use lba_data::geo::{self, CommuneKind};
use lba_data::{CsvReader, DataDir, DataError, Item, diplomas, rome};

/// The shared data directory (`$LBA_DATA_DIR`, else `../shared/data` beside
/// the checkout).
pub fn data_dir() -> DataDir {
    let path = std::env::var_os("LBA_DATA_DIR").map_or_else(
        || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data")),
        PathBuf::from,
    );
    DataDir::resolve(Some(&path)).expect("the shared data directory")
}

/// The usable records of a file.
pub fn records<T>(reader: Result<CsvReader<T>, DataError>) -> Vec<T> {
    reader
        .expect("readable file")
        .filter_map(|item| match item.expect("well-formed file") {
            Item::Record(record) => Some(record),
            Item::Rejected(_) => None,
        })
        .collect()
}

/// ROME fiches, appellations, sous-domaines, diplomas and synonyms.
pub fn metier_data() -> ReferentialData {
    let dir = data_dir();
    ReferentialData {
        romes: records(rome::fiches(&dir.file(rome::files::FICHES)))
            .into_iter()
            .map(|f| RomeRef {
                code: f.code,
                label: f.label,
                parent_code: f.parent_code,
            })
            .collect(),
        appellations: records(rome::appellations(&dir.file(rome::files::APPELLATIONS)))
            .into_iter()
            .map(|a| AppellationRef {
                ogr: a.ogr,
                rome: a.rome,
                label: a.label,
            })
            .collect(),
        subdomains: records(rome::subdomains(&dir.file(rome::files::SUBDOMAINS)))
            .into_iter()
            .map(|s| (s.subdomain, s.rome))
            .collect(),
        diplomas: records(diplomas::kit(&dir.file(diplomas::files::KIT)))
            .into_iter()
            .map(|d| DiplomaRef {
                cfd: d.cfd,
                rncp: d.rncp,
                title: d.title,
                level: d.level,
                apprenticeship: d.apprenticeship,
                active: d.active,
            })
            .collect(),
        synonyms: diplomas::synonyms(&dir.file(diplomas::files::SYNONYMS))
            .expect("synonyms")
            .into_iter()
            .map(|g| g.synonyms)
            .collect(),
        ..ReferentialData::default()
    }
}

/// Communes (one per INSEE code) and département names.
pub fn place_data() -> ReferentialData {
    let dir = data_dir();
    let rows = records(geo::commune_rows(&dir.file(geo::files::COMMUNES)));
    let (communes, _) = geo::assemble_communes(rows);
    ReferentialData {
        communes: communes
            .into_iter()
            .map(|c| CommuneRef {
                insee: c.insee,
                name: c.name,
                arrondissement: c.kind == CommuneKind::Arrondissement,
                parent: c.parent,
                departement: c.departement,
                region: c.region,
                point: c.point,
                population: c.population,
                postal_codes: c.postal_codes.into_iter().collect(),
                aliases: c.aliases,
            })
            .collect(),
        departements: records(geo::departements(&dir.file(geo::files::DEPARTEMENTS)))
            .into_iter()
            .map(|d| (d.code, d.name))
            .collect(),
        ..ReferentialData::default()
    }
}

/// Both: what the métier and the place indexes read.
pub fn referential_data() -> ReferentialData {
    let places = place_data();
    ReferentialData {
        communes: places.communes,
        departements: places.departements,
        ..metier_data()
    }
}
