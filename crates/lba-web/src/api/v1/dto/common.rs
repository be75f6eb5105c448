//! Pieces shared by the v1 result documents: place, ROME, NAF, company,
//! contact.

use lba_core::ids::{CodeRome, NafCode};
use lba_core::opportunity;
use serde::Serialize;
use utoipa::ToSchema;

use lba_search::regions;

/// A place (v1 `Place`): where a course, an offer or a company is.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Place {
    /// Distance from the centre of the search in km (2 decimals); `null`
    /// without a centre.
    pub(crate) distance: Option<f64>,
    /// Street, postal code and city.
    pub(crate) full_address: Option<String>,
    /// Street address.
    pub(crate) address: Option<String>,
    /// Street address (same as `address`).
    pub(crate) number_and_street: Option<String>,
    /// City.
    pub(crate) city: Option<String>,
    /// Postal code.
    pub(crate) zip_code: Option<String>,
    /// INSEE code of the commune.
    pub(crate) insee: Option<String>,
    /// Département code.
    pub(crate) departement_number: Option<String>,
    /// INSEE code of the région.
    pub(crate) region: Option<String>,
    /// Latitude (WGS84).
    pub(crate) latitude: Option<f64>,
    /// Longitude (WGS84).
    pub(crate) longitude: Option<f64>,
    /// Always `null` (not known).
    pub(crate) cedex: Option<String>,
    /// Entirely distance learning (courses only).
    pub(crate) remote_only: Option<bool>,
}

impl Place {
    /// Renders `place` at `distance_km` from the search centre.
    pub(crate) fn new(
        place: &opportunity::Place,
        distance_km: Option<f64>,
        remote_only: Option<bool>,
    ) -> Self {
        let street = non_empty(&place.address);
        let city = non_empty(&place.city);
        let zip = place.postal_code.as_ref().map(|p| p.to_string());
        let full: Vec<&str> = [street.as_deref(), zip.as_deref(), city.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        let departement = regions::departement_of(place);
        Self {
            distance: distance_km.map(round_km),
            full_address: (!full.is_empty()).then(|| full.join(" ")),
            address: street.clone(),
            number_and_street: street,
            city,
            zip_code: zip,
            insee: place.commune_insee.as_ref().map(|i| i.to_string()),
            region: departement
                .as_deref()
                .and_then(regions::region_of)
                .map(str::to_owned),
            departement_number: departement,
            latitude: Some(place.point.lat()),
            longitude: Some(place.point.lon()),
            cedex: None,
            remote_only,
        }
    }
}

/// A distance rounded to 10 m.
pub(crate) fn round_km(km: f64) -> f64 {
    (km * 100.0).round() / 100.0
}

/// `None` for an empty or blank text.
pub(crate) fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// A ROME code (v1 `Rome`). The label is not in the search index: `null`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Rome {
    /// ROME code (`F1603`).
    code: String,
    /// Always `null`.
    label: Option<String>,
}

impl Rome {
    /// Renders a list of codes.
    pub(crate) fn list<'a>(codes: impl IntoIterator<Item = &'a CodeRome>) -> Vec<Self> {
        codes
            .into_iter()
            .map(|c| Self {
                code: c.to_string(),
                label: None,
            })
            .collect()
    }
}

/// A NAF activity (v1 `nafs` items). The label is not in the search index:
/// `null`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Naf {
    /// NAF code (`6201Z`).
    code: Option<String>,
    /// Always `null`.
    label: Option<String>,
}

impl Naf {
    /// `[{code}]`, or `null` without a code.
    pub(crate) fn list(code: Option<&NafCode>) -> Option<Vec<Self>> {
        code.map(|c| {
            vec![Self {
                code: Some(c.to_string()),
                label: None,
            }]
        })
    }
}

/// The company of a result (v1 `company`): the CFA for a course, the
/// employer for an offer or a company.
#[derive(Debug, Default, Serialize, ToSchema)]
pub(crate) struct Company {
    /// Name.
    pub(crate) name: Option<String>,
    /// SIRET.
    pub(crate) siret: Option<String>,
    /// UAI (courses only).
    pub(crate) uai: Option<String>,
    /// Headcount range (`"10-19"`).
    pub(crate) size: Option<String>,
    /// Website.
    pub(crate) url: Option<String>,
    /// Whether a CFA posted the offer on behalf of the employer: `null`
    /// (not known).
    pub(crate) mandataire: Option<bool>,
}

/// How to reach the contact of a result (v1 `Contact`). Emails are never
/// published: applications go through the platform.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Contact {
    /// Always `null`.
    email: Option<String>,
    /// Phone number.
    phone: Option<String>,
}

impl Contact {
    /// The contact with `phone`, `null` without one.
    pub(crate) fn phone(phone: Option<&str>) -> Option<Self> {
        phone.and_then(non_empty).map(|phone| Self {
            email: None,
            phone: Some(phone),
        })
    }
}

/// The v1 headcount range of an INSEE headcount bracket code (`"11"` →
/// `"10-19"`); other values pass unchanged.
pub(crate) fn headcount_range(code: &str) -> String {
    let range = match code.trim() {
        "00" => "0-0",
        "01" => "1-2",
        "02" => "3-5",
        "03" => "6-9",
        "11" => "10-19",
        "12" => "20-49",
        "21" => "50-99",
        "22" => "100-199",
        "31" => "200-249",
        "32" => "250-499",
        "41" => "500-999",
        "42" => "1000-1999",
        "51" => "2000-4999",
        "52" => "5000-9999",
        "53" => "10000+",
        other => other,
    };
    range.to_owned()
}
