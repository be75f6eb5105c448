//! The raw form fields: the submitted pairs, and the parsing of lists, numbers
//! and Paris dates typed in them.

use super::*;

/// The submitted pairs of a urlencoded form.
pub(crate) struct Pairs(pub(crate) Vec<(String, String)>);

impl Pairs {
    /// The first value of `name`, or "".
    pub(crate) fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// Every value of `name`.
    pub(crate) fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// Whether a checkbox `name` is ticked.
    pub(crate) fn checked(&self, name: &str) -> bool {
        self.0.iter().any(|(k, v)| k == name && !v.is_empty())
    }
}

/// The items of a list typed with commas, semicolons or spaces.
pub(crate) fn list(s: &str) -> Vec<String> {
    s.split([',', ';', ' ', '\n'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_owned)
        .collect()
}

pub(super) fn number<T: std::str::FromStr>(s: &str, field: &str) -> Result<T, FieldError> {
    s.trim()
        .parse()
        .map_err(|_| FieldError::new(field, format!("nombre entier attendu (saisi : « {s} »)")))
}

/// `2026-04-01T09:30` in Europe/Paris to UTC.
pub(super) fn parse_paris(s: &str) -> Option<DateTime<Utc>> {
    let local = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    Paris
        .from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// A UTC instant as `datetime-local` in Europe/Paris.
pub(crate) fn paris_local(t: DateTime<Utc>) -> String {
    t.with_timezone(&Paris).format("%Y-%m-%dT%H:%M").to_string()
}
