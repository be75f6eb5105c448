//! Identifiers of the French administrative and training world, each parsed
//! once into a type whose value is known to be well-formed and canonical.
//!
//! Every type here wraps its canonical string: `Display`, [`as_str`] and
//! serde serialization give it back, and `FromStr` / `TryFrom` / serde
//! deserialization go through the type's `parse`, which is lenient on case
//! and surrounding spaces but strict on content.
//!
//! [`as_str`]: CodeRome::as_str

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use crate::error::{ParseError, echo};

/// Implements the conversions shared by every identifier, on top of its
/// `as_str`.
macro_rules! id_conversions {
    ($name:ident) => {
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = ParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = ParseError;
            fn try_from(s: &str) -> Result<Self, Self::Error> {
                Self::parse(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = ParseError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.as_str().to_owned()
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            /// Through `parse`, from a borrowed text when the format lends
            /// one (no allocation for a value already canonical).
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer
                    .deserialize_str($crate::ids::IdVisitor(std::marker::PhantomData::<$name>))
            }
        }
    };
}

/// Deserializes any identifier from a text, through its `parse`.
pub(crate) struct IdVisitor<T>(pub(crate) std::marker::PhantomData<T>);

impl<T> serde::de::Visitor<'_> for IdVisitor<T>
where
    T: for<'a> TryFrom<&'a str, Error = ParseError>,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an identifier as text")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<T, E> {
        T::try_from(text).map_err(E::custom)
    }
}

/// An identifier stored as a `String` (variable length).
macro_rules! string_id {
    ($name:ident) => {
        impl $name {
            /// The canonical form, as produced by `parse`.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        id_conversions!($name);
    };
}

/// A fixed-length ASCII code stored inline (no heap allocation): a million
/// companies each carry several codes, so this keeps the search index small.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Fixed<const N: usize>([u8; N]);

impl<const N: usize> Fixed<N> {
    /// `Some` when `s` is exactly `N` ASCII bytes.
    fn new(s: &str) -> Option<Self> {
        let bytes: [u8; N] = s.as_bytes().try_into().ok()?;
        bytes.is_ascii().then_some(Self(bytes))
    }

    fn as_str(&self) -> &str {
        // Only ASCII is ever stored (checked in `new`).
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl<const N: usize> fmt::Debug for Fixed<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// An identifier stored as a [`Fixed`] code.
macro_rules! fixed_id {
    ($name:ident) => {
        impl $name {
            /// The canonical form, as produced by `parse`.
            #[must_use]
            pub fn as_str(&self) -> &str {
                self.0.as_str()
            }
        }
        id_conversions!($name);
    };
}

mod company;

pub use company::{NafCode, Siren, Siret};

/// Whether every byte is an ASCII digit (true for an empty slice).
fn all_digits(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_digit)
}

/// The input without surrounding spaces, ASCII letters uppercased.
fn trimmed_upper(input: &str) -> Cow<'_, str> {
    let trimmed = input.trim();
    if trimmed.bytes().any(|b| b.is_ascii_lowercase()) {
        Cow::Owned(trimmed.to_ascii_uppercase())
    } else {
        // Already canonical (the common case: stored or snapshot values).
        Cow::Borrowed(trimmed)
    }
}

/// The input with every whitespace character removed (`"732 829 320"`).
fn without_spaces(input: &str) -> Cow<'_, str> {
    if input.chars().any(char::is_whitespace) {
        Cow::Owned(input.chars().filter(|c| !c.is_whitespace()).collect())
    } else {
        Cow::Borrowed(input)
    }
}

/// Whether two bytes start a valid département number: `01`–`95`, `2A`,
/// `2B`, or the overseas prefixes `97`/`98` when `overseas` is set.
fn departement_prefix(a: u8, b: u8, overseas: bool) -> bool {
    match (a, b) {
        (b'0', b'1'..=b'9') | (b'1'..=b'8', b'0'..=b'9') | (b'9', b'0'..=b'5') => true,
        (b'2', b'A' | b'B') => true,
        (b'9', b'7' | b'8') => overseas,
        _ => false,
    }
}

