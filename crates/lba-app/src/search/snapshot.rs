//! A file with everything the search index is built from, so that a node
//! restarts without reading the whole store: decoding this file is many
//! times faster than loading a million rows through the database driver.
//!
//! The file is written after each build (in the background) and read at
//! start. It is used only when it was written for the store's current data
//! versions (every import, exclusion and pro-space offer write bumps one of
//! them, and so does a referentials import), by this very format: anything
//! else (another version, another format, a corrupt or truncated file) is
//! ignored and the index is built from the store as before. It is a cache
//! local to each node, never shared between nodes.
//!
//! Layout: `MAGIC`, the format's fingerprint (u64), the payload's length
//! (u64) and CRC-32 (u32), all little-endian, then the payload in postcard.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lba_core::opportunity::{Company, Formation, Offer};
use lba_core::referential::ReferentialData;
use lba_search::Index;
use lba_store::opportunities::DataVersions;
use serde::ser::{SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

const MAGIC: &[u8; 8] = b"LBA-IDX\0";
const HEADER: usize = 8 + 8 + 8 + 4;
/// Raise when the payload changes in a way the fingerprint below would not
/// see.
const FORMAT: u32 = 1;

/// Why a snapshot was not used.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// No file (the first start, or snapshots were just enabled).
    #[error("no snapshot")]
    Missing,
    /// The file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
    /// Not a snapshot of this format (another version of the program).
    #[error("{0}: written by another version of lba")]
    OtherFormat(PathBuf),
    /// Truncated, corrupt or undecodable.
    #[error("{path}: corrupt snapshot ({detail})")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
}

/// What the index is built from, as read back.
#[derive(Debug, Deserialize)]
pub(crate) struct Contents {
    /// The store's versions the records were read at.
    pub opportunities_version: i64,
    /// See `opportunities_version`.
    pub offers_version: i64,
    pub data: ReferentialData,
    pub formations: Vec<Formation>,
    pub offers: Vec<Offer>,
    pub companies: Vec<Company>,
    pub posted_by_cfa: HashMap<String, String>,
}

impl Contents {
    /// The data versions the snapshot was written at.
    pub(crate) fn versions(&self) -> DataVersions {
        DataVersions {
            opportunities: self.opportunities_version,
            offers: self.offers_version,
        }
    }
}

/// The same fields, borrowed from a built index (the order of the fields is
/// the order of [`Contents`]).
#[derive(Serialize)]
struct ContentsRef<'a> {
    opportunities_version: i64,
    offers_version: i64,
    data: &'a ReferentialData,
    formations: Docs<'a, Formation>,
    offers: Docs<'a, Offer>,
    companies: Docs<'a, Company>,
    posted_by_cfa: &'a HashMap<String, String>,
}

/// The documents of an index kind, serialised as a plain sequence.
struct Docs<'a, T>(&'a [Arc<T>]);

impl<T: Serialize> Serialize for Docs<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for doc in self.0 {
            seq.serialize_element(doc.as_ref())?;
        }
        seq.end()
    }
}

/// Identifies the layout of the payload: postcard writes no field names,
/// so a payload is only readable by a program whose types are the same.
/// The sizes of the record types change with almost every change of their
/// fields; `FORMAT` covers the rest.
fn fingerprint() -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    FORMAT.hash(&mut h);
    env!("CARGO_PKG_VERSION").hash(&mut h);
    for (name, size) in [
        ("Formation", size_of::<Formation>()),
        ("Offer", size_of::<Offer>()),
        ("Company", size_of::<Company>()),
        ("Place", size_of::<lba_core::opportunity::Place>()),
        ("Session", size_of::<lba_core::opportunity::Session>()),
        ("RomeScore", size_of::<lba_core::opportunity::RomeScore>()),
        ("ReferentialData", size_of::<ReferentialData>()),
        ("RomeRef", size_of::<lba_core::referential::RomeRef>()),
        (
            "AppellationRef",
            size_of::<lba_core::referential::AppellationRef>(),
        ),
        ("DiplomaRef", size_of::<lba_core::referential::DiplomaRef>()),
        ("CommuneRef", size_of::<lba_core::referential::CommuneRef>()),
        ("CfaRef", size_of::<lba_core::referential::CfaRef>()),
        ("RomeNafRef", size_of::<lba_core::referential::RomeNafRef>()),
    ] {
        name.hash(&mut h);
        size.hash(&mut h);
    }
    h.finish()
}

