//! Radius search: exact against a brute-force haversine oracle, ranking,
//! filters, limits and the nearest-courses fallback.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, TimeZone, Utc};
use lba_core::geo::{GeoPoint, Radius};
use lba_core::ids::{CodeRome, Siret};
use lba_core::level::DiplomaLevel;
use lba_core::opportunity::{
    Company, ContractType, Formation, Offer, OfferOrigin, OfferStatus, Place, RomeScore,
};
use lba_core::referential::ReferentialData;
use lba_search::{
    CompanySort, Index, KindIndex, KindSet, MAX_OFFERS, QueryError, RomeFilter, SearchQuery,
};
use proptest::prelude::*;

fn rome(code: &str) -> CodeRome {
    code.parse().unwrap()
}

fn point(lat: f64, lon: f64) -> GeoPoint {
    GeoPoint::new(lat, lon).unwrap()
}

fn place(p: GeoPoint) -> Place {
    Place {
        address: "1 rue de la Paix".into(),
        postal_code: None,
        commune_insee: None,
        city: "Ville".into(),
        point: p,
    }
}

const LYON: (f64, f64) = (45.764, 4.8357);
const PARIS: (f64, f64) = (48.8566, 2.3522);

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap()
}

fn formation(id: &str, romes: &[&str], p: GeoPoint, level: u8, title: &str) -> Formation {
    Formation {
        id: id.into(),
        is_demo: false,
        title: title.into(),
        diploma_title: "CAP".into(),
        cfd: None,
        rncp: None,
        level: Some(DiplomaLevel::new(level).unwrap()),
        romes: romes.iter().map(|r| rome(r)).collect(),
        cfa_uai: None,
        cfa_siret: None,
        cfa_name: "CFA".into(),
        place: place(p),
        sessions: vec![],
        duration_months: None,
        capacity: None,
        distance_learning: false,
        email: None,
        phone: None,
        onisep_url: None,
    }
}

fn offer(id: &str, code: &str, p: GeoPoint, age_days: i64) -> Offer {
    Offer {
        id: id.into(),
        is_demo: false,
        origin: OfferOrigin::Platform,
        status: OfferStatus::Active,
        title: "Boulanger".into(),
        appellation_ogr: None,
        rome: rome(code),
        description: String::new(),
        contract_types: vec![ContractType::Apprentissage],
        level: None,
        start_date: None,
        duration_months: None,
        company_siret: None,
        company_name: "Boulangerie".into(),
        company_naf: None,
        company_headcount: None,
        place: place(p),
        published_at: now() - Duration::days(age_days),
        expires_at: now() + Duration::days(30),
        apply_url: None,
    }
}

/// A valid SIRET whose first 13 digits encode `n`.
fn siret(n: u64) -> Siret {
    let base = format!("{:013}", 1_000_000_000_000 + n);
    (0..10)
        .map(|d| format!("{base}{d}"))
        .find_map(|s| s.parse::<Siret>().ok())
        .unwrap()
}

fn company(n: u64, scores: &[(&str, u8)], p: GeoPoint) -> Company {
    Company {
        siret: siret(n),
        is_demo: false,
        name: format!("Entreprise {n}").into(),
        naf: None,
        headcount: None,
        place: place(p),
        romes: scores
            .iter()
            .map(|(r, s)| RomeScore {
                rome: rome(r),
                score: *s,
            })
            .collect(),
        email: None,
        phone: None,
        website: None,
    }
}

fn index(formations: Vec<Formation>, offers: Vec<Offer>, companies: Vec<Company>) -> Index {
    Index::build(
        &ReferentialData::default(),
        formations,
        offers,
        companies,
        1,
        now(),
    )
}

fn query(codes: &[&str], at: Option<(f64, f64)>, km: u16) -> SearchQuery {
    let mut q = SearchQuery::new(
        RomeFilter::codes(codes.iter().map(|c| rome(c)).collect()).unwrap(),
        at.map(|(lat, lon)| point(lat, lon)),
    );
    q.radius = Radius::new(km).unwrap();
    q.now = now();
    q
}

