//! Pure domain layer of La bonne alternance: identifiers that are parsed
//! once and then trusted ([`ids`]), diploma levels ([`level`]), geography
//! ([`geo`]), text normalisation for search ([`text`]) and the one error
//! type they share ([`error`]).
//!
//! No IO and no async here: every function is deterministic and cheap, so
//! that the data, storage and web layers can build on it freely.

#![warn(missing_docs)]

pub mod application;
pub mod appointment;
pub mod contact;
pub mod error;
pub mod establishment;
pub mod french;
pub mod geo;
pub mod ids;
pub mod level;
pub mod opportunity;
pub mod pro;
pub mod projection;
pub mod referential;
pub mod text;

pub use contact::{ContactError, Email, PhoneNumber};
pub use error::ParseError;
pub use geo::{EARTH_RADIUS_KM, GeoPoint, MAX_DISTANCE_KM, Radius, lambert93_to_wgs84};
pub use ids::{
    Cfd, CodeRome, DepartementCode, InseeCode, NafCode, PostalCode, RncpCode, Siren, Siret, Uai,
};
pub use level::{DiplomaLevel, parse_rncp_level};
pub use text::{normalize, tokens};
