//! End-to-end tests of the `lba` binary.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers fail loudly"
)]

mod campaign;
mod campaign_e2e;
mod campaign_flow;
mod cfa;
mod commands;
mod demo;
mod impact;
mod import_catalogue;
mod import_companies;
mod import_offers;
mod model;
mod modules;
mod nodes;
mod serve;
mod sms_settings;

use std::path::PathBuf;
use std::process::{Command, Output};

/// The real data directory beside the checkout.
pub fn shared_data() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"))
}

/// `lba` with a clean environment for the settings it reads.
pub fn lba() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lba"));
    for var in [
        "LBA_DATABASE_URL",
        "LBA_DATA_DIR",
        "LBA_ADDR",
        "LBA_LOG",
        "LBA_FT_API_URL",
        "LBA_FT_TOKEN_URL",
        "LBA_FT_CLIENT_ID",
        "LBA_FT_CLIENT_SECRET",
    ] {
        command.env_remove(var);
    }
    command.env("CI", "1");
    command
}

/// Runs and returns (success, stdout, stderr).
pub fn run(command: &mut Command) -> (bool, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().unwrap();
    (
        status.success(),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

/// Whether the SMTP tests run: python3 with aiosmtpd must be there. A
/// missing aiosmtpd fails the test (a machine without it cannot pass
/// silently); `LBA_SKIP_SMTP_TESTS=1` skips them on purpose.
pub fn smtp_available() -> bool {
    if std::env::var_os("LBA_SKIP_SMTP_TESTS").is_some() {
        return false;
    }
    let ok = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "python3 with aiosmtpd is needed: python3 -m pip install aiosmtpd (or LBA_SKIP_SMTP_TESTS=1)"
    );
    true
}
