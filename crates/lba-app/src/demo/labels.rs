//! Display text derived from the referentials: course titles from
//! diploma titles, CFA names, tidied city names.

use lba_core::text::tokens;

use super::matching::core_title;
use super::words::DIPLOMA_KINDS;

/// General university licences (`LETTRES (LIC LMD …)`) train for no
/// métier in particular: word overlap would only find accidents
/// (`lettres` → sign painter).
pub(super) fn is_general_degree(title: &str) -> bool {
    title
        .split_once('(')
        .is_some_and(|(_, kind)| tokens(kind).first().is_some_and(|w| w == "lic"))
}

/// `MAINTENANCE DES VEHICULES (BAC PRO)` → `Bac pro Maintenance des vehicules`.
pub(super) fn course_title(title: &str) -> String {
    let core = sentence_case(core_title(title));
    let kind = title
        .split_once('(')
        .map(|(_, rest)| tokens(rest.split(')').next().unwrap_or_default()))
        .and_then(|words| {
            let two = words.iter().take(2).cloned().collect::<Vec<_>>().join(" ");
            let one = words.first().cloned().unwrap_or_default();
            DIPLOMA_KINDS
                .iter()
                .find(|(k, _)| *k == two)
                .or_else(|| DIPLOMA_KINDS.iter().find(|(k, _)| *k == one))
                .map(|(_, label)| *label)
        });
    match kind {
        Some(kind) => format!("{kind} {core}"),
        None => core,
    }
}

/// Runs of spaces collapsed (`Paris  4e  Arrondissement`).
pub(super) fn tidy(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lowercase but the first letter: `BANQUE` → `Banque`.
fn sentence_case(text: &str) -> String {
    let lower = text.trim().to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => lower,
    }
}

/// The CFA file often omits the leading "CFA" (`DE CAULNES`).
pub(super) fn cfa_name(name: &str) -> String {
    let words = tokens(name);
    let starts_with_article = matches!(
        words.first().map(String::as_str),
        Some("de" | "du" | "des" | "d" | "la" | "le" | "l")
    );
    if starts_with_article {
        format!("CFA {}", name.trim())
    } else {
        name.trim().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn course_titles_name_the_kind_first() {
        assert_eq!(course_title("BANQUE (BTS) "), "BTS Banque");
        assert_eq!(
            course_title("MAINTENANCE DES VEHICULES OPTION C MOTOCYCLES (BAC PRO)"),
            "Bac pro Maintenance des vehicules option c motocycles"
        );
        assert_eq!(
            course_title("RESEAUX ET TELECOMMUNICATION (MASTER AIX MARSEILLE)"),
            "Master Reseaux et telecommunication"
        );
        assert_eq!(
            course_title("EXPERT EN CYBERSECURITE (IKAI)"),
            "Expert en cybersecurite"
        );
    }

    #[test]
    fn cfa_names_get_their_missing_prefix() {
        assert_eq!(cfa_name("DE CAULNES"), "CFA DE CAULNES");
        assert_eq!(cfa_name("BTP CFA 60"), "BTP CFA 60");
    }
}
