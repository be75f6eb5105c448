//! Search index tests: radius search against a brute-force oracle, ranking
//! and filters, and autocomplete on the real referentials.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod classifier;
#[path = "../support/classifier_eval.rs"]
mod eval;
mod geo;
mod geo_edge;
#[path = "../support/metier_eval.rs"]
mod metier_eval;
mod metiers;
mod orientation;
mod places;
#[path = "../support/referentials.rs"]
mod support;
