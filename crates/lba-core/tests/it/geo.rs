//! Geography: points, distances, centroids, radii and Lambert-93.

use lba_core::geo::{EARTH_RADIUS_KM, GeoPoint, MAX_DISTANCE_KM, Radius, lambert93_to_wgs84};
use proptest::prelude::*;

use crate::assert_serde_round_trip;

/// Shorthand for a point known to be valid.
fn pt(lat: f64, lon: f64) -> GeoPoint {
    GeoPoint::new(lat, lon).unwrap()
}

#[test]
fn point_validation() {
    assert!(GeoPoint::new(90.0, 180.0).is_ok());
    assert!(GeoPoint::new(-90.0, -180.0).is_ok());
    for (lat, lon) in [
        (90.1, 0.0),
        (-90.1, 0.0),
        (0.0, 180.5),
        (0.0, -181.0),
        (f64::NAN, 0.0),
        (0.0, f64::NAN),
        (f64::INFINITY, 0.0),
        (0.0, f64::NEG_INFINITY),
    ] {
        let err = GeoPoint::new(lat, lon).unwrap_err();
        assert!(err.to_string().contains(&format!("{lat}, {lon}")), "{err}");
        assert!(err.to_string().starts_with("coordonnées invalides"));
    }
    let p = pt(48.8566, 2.3522);
    assert_eq!((p.lat(), p.lon()), (48.8566, 2.3522));
    assert_eq!("48.8566, 2.3522".parse::<GeoPoint>().unwrap(), p);
    assert_eq!(p.to_string().parse::<GeoPoint>().unwrap(), p);
    assert!("48.8566".parse::<GeoPoint>().is_err());
    assert!(
        "91,0"
            .parse::<GeoPoint>()
            .unwrap_err()
            .to_string()
            .contains("91,0")
    );
}

