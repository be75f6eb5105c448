//! French formatting of numbers, dates, levels and places for the pages.

use chrono::NaiveDate;
use lba_core::level::DiplomaLevel;
use lba_core::opportunity::Place;

/// "à 3,2 km".
pub(crate) fn distance(km: f64) -> String {
    format!("à {} km", decimal(km))
}

/// One decimal with a French comma: `3,2`.
pub(crate) fn decimal(value: f64) -> String {
    format!("{value:.1}").replace('.', ",")
}

/// The hiring potential out of 5: `2.5 + 2.5 × (max(score, 20) − 20) / 80`.
pub(crate) fn stars(score: u8) -> f64 {
    2.5 + 2.5 * (f64::from(score.max(20)) - 20.0) / 80.0
}

/// "4,1 / 5".
pub(crate) fn stars_text(score: u8) -> String {
    format!("{} / 5", decimal(stars(score)))
}

/// The hiring potential in words.
pub(crate) fn potential_words(score: u8) -> &'static str {
    match score {
        80.. => "Très fort potentiel d'embauche en alternance",
        60..=79 => "Fort potentiel d'embauche en alternance",
        40..=59 => "Bon potentiel d'embauche en alternance",
        _ => "Potentiel d'embauche en alternance modéré",
    }
}

/// "Niveau 5 (BTS, DUT, Bac+2)".
pub(crate) fn level(level: DiplomaLevel) -> String {
    format!("Niveau {} ({})", level.get(), level.label_fr())
}

/// "1er septembre 2026".
pub(crate) fn date(date: NaiveDate) -> String {
    lba_core::french::date(date)
}

/// "Lyon (69001)".
pub(crate) fn city(place: &Place) -> String {
    match &place.postal_code {
        Some(postal) => format!("{} ({postal})", place.city),
        None => place.city.to_string(),
    }
}

/// "1 rue de la République, 69001 Lyon".
pub(crate) fn address(place: &Place) -> String {
    let postal = place
        .postal_code
        .as_ref()
        .map(|p| format!("{p} "))
        .unwrap_or_default();
    if place.address.trim().is_empty() {
        format!("{postal}{}", place.city)
    } else {
        format!("{}, {postal}{}", place.address, place.city)
    }
}

/// "24 mois".
pub(crate) fn months(months: u16) -> String {
    format!("{months} mois")
}

/// Percent-encodes `value` for a query string (unreserved characters kept).
pub(crate) fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(byte));
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// `key=value&…` for the non-empty values.
pub(crate) fn query_string(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_follow_the_formula() {
        assert_eq!(stars_text(0), "2,5 / 5");
        assert_eq!(stars_text(20), "2,5 / 5");
        assert_eq!(stars_text(100), "5,0 / 5");
        assert_eq!(stars_text(73), "4,2 / 5");
    }

    #[test]
    fn french_formats() {
        assert_eq!(distance(3.21), "à 3,2 km");
        assert_eq!(
            NaiveDate::from_ymd_opt(2026, 9, 1).map(date).as_deref(),
            Some("1er septembre 2026")
        );
        assert_eq!(encode("é&a b"), "%C3%A9%26a%20b");
    }
}
