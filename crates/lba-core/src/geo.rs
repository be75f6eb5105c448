//! Geography: WGS84 points, great-circle distances, centroids, search radii
//! and the Lambert-93 → WGS84 conversion used by the companies file.

use std::f64::consts::{FRAC_PI_2, PI};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{ParseError, echo};

/// Mean Earth radius (IUGG R1), in kilometres.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Half the circumference of the Earth along a great circle: the largest
/// possible [`GeoPoint::distance_km`].
pub const MAX_DISTANCE_KM: f64 = PI * EARTH_RADIUS_KM;

/// A WGS84 position in decimal degrees, always finite and in range
/// (latitude −90..=90, longitude −180..=180).
///
/// Serialized as `{"lat": .., "lon": ..}`; deserialization checks the range.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawPoint")]
pub struct GeoPoint {
    /// Latitude in degrees.
    lat: f64,
    /// Longitude in degrees.
    lon: f64,
}

/// The unchecked shape of a serialized [`GeoPoint`].
#[derive(Deserialize)]
struct RawPoint {
    /// Latitude in degrees.
    lat: f64,
    /// Longitude in degrees.
    lon: f64,
}

impl TryFrom<RawPoint> for GeoPoint {
    type Error = ParseError;
    fn try_from(raw: RawPoint) -> Result<Self, Self::Error> {
        Self::new(raw.lat, raw.lon)
    }
}

impl GeoPoint {
    /// Builds a point from a latitude and a longitude in degrees.
    ///
    /// # Errors
    /// [`ParseError::GeoPoint`] for NaN, infinities, or values out of range.
    pub fn new(lat: f64, lon: f64) -> Result<Self, ParseError> {
        if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) {
            Ok(Self { lat, lon })
        } else {
            Err(ParseError::GeoPoint(echo(&format!("{lat}, {lon}"))))
        }
    }

    /// Parses `"lat,lon"` (a comma and optional spaces between the two
    /// decimal numbers), e.g. `48.8566, 2.3522`.
    ///
    /// # Errors
    /// [`ParseError::GeoPoint`] when malformed or out of range.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let err = || ParseError::GeoPoint(echo(input));
        let (lat, lon) = input.split_once(',').ok_or_else(err)?;
        let lat: f64 = lat.trim().parse().map_err(|_| err())?;
        let lon: f64 = lon.trim().parse().map_err(|_| err())?;
        Self::new(lat, lon).map_err(|_| err())
    }

    /// Latitude in degrees.
    #[must_use]
    pub fn lat(&self) -> f64 {
        self.lat
    }

    /// Longitude in degrees.
    #[must_use]
    pub fn lon(&self) -> f64 {
        self.lon
    }

    /// Great-circle distance in kilometres (haversine on a sphere of radius
    /// [`EARTH_RADIUS_KM`]); at most π·R, zero between equal points.
    #[must_use]
    pub fn distance_km(&self, other: &GeoPoint) -> f64 {
        let (lat1, lat2) = (self.lat.to_radians(), other.lat.to_radians());
        let half_dlat = (lat2 - lat1) / 2.0;
        let half_dlon = (other.lon - self.lon).to_radians() / 2.0;
        let a = half_dlat.sin().powi(2) + lat1.cos() * lat2.cos() * half_dlon.sin().powi(2);
        2.0 * EARTH_RADIUS_KM * a.sqrt().clamp(0.0, 1.0).asin()
    }

    /// The geographic centre of `points`: the mean of their unit vectors in
    /// 3-D, projected back onto the sphere, so that points on both sides of
    /// the antimeridian average correctly.
    ///
    /// `None` for an empty slice, or when the mean vector is (nearly) null
    /// and the centre undefined, e.g. two antipodal points.
    #[must_use]
    pub fn centroid(points: &[GeoPoint]) -> Option<GeoPoint> {
        if let [single] = points {
            return Some(*single);
        }
        let (mut x, mut y, mut z) = (0.0_f64, 0.0_f64, 0.0_f64);
        for p in points {
            let (lat, lon) = (p.lat.to_radians(), p.lon.to_radians());
            x += lat.cos() * lon.cos();
            y += lat.cos() * lon.sin();
            z += lat.sin();
        }
        let n = points.len() as f64;
        let (x, y, z) = (x / n, y / n, z / n);
        let horizontal = x.hypot(y);
        if points.is_empty() || horizontal.hypot(z) < 1e-9 {
            return None;
        }
        let lat = z.atan2(horizontal).to_degrees().clamp(-90.0, 90.0);
        let lon = y.atan2(x).to_degrees().clamp(-180.0, 180.0);
        GeoPoint::new(lat, lon).ok()
    }
}

impl fmt::Display for GeoPoint {
    /// `lat,lon` in decimal degrees, which [`GeoPoint::parse`] reads back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{},{}", self.lat, self.lon)
    }
}