#[test]
fn point_serde() {
    assert_serde_round_trip(&pt(48.8566, 2.3522), r#"{"lat":48.8566,"lon":2.3522}"#);
    assert!(serde_json::from_str::<GeoPoint>(r#"{"lat":91.0,"lon":0.0}"#).is_err());
}

#[test]
fn known_distances() {
    let paris = pt(48.8566, 2.3522);
    let lyon = pt(45.7640, 4.8357);
    let d = paris.distance_km(&lyon);
    assert!((d - 392.0).abs() <= 3.0, "Paris–Lyon {d}");
    assert_eq!(paris.distance_km(&paris), 0.0);
    let antipode = pt(0.0, 0.0).distance_km(&pt(0.0, 180.0));
    assert!((antipode - MAX_DISTANCE_KM).abs() < 1e-6, "{antipode}");
    let pole_to_pole = pt(90.0, 0.0).distance_km(&pt(-90.0, 0.0));
    assert!((pole_to_pole - std::f64::consts::PI * EARTH_RADIUS_KM).abs() < 1e-6);
    // One degree of longitude on the equator.
    let degree = pt(0.0, 0.0).distance_km(&pt(0.0, 1.0));
    assert!((degree - 111.195).abs() < 0.01, "{degree}");
}

#[test]
fn centroids() {
    assert_eq!(GeoPoint::centroid(&[]), None);
    let c = GeoPoint::centroid(&[pt(10.0, 20.0), pt(10.0, 20.0)]).unwrap();
    assert!(
        (c.lat() - 10.0).abs() < 1e-9 && (c.lon() - 20.0).abs() < 1e-9,
        "{c}"
    );
    // Across the antimeridian: the centre is at ±180, not at 0.
    let c = GeoPoint::centroid(&[pt(0.0, 179.0), pt(0.0, -179.0)]).unwrap();
    assert!(c.lon().abs() > 179.99 && c.lat().abs() < 1e-9, "{c}");
    // Around the equator at 0°, 90°, 180°, -90°: undefined.
    let ring = [pt(0.0, 0.0), pt(0.0, 90.0), pt(0.0, 180.0), pt(0.0, -90.0)];
    assert_eq!(GeoPoint::centroid(&ring), None);
    assert_eq!(GeoPoint::centroid(&[pt(0.0, 0.0), pt(0.0, 180.0)]), None);
}

#[test]
fn radius() {
    assert_eq!(Radius::default().km(), 30);
    assert_eq!(Radius::new(200).unwrap().km(), 200);
    assert_eq!(Radius::new(0).unwrap().km(), 0);
    assert!(Radius::new(201).unwrap_err().to_string().contains("201"));
    assert_eq!(" 60 ".parse::<Radius>().unwrap().km(), 60);
    assert!(
        "60km"
            .parse::<Radius>()
            .unwrap_err()
            .to_string()
            .contains("60km")
    );
    assert!("-5".parse::<Radius>().is_err());
    assert!(Radius::new(10).unwrap().contains(10.0));
    assert!(!Radius::new(10).unwrap().contains(10.01));
    assert_serde_round_trip(&Radius::new(30).unwrap(), "30");
    assert!(serde_json::from_str::<Radius>("500").is_err());
}

#[test]
fn lambert93_known_points() {
    // The projection's false origin (EPSG:2154 definition): 46°30'N on
    // the central meridian 3°E is at x = 700 000, y = 6 600 000.
    let o = lambert93_to_wgs84(700_000.0, 6_600_000.0).unwrap();
    assert!(
        (o.lat() - 46.5).abs() < 1e-6 && (o.lon() - 3.0).abs() < 1e-9,
        "{o}"
    );
    // Paris, Notre-Dame (48.8530°N 2.3499°E).
    let p = lambert93_to_wgs84(652_231.0, 6_861_637.0).unwrap();
    assert!(
        (p.lat() - 48.853).abs() < 0.001 && (p.lon() - 2.349).abs() < 0.001,
        "{p}"
    );
    // The point often quoted as Notre-Dame, x = 652 469, y = 6 861 825, is
    // in fact the usual "centre of Paris" (48.8547°N 2.3522°E, by the
    // Hôtel de Ville), about 300 m away.
    let c = lambert93_to_wgs84(652_469.0, 6_861_825.0).unwrap();
    assert!(
        (c.lat() - 48.8547).abs() < 0.001 && (c.lon() - 2.3522).abs() < 0.001,
        "{c}"
    );
    assert!(c.distance_km(&p) < 0.35);
}

#[test]
fn lambert93_sanity() {
    // Metropolitan France lies within these bounds.
    for (x, y) in [
        (100_000.0, 6_050_000.0),
        (1_250_000.0, 7_100_000.0),
        (1_200_000.0, 6_100_000.0),
    ] {
        let p = lambert93_to_wgs84(x, y).unwrap();
        assert!(
            (40.0..52.0).contains(&p.lat()) && (-6.0..11.0).contains(&p.lon()),
            "{p}"
        );
    }
    // Going east increases longitude, going north increases latitude.
    let a = lambert93_to_wgs84(650_000.0, 6_800_000.0).unwrap();
    let east = lambert93_to_wgs84(660_000.0, 6_800_000.0).unwrap();
    let north = lambert93_to_wgs84(650_000.0, 6_810_000.0).unwrap();
    assert!(east.lon() > a.lon() && north.lat() > a.lat());
    // 10 km in the projection is about 10 km on the ground (scale error < 0.3 %).
    let d = a.distance_km(&north);
    assert!((d - 10.0).abs() < 0.03, "{d}");
    // Far beyond the cone's apex, across the gap of the unrolled cone.
    assert!(lambert93_to_wgs84(700_000.0, 30_000_000.0).is_err());
    // The apex of the cone is the North Pole.
    let pole = lambert93_to_wgs84(700_000.0, 12_655_612.050).unwrap();
    assert!((pole.lat() - 90.0).abs() < 1e-9, "{pole}");
    for (x, y) in [(f64::NAN, 6e6), (7e5, f64::INFINITY)] {
        let err = lambert93_to_wgs84(x, y).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("coordonnées Lambert-93 invalides"),
            "{err}"
        );
    }
}

/// Any valid WGS84 point.
fn point() -> impl Strategy<Value = GeoPoint> {
    (-90.0..=90.0_f64, -180.0..=180.0_f64).prop_map(|(lat, lon)| pt(lat, lon))
}

proptest! {
    #[test]
    fn haversine_is_a_metric(a in point(), b in point(), c in point()) {
        let ab = a.distance_km(&b);
        prop_assert!(ab >= 0.0);
        prop_assert!(ab <= std::f64::consts::PI * EARTH_RADIUS_KM + 1e-6);
        prop_assert!((ab - b.distance_km(&a)).abs() < 1e-9);
        prop_assert_eq!(a.distance_km(&a), 0.0);
        prop_assert!(a.distance_km(&c) <= ab + b.distance_km(&c) + 1e-6);
    }

    #[test]
    fn centroid_of_one_point_is_that_point(a in point()) {
        prop_assert_eq!(GeoPoint::centroid(&[a]), Some(a));
    }

    #[test]
    fn centroid_of_close_points_is_close(a in point(), dlat in -0.01..0.01_f64, dlon in -0.01..0.01_f64) {
        let lat = (a.lat() + dlat).clamp(-90.0, 90.0);
        let lon = (a.lon() + dlon).clamp(-180.0, 180.0);
        let b = pt(lat, lon);
        let c = GeoPoint::centroid(&[a, b]).unwrap();
        prop_assert!(c.distance_km(&a) <= a.distance_km(&b) + 1e-6);
    }

    #[test]
    fn lambert93_never_panics(x in any::<f64>(), y in any::<f64>()) {
        if let Ok(p) = lambert93_to_wgs84(x, y) {
            prop_assert!(p.lat().is_finite() && p.lon().is_finite());
        }
    }
}