/// Writes the snapshot of `index` (built at `versions` from `data`) to
/// `path`, through a temporary file renamed at the end: a reader never sees
/// half a file.
///
/// # Errors
/// [`SnapshotError::Io`] when the file cannot be written,
/// [`SnapshotError::Corrupt`] when the records cannot be encoded.
pub(crate) fn write(
    path: &Path,
    versions: DataVersions,
    data: &ReferentialData,
    index: &Index,
) -> Result<u64, SnapshotError> {
    let contents = ContentsRef {
        opportunities_version: versions.opportunities,
        offers_version: versions.offers,
        data,
        formations: Docs(&index.formations.docs),
        offers: Docs(&index.offers.docs),
        companies: Docs(&index.companies.docs),
        posted_by_cfa: &index.posted_by_cfa,
    };
    let payload = postcard::to_stdvec(&contents).map_err(|e| SnapshotError::Corrupt {
        path: path.to_owned(),
        detail: e.to_string(),
    })?;
    let io = |source| SnapshotError::Io {
        path: path.to_owned(),
        source,
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    let temporary = PathBuf::from(temporary);
    let file = std::fs::File::create(&temporary).map_err(io)?;
    let mut out = BufWriter::new(file);
    out.write_all(MAGIC).map_err(io)?;
    out.write_all(&fingerprint().to_le_bytes()).map_err(io)?;
    out.write_all(&(payload.len() as u64).to_le_bytes())
        .map_err(io)?;
    out.write_all(&crc32fast::hash(&payload).to_le_bytes())
        .map_err(io)?;
    out.write_all(&payload).map_err(io)?;
    out.into_inner()
        .map_err(|e| io(e.into_error()))?
        .sync_all()
        .map_err(io)?;
    std::fs::rename(&temporary, path).map_err(io)?;
    Ok((HEADER + payload.len()) as u64)
}

/// Reads the snapshot at `path`.
///
/// # Errors
/// [`SnapshotError::Missing`] without a file, the other variants when it
/// cannot be used.
pub(crate) fn read(path: &Path) -> Result<Contents, SnapshotError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(SnapshotError::Missing),
        Err(source) => {
            return Err(SnapshotError::Io {
                path: path.to_owned(),
                source,
            });
        }
    };
    let corrupt = |detail: &str| SnapshotError::Corrupt {
        path: path.to_owned(),
        detail: detail.to_owned(),
    };
    let (Some(magic), Some(fingerprint_bytes), Some(length), Some(crc)) = (
        bytes.get(0..8),
        bytes.get(8..16),
        bytes.get(16..24),
        bytes.get(24..HEADER),
    ) else {
        return Err(corrupt("shorter than its header"));
    };
    let number = |b: &[u8]| {
        let mut eight = [0u8; 8];
        eight[..b.len()].copy_from_slice(b);
        u64::from_le_bytes(eight)
    };
    if magic != MAGIC || number(fingerprint_bytes) != fingerprint() {
        return Err(SnapshotError::OtherFormat(path.to_owned()));
    }
    let payload = &bytes[HEADER..];
    if number(length) != payload.len() as u64 {
        return Err(corrupt("truncated"));
    }
    if u64::from(crc32fast::hash(payload)) != number(crc) {
        return Err(corrupt("checksum mismatch"));
    }
    let (contents, rest) =
        postcard::take_from_bytes::<Contents>(payload).map_err(|e| corrupt(&e.to_string()))?;
    if !rest.is_empty() {
        return Err(corrupt("bytes after the payload"));
    }
    Ok(contents)
}
