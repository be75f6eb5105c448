//! Use-case tests on real referential files, on SQLite and (when
//! `LBA_TEST_PG_URL` is set) PostgreSQL.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers fail loudly"
)]

mod apply;
mod appointments;
mod campaigns;
mod catalogue;
mod cohort;
mod companies;
mod demo;
mod ft_client;
mod impact;
mod import_referentials;
mod index_snapshot;
mod model;
mod offers;
mod orientation;
mod pro;
mod sirene;
