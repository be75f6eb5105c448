//! `assemble_communes`: one commune per INSEE code, on the real rows and on a
//! small hand-made case.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use lba_core::geo::GeoPoint;
use lba_core::ids::{InseeCode, PostalCode};
use lba_data::geo::{
    self, Commune, CommuneAssembly, CommuneKind, CommuneRow, CommuneRowType, assemble_communes,
};

use crate::{data_file, read_all};

static REAL: LazyLock<(Vec<Commune>, CommuneAssembly)> = LazyLock::new(|| {
    let read = read_all(geo::commune_rows(&data_file(geo::files::COMMUNES)));
    assert_eq!(read.rejects, []);
    assert_eq!(read.records.len(), 36208);
    assemble_communes(read.records)
});

fn communes() -> &'static [Commune] {
    &REAL.0
}

fn report() -> &'static CommuneAssembly {
    &REAL.1
}

fn commune(insee: &str) -> &'static Commune {
    communes()
        .iter()
        .find(|c| c.insee.as_str() == insee)
        .unwrap_or_else(|| panic!("commune {insee} missing"))
}

fn postal(code: &str) -> PostalCode {
    code.parse().unwrap()
}

#[test]
fn one_commune_per_insee_code() {
    let communes = communes();
    let count = |kind| communes.iter().filter(|c| c.kind == kind).count();
    assert_eq!(count(CommuneKind::Commune), 34934);
    assert_eq!(count(CommuneKind::Arrondissement), 45);
    let codes: BTreeSet<&str> = communes.iter().map(|c| c.insee.as_str()).collect();
    assert_eq!(codes.len(), communes.len(), "an INSEE code appears twice");
    let postal_codes: usize = communes.iter().map(|c| c.postal_codes.len()).sum();
    assert!(postal_codes >= 35415, "{postal_codes} postal codes");
    assert!(communes.iter().all(|c| !c.postal_codes.is_empty()));
    assert!(communes.iter().all(|c| c.point.is_some()));
    assert_eq!(report().without_point, Vec::<String>::new());
    assert_eq!(report().orphan_aliases, Vec::<String>::new());
    // A commune with several postal-code rows keeps them all.
    let cherbourg = commune("50129");
    for code in ["50100", "50110", "50120", "50130", "50460", "50470"] {
        assert!(cherbourg.postal_codes.contains(&postal(code)), "{code}");
    }
}

#[test]
fn paris_marseille_lyon_come_from_their_arrondissements() {
    for (insee, name, arrondissements) in [
        ("75056", "Paris", 20),
        ("13055", "Marseille", 16),
        ("69123", "Lyon", 9),
    ] {
        let city = commune(insee);
        assert_eq!(city.name, name);
        assert_eq!(city.kind, CommuneKind::Commune);
        assert!(city.from_arrondissements, "{name}");
        assert_eq!(city.parent, None);
        let parts: Vec<&Commune> = communes()
            .iter()
            .filter(|c| c.parent.as_ref() == Some(&city.insee))
            .collect();
        assert_eq!(parts.len(), arrondissements, "{name}");
        assert!(
            parts
                .iter()
                .all(|a| a.kind == CommuneKind::Arrondissement && !a.from_arrondissements)
        );
        assert!(city.population > 0);
        assert_eq!(
            city.population,
            parts.iter().map(|a| a.population).sum::<i64>(),
            "{name}"
        );
        let union: BTreeSet<PostalCode> = parts
            .iter()
            .flat_map(|a| a.postal_codes.iter().cloned())
            .collect();
        assert_eq!(city.postal_codes, union, "{name}");
        let point = city.point.expect("the city has a point");
        assert!(!city.point_approximated);
        // The point is the centre of the arrondissements: inside their
        // bounding box, within 10 km of their mean position and of the
        // nearest one (Marseille spans more than 20 km, so not of all).
        let points: Vec<GeoPoint> = parts
            .iter()
            .map(|a| a.point.expect("arrondissement point"))
            .collect();
        let lats = points.iter().map(GeoPoint::lat);
        let lons = points.iter().map(GeoPoint::lon);
        let (lat_min, lat_max) = (
            lats.clone().fold(f64::MAX, f64::min),
            lats.fold(f64::MIN, f64::max),
        );
        let (lon_min, lon_max) = (
            lons.clone().fold(f64::MAX, f64::min),
            lons.fold(f64::MIN, f64::max),
        );
        assert!(
            (lat_min..=lat_max).contains(&point.lat()),
            "{name}: {point}"
        );
        assert!(
            (lon_min..=lon_max).contains(&point.lon()),
            "{name}: {point}"
        );
        let n = points.len() as f64;
        let mean = GeoPoint::new(
            points.iter().map(GeoPoint::lat).sum::<f64>() / n,
            points.iter().map(GeoPoint::lon).sum::<f64>() / n,
        )
        .unwrap();
        let to_mean = point.distance_km(&mean);
        assert!(to_mean < 10.0, "{name}: {to_mean} km from the mean");
        let nearest = points
            .iter()
            .map(|p| point.distance_km(p))
            .fold(f64::MAX, f64::min);
        assert!(
            nearest < 10.0,
            "{name}: nearest arrondissement {nearest} km away"
        );
    }
    let paris = commune("75056");
    assert!(paris.postal_codes.contains(&postal("75001")));
    assert!(paris.postal_codes.contains(&postal("75020")));
    // Paris 16e has two postal codes.
    assert!(paris.postal_codes.contains(&postal("75116")));
}

