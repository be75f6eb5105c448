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
//! Layout: `MAGIC`, the format's fingerprint, the two data versions, then
//! for each of the two sections its length and CRC-32 (all little-endian
//! integers: u64, lengths u64, CRCs u32), then the sections in postcard:
//! the companies apart, so that they are decoded and indexed on one thread
//! while everything else is on another.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use lba_core::opportunity::{Company, Formation, Offer};
use lba_core::referential::ReferentialData;
use lba_search::Index;
use lba_store::opportunities::DataVersions;
use serde::ser::{SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

const MAGIC: &[u8; 8] = b"LBA-IDX\0";
/// Magic, fingerprint, two versions, two (length, CRC) pairs.
const HEADER: usize = 8 + 8 + 8 + 8 + (8 + 4) * 2;
/// Raise when the payload changes in a way the fingerprint below would not
/// see.
const FORMAT: u32 = 2;

/// Why a snapshot was not used.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// No file (the first start, or snapshots were just enabled).
    #[error("no snapshot")]
    Missing,
    /// Written before the data last changed.
    #[error("written at {snapshot:?}, the store is at {store:?}")]
    OutOfDate {
        /// The versions it was written at.
        snapshot: DataVersions,
        /// The store's.
        store: DataVersions,
    },
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

/// Everything but the companies, as read back.
#[derive(Debug, Deserialize)]
struct Rest {
    data: ReferentialData,
    formations: Vec<Formation>,
    offers: Vec<Offer>,
    posted_by_cfa: HashMap<String, String>,
}

/// The same fields, borrowed from a built index.
#[derive(Serialize)]
struct RestRef<'a> {
    data: &'a ReferentialData,
    formations: Docs<'a, Formation>,
    offers: Docs<'a, Offer>,
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
    let encoding = |e: postcard::Error| SnapshotError::Corrupt {
        path: path.to_owned(),
        detail: e.to_string(),
    };
    let rest = postcard::to_stdvec(&RestRef {
        data,
        formations: Docs(&index.formations.docs),
        offers: Docs(&index.offers.docs),
        posted_by_cfa: &index.posted_by_cfa,
    })
    .map_err(encoding)?;
    let companies = postcard::to_stdvec(&Docs(&index.companies.docs)).map_err(encoding)?;
    let io = |source| SnapshotError::Io {
        path: path.to_owned(),
        source,
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    // A name of its own, so that two writers (two processes given the same
    // path by mistake) never write into one temporary file.
    static WRITES: AtomicU64 = AtomicU64::new(0);
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(
        ".{}.{}.tmp",
        std::process::id(),
        WRITES.fetch_add(1, Ordering::Relaxed)
    ));
    let temporary = PathBuf::from(temporary);
    let mut header = Vec::with_capacity(HEADER);
    header.extend_from_slice(MAGIC);
    header.extend_from_slice(&fingerprint().to_le_bytes());
    header.extend_from_slice(&versions.opportunities.to_le_bytes());
    header.extend_from_slice(&versions.offers.to_le_bytes());
    for section in [&rest, &companies] {
        header.extend_from_slice(&(section.len() as u64).to_le_bytes());
        header.extend_from_slice(&crc32fast::hash(section).to_le_bytes());
    }
    let written = (|| {
        let mut out = BufWriter::new(std::fs::File::create(&temporary)?);
        for part in [&header, &rest, &companies] {
            out.write_all(part)?;
        }
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if let Err(e) = written {
        // Do not leave a partial file behind (a full disk, say).
        let _ = std::fs::remove_file(&temporary);
        return Err(io(e));
    }
    Ok((header.len() + rest.len() + companies.len()) as u64)
}

/// The header's fields, read in order.
struct Fields<'a>(&'a [u8]);

impl Fields<'_> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (field, rest) = self.0.split_at_checked(N)?;
        self.0 = rest;
        field.try_into().ok()
    }
}

/// Builds the index of the snapshot at `path` when it was written at the
/// store's `versions` (offers not open at `now` left out).
///
/// # Errors
/// [`SnapshotError::Missing`] without a file, [`SnapshotError::OutOfDate`]
/// when the data changed since, the other variants when it cannot be used.
pub(crate) fn load(
    path: &Path,
    versions: DataVersions,
    now: DateTime<Utc>,
) -> Result<Index, SnapshotError> {
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
    let corrupt = |detail: String| SnapshotError::Corrupt {
        path: path.to_owned(),
        detail,
    };
    let mut header = Fields(&bytes);
    let magic: Option<[u8; 8]> = header.take();
    let fingerprint_bytes = header.take().map(u64::from_le_bytes);
    if magic.as_ref() != Some(MAGIC) || fingerprint_bytes != Some(fingerprint()) {
        return Err(SnapshotError::OtherFormat(path.to_owned()));
    }
    let (Some(opportunities), Some(offers)) = (header.take(), header.take()) else {
        return Err(corrupt("shorter than its header".into()));
    };
    let written = DataVersions {
        opportunities: i64::from_le_bytes(opportunities),
        offers: i64::from_le_bytes(offers),
    };
    if written != versions {
        return Err(SnapshotError::OutOfDate {
            snapshot: written,
            store: versions,
        });
    }
    let mut sections = Vec::with_capacity(2);
    let mut at = HEADER;
    for _ in 0..2 {
        let (Some(length), Some(crc)) = (header.take(), header.take()) else {
            return Err(corrupt("shorter than its header".into()));
        };
        let length = usize::try_from(u64::from_le_bytes(length)).unwrap_or(usize::MAX);
        let section = at
            .checked_add(length)
            .and_then(|end| bytes.get(at..end))
            .ok_or_else(|| corrupt("truncated".into()))?;
        sections.push((section, u32::from_le_bytes(crc)));
        at += length;
    }
    if at != bytes.len() {
        return Err(corrupt("bytes after the sections".into()));
    }
    let (rest, companies) = (sections[0], sections[1]);
    std::thread::scope(|scope| {
        let companies = scope.spawn(move || {
            let companies: Vec<Company> = from_bytes(checked(companies)?)?;
            Ok::<_, String>(Index::company_index(companies))
        });
        let rest: Rest = from_bytes(checked(rest).map_err(&corrupt)?).map_err(&corrupt)?;
        let mut index = Index::build_without_companies(
            &rest.data,
            rest.formations,
            rest.offers,
            versions.combined(),
            now,
        );
        index.base_version = versions.opportunities;
        index.posted_by_cfa = rest.posted_by_cfa;
        let companies = match companies.join() {
            Ok(companies) => companies.map_err(&corrupt)?,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        Ok(index.with_companies(companies))
    })
}

/// The section, when its CRC-32 is the one written.
fn checked((section, crc): (&[u8], u32)) -> Result<&[u8], String> {
    if crc32fast::hash(section) == crc {
        Ok(section)
    } else {
        Err("checksum mismatch".to_owned())
    }
}

/// The whole of `section` decoded.
fn from_bytes<'a, T: Deserialize<'a>>(section: &'a [u8]) -> Result<T, String> {
    let (value, rest) = postcard::take_from_bytes::<T>(section).map_err(|e| e.to_string())?;
    if rest.is_empty() {
        Ok(value)
    } else {
        Err("bytes after the records".to_owned())
    }
}
