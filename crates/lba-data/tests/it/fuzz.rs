//! Property tests (issue 20): every reader of outside files, given broken
//! contents — the real file's header then rows of hostile fields (quotes left
//! open, separators of another file, huge numbers, control characters, any
//! Unicode), arbitrary bytes, JSON cut anywhere — never panics. Each read
//! ends with records, rejected rows or a [`lba_data::DataError`]; which one
//! the hand-made cases of `malformed.rs` check.

use std::path::Path;

use lba_data::{DataError, Item};
use proptest::prelude::*;
use serde_json::{Map, Value};

use crate::data_file;

/// The first line of a real file (its header), or nothing when the data
/// directory is missing.
fn header(relative: &str) -> Vec<u8> {
    std::fs::read(data_file(relative))
        .ok()
        .and_then(|bytes| {
            let end = bytes.iter().position(|b| *b == b'\n')?;
            Some(bytes[..=end].to_vec())
        })
        .unwrap_or_default()
}

/// Reads every item (at most 10,000) until the first structural error.
fn drain<T>(reader: Result<impl Iterator<Item = Result<Item<T>, DataError>>, DataError>) {
    if let Ok(reader) = reader {
        for item in reader.take(10_000) {
            if item.is_err() {
                break;
            }
        }
    }
}

fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,40}",
        "[0-9]{1,25}",
        Just(String::new()),
        Just("\"".to_owned()),
        Just("\"open quote, never closed".to_owned()),
        Just("a\"b".to_owned()),
        Just("-1".to_owned()),
        Just("1e999".to_owned()),
        Just("NaN".to_owned()),
        Just("-0.0".to_owned()),
        Just("0010826T".to_owned()),
        Just("D1102".to_owned()),
        Just("69123".to_owned()),
        Just("51234567800001".to_owned()),
        Just("2026-02-31".to_owned()),
        Just("\u{0}\u{1b}\u{feff}".to_owned()),
        Just("é".repeat(300)),
    ]
}

/// Rows of hostile fields, with a separator and line ends of any kind.
fn csv_body() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::collection::vec(prop::collection::vec(field(), 0..14), 0..8),
        prop::sample::select(vec![",", ";", "\t", "|"]),
        prop::sample::select(vec!["\n", "\r\n", "\r"]),
    )
        .prop_map(|(rows, sep, end)| {
            rows.iter()
                .map(|r| r.join(sep))
                .collect::<Vec<_>>()
                .join(end)
                .into_bytes()
        })
}

/// Any file: rows of hostile fields or arbitrary bytes, after the header of
/// `relative` or none.
fn csv_file(relative: &'static str) -> impl Strategy<Value = Vec<u8>> {
    (
        any::<bool>(),
        prop_oneof![csv_body(), prop::collection::vec(any::<u8>(), 0..600)],
    )
        .prop_map(move |(with_header, body)| {
            let mut bytes = if with_header {
                header(relative)
            } else {
                Vec::new()
            };
            bytes.extend(body);
            bytes
        })
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        any::<i64>().prop_map(|i| Value::Number(i.into())),
        field().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop::sample::select(vec![
                        "siret",
                        "rome_codes",
                        "cle_ministere_educatif",
                        "lieu_formation_geo_coordonnees",
                        "coordonneeLambertAbscisseEtablissement",
                        "insee_city_code",
                        "raison_sociale",
                        "intitule",
                        "lieuTravail",
                        "typeContrat",
                        "id",
                        "x",
                    ]),
                    inner
                ),
                0..8
            )
            .prop_map(|pairs| {
                Value::Object(
                    pairs
                        .into_iter()
                        .map(|(k, v)| (k.to_owned(), v))
                        .collect::<Map<_, _>>(),
                )
            }),
        ]
    })
}

/// A JSON array of records, cut anywhere, or arbitrary bytes.
fn json_file() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        (
            prop::collection::vec(json_value(), 0..6),
            any::<prop::sample::Index>()
        )
            .prop_map(|(values, cut)| {
                let bytes = serde_json::to_vec(&Value::Array(values)).unwrap();
                let at = cut.index(bytes.len() + 1);
                bytes[..at].to_vec()
            }),
        prop::collection::vec(json_value(), 0..6)
            .prop_map(|values| serde_json::to_vec(&Value::Array(values)).unwrap()),
        prop::collection::vec(any::<u8>(), 0..600),
    ]
}

