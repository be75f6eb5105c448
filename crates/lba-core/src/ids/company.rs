//! Company identifiers: SIREN, SIRET (with their Luhn keys) and the NAF
//! activity code.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use super::{Fixed, all_digits, trimmed_upper, without_spaces};
use crate::error::{ParseError, echo};

/// Luhn checksum over ASCII digits: valid when the weighted sum is a
/// multiple of 10. The caller guarantees the bytes are digits.
fn luhn_valid(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let v = u32::from(d.saturating_sub(b'0'));
            if i % 2 == 1 {
                let doubled = v * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                v
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// A SIREN company number: nine digits whose last is a Luhn check digit.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Siren(String);
string_id!(Siren);

impl Siren {
    /// Parses a SIREN; spaces anywhere are removed first (`732 829 320`).
    ///
    /// # Errors
    /// [`ParseError::Siren`] unless 9 digits with a valid Luhn key.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let s = without_spaces(input);
        let b = s.as_bytes();
        if b.len() == 9 && all_digits(b) && luhn_valid(b) {
            Ok(Self(s.into_owned()))
        } else {
            Err(ParseError::Siren(echo(input)))
        }
    }
}

/// The SIREN of La Poste, whose establishments' SIRETs use another key.
const LA_POSTE_SIREN: &str = "356000000";

/// A SIRET establishment number: the 9-digit SIREN, a 5-digit NIC, and a
/// Luhn key over all 14 digits.
///
/// Exception: the establishments of La Poste (SIREN `356000000`) are too
/// many for the NIC/Luhn scheme; theirs are valid when the sum of the 14
/// digits is a multiple of 5.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Siret(Fixed<14>);
fixed_id!(Siret);

impl Siret {
    /// Parses a SIRET; spaces anywhere are removed first
    /// (`130 025 265 00013`).
    ///
    /// # Errors
    /// [`ParseError::Siret`] unless 14 digits with a valid key.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let s = without_spaces(input);
        let b = s.as_bytes();
        let valid = b.len() == 14
            && all_digits(b)
            && (luhn_valid(b)
                || (s.starts_with(LA_POSTE_SIREN)
                    && b.iter()
                        .map(|d| u32::from(d.saturating_sub(b'0')))
                        .sum::<u32>()
                        .is_multiple_of(5)));
        match Fixed::new(&s) {
            Some(code) if valid => Ok(Self(code)),
            _ => Err(ParseError::Siret(echo(input))),
        }
    }

    /// The company's SIREN: the first 9 digits. Its own key is not checked
    /// again (the SIRET key covers all 14 digits).
    #[must_use]
    pub fn siren(&self) -> Siren {
        Siren(self.as_str().get(..9).unwrap_or_default().to_owned())
    }

    /// The NIC (numéro interne de classement): the last 5 digits.
    #[must_use]
    pub fn nic(&self) -> &str {
        self.as_str().get(9..).unwrap_or_default()
    }
}

/// A NAF rev. 2 activity code (code APE) at sub-class level: 4 digits and a
/// letter, canonically without the dot, e.g. `0111Z`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NafCode(Fixed<5>);
fixed_id!(NafCode);

impl NafCode {
    /// Parses a NAF code, with or without the dot, any case:
    /// `0111Z`, `01.11Z`, `01.11z` → `0111Z`.
    ///
    /// # Errors
    /// [`ParseError::NafCode`] unless 4 digits and a letter.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let mut s = trimmed_upper(input);
        if s.len() == 6 && s.as_bytes().get(2) == Some(&b'.') {
            s.to_mut().remove(2);
        }
        match s.as_bytes() {
            [digits @ .., b'A'..=b'Z'] if digits.len() == 4 && all_digits(digits) => Fixed::new(&s)
                .map(Self)
                .ok_or_else(|| ParseError::NafCode(echo(input))),
            _ => Err(ParseError::NafCode(echo(input))),
        }
    }

    /// The first two digits: the NAF division (`01` for `0111Z`), which
    /// determines the section.
    #[must_use]
    pub fn section_prefix(&self) -> &str {
        self.as_str().get(..2).unwrap_or(self.as_str())
    }
}
