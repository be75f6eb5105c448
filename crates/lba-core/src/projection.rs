//! The projected coordinates of French establishment files (SIRENE, the
//! "companies likely to hire" file): Lambert-93 in metropolitan France, UTM
//! overseas, each département with its official system, converted to WGS84.
//!
//! The overseas systems (RGAF09, RGFG95, RGR92, RGM04, RGSPM06) are, like
//! RGF93, realisations of ITRF on the GRS80 ellipsoid: they differ from WGS84
//! by a few centimetres, which is ignored here as it is for Lambert-93.

use crate::error::{ParseError, echo};
use crate::geo::{
    GRS80_E, GeoPoint, L93_C, L93_LON0_DEG, L93_N, L93_XS, L93_YS, lambert93_to_wgs84,
};
use crate::ids::InseeCode;

/// GRS80 semi-major axis, in metres.
const GRS80_A: f64 = 6_378_137.0;
/// GRS80 flattening.
const GRS80_F: f64 = 1.0 / 298.257_222_101;
/// UTM scale factor on the central meridian.
const UTM_K0: f64 = 0.9996;
/// UTM false easting, in metres.
const UTM_E0: f64 = 500_000.0;
/// UTM false northing in the southern hemisphere, in metres.
const UTM_N0_SOUTH: f64 = 10_000_000.0;

/// The projection in which a commune's establishments are located.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Projection {
    /// Lambert-93 (EPSG:2154): metropolitan France and Corsica.
    Lambert93,
    /// Universal Transverse Mercator, `zone` 1–60, northern or southern
    /// hemisphere.
    Utm {
        /// Zone number.
        zone: u8,
        /// Southern hemisphere (false northing 10,000 km).
        south: bool,
    },
}

impl Projection {
    /// The official projection of the commune's département, as used by
    /// INSEE in SIRENE: Lambert-93 in metropolitan France; UTM 20N in
    /// Guadeloupe (971), Martinique (972), Saint-Barthélemy (977) and
    /// Saint-Martin (978); UTM 22N in Guyane (973); UTM 40S in La Réunion
    /// (974); UTM 21N in Saint-Pierre-et-Miquelon (975); UTM 38S in Mayotte
    /// (976). `None` for the other overseas collectivities (98x).
    #[must_use]
    pub fn for_commune(insee: &InseeCode) -> Option<Self> {
        let utm = |zone, south| Some(Self::Utm { zone, south });
        match insee.departement() {
            "971" | "972" | "977" | "978" => utm(20, false),
            "973" => utm(22, false),
            "974" => utm(40, true),
            "975" => utm(21, false),
            "976" => utm(38, true),
            d if d.starts_with("97") || d.starts_with("98") => None,
            _ => Some(Self::Lambert93),
        }
    }

    /// Whether this is an overseas projection (not Lambert-93).
    #[must_use]
    pub fn is_overseas(self) -> bool {
        !matches!(self, Self::Lambert93)
    }

    /// Converts a WGS84 point to `(x, y)` in metres in this projection (for
    /// generated files and tests; the importers only convert the other way).
    #[must_use]
    pub fn from_wgs84(self, point: GeoPoint) -> (f64, f64) {
        match self {
            Self::Lambert93 => wgs84_to_lambert93(point),
            Self::Utm { zone, south } => wgs84_to_utm(zone, south, point),
        }
    }

    /// Converts `x` (easting), `y` (northing) in metres to WGS84.
    ///
    /// # Errors
    /// [`ParseError::Lambert93`] or [`ParseError::Utm`] for coordinates
    /// that do not convert.
    pub fn to_wgs84(self, x: f64, y: f64) -> Result<GeoPoint, ParseError> {
        match self {
            Self::Lambert93 => lambert93_to_wgs84(x, y),
            Self::Utm { zone, south } => utm_to_wgs84(zone, south, x, y),
        }
    }
}

