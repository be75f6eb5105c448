//! Email delivery tests against a real SMTP server on loopback (Python
//! `aiosmtpd`, started by the tests; skipped with a printed reason when
//! python3 or aiosmtpd is missing), on SQLite and, when `LBA_TEST_PG_URL`
//! is set, PostgreSQL.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers fail loudly"
)]

mod campaign;
mod clamav;
mod concurrency;
mod delivery;
mod links;
mod privacy;
mod pro;
mod sms_gateway;
mod support;
