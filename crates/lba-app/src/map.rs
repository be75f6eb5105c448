//! The offline base layer of the results map: the simplified outlines of the
//! départements and régions of the data directory (`geo/*.geojson`, WGS84),
//! read and checked once, kept in memory as they are and gzip-compressed.
//! Metropolitan France only: results overseas are shown on the markers'
//! own extent, without outlines.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use flate2::Compression;
use flate2::write::GzEncoder;
use lba_data::DataDir;

/// Relative paths of the outline files in the data directory.
pub mod files {
    /// Départements.
    pub const DEPARTEMENTS: &str = "geo/departements-version-simplifiee.geojson";
    /// Régions.
    pub const REGIONS: &str = "geo/regions-version-simplifiee.geojson";
}

/// One GeoJSON file, ready to serve.
#[derive(Clone, Debug)]
pub struct Outline {
    /// The file as read (shared: served without a copy).
    pub json: Arc<[u8]>,
    /// The same, gzip-compressed.
    pub gzip: Arc<[u8]>,
    /// Features in the collection.
    pub features: usize,
}

/// The two outline layers.
#[derive(Clone, Debug)]
pub struct MapOutlines {
    departements: Outline,
    regions: Outline,
}

/// Why the outlines cannot be loaded.
#[derive(Debug, thiserror::Error)]
pub enum MapError {
    /// The file cannot be read.
    #[error("{file} : {source}")]
    Io {
        /// The file.
        file: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The file is not a GeoJSON feature collection.
    #[error("{file} : {reason}")]
    Invalid {
        /// The file.
        file: PathBuf,
        /// Why.
        reason: String,
    },
}

impl MapOutlines {
    /// Reads and checks both files of `dir`.
    pub fn load(dir: &DataDir) -> Result<Self, MapError> {
        Ok(Self {
            departements: outline(&dir.file(files::DEPARTEMENTS))?,
            regions: outline(&dir.file(files::REGIONS))?,
        })
    }

    /// The layer served as `/assets/geo/{name}`: `departements.geojson` or
    /// `regions.geojson`.
    pub fn get(&self, name: &str) -> Option<&Outline> {
        match name {
            "departements.geojson" => Some(&self.departements),
            "regions.geojson" => Some(&self.regions),
            _ => None,
        }
    }
}

fn outline(path: &Path) -> Result<Outline, MapError> {
    let json = std::fs::read(path).map_err(|source| MapError::Io {
        file: path.to_path_buf(),
        source,
    })?;
    let invalid = |reason: String| MapError::Invalid {
        file: path.to_path_buf(),
        reason,
    };
    let value: serde_json::Value =
        serde_json::from_slice(&json).map_err(|e| invalid(format!("JSON invalide ({e})")))?;
    if value["type"] != "FeatureCollection" {
        return Err(invalid("attendu une FeatureCollection GeoJSON".to_owned()));
    }
    let features = value["features"]
        .as_array()
        .map(Vec::len)
        .ok_or_else(|| invalid("aucune liste « features »".to_owned()))?;
    let mut encoder = GzEncoder::new(Vec::with_capacity(json.len() / 2), Compression::best());
    encoder
        .write_all(&json)
        .and_then(|()| encoder.try_finish())
        .map_err(|source| MapError::Io {
            file: path.to_path_buf(),
            source,
        })?;
    let gzip = Arc::from(encoder.get_ref().as_slice());
    Ok(Outline {
        json: Arc::from(json),
        gzip,
        features,
    })
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn the_real_outlines_load_and_their_gzip_is_the_same_file() {
        let dir = DataDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"));
        let map = MapOutlines::load(&dir).expect("outlines");
        let deps = map.get("departements.geojson").expect("départements");
        assert_eq!(deps.features, 96);
        assert_eq!(map.get("regions.geojson").map(|r| r.features), Some(13));
        assert!(map.get("communes.geojson").is_none());
        assert!(deps.gzip.len() < deps.json.len() / 2);
        let mut unzipped = Vec::new();
        flate2::read::GzDecoder::new(&deps.gzip[..])
            .read_to_end(&mut unzipped)
            .expect("gunzip");
        assert_eq!(unzipped, &deps.json[..]);
    }

    #[test]
    fn a_file_that_is_not_a_feature_collection_is_refused_naming_it() {
        let tmp = tempfile::tempdir().expect("tmp");
        std::fs::create_dir_all(tmp.path().join("geo")).expect("mkdir");
        std::fs::write(
            tmp.path().join(files::DEPARTEMENTS),
            b"{\"type\": \"Point\"}",
        )
        .expect("write");
        std::fs::write(tmp.path().join(files::REGIONS), b"not json").expect("write");
        let err = MapOutlines::load(&DataDir::new(tmp.path())).unwrap_err();
        assert!(
            err.to_string()
                .contains("departements-version-simplifiee.geojson"),
            "{err}"
        );
        assert!(err.to_string().contains("FeatureCollection"), "{err}");
    }
}