/// Converts UTM coordinates (`zone` 1–60, hemisphere, easting `x` and
/// northing `y` in metres, GRS80) to a WGS84 point.
///
/// Uses the Krüger series of the inverse transverse Mercator projection to
/// the third order in the third flattening n, as given by Karney (2011),
/// "Transverse Mercator with an accuracy of a few nanometers": errors are
/// below a millimetre within a zone.
///
/// # Errors
/// [`ParseError::Utm`] for a zone outside 1–60, non-finite coordinates, or
/// an easting more than 1,000 km from the central meridian (no longer a
/// point of that zone).
pub fn utm_to_wgs84(zone: u8, south: bool, x: f64, y: f64) -> Result<GeoPoint, ParseError> {
    let err = || ParseError::Utm(echo(&format!("{x}, {y}")));
    if !(1..=60).contains(&zone) || !x.is_finite() || !y.is_finite() {
        return Err(err());
    }
    if (x - UTM_E0).abs() > 1_000_000.0 || !(-1.0..=UTM_N0_SOUTH + 1.0).contains(&y) {
        return Err(err());
    }
    let n = GRS80_F / (2.0 - GRS80_F);
    let (n2, n3) = (n * n, n * n * n);
    // Rectifying radius.
    let big_a = GRS80_A / (1.0 + n) * (1.0 + n2 / 4.0 + n2 * n2 / 64.0);
    let beta = [
        n / 2.0 - 2.0 * n2 / 3.0 + 37.0 * n3 / 96.0,
        n2 / 48.0 + n3 / 15.0,
        17.0 * n3 / 480.0,
    ];
    let delta = [
        2.0 * n - 2.0 * n2 / 3.0 - 2.0 * n3,
        7.0 * n2 / 3.0 - 8.0 * n3 / 5.0,
        56.0 * n3 / 15.0,
    ];
    let northing = if south { y - UTM_N0_SOUTH } else { y };
    let xi = northing / (UTM_K0 * big_a);
    let eta = (x - UTM_E0) / (UTM_K0 * big_a);
    let (mut xi_p, mut eta_p) = (xi, eta);
    for (j, b) in (1..=3).map(f64::from).zip(beta) {
        xi_p -= b * (2.0 * j * xi).sin() * (2.0 * j * eta).cosh();
        eta_p -= b * (2.0 * j * xi).cos() * (2.0 * j * eta).sinh();
    }
    // Conformal latitude, then the geodetic latitude by its series.
    let chi = (xi_p.sin() / eta_p.cosh()).asin();
    let mut lat = chi;
    for (j, d) in (1..=3).map(f64::from).zip(delta) {
        lat += d * (2.0 * j * chi).sin();
    }
    let lon0 = f64::from(zone) * 6.0 - 183.0;
    let lon = lon0 + eta_p.sinh().atan2(xi_p.cos()).to_degrees();
    let lon = if lon > 180.0 {
        lon - 360.0
    } else if lon < -180.0 {
        lon + 360.0
    } else {
        lon
    };
    if !lat.is_finite() || !lon.is_finite() {
        return Err(err());
    }
    GeoPoint::new(lat.to_degrees(), lon).map_err(|_| err())
}

/// Converts a WGS84 point to Lambert-93 `(x, y)` metres (IGN direct conic
/// formulas, ALG0003).
#[must_use]
pub fn wgs84_to_lambert93(point: GeoPoint) -> (f64, f64) {
    let lat = point.lat().to_radians();
    let e_sin = GRS80_E * lat.sin();
    let iso_lat = ((std::f64::consts::FRAC_PI_4 + lat / 2.0).tan()
        * ((1.0 - e_sin) / (1.0 + e_sin)).powf(GRS80_E / 2.0))
    .ln();
    let r = L93_C * (-L93_N * iso_lat).exp();
    let gamma = L93_N * (point.lon() - L93_LON0_DEG).to_radians();
    (L93_XS + r * gamma.sin(), L93_YS - r * gamma.cos())
}

/// Converts a WGS84 point to UTM `(x, y)` metres in `zone` (Krüger series,
/// third order, the forward of [`utm_to_wgs84`]).
#[must_use]
pub fn wgs84_to_utm(zone: u8, south: bool, point: GeoPoint) -> (f64, f64) {
    let n = GRS80_F / (2.0 - GRS80_F);
    let (n2, n3) = (n * n, n * n * n);
    let big_a = GRS80_A / (1.0 + n) * (1.0 + n2 / 4.0 + n2 * n2 / 64.0);
    let alpha = [
        n / 2.0 - 2.0 * n2 / 3.0 + 5.0 * n3 / 16.0,
        13.0 * n2 / 48.0 - 3.0 * n3 / 5.0,
        61.0 * n3 / 240.0,
    ];
    let lat = point.lat().to_radians();
    let dlon = (point.lon() - (f64::from(zone) * 6.0 - 183.0)).to_radians();
    let k = 2.0 * n.sqrt() / (1.0 + n);
    let t = (lat.sin().atanh() - k * (k * lat.sin()).atanh()).sinh();
    let xi_p = t.atan2(dlon.cos());
    let eta_p = (dlon.sin() / (1.0 + t * t).sqrt()).atanh();
    let (mut xi, mut eta) = (xi_p, eta_p);
    for (j, a) in (1..=3).map(f64::from).zip(alpha) {
        xi += a * (2.0 * j * xi_p).sin() * (2.0 * j * eta_p).cosh();
        eta += a * (2.0 * j * xi_p).cos() * (2.0 * j * eta_p).sinh();
    }
    let x = UTM_E0 + UTM_K0 * big_a * eta;
    let y = UTM_K0 * big_a * xi + if south { UTM_N0_SOUTH } else { 0.0 };
    (x, y)
}