impl FromStr for GeoPoint {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<&str> for GeoPoint {
    type Error = ParseError;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Self::parse(s)
    }
}

/// A search radius in whole kilometres, `0..=200`; 30 by default.
///
/// Serialized as a number; deserialized from a number, checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct Radius(u16);

impl Radius {
    /// The largest radius accepted, in km.
    pub const MAX_KM: u16 = 200;
    /// The radius used when none is given, in km.
    pub const DEFAULT_KM: u16 = 30;

    /// Builds a radius from kilometres.
    ///
    /// # Errors
    /// [`ParseError::Radius`] above [`Radius::MAX_KM`].
    pub fn new(km: u16) -> Result<Self, ParseError> {
        if km <= Self::MAX_KM {
            Ok(Self(km))
        } else {
            Err(ParseError::Radius(km.to_string()))
        }
    }

    /// Parses a whole number of kilometres (`"30"`), surrounding spaces
    /// ignored.
    ///
    /// # Errors
    /// [`ParseError::Radius`] for anything else or above the maximum.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let err = || ParseError::Radius(echo(input));
        let km: u16 = input.trim().parse().map_err(|_| err())?;
        Self::new(km).map_err(|_| err())
    }

    /// The radius in kilometres.
    #[must_use]
    pub fn km(self) -> u16 {
        self.0
    }

    /// Whether a distance in km lies within this radius.
    #[must_use]
    pub fn contains(self, distance_km: f64) -> bool {
        distance_km <= f64::from(self.0)
    }
}

impl Default for Radius {
    fn default() -> Self {
        Self(Self::DEFAULT_KM)
    }
}

impl fmt::Display for Radius {
    /// The number of kilometres, without unit.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl FromStr for Radius {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<&str> for Radius {
    type Error = ParseError;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Radius {
    type Error = ParseError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl TryFrom<u16> for Radius {
    type Error = ParseError;
    fn try_from(km: u16) -> Result<Self, Self::Error> {
        Self::new(km)
    }
}

impl From<Radius> for u16 {
    fn from(radius: Radius) -> u16 {
        radius.0
    }
}

/// First eccentricity of the GRS80 ellipsoid.
pub(crate) const GRS80_E: f64 = 0.081_819_191_042_815_8;
/// Lambert-93 projection exponent.
pub(crate) const L93_N: f64 = 0.725_607_765_0;
/// Lambert-93 projection constant, in metres.
pub(crate) const L93_C: f64 = 11_754_255.426;
/// Lambert-93 false easting of the pole, in metres.
pub(crate) const L93_XS: f64 = 700_000.0;
/// Lambert-93 false northing of the pole, in metres.
pub(crate) const L93_YS: f64 = 12_655_612.050;
/// Lambert-93 central meridian, in degrees east of Greenwich.
pub(crate) const L93_LON0_DEG: f64 = 3.0;

/// Converts Lambert-93 (EPSG:2154) metres to a WGS84 point.
///
/// Uses the IGN inverse conic formulas (GRS80 ellipsoid, latitude found by
/// fixed-point iteration on the isometric latitude). The sub-metre shift
/// between RGF93 and WGS84 is ignored.
///
/// # Errors
/// [`ParseError::Lambert93`] for non-finite coordinates, or ones outside
/// the unrolled cone (which no point of the Earth projects to).
pub fn lambert93_to_wgs84(x: f64, y: f64) -> Result<GeoPoint, ParseError> {
    let err = || ParseError::Lambert93(echo(&format!("{x}, {y}")));
    if !x.is_finite() || !y.is_finite() {
        return Err(err());
    }
    let (dx, dy) = (x - L93_XS, L93_YS - y);
    let r = dx.hypot(dy);
    let gamma = dx.atan2(dy);
    // The cone unrolls to a sector of half-angle n·π: outside it no
    // point of the ellipsoid projects.
    if gamma.abs() > L93_N * PI {
        return Err(err());
    }
    let lon = L93_LON0_DEG + (gamma / L93_N).to_degrees();
    let iso_lat = -(r / L93_C).ln() / L93_N;
    let exp_iso = iso_lat.exp();
    let mut lat = 2.0 * exp_iso.atan() - FRAC_PI_2;
    let mut converged = false;
    for _ in 0..64 {
        let e_sin = GRS80_E * lat.sin();
        let next = 2.0 * (((1.0 + e_sin) / (1.0 - e_sin)).powf(GRS80_E / 2.0) * exp_iso).atan()
            - FRAC_PI_2;
        let delta = (next - lat).abs();
        lat = next;
        if delta < 1e-12 {
            converged = true;
            break;
        }
    }
    if !converged || !lat.is_finite() || !lon.is_finite() {
        return Err(err());
    }
    let lon = if lon > 180.0 { lon - 360.0 } else { lon };
    GeoPoint::new(lat.to_degrees().clamp(-90.0, 90.0), lon).map_err(|_| err())
}
