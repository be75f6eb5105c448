//! The R-trees hold `f32` unit vectors: documents placed at the very edge
//! of the radius, in every direction, are found exactly as the haversine
//! distance says, by every kind of query.

use std::collections::BTreeSet;

use lba_core::geo::{EARTH_RADIUS_KM, GeoPoint, Radius};
use lba_core::ids::CodeRome;
use lba_search::geo_index::{F32_SLACK, reach_squared};
use lba_search::{KindIndex, RomeFilter};

fn rome(code: &str) -> CodeRome {
    code.parse().unwrap()
}

/// The point at `km` from `centre` towards `bearing` degrees.
fn destination(centre: GeoPoint, km: f64, bearing: f64) -> Option<GeoPoint> {
    let (lat, lon) = (centre.lat().to_radians(), centre.lon().to_radians());
    let (d, b) = (km / EARTH_RADIUS_KM, bearing.to_radians());
    let lat2 = (lat.sin() * d.cos() + lat.cos() * d.sin() * b.cos()).asin();
    let lon2 = lon + (b.sin() * d.sin() * lat.cos()).atan2(d.cos() - lat.sin() * lat2.sin());
    let lon2 = (lon2.to_degrees() + 540.0).rem_euclid(360.0) - 180.0;
    GeoPoint::new(lat2.to_degrees(), lon2).ok()
}

#[test]
fn the_reach_covers_the_f32_rounding() {
    for km in [0.0, 0.001, 1.0, 30.0, 200.0, 20_000.0, 40_000.0] {
        let half_angle = (km / (2.0 * EARTH_RADIUS_KM)).min(std::f64::consts::FRAC_PI_2);
        let exact = 2.0 * half_angle.sin();
        let reach = f64::from(reach_squared(km)).sqrt();
        assert!(reach >= exact + F32_SLACK, "{km} km: {reach} < {exact}");
        // And not much more: a few metres on Earth.
        assert!(reach <= exact + 2.0 * F32_SLACK, "{km} km: {reach}");
    }
}

#[test]
fn documents_at_the_edge_are_decided_by_haversine() {
    let centres = [
        (45.764, 4.8357),
        (48.8566, 2.3522),
        (-21.1151, 55.5364),
        (0.0, 179.999),
    ];
    for (lat, lon) in centres {
        let centre = GeoPoint::new(lat, lon).unwrap();
        for km in [1u16, 10, 30, 100] {
            // Just inside, at, and just outside the edge, by a few
            // centimetres (far below the f32 resolution, about a metre).
            let mut docs: Vec<(String, GeoPoint)> = Vec::new();
            for step in 0..72 {
                let bearing = f64::from(step) * 5.0;
                for (j, delta) in [-1e-4, -1e-5, 0.0, 1e-5, 1e-4].iter().enumerate() {
                    if let Some(p) = destination(centre, f64::from(km) + delta, bearing) {
                        docs.push((format!("{step}-{j}"), p));
                    }
                }
            }
            let kind = KindIndex::build(
                docs.clone(),
                |d| d.0.as_str(),
                |d| d.1,
                |_| vec![rome("D1102")],
            );
            let radius = Radius::new(km).unwrap();
            let expected: BTreeSet<String> = docs
                .iter()
                .filter(|d| centre.distance_km(&d.1) <= f64::from(km))
                .map(|d| d.0.clone())
                .collect();
            assert!(!expected.is_empty() && expected.len() < docs.len());
            let filter = RomeFilter::codes(vec![rome("D1102")]).unwrap();
            let names = |found: Vec<lba_search::geo_index::Candidate>| -> BTreeSet<String> {
                found
                    .into_iter()
                    .map(|c| kind.docs[c.id as usize].0.clone())
                    .collect()
            };
            let found = names(kind.find(&filter, Some(centre), radius, &|_| true));
            assert_eq!(found, expected, "find, {km} km around {lat},{lon}");
            let nearest =
                names(kind.nearest_within(&filter, centre, radius, docs.len(), &|_| true));
            assert_eq!(nearest, expected, "nearest_within, {km} km");
            let counted = kind.count_within(&rome("D1102"), centre, radius, &|_| true);
            assert_eq!(counted, expected.len(), "count_within, {km} km");
        }
    }
}

#[test]
fn the_capped_walk_keeps_the_exact_nearest_among_near_ties() {
    // Documents whose distances differ by less than the f32 resolution:
    // the k kept must be the k nearest by exact distance, sorted.
    let centre = GeoPoint::new(45.764, 4.8357).unwrap();
    let docs: Vec<(String, GeoPoint)> = (0..200)
        .filter_map(|i| {
            let km = 5.0 + f64::from(i) * 1e-5;
            destination(centre, km, f64::from(i) * 37.0).map(|p| (format!("d{i}"), p))
        })
        .collect();
    let kind = KindIndex::build(
        docs.clone(),
        |d| d.0.as_str(),
        |d| d.1,
        |_| vec![rome("D1102")],
    );
    let filter = RomeFilter::codes(vec![rome("D1102")]).unwrap();
    let mut exact: Vec<f64> = docs.iter().map(|d| centre.distance_km(&d.1)).collect();
    exact.sort_by(f64::total_cmp);
    for k in [1, 7, 50] {
        let found = kind.nearest_within(&filter, centre, Radius::new(30).unwrap(), k, &|_| true);
        let got: Vec<f64> = found.iter().map(|c| c.distance_km.unwrap()).collect();
        assert!(got.len() >= k);
        assert_eq!(&got[..k], &exact[..k], "k = {k}");
        let nearest = kind.nearest(&filter, centre, k, &|_| true);
        let got: Vec<f64> = nearest.iter().map(|c| c.distance_km.unwrap()).collect();
        assert_eq!(got, &exact[..k], "nearest, k = {k}");
    }
}

#[test]
fn documents_are_found_by_their_own_id() {
    let docs: Vec<(String, GeoPoint)> = ["b", "a", "b", "c"]
        .iter()
        .map(|s| (s.to_string(), GeoPoint::new(45.0, 5.0).unwrap()))
        .collect();
    let kind = KindIndex::build(docs, |d| d.0.as_str(), |d| d.1, |_| vec![rome("D1102")]);
    assert_eq!(kind.len(), 3, "the first of two equal ids wins");
    assert!(kind.get("a").is_some_and(|d| d.0 == "a"));
    assert!(kind.get("c").is_some());
    assert!(kind.get("d").is_none());
}
