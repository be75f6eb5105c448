//! Contact details of people (candidates, parents, recruiters): an e-mail
//! address and a French phone number, parsed once.
//!
//! Their errors never echo the input: a contact is personal data, and an
//! error may end up in a log line.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a contact detail is not valid. Messages are in French (they may be
/// shown next to a form field) and never repeat the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
pub enum ContactError {
    /// Not an e-mail address.
    #[error("adresse e-mail invalide : attendu nom@domaine.fr")]
    Email,
    /// An address of a disposable (throw-away) mail service.
    #[error("les adresses e-mail jetables ne sont pas acceptées")]
    DisposableEmail,
    /// Not a French phone number.
    #[error(
        "numéro de téléphone invalide : attendu un numéro français à 10 chiffres \
         (ex. 06 12 34 56 78) ou au format international (+33 6 12 34 56 78)"
    )]
    Phone,
    /// A premium-rate or shared-cost number (08 1x, 08 2x, 08 9x).
    #[error("les numéros surtaxés (08 1x, 08 2x, 08 9x) ne sont pas acceptés")]
    PremiumPhone,
}

/// Longest address accepted (RFC 5321 path limit).
const MAX_EMAIL_LEN: usize = 254;

/// An e-mail address: trimmed, domain lowercased, `local@domain.tld`
/// syntax with the characters mail services actually accept (no quoted
/// local parts, no IP-literal domains).
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Parses an address; see the type's documentation for what is kept.
    pub fn parse(input: &str) -> Result<Self, ContactError> {
        let input = input.trim();
        if input.is_empty() || input.len() > MAX_EMAIL_LEN {
            return Err(ContactError::Email);
        }
        let (local, domain) = input.rsplit_once('@').ok_or(ContactError::Email)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
        let domain = domain.to_ascii_lowercase();
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            && labels
                .last()
                .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
        if !(local_ok && domain_ok) {
            return Err(ContactError::Email);
        }
        Ok(Self(format!("{local}@{domain}")))
    }

    /// Parses an address and refuses those of disposable mail services
    /// (see [`is_disposable_domain`]).
    pub fn parse_personal(input: &str) -> Result<Self, ContactError> {
        let email = Self::parse(input)?;
        if is_disposable_domain(email.domain()) {
            return Err(ContactError::DisposableEmail);
        }
        Ok(email)
    }

    /// The address.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The address as comparisons use it (see [`normalized_address`]):
    /// `Jeanne.Martin@example.fr` and `jeanne.martin@example.fr` are one
    /// mailbox for the quotas, suppressions and opt-outs. Mail is still sent
    /// to [`Email::as_str`].
    #[must_use]
    pub fn normalized(&self) -> String {
        normalized_address(&self.0)
    }

    /// The part after `@`, lowercase.
    #[must_use]
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, domain)| domain)
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Only the domain: the address is personal data.
impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Email(…@{})", self.domain())
    }
}