/// Writes `bytes` to a temporary file named like the real one and reads it.
fn read_with(bytes: &[u8], name: &str, read: impl Fn(&Path)) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name.rsplit('/').next().unwrap_or(name));
    std::fs::write(&path, bytes).unwrap();
    read(&path);
}

macro_rules! csv_readers {
    ($($name:ident: $file:expr => $reader:expr;)*) => {
        $(
            proptest! {
                #![proptest_config(ProptestConfig::with_cases(96))]
                #[test]
                fn $name(bytes in csv_file($file)) {
                    read_with(&bytes, $file, |p| drain($reader(p)));
                }
            }
        )*
    };
}

csv_readers! {
    cfas_never_panic: lba_data::cfa::FILE => lba_data::cfa::cfas;
    tensions_never_panic: lba_data::dares::files::TENSIONS => lba_data::dares::tensions;
    trends_never_panic: lba_data::dares::files::TRENDS => lba_data::dares::trends;
    fap_rome_never_panics: lba_data::dares::files::FAP_ROME => lba_data::dares::fap_rome;
    diplomas_never_panic: lba_data::diplomas::files::KIT => lba_data::diplomas::kit;
    rome_fiches_never_panic: lba_data::rome::files::FICHES => lba_data::rome::fiches;
    appellations_never_panic: lba_data::rome::files::APPELLATIONS => lba_data::rome::appellations;
    rome_texts_never_panic: lba_data::rome::files::TEXTS => lba_data::rome::texts;
    mobility_never_panics: lba_data::rome::files::MOBILITY => lba_data::rome::mobility;
    interest_centres_never_panic: lba_data::rome::files::INTEREST_CENTRES => lba_data::rome::interest_centres;
    interest_tree_never_panics: lba_data::rome::files::INTEREST_TREE => lba_data::rome::interest_tree;
    subdomains_never_panic: lba_data::rome::files::SUBDOMAINS => lba_data::rome::subdomains;
    regions_never_panic: lba_data::geo::files::REGIONS => lba_data::geo::regions;
    departements_never_panic: lba_data::geo::files::DEPARTEMENTS => lba_data::geo::departements;
    communes_never_panic: lba_data::geo::files::COMMUNES => lba_data::geo::commune_rows;
    naf_labels_never_panic: lba_data::naf::files::LABELS => lba_data::naf::labels;
    naf_sections_never_panic: lba_data::naf::files::SECTIONS => lba_data::naf::code_labels;
    rome_naf_never_panics: lba_data::naf::files::ROME_NAF => lba_data::naf::rome_naf;
    naf_tension_never_panics: lba_data::naf::files::TENSION => lba_data::naf::tension;
    contact_modes_never_panic: lba_data::naf::files::CONTACT_MODES => lba_data::naf::contact_modes;
    hirings_never_panic: "hirings.csv" => lba_data::hirings::hirings;
    sirene_never_panics: "StockEtablissement_utf8.csv" => lba_data::sirene::open;
    cohorts_never_panic: "cohorte.csv" => lba_data::cohort::open;
    outcomes_never_panic: "devenir.csv" => lba_data::outcomes::open;
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn the_catalogue_reader_never_panics(bytes in json_file()) {
        read_with(&bytes, "catalogue.json", |p| drain(lba_data::catalogue::open(p)));
    }

    #[test]
    fn the_companies_reader_never_panics(bytes in json_file()) {
        read_with(&bytes, "recruteurs.json", |p| drain(lba_data::recruteurs::open(p)));
    }

    #[test]
    fn the_france_travail_reader_never_panics(bytes in json_file()) {
        read_with(&bytes, "offres.json", |p| drain(lba_data::france_travail::open(p)));
    }

    #[test]
    fn the_synonyms_reader_never_panics(bytes in json_file()) {
        read_with(&bytes, "search-synonyms.json", |p| {
            let _ = lba_data::diplomas::synonyms(p);
        });
    }
}
