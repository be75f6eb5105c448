//! Parsers of the parameters shared by the v1 routes and the search pages. Each records a
//! French message naming the parameter in [`Problems`] when the value is
//! wrong, so that a request gets all its errors at once.

use lba_core::geo::{GeoPoint, Radius};
use lba_core::ids::{CodeRome, InseeCode, RncpCode};
use lba_core::level::DiplomaLevel;
use lba_core::opportunity::ContractType;
use lba_search::query::MAX_ROMES;
use lba_search::{CompanySort, Index, RomeFilter};

use super::{Problems, echo, lookup};

/// The value of an optional parameter, trimmed; an empty value counts as
/// absent (HTML forms send `romes=` for an empty field).
pub fn text(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The items of a comma-separated list, trimmed, empty items skipped.
pub fn list(value: &str) -> impl Iterator<Item = &str> {
    value.split(',').map(str::trim).filter(|v| !v.is_empty())
}

/// Parses a list of ROME codes (`F1603,I1308`): 1 to 20 valid codes.
pub fn rome_codes(p: &mut Problems, param: &str, value: &str) -> Vec<CodeRome> {
    let mut codes = Vec::new();
    for item in list(value) {
        if let Some(code) = p.check(param, CodeRome::parse(item)) {
            codes.push(code);
        }
    }
    codes
}

/// The métiers searched: exactly one of `romes`, `romeDomain` and (where the
/// route takes it) `rncp`. `required` says whether giving none is an error.
///
/// `rncp` selects the ROME codes of the courses leading to that
/// certification.
pub fn metier_filter(
    p: &mut Problems,
    romes: Option<&str>,
    rome_domain: Option<&str>,
    rncp: Option<Option<&str>>,
    index: &Index,
    required: bool,
) -> Option<RomeFilter> {
    let mut names = vec!["romes", "romeDomain"];
    if rncp.is_some() {
        names.push("rncp");
    }
    let given: Vec<&str> = [
        ("romes", romes),
        ("romeDomain", rome_domain),
        ("rncp", rncp.flatten()),
    ]
    .iter()
    .filter(|(_, value)| value.is_some())
    .map(|(name, _)| *name)
    .collect();
    if given.len() > 1 {
        p.add(
            &given.join(", "),
            format!(
                "ces paramètres sont incompatibles : renseignez un seul des paramètres {}",
                names.join(", ")
            ),
        );
        return None;
    }
    if let Some(value) = romes {
        let before = p.count();
        let codes = rome_codes(p, "romes", value);
        let count = list(value).count();
        if count > MAX_ROMES {
            p.add(
                "romes",
                format!("au plus {MAX_ROMES} codes ROME ({count} reçus)"),
            );
        }
        if p.count() > before {
            return None;
        }
        return p.check("romes", RomeFilter::codes(codes));
    }
    if let Some(value) = rome_domain {
        return p.check("romeDomain", RomeFilter::domain(value));
    }
    if let Some(value) = rncp.flatten() {
        let rncp = p.check("rncp", RncpCode::parse(value))?;
        let codes = romes_of_rncp(index, &rncp);
        if codes.is_empty() {
            p.add(
                "rncp",
                format!("aucun métier (code ROME) n'est associé à la certification « {rncp} »"),
            );
            return None;
        }
        return p.check("rncp", RomeFilter::codes(codes));
    }
    if required {
        p.add(
            &names.join(", "),
            format!("renseignez l'un des paramètres {}", names.join(", ")),
        );
    }
    None
}

/// The ROME codes of the courses leading to `rncp`, at most 20 (the most
/// frequent first): a table built once with the index snapshot.
fn romes_of_rncp(index: &Index, rncp: &RncpCode) -> Vec<CodeRome> {
    index.rncp_romes.get(rncp).cloned().unwrap_or_default()
}

/// The centre and radius of a search.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Center {
    /// The point; `None` for a France-wide search.
    pub point: Option<GeoPoint>,
    /// The radius (30 km by default).
    pub radius: Radius,
}

/// Parses `latitude`, `longitude`, `radius` and `insee`. Without
/// coordinates, a known `insee` commune gives the centre.
pub fn center(
    p: &mut Problems,
    latitude: Option<&str>,
    longitude: Option<&str>,
    radius: Option<&str>,
    insee: Option<&str>,
    index: &Index,
) -> Center {
    let radius = radius.map_or(Some(Radius::default()), |r| parse_radius(p, r));
    let lat = latitude.and_then(|v| coordinate(p, "latitude", v, 90.0));
    let lon = longitude.and_then(|v| coordinate(p, "longitude", v, 180.0));
    match (latitude, longitude) {
        (Some(_), None) => p.add("longitude", "la longitude est requise avec la latitude"),
        (None, Some(_)) => p.add("latitude", "la latitude est requise avec la longitude"),
        _ => {}
    }
    let insee = insee.and_then(|v| p.check("insee", InseeCode::parse(v)));
    let point = match (lat, lon, insee) {
        (Some(lat), Some(lon), _) => p.check("latitude, longitude", GeoPoint::new(lat, lon)),
        (None, None, Some(insee)) if latitude.is_none() && longitude.is_none() => {
            let point = lookup::commune_point(index, &insee);
            if point.is_none() {
                p.add(
                    "insee",
                    format!("aucune commune ne correspond au code INSEE « {insee} »"),
                );
            }
            point
        }
        _ => None,
    };
    Center {
        point,
        radius: radius.unwrap_or_default(),
    }
}

