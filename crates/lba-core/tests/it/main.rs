//! Integration tests of `lba-core`: one binary, one module per source module.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

mod application;
mod architecture;
mod contact;
mod geo;
mod ids;
mod level;
mod projection;
mod text;

/// Asserts that `value` serializes to `json` and deserializes back to itself.
pub fn assert_serde_round_trip<T>(value: &T, json: &str)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    assert_eq!(serde_json::to_string(value).unwrap(), json);
    let back: T = serde_json::from_str(json).unwrap();
    assert_eq!(&back, value);
}

/// Reads a file of the shared data directory as Latin-1, or `None` (with a
/// note on stderr) when the directory is absent from this checkout.
pub fn read_shared_latin1(relative: &str) -> Option<String> {
    let path = format!(
        "{}/../../../shared/data/{relative}",
        env!("CARGO_MANIFEST_DIR")
    );
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes.iter().map(|&b| char::from(b)).collect()),
        Err(e) => {
            eprintln!("note: skipping real-data test, cannot read {path}: {e}");
            None
        }
    }
}
