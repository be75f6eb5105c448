//! Use-case tests on real referential files, on SQLite and (when
//! `LBA_TEST_PG_URL` is set) PostgreSQL.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers fail loudly"
)]

mod catalogue;
mod cohort;
mod demo;
mod import_referentials;