/// A radius in km, `0..=200`; decimals are rounded up to the next whole km.
fn parse_radius(p: &mut Problems, value: &str) -> Option<Radius> {
    let radius = value
        .parse::<f64>()
        .ok()
        .filter(|km| km.is_finite() && (0.0..=f64::from(Radius::MAX_KM)).contains(km))
        .and_then(|km| u16::try_from(km.ceil() as i64).ok())
        .and_then(|km| Radius::new(km).ok());
    if radius.is_none() {
        p.add(
            "radius",
            format!(
                "le rayon doit être un nombre de kilomètres entre 0 et {} (reçu « {} »)",
                Radius::MAX_KM,
                echo(value)
            ),
        );
    }
    radius
}

/// A latitude (`max` 90) or longitude (`max` 180) in decimal degrees.
fn coordinate(p: &mut Problems, param: &str, value: &str, max: f64) -> Option<f64> {
    let degrees = value
        .parse::<f64>()
        .ok()
        .filter(|d| d.is_finite() && (-max..=max).contains(d));
    if degrees.is_none() {
        p.add(
            param,
            format!(
                "attendu un nombre de degrés décimaux entre -{max} et {max} (reçu « {} »)",
                echo(value)
            ),
        );
    }
    degrees
}

/// The v1 labels of the diploma levels (`diploma` parameter and
/// `target_diploma_level` field).
pub const DIPLOMA_LABELS: [&str; 6] = [
    "3 (CAP...)",
    "4 (BAC...)",
    "5 (BTS, DEUST...)",
    "6 (Licence, BUT...)",
    "7 (Master, titre ingénieur...)",
    "8 (Doctorat...)",
];

/// The v1 label of a level (`"5 (BTS, DEUST...)"`).
pub fn diploma_label(level: DiplomaLevel) -> &'static str {
    let i = usize::from(level.get().saturating_sub(3));
    DIPLOMA_LABELS.get(i).copied().unwrap_or("8 (Doctorat...)")
}

/// Parses `diploma`: `INDIFFERENT` (any level), a v1 label such as
/// `4 (BAC...)`, or a level `3`–`8` (`5`, `Niveau 5`).
pub fn diploma(p: &mut Problems, value: Option<&str>) -> Option<DiplomaLevel> {
    let value = value.filter(|v| !v.eq_ignore_ascii_case("INDIFFERENT"))?;
    let level = DiplomaLevel::parse(value).ok();
    if level.is_none() {
        p.add(
            "diploma",
            format!(
                "niveau de diplôme inconnu « {} » : attendu INDIFFERENT, un libellé v1 (« {} », « {} »…) \
                 ou un niveau de 3 à 8",
                echo(value),
                DIPLOMA_LABELS[0],
                DIPLOMA_LABELS[1],
            ),
        );
    }
    level
}

/// The `contractType` extension: `apprentissage` or `professionnalisation`.
pub fn contract_type(p: &mut Problems, value: Option<&str>) -> Option<ContractType> {
    let value = value?;
    let contract = ContractType::parse(value);
    if contract.is_none() {
        p.add(
            "contractType",
            format!(
                "type de contrat inconnu « {} » : attendu apprentissage ou professionnalisation",
                echo(value)
            ),
        );
    }
    contract
}

/// The `companySort` extension: `distance` (default) or `score`.
pub fn company_sort(p: &mut Problems, value: Option<&str>) -> CompanySort {
    match value.map(str::to_ascii_lowercase).as_deref() {
        None | Some("distance") => CompanySort::Distance,
        Some("score") => CompanySort::Score,
        Some(_) => {
            p.add(
                "companySort",
                format!(
                    "tri inconnu « {} » : attendu distance ou score",
                    echo(value.unwrap_or_default())
                ),
            );
            CompanySort::Distance
        }
    }
}

/// Which kinds of results a request asks for (the v1 `sources` parameter).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sources {
    /// `formation`: courses (`jobsEtFormations` only).
    pub formations: bool,
    /// `matcha`: offers posted on the platform.
    pub matchas: bool,
    /// `offres`, `peJob`: France Travail offers.
    pub pe_jobs: bool,
    /// `partnerJob`: partner offers.
    pub partner_jobs: bool,
    /// `lba`, `lbb`: companies likely to hire.
    pub companies: bool,
}

impl Sources {
    /// Everything (no `sources` parameter).
    pub const ALL: Self = Self {
        formations: true,
        matchas: true,
        pe_jobs: true,
        partner_jobs: true,
        companies: true,
    };

    /// Whether any offer origin is selected.
    pub fn offers(self) -> bool {
        self.matchas || self.pe_jobs || self.partner_jobs
    }
}

/// The accepted `sources` values.
pub const SOURCE_NAMES: &str = "formation, matcha, lba, lbb, offres, peJob, partnerJob";

/// Parses `sources`, a comma-separated list of [`SOURCE_NAMES`]
/// (case-insensitive); all sources when absent.
pub fn sources(p: &mut Problems, value: Option<&str>) -> Sources {
    let Some(value) = value else {
        return Sources::ALL;
    };
    let mut s = Sources {
        formations: false,
        matchas: false,
        pe_jobs: false,
        partner_jobs: false,
        companies: false,
    };
    for item in list(value) {
        match item.to_ascii_lowercase().as_str() {
            "formation" | "formations" => s.formations = true,
            "matcha" => s.matchas = true,
            "offres" | "pejob" => s.pe_jobs = true,
            "partnerjob" => s.partner_jobs = true,
            "lba" | "lbb" => s.companies = true,
            _ => p.add(
                "sources",
                format!(
                    "source inconnue « {} » : valeurs acceptées {SOURCE_NAMES}",
                    echo(item)
                ),
            ),
        }
    }
    s
}
