#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod guard;
mod lift;
mod regression;
mod score;
mod synthetic;