#[test]
fn results_are_sorted_by_distance_with_distances_in_km() {
    let lyon = point(LYON.0, LYON.1);
    let near = point(45.78, 4.85); // ~2 km
    let far = point(45.90, 4.95); // ~18 km
    let idx = index(
        vec![
            formation("far", &["D1102"], far, 3, "B"),
            formation("near", &["D1102"], near, 3, "A"),
            formation("paris", &["D1102"], point(PARIS.0, PARIS.1), 3, "C"),
        ],
        vec![],
        vec![],
    );
    let r = idx.search(&query(&["D1102"], Some(LYON), 30));
    let ids: Vec<&str> = r.formations.iter().map(|h| h.item.id.as_str()).collect();
    assert_eq!(ids, ["near", "far"]);
    let d = r.formations[0].distance_km.unwrap();
    assert!((d - lyon.distance_km(&near)).abs() < 1e-9);
    assert!(!r.formations_fallback);
}

#[test]
fn no_course_in_the_radius_returns_the_five_nearest_flagged() {
    let courses: Vec<Formation> = (0..8)
        .map(|i| {
            formation(
                &format!("f{i}"),
                &["D1102"],
                point(PARIS.0 + f64::from(i) * 0.01, PARIS.1),
                3,
                "T",
            )
        })
        .collect();
    let idx = index(courses, vec![], vec![]);
    let r = idx.search(&query(&["D1102"], Some(LYON), 30));
    assert!(r.formations_fallback);
    assert_eq!(r.formations.len(), 5);
    assert!(r.formations.iter().all(|h| h.outside_radius));
    let ids: Vec<&str> = r.formations.iter().map(|h| h.item.id.as_str()).collect();
    // Paris is north of Lyon: the southernmost courses are the nearest.
    assert_eq!(ids, ["f0", "f1", "f2", "f3", "f4"]);
}

#[test]
fn level_filters_courses_and_keeps_offers_without_level() {
    let at = point(LYON.0, LYON.1);
    let mut leveled = offer("o4", "D1102", at, 1);
    leveled.level = Some(DiplomaLevel::new(4).unwrap());
    let mut level3 = offer("o3", "D1102", at, 2);
    level3.level = Some(DiplomaLevel::new(3).unwrap());
    let idx = index(
        vec![
            formation("cap", &["D1102"], at, 3, "CAP"),
            formation("bp", &["D1102"], at, 4, "BP"),
        ],
        vec![offer("any", "D1102", at, 3), leveled, level3],
        vec![],
    );
    let mut q = query(&["D1102"], Some(LYON), 10);
    q.level = Some(DiplomaLevel::new(4).unwrap());
    let r = idx.search(&q);
    let f: Vec<&str> = r.formations.iter().map(|h| h.item.id.as_str()).collect();
    assert_eq!(f, ["bp"]);
    let o: BTreeSet<&str> = r.offers.iter().map(|h| h.item.id.as_str()).collect();
    assert_eq!(o, BTreeSet::from(["any", "o4"]));
}

#[test]
fn closed_offers_never_appear_and_ties_go_to_the_newest() {
    let at = point(LYON.0, LYON.1);
    let mut filled = offer("filled", "D1102", at, 1);
    filled.status = OfferStatus::Filled;
    let mut expired = offer("expired", "D1102", at, 1);
    expired.expires_at = now() - Duration::hours(1);
    let mut expires_soon = offer("soon", "D1102", at, 9);
    // Open when the index was built, expired at query time.
    expires_soon.expires_at = now() + Duration::hours(1);
    let idx = index(
        vec![],
        vec![
            offer("old", "D1102", at, 20),
            filled,
            expired,
            offer("new", "D1102", at, 2),
            expires_soon,
        ],
        vec![],
    );
    let mut q = query(&["D1102"], Some(LYON), 10);
    q.now = now() + Duration::hours(2);
    let ids: Vec<String> = idx
        .search(&q)
        .offers
        .iter()
        .map(|h| h.item.id.clone())
        .collect();
    assert_eq!(ids, ["new", "old"]);
}