/// A ROME job code (Répertoire Opérationnel des Métiers et des Emplois):
/// one letter `A`–`N` and four digits, e.g. `F1603`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CodeRome(Fixed<5>);
fixed_id!(CodeRome);

impl CodeRome {
    /// Parses a ROME code; trims and uppercases (`" m1805"` → `M1805`).
    ///
    /// # Errors
    /// [`ParseError::CodeRome`] unless one letter `A`–`N` and 4 digits.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let s = trimmed_upper(input);
        match s.as_bytes() {
            [b'A'..=b'N', rest @ ..] if rest.len() == 4 && all_digits(rest) => Fixed::new(&s)
                .map(Self)
                .ok_or_else(|| ParseError::CodeRome(echo(input))),
            _ => Err(ParseError::CodeRome(echo(input))),
        }
    }

    /// The domain letter (`F` for `F1603`).
    #[must_use]
    pub fn domain(&self) -> char {
        self.as_str().chars().next().unwrap_or('?')
    }

    /// The sub-domain: the letter and the first two digits (`F16`).
    #[must_use]
    pub fn subdomain(&self) -> &str {
        self.as_str().get(..3).unwrap_or(self.as_str())
    }
}

/// An INSEE commune code (code officiel géographique): five characters, a
/// département number (`01`–`95`, `2A`/`2B` for Corsica) followed by digits,
/// or an overseas code `97xxx` / `98xxx`. Not to be confused with a postal code.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InseeCode(Fixed<5>);
fixed_id!(InseeCode);

impl InseeCode {
    /// Parses an INSEE commune code; trims and uppercases (`2a004` → `2A004`).
    ///
    /// # Errors
    /// [`ParseError::InseeCode`] unless 5 characters with a valid
    /// département prefix and 3 trailing digits.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let s = trimmed_upper(input);
        match s.as_bytes() {
            [a, b, rest @ ..]
                if rest.len() == 3 && all_digits(rest) && departement_prefix(*a, *b, true) =>
            {
                Fixed::new(&s)
                    .map(Self)
                    .ok_or_else(|| ParseError::InseeCode(echo(input)))
            }
            _ => Err(ParseError::InseeCode(echo(input))),
        }
    }

    /// The département part: 3 characters overseas (`974` for `97411`),
    /// else 2 (`2A` for `2A004`, `75` for `75056`).
    #[must_use]
    pub fn departement(&self) -> &str {
        let code = self.as_str();
        let len = if code.starts_with("97") || code.starts_with("98") {
            3
        } else {
            2
        };
        code.get(..len).unwrap_or(code)
    }

    /// The département as a [`DepartementCode`], `None` for overseas
    /// collectivities outside `971`–`976` (e.g. `98xxx`, `977xx`).
    #[must_use]
    pub fn departement_code(&self) -> Option<DepartementCode> {
        DepartementCode::parse(self.departement()).ok()
    }
}

/// A French postal code: exactly five digits, e.g. `01500`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PostalCode(Fixed<5>);
fixed_id!(PostalCode);

impl PostalCode {
    /// Parses a postal code; surrounding spaces are ignored.
    ///
    /// # Errors
    /// [`ParseError::PostalCode`] unless exactly 5 digits.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let s = input.trim();
        match Fixed::new(s) {
            Some(code) if all_digits(s.as_bytes()) => Ok(Self(code)),
            _ => Err(ParseError::PostalCode(echo(input))),
        }
    }
}

/// Check letters of a UAI, indexed by the 7-digit number modulo 23.
const UAI_LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPRSTUVWXYZ";

