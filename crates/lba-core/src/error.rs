//! The single error type of the crate: why a piece of text (or a number) is
//! not a valid domain value.
//!
//! Every variant carries the offending input, truncated to
//! [`MAX_ECHO_CHARS`] characters so that a huge garbage value cannot flood a
//! log line, and its message is in French because it may be shown to users.

/// How many characters of the offending input an error message echoes.
pub const MAX_ECHO_CHARS: usize = 40;

/// A value that could not be parsed into a domain type.
///
/// There is one variant per type; each holds the offending input (truncated,
/// see [`MAX_ECHO_CHARS`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash, thiserror::Error)]
pub enum ParseError {
    /// Not a ROME code ([`crate::ids::CodeRome`]).
    #[error(
        "code ROME invalide « {0} » : attendu une lettre de A à N suivie de 4 chiffres (ex. F1603)"
    )]
    CodeRome(String),
    /// Not an INSEE commune code ([`crate::ids::InseeCode`]).
    #[error(
        "code commune INSEE invalide « {0} » : attendu 5 caractères, un numéro de département \
         (01 à 95, 2A, 2B, 97 ou 98) puis des chiffres (ex. 75056, 2A004, 97411)"
    )]
    InseeCode(String),
    /// Not a postal code ([`crate::ids::PostalCode`]).
    #[error("code postal invalide « {0} » : attendu 5 chiffres (ex. 75001)")]
    PostalCode(String),
    /// Not a SIREN ([`crate::ids::Siren`]).
    #[error(
        "numéro SIREN invalide « {0} » : attendu 9 chiffres dont le dernier est une clé \
         de contrôle (Luhn) correcte (ex. 130025265)"
    )]
    Siren(String),
    /// Not a SIRET ([`crate::ids::Siret`]).
    #[error(
        "numéro SIRET invalide « {0} » : attendu 14 chiffres dont le dernier est une clé \
         de contrôle (Luhn) correcte (ex. 13002526500013)"
    )]
    Siret(String),
    /// Not a UAI ([`crate::ids::Uai`]).
    #[error(
        "code UAI invalide « {0} » : attendu 7 chiffres suivis de la lettre de contrôle \
         correspondante (ex. 0010826T)"
    )]
    Uai(String),
    /// Not a NAF code ([`crate::ids::NafCode`]).
    #[error(
        "code NAF invalide « {0} » : attendu 4 chiffres suivis d'une lettre, avec ou sans point (ex. 62.01Z)"
    )]
    NafCode(String),
    /// Not a diploma code ([`crate::ids::Cfd`]).
    #[error("code diplôme (CFD) invalide « {0} » : attendu 8 lettres ou chiffres (ex. 32031313)")]
    Cfd(String),
    /// Not an RNCP code ([`crate::ids::RncpCode`]).
    #[error(
        "code RNCP invalide « {0} » : attendu « RNCP » suivi de 1 à 6 chiffres (ex. RNCP38381)"
    )]
    RncpCode(String),
    /// Not a département code ([`crate::ids::DepartementCode`]).
    #[error("code département invalide « {0} » : attendu 01 à 95, 2A, 2B ou 971 à 976")]
    DepartementCode(String),
    /// Not a diploma level ([`crate::level::DiplomaLevel`]).
    #[error(
        "niveau de diplôme invalide « {0} » : attendu un niveau de 3 à 8 (ex. 5 ou « Niveau 5 »)"
    )]
    DiplomaLevel(String),
    /// Not a WGS84 point ([`crate::geo::GeoPoint`]).
    #[error(
        "coordonnées invalides « {0} » : attendu une latitude entre -90 et 90 et une longitude \
         entre -180 et 180, en degrés décimaux"
    )]
    GeoPoint(String),
    /// Lambert-93 coordinates that do not convert ([`crate::geo::lambert93_to_wgs84`]).
    #[error(
        "coordonnées Lambert-93 invalides « {0} » : attendu deux nombres finis x, y en mètres (ex. 652469, 6861825)"
    )]
    Lambert93(String),
    /// UTM coordinates that do not convert ([`crate::projection::utm_to_wgs84`]).
    #[error(
        "coordonnées UTM invalides « {0} » : attendu deux nombres finis x, y en mètres dans la zone (ex. 650000, 1780000)"
    )]
    Utm(String),
    /// Not a search radius ([`crate::geo::Radius`]).
    #[error(
        "rayon de recherche invalide « {0} » : attendu un nombre entier de kilomètres entre 0 et 200"
    )]
    Radius(String),
}

impl ParseError {
    /// The offending input as echoed in the message (possibly truncated).
    #[must_use]
    pub fn input(&self) -> &str {
        match self {
            Self::CodeRome(s)
            | Self::InseeCode(s)
            | Self::PostalCode(s)
            | Self::Siren(s)
            | Self::Siret(s)
            | Self::Uai(s)
            | Self::NafCode(s)
            | Self::Cfd(s)
            | Self::RncpCode(s)
            | Self::DepartementCode(s)
            | Self::DiplomaLevel(s)
            | Self::GeoPoint(s)
            | Self::Lambert93(s)
            | Self::Utm(s)
            | Self::Radius(s) => s,
        }
    }
}

/// Copies `input` for an error message, keeping at most [`MAX_ECHO_CHARS`]
/// characters and marking a cut with `…`.
pub(crate) fn echo(input: &str) -> String {
    match input.char_indices().nth(MAX_ECHO_CHARS) {
        None => input.to_owned(),
        Some((cut, _)) => {
            let mut out = String::with_capacity(cut + '…'.len_utf8());
            out.push_str(&input[..cut]);
            out.push('…');
            out
        }
    }
}