#[test]
fn contract_type_and_origin_filters() {
    let at = point(LYON.0, LYON.1);
    let mut pro = offer("pro", "D1102", at, 1);
    pro.contract_types = vec![ContractType::Professionnalisation];
    let mut ft = offer("ft", "D1102", at, 1);
    ft.origin = OfferOrigin::FranceTravail;
    let idx = index(vec![], vec![offer("app", "D1102", at, 1), pro, ft], vec![]);
    let mut q = query(&["D1102"], Some(LYON), 10);
    q.contract = Some(ContractType::Professionnalisation);
    let ids: Vec<String> = idx
        .search(&q)
        .offers
        .iter()
        .map(|h| h.item.id.clone())
        .collect();
    assert_eq!(ids, ["pro"]);
    let mut q = query(&["D1102"], Some(LYON), 10);
    q.origins = Some(vec![OfferOrigin::FranceTravail]);
    let ids: Vec<String> = idx
        .search(&q)
        .offers
        .iter()
        .map(|h| h.item.id.clone())
        .collect();
    assert_eq!(ids, ["ft"]);
}

#[test]
fn companies_by_distance_or_by_score_and_without_duplicates() {
    let near = point(45.765, 4.836);
    let far = point(45.85, 4.9);
    let idx = index(
        vec![],
        vec![],
        vec![
            company(1, &[("D1102", 30), ("D1104", 90)], near),
            company(2, &[("D1102", 95)], far),
        ],
    );
    let q = query(&["D1102", "D1104"], Some(LYON), 30);
    let r = idx.search(&q);
    let by_distance: Vec<String> = r
        .companies
        .iter()
        .map(|h| h.item.name.to_string())
        .collect();
    assert_eq!(
        by_distance,
        ["Entreprise 1", "Entreprise 2"],
        "one hit per company"
    );
    let mut q = query(&["D1102"], Some(LYON), 30);
    q.company_sort = CompanySort::Score;
    let by_score: Vec<String> = idx
        .search(&q)
        .companies
        .iter()
        .map(|h| h.item.name.to_string())
        .collect();
    assert_eq!(by_score, ["Entreprise 2", "Entreprise 1"]);
}

#[test]
fn without_a_point_offers_are_newest_first_and_courses_by_title() {
    let idx = index(
        vec![
            formation("z", &["D1102"], point(PARIS.0, PARIS.1), 3, "Zeta"),
            formation("a", &["D1102"], point(LYON.0, LYON.1), 3, "Alpha"),
        ],
        vec![
            offer("old", "D1102", point(PARIS.0, PARIS.1), 9),
            offer("new", "D1102", point(LYON.0, LYON.1), 1),
        ],
        vec![],
    );
    let r = idx.search(&query(&["D1102"], None, 30));
    let f: Vec<&str> = r.formations.iter().map(|h| h.item.id.as_str()).collect();
    assert_eq!(f, ["a", "z"]);
    let o: Vec<&str> = r.offers.iter().map(|h| h.item.id.as_str()).collect();
    assert_eq!(o, ["new", "old"]);
    assert!(r.offers.iter().all(|h| h.distance_km.is_none()));
}

#[test]
fn results_are_capped_per_kind() {
    let offers: Vec<Offer> = (0..400)
        .map(|i| {
            offer(
                &format!("o{i}"),
                "D1102",
                point(LYON.0 + f64::from(i) * 1e-4, LYON.1),
                i64::from(i % 30),
            )
        })
        .collect();
    let idx = index(vec![], offers, vec![]);
    let r = idx.search(&query(&["D1102"], Some(LYON), 30));
    assert_eq!(r.offers.len(), MAX_OFFERS);
    assert_eq!(r.offers[0].item.id, "o0");
    assert!(
        r.offers
            .windows(2)
            .all(|w| w[0].distance_km <= w[1].distance_km)
    );
}

#[test]
fn domains_select_every_code_with_the_prefix() {
    let at = point(LYON.0, LYON.1);
    let idx = index(
        vec![
            formation("bake", &["D1102"], at, 3, "A"),
            formation("sell", &["D1214"], at, 3, "B"),
            formation("build", &["F1703"], at, 3, "C"),
        ],
        vec![],
        vec![],
    );
    let mut q = query(&["D1102"], Some(LYON), 10);
    q.romes = RomeFilter::domain("d11").unwrap();
    let ids: Vec<String> = idx
        .search(&q)
        .formations
        .iter()
        .map(|h| h.item.id.clone())
        .collect();
    assert_eq!(ids, ["bake"]);
    q.romes = RomeFilter::domain("D").unwrap();
    assert_eq!(idx.search(&q).formations.len(), 2);
    q.kinds = KindSet {
        formations: false,
        offers: true,
        companies: true,
    };
    assert!(idx.search(&q).formations.is_empty());
}