#[test]
fn every_arrondissement_has_its_city_as_parent() {
    let cities = ["75056", "13055", "69123"];
    let arrondissements: Vec<&Commune> = communes()
        .iter()
        .filter(|c| c.kind == CommuneKind::Arrondissement)
        .collect();
    assert_eq!(arrondissements.len(), 45);
    for a in arrondissements {
        let parent = a.parent.as_ref().map(InseeCode::as_str);
        let expected = match &a.insee.as_str()[..2] {
            "75" => "75056",
            "13" => "13055",
            "69" => "69123",
            other => panic!("arrondissement {} in {other}", a.insee),
        };
        assert_eq!(parent, Some(expected), "{}", a.insee);
    }
    // Ordinary communes have no parent.
    assert!(
        communes()
            .iter()
            .filter(|c| c.kind == CommuneKind::Commune)
            .all(|c| c.parent.is_none())
    );
    assert!(
        communes()
            .iter()
            .filter(|c| c.from_arrondissements)
            .map(|c| c.insee.as_str())
            .eq(cities.iter().copied().collect::<BTreeSet<_>>())
    );
}

#[test]
fn communes_deleguees_become_aliases() {
    let cherbourg = commune("50129");
    assert_eq!(cherbourg.name, "Cherbourg-en-Cotentin");
    assert!(
        cherbourg.aliases.iter().any(|a| a == "Cherbourg-Octeville"),
        "{:?}",
        cherbourg.aliases
    );
    // Each alias once, even though the file repeats it per postal code.
    let unique: BTreeSet<&String> = cherbourg.aliases.iter().collect();
    assert_eq!(unique.len(), cherbourg.aliases.len());
    let total: usize = communes().iter().map(|c| c.aliases.len()).sum();
    assert_eq!(total, 573);
    assert!(
        communes()
            .iter()
            .filter(|c| c.kind == CommuneKind::Arrondissement)
            .all(|c| c.aliases.is_empty())
    );
}

#[test]
fn missing_points_are_approximated_from_postal_codes() {
    let missing = ["60694", "85165", "85212"];
    assert_eq!(report().approximated_points, missing);
    for insee in missing {
        let c = commune(insee);
        assert!(c.point_approximated, "{insee}");
        let point = c.point.expect("an approximated point");
        // The neighbours sharing a postal code with a real point are close.
        let neighbours: Vec<&Commune> = communes()
            .iter()
            .filter(|o| !o.point_approximated && !o.postal_codes.is_disjoint(&c.postal_codes))
            .collect();
        assert!(!neighbours.is_empty(), "{insee}");
        for n in neighbours {
            let d = point.distance_km(&n.point.expect("neighbour point"));
            assert!(d < 30.0, "{insee}: {} is {d} km away", n.insee);
        }
    }
    assert_eq!(
        communes().iter().filter(|c| c.point_approximated).count(),
        3
    );
    // Hauts-Talican keeps its commune déléguée as an alias.
    assert!(commune("60694").aliases.iter().any(|a| a == "Villotran"));
}

