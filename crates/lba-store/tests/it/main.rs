//! Storage tests: every test body runs on SQLite, and on PostgreSQL when
//! `LBA_TEST_PG_URL` is set.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers fail loudly"
)]

mod applications;
mod campaign_batch;
mod campaign_delivery;
mod campaign_throttle;
mod campaigns;
mod learning;
mod migrations;
mod orientation;
mod pro;
mod referentials;
mod schema_parity;
