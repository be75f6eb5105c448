//! Where an establishment of a projected-coordinates file is: its
//! coordinates converted to WGS84 when they are trusted, else the centre of
//! its commune. Shared by the companies and SIRENE importers.
//!
//! Real files contain wrong coordinates (placeholders, swapped axes, an old
//! address): a converted point more than [`MAX_DISTANCE_KM`] from the centre
//! of the commune the record names is not trusted.

use std::collections::HashMap;

use lba_core::geo::GeoPoint;
use lba_core::ids::InseeCode;
use lba_core::projection::Projection;
use lba_store::Store;
use serde::Serialize;

use crate::ImportError;

/// Farthest a converted point may be from its commune's centre, in km.
pub const MAX_DISTANCE_KM: f64 = 20.0;

/// A commune's centre and name.
#[derive(Clone, Debug)]
struct CommunePlace {
    point: GeoPoint,
    name: String,
}

/// How a point was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum How {
    /// Converted from the file's coordinates, in metropolitan France.
    Converted,
    /// Converted from the file's UTM coordinates, overseas.
    ConvertedOverseas,
    /// Commune centre: the record has no coordinates.
    NoCoordinates,
    /// Commune centre: the coordinates do not convert, or land more than
    /// [`MAX_DISTANCE_KM`] away from it.
    TooFar,
    /// Commune centre: an overseas collectivity without a known projection.
    Overseas,
}

/// Counts of records placed at their commune's centre, by cause.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LocatedByCommune {
    /// No coordinates in the record.
    pub no_coordinates: u64,
    /// Coordinates not converted or more than 20 km from the commune.
    pub too_far: u64,
    /// Overseas commune whose projection is not known.
    pub overseas: u64,
}

impl LocatedByCommune {
    /// All of them.
    pub fn total(&self) -> u64 {
        self.no_coordinates + self.too_far + self.overseas
    }

    /// Counts one located record; returns whether it was converted
    /// overseas (the caller counts those apart).
    pub fn count(&mut self, how: How) -> bool {
        match how {
            How::Converted => {}
            How::ConvertedOverseas => return true,
            How::NoCoordinates => self.no_coordinates += 1,
            How::TooFar => self.too_far += 1,
            How::Overseas => self.overseas += 1,
        }
        false
    }
}

/// The communes of the referential, ready to place records.
#[derive(Debug)]
pub struct Locator {
    communes: HashMap<InseeCode, CommunePlace>,
}

impl Locator {
    /// Loads the communes (an arrondissement without a point takes its
    /// city's).
    pub async fn load(store: &Store) -> Result<Self, ImportError> {
        let refs = store.referential_data().await?;
        let points: HashMap<&InseeCode, GeoPoint> = refs
            .communes
            .iter()
            .filter_map(|c| c.point.map(|p| (&c.insee, p)))
            .collect();
        let communes = refs
            .communes
            .iter()
            .filter_map(|c| {
                let point = c
                    .point
                    .or_else(|| c.parent.as_ref().and_then(|p| points.get(p)).copied())?;
                Some((
                    c.insee.clone(),
                    CommunePlace {
                        point,
                        name: c.name.clone(),
                    },
                ))
            })
            .collect();
        Ok(Self { communes })
    }

    /// The referential name of a commune ("Liverdun").
    pub fn commune_name(&self, insee: &InseeCode) -> Option<&str> {
        self.communes.get(insee).map(|c| c.name.as_str())
    }

    /// Places a record of commune `insee` with projected coordinates
    /// `projected`; `None` when the commune is unknown (or has no point).
    pub fn locate(
        &self,
        insee: &InseeCode,
        projected: Option<(f64, f64)>,
    ) -> Option<(GeoPoint, How)> {
        let centre = self.communes.get(insee)?.point;
        let Some((x, y)) = projected else {
            return Some((centre, How::NoCoordinates));
        };
        let Some(projection) = Projection::for_commune(insee) else {
            return Some((centre, How::Overseas));
        };
        match projection.to_wgs84(x, y) {
            Ok(point) if point.distance_km(&centre) <= MAX_DISTANCE_KM => Some((
                point,
                if projection.is_overseas() {
                    How::ConvertedOverseas
                } else {
                    How::Converted
                },
            )),
            _ => Some((centre, How::TooFar)),
        }
    }
}
