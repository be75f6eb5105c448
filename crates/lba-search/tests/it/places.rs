//! Place autocomplete on the real communes (COG 2024 with postal codes),
//! read with the `lba-data` readers.

use std::sync::OnceLock;

use lba_core::geo::GeoPoint;
use lba_search::{PlaceHit, PlaceIndex};
use proptest::prelude::*;
use proptest::strategy::ValueTree;

use lba_core::referential::ReferentialData;

use crate::support::place_data;

/// The index, built once per test process.
fn index() -> &'static PlaceIndex {
    static INDEX: OnceLock<PlaceIndex> = OnceLock::new();
    INDEX.get_or_init(|| PlaceIndex::build(&place_data()))
}

fn insees(hits: &[PlaceHit]) -> Vec<&str> {
    hits.iter().map(|h| h.insee.as_str()).collect()
}

fn first(query: &str) -> PlaceHit {
    let hits = index().search(query, 10);
    hits.first()
        .cloned()
        .unwrap_or_else(|| panic!("{query}: no hit"))
}

#[test]
fn abbreviations_are_expanded() {
    let hit = first("st etienne");
    assert_eq!(hit.insee.as_str(), "42218", "{hit:?}");
    assert_eq!(hit.name, "Saint-Étienne");
    assert_eq!(hit.departement_name, "Loire");
    assert_eq!(first("ST-ÉTIENNE").insee.as_str(), "42218");
    assert_eq!(first("Sainte Maxime").insee.as_str(), "83115");
    assert_eq!(first("ste maxime").insee.as_str(), "83115");
    let hit = first("chalon s/ saone");
    assert_eq!(hit.insee.as_str(), "71076", "{hit:?}");
    // "st" is still a prefix too.
    let hits = index().search("strasb", 5);
    assert_eq!(insees(&hits).first(), Some(&"67482"));
}

#[test]
fn a_full_postal_code_gives_the_arrondissement_first() {
    let hits = index().search("75011", 10);
    assert_eq!(insees(&hits), ["75111", "75056"], "{hits:#?}");
    assert!(
        hits.iter()
            .all(|h| h.postal_code.as_ref().unwrap().as_str() == "75011")
    );
    assert_eq!(hits[0].name, "Paris 11e Arrondissement");
    assert_eq!(hits[0].departement_name, "Paris");
}

#[test]
fn a_shared_postal_code_gives_every_commune_by_population() {
    let hits = index().search("01400", 50);
    assert!(hits.len() > 3, "{hits:#?}");
    assert!(hits.windows(2).all(|w| w[0].population >= w[1].population));
    assert!(
        hits.iter()
            .all(|h| h.postal_code.as_ref().unwrap().as_str() == "01400")
    );
    assert!(insees(&hits).contains(&"01001"));
}

#[test]
fn a_postal_prefix_gives_the_departement() {
    let hits = index().search("13", 20);
    assert_eq!(hits.len(), 20);
    assert_eq!(hits[0].insee.as_str(), "13055", "{hits:#?}");
    for hit in &hits {
        assert_eq!(hit.departement, "13");
        assert_eq!(hit.departement_name, "Bouches-du-Rhône");
        assert!(hit.postal_code.as_ref().unwrap().as_str().starts_with("13"));
    }
    assert!(index().search("1", 20).is_empty());
    assert!(index().search("123456", 20).is_empty());
    assert!(index().search("99999", 20).is_empty());
}

#[test]
fn big_cities_come_before_homonyms_and_arrondissements() {
    let hits = index().search("Lyon", 10);
    assert_eq!(hits[0].insee.as_str(), "69123", "{hits:#?}");
    assert_eq!(hits[0].postal_code.as_ref().unwrap().as_str(), "69001");
    assert_eq!(first("paris").insee.as_str(), "75056");
    assert_eq!(first("PARIS").insee.as_str(), "75056");
    assert_eq!(first("marseille").insee.as_str(), "13055");
    // The arrondissement when its number is given.
    assert_eq!(first("lyon 3").insee.as_str(), "69383");
    assert_eq!(first("lyon 69003").insee.as_str(), "69383");
}