#[test]
fn bad_filters_are_refused_with_a_message() {
    assert_eq!(RomeFilter::codes(vec![]), Err(QueryError::NoRome));
    let many: Vec<CodeRome> = (1000..1021).map(|n| rome(&format!("A{n}"))).collect();
    assert_eq!(RomeFilter::codes(many), Err(QueryError::TooManyRomes(21)));
    for bad in ["", "Z", "F1", "F123", "1", "FF"] {
        let e = RomeFilter::domain(bad).unwrap_err();
        assert!(e.to_string().contains("domaine ROME"), "{e}");
    }
    assert!(RomeFilter::domain("f16").is_ok());
}

#[test]
fn documents_are_found_by_id() {
    let idx = index(
        vec![formation("f1", &["D1102"], point(LYON.0, LYON.1), 3, "A")],
        vec![],
        vec![company(5, &[("D1102", 50)], point(LYON.0, LYON.1))],
    );
    assert_eq!(idx.formations.get("f1").unwrap().title, "A");
    assert!(idx.formations.get("nope").is_none());
    let s = siret(5).to_string();
    assert_eq!(idx.companies.get(&s).unwrap().name, "Entreprise 5");
}

fn arb_point() -> impl Strategy<Value = GeoPoint> {
    // Mostly metropolitan France, sometimes anywhere on Earth.
    prop_oneof![
        4 => (41.0..51.5f64, -5.5..9.8f64).prop_map(|(a, b)| point(a, b)),
        1 => (-89.9..89.9f64, -179.9..179.9f64).prop_map(|(a, b)| point(a, b)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The R-tree radius query equals a brute-force haversine filter.
    #[test]
    fn radius_search_equals_brute_force(
        points in proptest::collection::vec((arb_point(), 0usize..3), 1..300),
        centre in arb_point(),
        km in 0u16..=200,
    ) {
        let codes = ["D1102", "D1104", "F1703"];
        let docs: Vec<(String, GeoPoint, &str)> = points
            .iter()
            .enumerate()
            .map(|(i, (p, c))| (format!("d{i}"), *p, codes[*c]))
            .collect();
        let kind = KindIndex::build(
            docs.clone(),
            |d| d.0.as_str(),
            |d| d.1,
            |d| vec![rome(d.2)],
        );
        let filter = RomeFilter::codes(vec![rome("D1102"), rome("F1703")]).unwrap();
        let found: BTreeSet<String> = kind
            .find(&filter, Some(centre), Radius::new(km).unwrap(), &|_| true)
            .into_iter()
            .map(|c| kind.docs[c.id as usize].0.clone())
            .collect();
        let expected: BTreeSet<String> = docs
            .iter()
            .filter(|d| d.2 != "D1104" && centre.distance_km(&d.1) <= f64::from(km))
            .map(|d| d.0.clone())
            .collect();
        prop_assert_eq!(found, expected);
    }

    /// Counting within the radius (the orientation's opportunity counts)
    /// equals a brute-force haversine count, the filter included, including
    /// points placed exactly at the edge.
    #[test]
    fn count_within_equals_brute_force(
        points in proptest::collection::vec((arb_point(), 0usize..3, any::<bool>()), 1..300),
        centre in arb_point(),
        km in 0u16..=200,
        bearing in 0.0..360.0f64,
    ) {
        let codes = ["D1102", "D1104", "F1703"];
        let mut docs: Vec<(String, GeoPoint, &str, bool)> = points
            .iter()
            .enumerate()
            .map(|(i, (p, c, k))| (format!("d{i}"), *p, codes[*c], *k))
            .collect();
        // A point at the edge of the radius (up to rounding).
        let (lat, lon) = (centre.lat().to_radians(), centre.lon().to_radians());
        let (d, b) = (f64::from(km) / lba_core::geo::EARTH_RADIUS_KM, bearing.to_radians());
        let lat2 = (lat.sin() * d.cos() + lat.cos() * d.sin() * b.cos()).asin();
        let lon2 = lon + (b.sin() * d.sin() * lat.cos()).atan2(d.cos() - lat.sin() * lat2.sin());
        let lon2 = (lon2.to_degrees() + 540.0).rem_euclid(360.0) - 180.0;
        if let Ok(edge) = GeoPoint::new(lat2.to_degrees(), lon2) {
            docs.push(("edge".into(), edge, "D1102", true));
        }
        let kind = KindIndex::build(docs.clone(), |d| d.0.as_str(), |d| d.1, |d| vec![rome(d.2)]);
        let radius = Radius::new(km).unwrap();
        for code in codes {
            let counted = kind.count_within(&rome(code), centre, radius, &|d| d.3);
            let expected = docs
                .iter()
                .filter(|d| d.2 == code && d.3 && centre.distance_km(&d.1) <= f64::from(km))
                .count();
            prop_assert_eq!(counted, expected);
        }
        prop_assert_eq!(kind.count_within(&rome("A1101"), centre, radius, &|_| true), 0);
    }

    /// The nearest-neighbour fallback equals sorting by haversine distance.
    #[test]
    fn nearest_equals_brute_force(
        points in proptest::collection::vec(arb_point(), 1..200),
        centre in arb_point(),
    ) {
        let docs: Vec<(String, GeoPoint)> =
            points.iter().enumerate().map(|(i, p)| (format!("d{i}"), *p)).collect();
        let kind = KindIndex::build(docs.clone(), |d| d.0.as_str(), |d| d.1, |_| vec![rome("D1102")]);
        let filter = RomeFilter::codes(vec![rome("D1102")]).unwrap();
        let found: Vec<f64> = kind
            .nearest(&filter, centre, 5, &|_| true)
            .into_iter()
            .map(|c| c.distance_km.unwrap())
            .collect();
        let mut all: Vec<f64> = docs.iter().map(|d| centre.distance_km(&d.1)).collect();
        all.sort_by(f64::total_cmp);
        all.truncate(5);
        prop_assert_eq!(found.len(), all.len());
        for (a, b) in found.iter().zip(&all) {
            prop_assert!((a - b).abs() < 1e-9, "{a} vs {b}");
        }
    }

    /// The capped nearest walk returns the k nearest documents in the radius.
    #[test]
    fn capped_nearest_equals_brute_force(
        points in proptest::collection::vec((arb_point(), 0usize..3), 1..300),
        centre in arb_point(),
        km in 0u16..=200,
        k in 1usize..20,
    ) {
        let codes = ["D1102", "D1104", "F1703"];
        let docs: Vec<(String, GeoPoint, Vec<CodeRome>)> = points
            .iter()
            .enumerate()
            .map(|(i, (p, c))| (format!("d{i}"), *p, vec![rome(codes[*c]), rome(codes[(*c + 1) % 3])]))
            .collect();
        let kind = KindIndex::build(docs.clone(), |d| d.0.as_str(), |d| d.1, |d| d.2.clone());
        let filter = RomeFilter::codes(vec![rome("D1102"), rome("F1703")]).unwrap();
        let found = kind.nearest_within(&filter, centre, Radius::new(km).unwrap(), k, &|_| true);
        let ids: BTreeSet<u32> = found.iter().map(|c| c.id).collect();
        prop_assert_eq!(ids.len(), found.len(), "no duplicates");
        let mut expected: Vec<f64> = docs
            .iter()
            .filter(|d| d.2.iter().any(|c| c.as_str() != "D1104"))
            .map(|d| centre.distance_km(&d.1))
            .filter(|d| *d <= f64::from(km))
            .collect();
        expected.sort_by(f64::total_cmp);
        let got: Vec<f64> = found.iter().map(|c| c.distance_km.unwrap()).collect();
        prop_assert!(got.len() >= expected.len().min(k));
        for (a, b) in got.iter().zip(&expected) {
            prop_assert!((a - b).abs() < 1e-6, "{a} vs {b}");
        }
    }
}
