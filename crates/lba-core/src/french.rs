//! Writing in French for people: a sentence's first capital letter, and
//! dates ("1er septembre 2026").

use chrono::{Datelike, NaiveDate};

/// `text` with its first letter in capitals.
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// "1er septembre 2026".
pub fn date(date: NaiveDate) -> String {
    let month = MONTHS
        .get(date.month0() as usize)
        .copied()
        .unwrap_or_default();
    let day = match date.day() {
        1 => "1er".to_owned(),
        d => d.to_string(),
    };
    format!("{day} {month} {}", date.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capitals_and_dates() {
        assert_eq!(capitalise("écrivez-nous"), "Écrivez-nous");
        assert_eq!(capitalise(""), "");
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        assert_eq!(date(d(9, 1)), "1er septembre 2026");
        assert_eq!(date(d(12, 25)), "25 décembre 2026");
    }
}
