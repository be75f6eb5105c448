//! The search request, shared by the v1 API and the search pages: the
//! parameters as typed (text), checked against the index snapshot, into a
//! [`lba_search::SearchQuery`]. Each parser records a French message naming
//! the parameter in [`Problems`], so that a request gets all its errors at
//! once; the web layer renders them (v1 JSON or next to the form's fields).

use std::fmt::Display;

pub mod build;
pub mod lookup;
pub mod params;

pub use build::{RegionQuery, SearchRequest, courses_in_area, formations, jobs, region};
pub use params::{Sources, text};

/// How many characters of a bad value an error message echoes.
const MAX_ECHO_CHARS: usize = 40;

/// The problems of a request, each `"param : message"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrongParameters(pub Vec<String>);

/// Collects the problems of a request so that all of them are reported at
/// once, as the v1 API did.
#[derive(Debug, Default)]
pub struct Problems(Vec<String>);

impl Problems {
    /// Records a problem with `param`.
    pub fn add(&mut self, param: &str, message: impl Display) {
        self.0.push(format!("{param} : {message}"));
    }

    /// The messages recorded, each `"param : message"`.
    pub fn into_messages(self) -> Vec<String> {
        self.0
    }

    /// How many problems were recorded.
    pub fn count(&self) -> usize {
        self.0.len()
    }

    /// The value of `result`, or `None` after recording its error.
    pub fn check<T, E: Display>(&mut self, param: &str, result: Result<T, E>) -> Option<T> {
        result.map_err(|e| self.add(param, e)).ok()
    }

    /// The problems as an error when one was recorded (the v1 API answers
    /// it with a 400 `wrong_parameters`).
    ///
    /// # Errors
    /// When a problem was recorded.
    pub fn finish(self) -> Result<(), WrongParameters> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(WrongParameters(self.0))
        }
    }

    /// `value` when no problem was recorded, else the 400 error. The
    /// parsers record a problem whenever they give `None`; a `None` without
    /// one still gives a 400 rather than a panic.
    ///
    /// # Errors
    /// When a problem was recorded, or `value` is `None`.
    pub fn finish_with<T>(self, value: Option<T>) -> Result<T, WrongParameters> {
        self.finish()?;
        value.ok_or_else(|| WrongParameters(vec!["requête : paramètres invalides".to_owned()]))
    }
}

/// Copies `input` for an error message, at most [`MAX_ECHO_CHARS`]
/// characters, a cut marked with `…`.
pub fn echo(input: &str) -> String {
    truncate(input, MAX_ECHO_CHARS)
}

/// At most `max` characters of `input`, a cut marked with `…`.
pub fn truncate(input: &str, max: usize) -> String {
    match input.char_indices().nth(max) {
        None => input.to_owned(),
        Some((cut, _)) => format!("{}…", input.get(..cut).unwrap_or_default()),
    }
}
