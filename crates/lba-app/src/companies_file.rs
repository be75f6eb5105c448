//! A generated "companies likely to hire" file, in the real format of
//! `recruteurs-lba` (JSON array), for benchmarks and load tests: every
//! record is synthetic (names "ENTREPRISE GÉNÉRÉE …", emails at
//! `exemple.fr`), deterministic for a seed, and written as a stream so that
//! a million records need no more memory than one.
//!
//! Companies sit within 3 km of a real commune centre with coordinates in
//! the département's projection; 5 % have none and 2 % carry a placeholder
//! point far from their commune, as real files do.

use std::io::{BufWriter, Write};
use std::path::Path;

use lba_core::geo::GeoPoint;
use lba_core::ids::InseeCode;
use lba_core::projection::Projection;
use lba_store::Store;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use serde_json::json;

use crate::ImportError;

/// What was generated.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CompaniesFileReport {
    /// The file written.
    pub file: String,
    /// Records written.
    pub records: u64,
    /// Bytes written.
    pub bytes: u64,
}

/// Errors of the generator.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// The referentials could not be read.
    #[error(transparent)]
    Import(#[from] ImportError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] lba_store::StoreError),
    /// The file could not be written.
    #[error("{file}: {source}")]
    Io {
        /// The file.
        file: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The referentials are not imported.
    #[error("référentiels absents : lancer d'abord `lba import referentials`")]
    NoReferentials,
}

/// The SIRET of generated company `index`: prefix 99, a Luhn key.
fn siret(index: u64) -> String {
    let body = format!("99{:011}", index % 100_000_000_000);
    let mut sum = 0;
    // The key digit will be at position 0 from the right: the body's last
    // digit is doubled.
    for (i, c) in body.bytes().rev().enumerate() {
        let mut d = u32::from(c - b'0');
        if i % 2 == 0 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    format!("{body}{}", (10 - sum % 10) % 10)
}

/// Writes `count` generated companies to `out`.
pub async fn generate(
    store: &Store,
    count: u64,
    seed: u64,
    out: &Path,
) -> Result<CompaniesFileReport, GenerateError> {
    let refs = store.referential_data().await?;
    let communes: Vec<(InseeCode, GeoPoint, String)> = refs
        .communes
        .iter()
        .filter(|c| !c.arrondissement)
        .filter_map(|c| Some((c.insee.clone(), c.point?, c.name.to_uppercase())))
        .collect();
    let romes: Vec<String> = refs
        .romes
        .iter()
        .map(|r| r.code.as_str().to_owned())
        .collect();
    let nafs: Vec<(&String, &String)> = refs.naf_labels.iter().collect();
    if communes.is_empty() || romes.is_empty() || nafs.is_empty() {
        return Err(GenerateError::NoReferentials);
    }
    let io = |source| GenerateError::Io {
        file: out.display().to_string(),
        source,
    };
    let file = std::fs::File::create(out).map_err(io)?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut bytes = 0_u64;
    w.write_all(b"[\n").map_err(io)?;
    for index in 0..count {
        let (insee, centre, city) = &communes[rng.random_range(0..communes.len())];
        let projection = Projection::for_commune(insee);
        let roll = rng.random_range(0..100);
        let (x, y) = match projection {
            Some(p) if roll >= 5 => {
                let point = if roll < 7 {
                    // A placeholder far away, as in the real sample.
                    GeoPoint::new(49.904_907, 1.105_23).unwrap_or(*centre)
                } else {
                    let d = rng.random_range(0.0..0.027);
                    let a = rng.random_range(0.0..std::f64::consts::TAU);
                    GeoPoint::new(centre.lat() + d * a.sin(), centre.lon() + d * a.cos())
                        .unwrap_or(*centre)
                };
                let (x, y) = p.from_wgs84(point);
                (json!(x), json!(y))
            }
            _ => (json!(null), json!(null)),
        };
        let n_romes = rng.random_range(1..=3);
        let rome_codes: Vec<_> = (0..n_romes)
            .map(|_| {
                json!({
                    "rome_code": romes[rng.random_range(0..romes.len())],
                    "normalized_score": (rng.random_range(0.0..1.0_f64) * 1e6).round() / 1e6,
                })
            })
            .collect();
        let (naf, naf_label) = nafs[rng.random_range(0..nafs.len())];
        let with_email = rng.random_range(0..100) < 50;
        let with_phone = rng.random_range(0..100) < 30;
        let size = ["1-2", "3-5", "6-9", "10-19", "20-49", "50-99"][rng.random_range(0..6)];
        let record = json!({
            "siret": siret(index),
            "enseigne": format!("ENTREPRISE GÉNÉRÉE {index}"),
            "naf_code": naf,
            "naf_label": naf_label,
            "raison_sociale": format!("SOCIÉTÉ GÉNÉRÉE {index}"),
            "street_number": rng.random_range(1..200).to_string(),
            "street_name": "RUE DE LA RÉPUBLIQUE",
            "insee_city_code": insee.as_str(),
            "zip_code": null,
            "email": with_email.then(|| format!("contact.{index}@exemple.fr")),
            "phone": with_phone.then(|| format!("01 99 00 {:02} {:02}", index % 100, (index / 100) % 100)),
            "company_size": size,
            "coordonneeLambertAbscisseEtablissement": x,
            "coordonneeLambertOrdonneeEtablissement": y,
            "libelleCommuneEtablissement": city,
            "rome_codes": rome_codes,
        });
        let text = serde_json::to_string(&record).map_err(|e| io(e.into()))?;
        if index > 0 {
            w.write_all(b",\n").map_err(io)?;
            bytes += 2;
        }
        w.write_all(text.as_bytes()).map_err(io)?;
        bytes += text.len() as u64;
    }
    w.write_all(b"\n]\n").map_err(io)?;
    w.flush().map_err(io)?;
    Ok(CompaniesFileReport {
        file: out.display().to_string(),
        records: count,
        bytes: bytes + 5,
    })
}
