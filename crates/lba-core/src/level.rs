//! Diploma levels of the French national framework (nomenclature de 2019,
//! aligned on the European framework): 3 (CAP) to 8 (doctorate).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{ParseError, echo};

/// A diploma level from 3 (CAP, BEP) to 8 (doctorate).
///
/// Serialized as a number; deserialized from a number or from any text
/// [`DiplomaLevel::parse`] accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DiplomaLevel(u8);

impl DiplomaLevel {
    /// The lowest level (CAP, BEP).
    pub const MIN: Self = Self(3);
    /// The highest level (doctorate).
    pub const MAX: Self = Self(8);

    /// Builds a level from its number.
    ///
    /// # Errors
    /// [`ParseError::DiplomaLevel`] outside `3..=8`.
    pub fn new(level: u8) -> Result<Self, ParseError> {
        if (3..=8).contains(&level) {
            Ok(Self(level))
        } else {
            Err(ParseError::DiplomaLevel(level.to_string()))
        }
    }

    /// Parses a level written as `5`, `Niveau 5`, `niveau 5`, `NIV5`, or a
    /// label starting with the number such as `4 (Bac, Bac pro, BP)`.
    ///
    /// # Errors
    /// [`ParseError::DiplomaLevel`] when no level `3..=8` leads the text.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let err = || ParseError::DiplomaLevel(echo(input));
        let s = input.trim();
        let lower = s.get(..6).map(str::to_ascii_lowercase);
        let s = match lower.as_deref() {
            Some("niveau") => s.get(6..).unwrap_or_default(),
            _ => match s.get(..3).map(str::to_ascii_lowercase).as_deref() {
                Some("niv") => s.get(3..).unwrap_or_default(),
                _ => s,
            },
        }
        .trim_start();
        let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let (number, rest) = s.split_at(end);
        if number.is_empty() || rest.starts_with(|c: char| c.is_alphanumeric()) {
            return Err(err());
        }
        let level: u8 = number.parse().map_err(|_| err())?;
        Self::new(level).map_err(|_| err())
    }

    /// The level number, `3..=8`.
    #[must_use]
    pub fn get(self) -> u8 {
        self.0
    }

    /// The level number as text, `"3"` to `"8"`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self.0 {
            3 => "3",
            4 => "4",
            5 => "5",
            6 => "6",
            7 => "7",
            _ => "8",
        }
    }

    /// The usual French name of the diplomas at this level.
    #[must_use]
    pub fn label_fr(self) -> &'static str {
        match self.0 {
            3 => "CAP, BEP",
            4 => "Bac, Bac pro, BP",
            5 => "BTS, DUT, Bac+2",
            6 => "Licence, Bachelor, Bac+3",
            7 => "Master, ingénieur, Bac+5",
            _ => "Doctorat",
        }
    }
}

/// Parses the level column of RNCP / France Compétences files, where `NR`
/// (non renseigné, any case) or an empty cell means "unknown".
///
/// # Errors
/// [`ParseError::DiplomaLevel`] for text that is neither empty, `NR`, nor a
/// level [`DiplomaLevel::parse`] accepts.
pub fn parse_rncp_level(input: &str) -> Result<Option<DiplomaLevel>, ParseError> {
    let s = input.trim();
    if s.is_empty() || s.eq_ignore_ascii_case("NR") {
        Ok(None)
    } else {
        DiplomaLevel::parse(input).map(Some)
    }
}

impl fmt::Display for DiplomaLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DiplomaLevel {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<&str> for DiplomaLevel {
    type Error = ParseError;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Self::parse(s)
    }
}

impl TryFrom<String> for DiplomaLevel {
    type Error = ParseError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl TryFrom<u8> for DiplomaLevel {
    type Error = ParseError;
    fn try_from(level: u8) -> Result<Self, Self::Error> {
        Self::new(level)
    }
}

impl From<DiplomaLevel> for u8 {
    fn from(level: DiplomaLevel) -> u8 {
        level.0
    }
}

impl Serialize for DiplomaLevel {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.0)
    }
}

/// From JSON and other human-readable formats, a number or a text (`5`,
/// `"5"`, `"Niveau 5"`); from binary formats (the search index snapshot),
/// the number [`Serialize`] writes, since they cannot guess a type.
impl<'de> Deserialize<'de> for DiplomaLevel {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = if deserializer.is_human_readable() {
            RawLevel::deserialize(deserializer)?
        } else {
            RawLevel::Number(u64::from(u8::deserialize(deserializer)?))
        };
        Self::try_from(raw).map_err(serde::de::Error::custom)
    }
}

/// What a level may be deserialized from: a number or a text.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawLevel {
    /// `5`.
    Number(u64),
    /// `"5"`, `"Niveau 5"`.
    Text(String),
}

impl TryFrom<RawLevel> for DiplomaLevel {
    type Error = ParseError;
    fn try_from(raw: RawLevel) -> Result<Self, Self::Error> {
        match raw {
            RawLevel::Number(n) => u8::try_from(n)
                .map_err(|_| ParseError::DiplomaLevel(n.to_string()))
                .and_then(Self::new),
            RawLevel::Text(s) => Self::parse(&s),
        }
    }
}