fn row(
    insee: &str,
    kind: CommuneRowType,
    name: &str,
    postal_code: &str,
    parent: Option<&str>,
    point: Option<(f64, f64)>,
    population: i64,
) -> CommuneRow {
    CommuneRow {
        insee: insee.parse().unwrap(),
        kind,
        name: name.to_owned(),
        name_with_article: name.to_owned(),
        postal_code: postal(postal_code),
        parent: parent.map(|p| p.parse().unwrap()),
        departement: insee[..2].to_owned(),
        region: "84".to_owned(),
        point: point.map(|(lat, lon)| GeoPoint::new(lat, lon).unwrap()),
        area_km2: Some(2.0),
        population,
    }
}

#[test]
fn hand_made_rows() {
    use CommuneRowType::{Arrondissement, Commune as Com, Deleguee};
    let rows = vec![
        row("01001", Com, "Alpha", "01400", None, Some((46.0, 5.0)), 100),
        row("01001", Com, "Alpha", "01401", None, Some((46.0, 5.0)), 100),
        row("01001", Deleguee, "Beta", "01402", Some("01001"), None, 100),
        row("01001", Deleguee, "Beta", "01400", Some("01001"), None, 100),
        row("01002", Com, "Gamma", "01400", None, None, 7),
        row("01003", Com, "Lonely", "01999", None, None, 3),
        row("02001", Deleguee, "Orphan", "02100", Some("02001"), None, 1),
        row(
            "13201",
            Arrondissement,
            "Marseille 1er Arrondissement",
            "13001",
            Some("13055"),
            Some((43.30, 5.38)),
            10,
        ),
        row(
            "13202",
            Arrondissement,
            "Marseille 2e Arrondissement",
            "13002",
            Some("13055"),
            Some((43.32, 5.35)),
            20,
        ),
    ];
    let (communes, report) = assemble_communes(rows);
    let codes: Vec<&str> = communes.iter().map(|c| c.insee.as_str()).collect();
    assert_eq!(
        codes,
        ["01001", "01002", "01003", "13055", "13201", "13202"]
    );
    let get = |insee: &str| communes.iter().find(|c| c.insee.as_str() == insee).unwrap();

    let alpha = get("01001");
    assert_eq!(alpha.kind, CommuneKind::Commune);
    assert_eq!(alpha.population, 100);
    assert_eq!(alpha.aliases, ["Beta"]);
    assert_eq!(
        alpha.postal_codes,
        BTreeSet::from([postal("01400"), postal("01401"), postal("01402")])
    );
    assert!(!alpha.point_approximated);

    // Gamma shares 01400 with Alpha only: it gets Alpha's point.
    let gamma = get("01002");
    assert!(gamma.point_approximated);
    assert_eq!(gamma.point, alpha.point);

    let lonely = get("01003");
    assert!(!lonely.point_approximated);
    assert_eq!(lonely.point, None);

    let marseille = get("13055");
    assert_eq!(marseille.name, "Marseille");
    assert_eq!(marseille.kind, CommuneKind::Commune);
    assert!(marseille.from_arrondissements);
    assert_eq!(marseille.population, 30);
    assert_eq!(marseille.area_km2, Some(4.0));
    assert_eq!(
        marseille.postal_codes,
        BTreeSet::from([postal("13001"), postal("13002")])
    );
    let centre = marseille.point.unwrap();
    assert!((centre.lat() - 43.31).abs() < 1e-3, "{centre}");
    assert!((centre.lon() - 5.365).abs() < 1e-3, "{centre}");
    for a in ["13201", "13202"] {
        assert_eq!(get(a).kind, CommuneKind::Arrondissement);
        assert_eq!(get(a).parent.as_ref(), Some(&marseille.insee));
    }

    assert_eq!(report.approximated_points, ["01002"]);
    assert_eq!(report.without_point, ["01003"]);
    assert_eq!(report.orphan_aliases, ["Orphan (02001)"]);
}
