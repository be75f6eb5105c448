//! Projected coordinates → WGS84, checked against reference values of
//! PROJ 9 (`pyproj`, EPSG:2154 / 5490 / 2972 / 2975 / 4471 → EPSG:4326),
//! to 1e-8 degree (about a millimetre).

use lba_core::GeoPoint;
use lba_core::geo::lambert93_to_wgs84;
use lba_core::ids::InseeCode;
use lba_core::projection::{Projection, utm_to_wgs84, wgs84_to_lambert93, wgs84_to_utm};

const TOLERANCE_DEG: f64 = 1e-8;

fn assert_close(got: lba_core::GeoPoint, lat: f64, lon: f64) {
    assert!(
        (got.lat() - lat).abs() < TOLERANCE_DEG && (got.lon() - lon).abs() < TOLERANCE_DEG,
        "got {got}, expected {lat},{lon}"
    );
}

#[test]
fn lambert93_matches_proj_to_the_millimetre() {
    for (x, y, lat, lon) in [
        (700_000.0, 6_600_000.0, 46.5, 3.0),
        (652_469.0, 6_861_825.0, 48.854_709_153_4, 2.352_223_198_5),
        // The placeholder coordinates of the companies sample file.
        (
            563_785.301_401_543,
            6_980_103.034_818_875,
            49.904_907,
            1.105_23,
        ),
        (1_047_000.0, 6_298_000.0, 43.695_869_018_6, 7.305_518_535_9),
        (350_000.0, 6_700_000.0, 47.307_841_517_5, -1.635_142_913_1),
        (160_000.0, 6_830_000.0, 48.345_547_736_2, -4.298_500_955_7),
        (1_200_000.0, 6_150_000.0, 42.277_442_720_8, 9.056_889_007_5),
    ] {
        assert_close(lambert93_to_wgs84(x, y).unwrap(), lat, lon);
        let (fx, fy) = wgs84_to_lambert93(GeoPoint::new(lat, lon).unwrap());
        assert!(
            (fx - x).abs() < 0.002 && (fy - y).abs() < 0.002,
            "{fx},{fy} for {x},{y}"
        );
        assert_close(Projection::Lambert93.to_wgs84(x, y).unwrap(), lat, lon);
    }
}

#[test]
fn utm_matches_proj_to_the_millimetre() {
    for (zone, south, x, y, lat, lon) in [
        // Guadeloupe and Martinique (RGAF09 / UTM 20N).
        (
            20,
            false,
            650_000.0,
            1_780_000.0,
            16.095_426_264_1,
            -61.597_472_102_1,
        ),
        (
            20,
            false,
            710_000.0,
            1_630_000.0,
            14.735_671_913_5,
            -61.049_353_667_9,
        ),
        // Guyane (RGFG95 / UTM 22N).
        (
            22,
            false,
            350_000.0,
            550_000.0,
            4.974_507_627_2,
            -52.352_950_032_3,
        ),
        // La Réunion (RGR92 / UTM 40S).
        (
            40,
            true,
            340_000.0,
            7_670_000.0,
            -21.063_966_691_1,
            55.459_966_013_4,
        ),
        // Mayotte (RGM04 / UTM 38S).
        (
            38,
            true,
            520_000.0,
            8_580_000.0,
            -12.844_980_925_7,
            45.184_317_455_1,
        ),
    ] {
        assert_close(utm_to_wgs84(zone, south, x, y).unwrap(), lat, lon);
        let (fx, fy) = wgs84_to_utm(zone, south, GeoPoint::new(lat, lon).unwrap());
        assert!(
            (fx - x).abs() < 0.002 && (fy - y).abs() < 0.002,
            "{fx},{fy} for {x},{y}"
        );
    }
    // The central meridian at the equator is the false origin.
    assert_close(utm_to_wgs84(31, false, 500_000.0, 0.0).unwrap(), 0.0, 3.0);
}

#[test]
fn utm_refuses_what_is_not_in_a_zone() {
    for (zone, x, y) in [
        (0, 500_000.0, 0.0),
        (61, 500_000.0, 0.0),
        (20, f64::NAN, 1_780_000.0),
        (20, 650_000.0, f64::INFINITY),
        (20, 2_000_000.0, 1_780_000.0),
        (20, 650_000.0, 12_000_000.0),
    ] {
        let err = utm_to_wgs84(zone, false, x, y).unwrap_err();
        assert!(
            err.to_string().starts_with("coordonnées UTM invalides"),
            "{err}"
        );
    }
}

#[test]
fn projection_by_commune() {
    let p = |code: &str| Projection::for_commune(&InseeCode::parse(code).unwrap());
    assert_eq!(p("54318"), Some(Projection::Lambert93));
    assert_eq!(p("2A004"), Some(Projection::Lambert93));
    assert_eq!(
        p("97101"),
        Some(Projection::Utm {
            zone: 20,
            south: false
        })
    );
    assert_eq!(
        p("97209"),
        Some(Projection::Utm {
            zone: 20,
            south: false
        })
    );
    assert_eq!(
        p("97302"),
        Some(Projection::Utm {
            zone: 22,
            south: false
        })
    );
    assert_eq!(
        p("97411"),
        Some(Projection::Utm {
            zone: 40,
            south: true
        })
    );
    assert_eq!(
        p("97611"),
        Some(Projection::Utm {
            zone: 38,
            south: true
        })
    );
    assert!(p("97101").unwrap().is_overseas());
    assert!(!p("54318").unwrap().is_overseas());
}
