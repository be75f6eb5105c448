//! Régions and départements, for `formationsParRegion` and the `region` /
//! `departementNumber` fields of v1 places.
//!
//! The table below is the INSEE 2016 list (18 régions, 101 départements);
//! a unit test checks it against `geo/departements.csv` of the referential
//! data. The search index groups the courses by
//! département with [`departement_of`] when it is built.

use lba_core::ids::{InseeCode, PostalCode};
use lba_core::opportunity::Place;

/// Each région's INSEE code with its départements.
const REGIONS: [(&str, &[&str]); 18] = [
    ("01", &["971"]),
    ("02", &["972"]),
    ("03", &["973"]),
    ("04", &["974"]),
    ("06", &["976"]),
    ("11", &["75", "77", "78", "91", "92", "93", "94", "95"]),
    ("24", &["18", "28", "36", "37", "41", "45"]),
    ("27", &["21", "25", "39", "58", "70", "71", "89", "90"]),
    ("28", &["14", "27", "50", "61", "76"]),
    ("32", &["02", "59", "60", "62", "80"]),
    (
        "44",
        &["08", "10", "51", "52", "54", "55", "57", "67", "68", "88"],
    ),
    ("52", &["44", "49", "53", "72", "85"]),
    ("53", &["22", "29", "35", "56"]),
    (
        "75",
        &[
            "16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87",
        ],
    ),
    (
        "76",
        &[
            "09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82",
        ],
    ),
    (
        "84",
        &[
            "01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74",
        ],
    ),
    ("93", &["04", "05", "06", "13", "83", "84"]),
    ("94", &["2A", "2B"]),
];

/// The départements of région `code` (`"84"`), `None` for an unknown code.
pub fn departements_of(region: &str) -> Option<&'static [&'static str]> {
    REGIONS
        .iter()
        .find(|(code, _)| *code == region)
        .map(|(_, departements)| *departements)
}

/// Each région's name and how a sentence says "in" it ("en Bretagne",
/// "dans les Hauts-de-France", "à La Réunion").
const REGION_NAMES: [(&str, &str, &str); 18] = [
    ("01", "Guadeloupe", "en Guadeloupe"),
    ("02", "Martinique", "en Martinique"),
    ("03", "Guyane", "en Guyane"),
    ("04", "La Réunion", "à La Réunion"),
    ("06", "Mayotte", "à Mayotte"),
    ("11", "Île-de-France", "en Île-de-France"),
    ("24", "Centre-Val de Loire", "en Centre-Val de Loire"),
    (
        "27",
        "Bourgogne-Franche-Comté",
        "en Bourgogne-Franche-Comté",
    ),
    ("28", "Normandie", "en Normandie"),
    ("32", "Hauts-de-France", "dans les Hauts-de-France"),
    ("44", "Grand Est", "dans le Grand Est"),
    ("52", "Pays de la Loire", "dans les Pays de la Loire"),
    ("53", "Bretagne", "en Bretagne"),
    ("75", "Nouvelle-Aquitaine", "en Nouvelle-Aquitaine"),
    ("76", "Occitanie", "en Occitanie"),
    ("84", "Auvergne-Rhône-Alpes", "en Auvergne-Rhône-Alpes"),
    (
        "93",
        "Provence-Alpes-Côte d'Azur",
        "en Provence-Alpes-Côte d'Azur",
    ),
    ("94", "Corse", "en Corse"),
];

/// The name of région `code` ("53" → "Bretagne").
pub fn region_name(code: &str) -> Option<&'static str> {
    REGION_NAMES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, name, _)| *name)
}

/// "In" région `code`, for a sentence ("53" → "en Bretagne").
pub fn in_region(code: &str) -> Option<&'static str> {
    REGION_NAMES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, _, phrase)| *phrase)
}

/// The région of département `code` (`"69"` → `"84"`).
pub fn region_of(departement: &str) -> Option<&'static str> {
    REGIONS
        .iter()
        .find(|(_, departements)| departements.contains(&departement))
        .map(|(code, _)| *code)
}

/// The département of a place: from its commune's INSEE code when known
/// (exact), else from its postal code (the first two digits, three
/// overseas; Corsica `200xx`–`201xx` is 2A, the rest 2B). A few communes
/// have a postal code of a neighbouring département; the INSEE code is
/// right for them.
pub fn departement_of(place: &Place) -> Option<String> {
    match (&place.commune_insee, &place.postal_code) {
        (Some(insee), _) => departement_of_insee(insee),
        (None, Some(postal)) => departement_of_postal(postal),
        (None, None) => None,
    }
}

fn departement_of_insee(insee: &InseeCode) -> Option<String> {
    insee.departement_code().map(|d| d.as_str().to_owned())
}

fn departement_of_postal(postal: &PostalCode) -> Option<String> {
    let code = postal.as_str();
    let departement = match code.get(..2)? {
        "97" => code.get(..3)?,
        "20" if matches!(code.get(2..3), Some("0" | "1")) => "2A",
        "20" => "2B",
        two => two,
    };
    Some(departement.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_matches_the_referential_file() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/geo/departements.csv"
        );
        let Ok(text) = std::fs::read_to_string(path) else {
            return; // The referential data is not there (packaged crate).
        };
        let mut seen = 0;
        for line in text.lines().skip(1) {
            let mut fields = line.split(',');
            let (departement, region) = (fields.next().unwrap(), fields.next().unwrap());
            assert_eq!(region_of(departement), Some(region), "{departement}");
            assert!(departements_of(region).unwrap().contains(&departement));
            seen += 1;
        }
        let total: usize = REGIONS.iter().map(|(_, d)| d.len()).sum();
        assert_eq!(seen, total);
    }

    #[test]
    fn region_names_match_the_referential_file() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/geo/regions.csv"
        );
        let Ok(text) = std::fs::read_to_string(path) else {
            return; // The referential data is not there (packaged crate).
        };
        let mut seen = 0;
        for line in text.lines().skip(1) {
            let mut fields = line.split(',');
            let (code, name) = (fields.next().unwrap(), fields.next().unwrap());
            assert_eq!(region_name(code), Some(name), "{code}");
            assert!(in_region(code).unwrap().ends_with(name), "{code}");
            assert!(departements_of(code).is_some(), "{code}");
            seen += 1;
        }
        assert_eq!(seen, REGION_NAMES.len());
    }

    #[test]
    fn postal_codes_give_the_departement() {
        let of = |s: &str| departement_of_postal(&PostalCode::parse(s).unwrap());
        assert_eq!(of("69001").as_deref(), Some("69"));
        assert_eq!(of("97411").as_deref(), Some("974"));
        assert_eq!(of("20000").as_deref(), Some("2A"));
        assert_eq!(of("20200").as_deref(), Some("2B"));
    }
}
