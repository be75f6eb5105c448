//! The 30 académies (25 in metropolitan France since Caen and Rouen merged
//! into Normandie in 2020, and 5 overseas) with their codes, and the
//! académie of each of the 101 départements.

/// Académies: (code, name, départements).
pub const ACADEMIES: &[(&str, &str, &[&str])] = &[
    ("01", "Paris", &["75"]),
    ("02", "Aix-Marseille", &["04", "05", "13", "84"]),
    ("03", "Besançon", &["25", "39", "70", "90"]),
    ("04", "Bordeaux", &["24", "33", "40", "47", "64"]),
    ("06", "Clermont-Ferrand", &["03", "15", "43", "63"]),
    ("07", "Dijon", &["21", "58", "71", "89"]),
    ("08", "Grenoble", &["07", "26", "38", "73", "74"]),
    ("09", "Lille", &["59", "62"]),
    ("10", "Lyon", &["01", "42", "69"]),
    ("11", "Montpellier", &["11", "30", "34", "48", "66"]),
    ("12", "Nancy-Metz", &["54", "55", "57", "88"]),
    ("13", "Poitiers", &["16", "17", "79", "86"]),
    ("14", "Rennes", &["22", "29", "35", "56"]),
    ("15", "Strasbourg", &["67", "68"]),
    (
        "16",
        "Toulouse",
        &["09", "12", "31", "32", "46", "65", "81", "82"],
    ),
    ("17", "Nantes", &["44", "49", "53", "72", "85"]),
    ("18", "Orléans-Tours", &["18", "28", "36", "37", "41", "45"]),
    ("19", "Reims", &["08", "10", "51", "52"]),
    ("20", "Amiens", &["02", "60", "80"]),
    ("22", "Limoges", &["19", "23", "87"]),
    ("23", "Nice", &["06", "83"]),
    ("24", "Créteil", &["77", "93", "94"]),
    ("25", "Versailles", &["78", "91", "92", "95"]),
    ("27", "Corse", &["2A", "2B"]),
    ("28", "La Réunion", &["974"]),
    ("31", "Martinique", &["972"]),
    ("32", "Guadeloupe", &["971"]),
    ("33", "Guyane", &["973"]),
    ("43", "Mayotte", &["976"]),
    ("70", "Normandie", &["14", "27", "50", "61", "76"]),
];

/// The académie code of a département code ("69" → "10"), if known.
pub fn academie_of(departement: &str) -> Option<&'static str> {
    let d = departement.trim();
    ACADEMIES
        .iter()
        .find(|(_, _, deps)| deps.contains(&d))
        .map(|(code, _, _)| *code)
}

/// The name of an académie code.
pub fn academie_name(code: &str) -> Option<&'static str> {
    ACADEMIES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, name, _)| *name)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn departements() -> Vec<String> {
        let mut out: Vec<String> = (1..=95)
            .filter(|n| *n != 20)
            .map(|n| format!("{n:02}"))
            .collect();
        out.extend(["2A", "2B", "971", "972", "973", "974", "976"].map(String::from));
        out
    }

    #[test]
    fn every_departement_has_exactly_one_academie() {
        let all = departements();
        assert_eq!(all.len(), 101);
        for d in &all {
            let n = ACADEMIES
                .iter()
                .filter(|(_, _, deps)| deps.contains(&d.as_str()))
                .count();
            assert_eq!(n, 1, "département {d}");
            assert!(academie_of(d).is_some(), "{d}");
        }
        let listed: usize = ACADEMIES.iter().map(|(_, _, d)| d.len()).sum();
        assert_eq!(listed, 101);
        assert_eq!(academie_of("69"), Some("10"));
        assert_eq!(academie_of("2A"), Some("27"));
        assert_eq!(academie_of("976"), Some("43"));
        assert_eq!(academie_of("20"), None);
    }

    #[test]
    fn thirty_academies_with_distinct_codes() {
        assert_eq!(ACADEMIES.len(), 30);
        let codes: BTreeSet<&str> = ACADEMIES.iter().map(|(c, _, _)| *c).collect();
        assert_eq!(codes.len(), 30);
        assert_eq!(academie_name("70"), Some("Normandie"));
        assert_eq!(academie_name("99"), None);
    }
}