#[test]
fn former_names_find_the_new_commune() {
    let hit = first("Cherbourg-Octeville");
    assert_eq!(hit.insee.as_str(), "50129", "{hit:?}");
    assert_eq!(hit.name, "Cherbourg-en-Cotentin");
}

#[test]
fn one_typo_is_forgiven() {
    let hits = index().search("marseile", 10);
    assert!(
        insees(&hits).iter().take(3).any(|&i| i == "13055"),
        "{hits:#?}"
    );
    let hits = index().search("bordeau", 10);
    assert_eq!(insees(&hits).first(), Some(&"33063"), "{hits:#?}");
}

#[test]
fn get_by_insee() {
    let paris = index().get("75056").expect("Paris");
    assert_eq!(paris.name, "Paris");
    assert!(paris.population > 2_000_000);
    assert!(index().get("00000").is_none());
}

#[test]
fn empty_queries_find_nothing() {
    for query in ["", "  ", "-/'", "?"] {
        assert!(index().search(query, 10).is_empty(), "{query:?}");
    }
    assert!(index().search("paris", 0).is_empty());
    assert!(
        PlaceIndex::build(&ReferentialData::default())
            .search("paris", 10)
            .is_empty()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn arbitrary_queries_never_panic(query in any::<String>(), limit in 0usize..40) {
        prop_assert!(index().search(&query, limit).len() <= limit);
    }

    #[test]
    fn place_like_queries_never_panic(query in "[0-9a-zA-Zéè/' -]{0,20}") {
        prop_assert!(index().search(&query, 10).len() <= 10);
    }
}

/// `nearest` compares squared chords and takes the haversine only among
/// the nearest: the same commune as the haversine distance to every commune
/// of the nine cells around the point (the former search), at the centre
/// of communes and arrondissements, and at points drawn around them.
#[test]
fn the_nearest_commune_is_the_one_of_the_haversine_distances() {
    let data = place_data();
    let communes: Vec<(GeoPoint, (i16, i16))> = data
        .communes
        .iter()
        .filter(|c| !c.arrondissement)
        .filter_map(|c| c.point)
        .map(|p| (p, (p.lat().floor() as i16, p.lon().floor() as i16)))
        .collect();
    let brute = |point: GeoPoint| {
        let (lat, lon) = (point.lat().floor() as i16, point.lon().floor() as i16);
        communes
            .iter()
            .filter(|(_, (a, b))| (a - lat).abs() <= 1 && (b - lon).abs() <= 1)
            .map(|(p, _)| point.distance_km(p))
            .fold(f64::INFINITY, f64::min)
    };
    let mut points: Vec<GeoPoint> = data
        .communes
        .iter()
        .filter_map(|c| c.point)
        .step_by(17)
        .collect();
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let around = (0..points.len(), -0.3..0.3_f64, -0.3..0.3_f64);
    for _ in 0..1_000 {
        let (i, dlat, dlon) = around.new_tree(&mut runner).unwrap().current();
        let p = points[i];
        if let Ok(q) = GeoPoint::new(p.lat() + dlat, p.lon() + dlon) {
            points.push(q);
        }
    }
    // Arrondissements: the nearest is a commune, never one of them.
    points.extend(
        data.communes
            .iter()
            .filter(|c| c.arrondissement)
            .filter_map(|c| c.point),
    );
    for point in points {
        let hit = index().nearest(point).unwrap();
        assert_eq!(
            point.distance_km(&hit.point).to_bits(),
            brute(point).to_bits(),
            "{point:?} → {}",
            hit.insee.as_str()
        );
    }
    assert!(
        index()
            .nearest(GeoPoint::new(0.0, -30.0).unwrap())
            .is_none()
    );
}