impl TryFrom<String> for Email {
    type Error = ContactError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

/// The form of an e-mail address (or an E.164 number, unchanged) that
/// quotas, suppression lists, deduplication and opt-outs compare: trimmed
/// and lowercased. Mail services do not tell `Case@` from `case@`, so
/// neither may a quota; the address as typed is what mail is sent to.
#[must_use]
pub fn normalized_address(address: &str) -> String {
    address.trim().to_lowercase()
}

/// Domains of well-known disposable (throw-away) mail services. A short
/// embedded list, not an exhaustive one: it stops the common cases without
/// a network look-up.
pub const DISPOSABLE_DOMAINS: &[&str] = &[
    "10minutemail.com",
    "10minutemail.net",
    "20minutemail.com",
    "33mail.com",
    "anonbox.net",
    "burnermail.io",
    "discard.email",
    "dispostable.com",
    "emailondeck.com",
    "fakeinbox.com",
    "getairmail.com",
    "getnada.com",
    "guerrillamail.biz",
    "guerrillamail.com",
    "guerrillamail.de",
    "guerrillamail.info",
    "guerrillamail.net",
    "guerrillamail.org",
    "guerrillamailblock.com",
    "jetable.org",
    "maildrop.cc",
    "mailinator.com",
    "mailinator.net",
    "mailnesia.com",
    "mintemail.com",
    "mohmal.com",
    "mytemp.email",
    "nada.email",
    "sharklasers.com",
    "spambox.us",
    "spamgourmet.com",
    "temp-mail.io",
    "temp-mail.org",
    "tempail.com",
    "tempmail.com",
    "tempmail.net",
    "tempmailo.com",
    "tempr.email",
    "throwawaymail.com",
    "trashmail.com",
    "trashmail.de",
    "trashmail.fr",
    "trashmail.net",
    "yopmail.com",
    "yopmail.fr",
    "yopmail.net",
    "cool.fr.nf",
    "jetable.fr.nf",
    "courriel.fr.nf",
    "moncourrier.fr.nf",
    "monemail.fr.nf",
    "monmail.fr.nf",
];

/// Whether `domain` (lowercase) or one of its parent domains is a known
/// disposable mail service.
#[must_use]
pub fn is_disposable_domain(domain: &str) -> bool {
    let mut rest = domain;
    loop {
        if DISPOSABLE_DOMAINS.contains(&rest) {
            return true;
        }
        match rest.split_once('.') {
            Some((_, parent)) if parent.contains('.') => rest = parent,
            _ => return false,
        }
    }
}

/// A French phone number (metropolitan or overseas), stored in E.164
/// (`+33612345678`, `+262692123456`).
///
/// Accepts the national form (`06 12 34 56 78`, with spaces, dots or
/// dashes) and the international forms `+33…`, `0033…`, `+33 (0)6…`;
/// overseas numbers (`0690…`, `0262…`) get their own country code
/// (+590, +594, +596, +262, +269 is not French: Mayotte is +262).
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

/// Overseas prefixes (the first 4 national digits) and their country code.
const OVERSEAS: &[(&str, &str)] = &[
    // Guadeloupe, Saint-Martin, Saint-Barthélemy.
    ("0590", "590"),
    ("0690", "590"),
    ("0691", "590"),
    // Guyane.
    ("0594", "594"),
    ("0694", "594"),
    // Martinique.
    ("0596", "596"),
    ("0696", "596"),
    ("0697", "596"),
    // La Réunion.
    ("0262", "262"),
    ("0263", "262"),
    ("0692", "262"),
    ("0693", "262"),
    // Mayotte.
    ("0269", "262"),
    ("0639", "262"),
];

impl PhoneNumber {
    /// Parses a French number; premium-rate and shared-cost numbers
    /// (08 1x, 08 2x, 08 9x) are refused, free numbers (08 0x) accepted.
    pub fn parse(input: &str) -> Result<Self, ContactError> {
        let national = national_digits(input).ok_or(ContactError::Phone)?;
        let bytes = national.as_bytes();
        if bytes.len() != 10 || bytes[0] != b'0' || !(b'1'..=b'9').contains(&bytes[1]) {
            return Err(ContactError::Phone);
        }
        if bytes[1] == b'8' && matches!(bytes[2], b'1' | b'2' | b'9') {
            return Err(ContactError::PremiumPhone);
        }
        let e164 = match OVERSEAS
            .iter()
            .find(|(prefix, _)| national.starts_with(prefix))
        {
            Some((_, country)) => format!("+{country}{}", &national[1..]),
            None => format!("+33{}", &national[1..]),
        };
        Ok(Self(e164))
    }

    /// The number in E.164 (`+33612345678`).
    #[must_use]
    pub fn e164(&self) -> &str {
        &self.0
    }

    /// The national form, grouped by two (`06 12 34 56 78`).
    #[must_use]
    pub fn national(&self) -> String {
        let digits = self.national_digits();
        let mut out = String::with_capacity(14);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && i % 2 == 0 {
                out.push(' ');
            }
            out.push(c);
        }
        out
    }

    /// A mobile number (can receive SMS): 06, 07 and the overseas mobile
    /// prefixes.
    #[must_use]
    pub fn is_mobile(&self) -> bool {
        let digits = self.national_digits();
        digits.starts_with("06") || digits.starts_with("07")
    }

    fn national_digits(&self) -> String {
        // Every overseas country code maps back to a national prefix "0".
        let rest = ["+590", "+594", "+596", "+262", "+33"]
            .iter()
            .find_map(|code| self.0.strip_prefix(code))
            .unwrap_or(&self.0);
        format!("0{rest}")
    }
}

/// The 10 national digits of `input` ("0…"), from any accepted form.
fn national_digits(input: &str) -> Option<String> {
    let mut s: String = input
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{a0}' | '/'))
        .collect();
    s = s.replace("(0)", "");
    let international = if let Some(rest) = s.strip_prefix('+') {
        Some(rest.to_owned())
    } else {
        s.strip_prefix("00").map(str::to_owned)
    };
    let national = match international {
        Some(rest) => {
            let (_, subscriber) = ["33", "590", "594", "596", "262"]
                .iter()
                .find_map(|code| rest.strip_prefix(code).map(|sub| (code, sub)))?;
            format!("0{subscriber}")
        }
        None => s,
    };
    national
        .chars()
        .all(|c| c.is_ascii_digit())
        .then_some(national)
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Masked: the number is personal data.
impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tail: String = self
            .0
            .chars()
            .rev()
            .take(2)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        write!(f, "PhoneNumber(…{tail})")
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = ContactError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PhoneNumber> for String {
    fn from(value: PhoneNumber) -> Self {
        value.0
    }
}
