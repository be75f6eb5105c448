//! An establishment of the SIRENE register: what the service knows of a
//! company by its SIRET, whether or not it is "likely to hire".

use serde::{Deserialize, Serialize};

use crate::geo::GeoPoint;
use crate::ids::{InseeCode, NafCode, PostalCode, Siret};

/// An open establishment (SIRENE stock).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Establishment {
    /// Establishment id.
    pub siret: Siret,
    /// Synthetic record from the demo generator.
    pub is_demo: bool,
    /// Sign, else usual name, else "Établissement <SIRET>".
    pub name: String,
    /// Main activity (NAF rév. 2).
    pub naf: Option<NafCode>,
    /// INSEE headcount bracket code ("11"); `None` when unknown.
    pub headcount: Option<String>,
    /// Street address.
    pub address: String,
    /// Postal code.
    pub postal_code: Option<PostalCode>,
    /// Commune.
    pub commune_insee: Option<InseeCode>,
    /// City name.
    pub city: String,
    /// Coordinates: converted from the file when trusted, else the centre
    /// of the commune, else none.
    pub point: Option<GeoPoint>,
}