/// A UAI (Unité Administrative Immatriculée, ex-RNE): the national number
/// of a school or training centre, 7 digits and a check letter, e.g.
/// `0010826T`.
///
/// The check letter is enforced: it is `ABCDEFGHJKLMNPRSTUVWXYZ[n mod 23]`
/// where `n` is the 7-digit number. This was verified on the 933 real UAIs
/// of the CFA file (`cfa/CFASousConvRegionale_latest-UAI.csv`), all valid.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uai(String);
string_id!(Uai);

impl Uai {
    /// Parses a UAI; trims and uppercases the letter (`0010826t`).
    ///
    /// # Errors
    /// [`ParseError::Uai`] unless 7 digits and the matching check letter.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let s = trimmed_upper(input);
        let valid = match s.as_bytes() {
            [digits @ .., letter] if digits.len() == 7 && all_digits(digits) => {
                let n = digits
                    .iter()
                    .fold(0_usize, |n, d| n * 10 + usize::from(d.saturating_sub(b'0')));
                UAI_LETTERS.get(n % 23) == Some(letter)
            }
            _ => false,
        };
        if valid {
            Ok(Self(s.into_owned()))
        } else {
            Err(ParseError::Uai(echo(input)))
        }
    }
}

/// A CFD (code formation diplôme, Éducation nationale): 8 letters or digits,
/// e.g. `32031313`, `1351282C`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cfd(String);
string_id!(Cfd);

impl Cfd {
    /// Parses a CFD; trims and uppercases.
    ///
    /// # Errors
    /// [`ParseError::Cfd`] unless exactly 8 ASCII letters or digits.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let s = trimmed_upper(input);
        if s.len() == 8 && s.bytes().all(|b| b.is_ascii_alphanumeric()) {
            Ok(Self(s.into_owned()))
        } else {
            Err(ParseError::Cfd(echo(input)))
        }
    }
}

/// An RNCP certification code (Répertoire national des certifications
/// professionnelles), canonically `RNCP` and 1 to 6 digits, e.g. `RNCP38381`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RncpCode(String);
string_id!(RncpCode);

impl RncpCode {
    /// Parses an RNCP code with or without its prefix, any case, spaces
    /// allowed after the prefix: `RNCP38381`, `rncp 38381`, `38381`.
    ///
    /// The placeholder `NR` (non renseigné) is an error: callers that
    /// accept a missing code should test for it first.
    ///
    /// # Errors
    /// [`ParseError::RncpCode`] unless 1 to 6 digits remain.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let s = trimmed_upper(input);
        let digits = s.strip_prefix("RNCP").map_or(&*s, str::trim_start);
        if (1..=6).contains(&digits.len()) && all_digits(digits.as_bytes()) {
            Ok(Self(format!("RNCP{digits}")))
        } else {
            Err(ParseError::RncpCode(echo(input)))
        }
    }

    /// The number without the `RNCP` prefix (`38381`).
    #[must_use]
    pub fn digits(&self) -> &str {
        self.0.get(4..).unwrap_or_default()
    }
}

/// A département code: `01`–`95`, `2A`, `2B`, or overseas `971`–`976`.
///
/// `20` is accepted (the pre-1976 Corsica code, still inside `01`–`95`)
/// but no current commune uses it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DepartementCode(String);
string_id!(DepartementCode);

impl DepartementCode {
    /// Parses a département code; trims and uppercases (`2a` → `2A`).
    ///
    /// # Errors
    /// [`ParseError::DepartementCode`] outside the list above.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let s = trimmed_upper(input);
        let valid = match s.as_bytes() {
            [a, b] => departement_prefix(*a, *b, false),
            [b'9', b'7', b'1'..=b'6'] => true,
            _ => false,
        };
        if valid {
            Ok(Self(s.into_owned()))
        } else {
            Err(ParseError::DepartementCode(echo(input)))
        }
    }

    /// Whether this is an overseas département (`971`–`976`).
    #[must_use]
    pub fn is_overseas(&self) -> bool {
        self.0.len() == 3
    }
}
