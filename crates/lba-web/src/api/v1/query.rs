//! The query strings of the v1 routes, as sent (every value a string) and
//! documented for OpenAPI, and their parsing into search requests.
//!
//! Values are validated here, not by serde, so that each error names its
//! parameter in French; unknown parameters are ignored.

use chrono::Utc;
use lba_core::ids::{CodeRome, DepartementCode, RncpCode};
use lba_core::level::DiplomaLevel;
use lba_search::{Index, KindSet, RomeFilter, SearchQuery};
use serde::Deserialize;
use utoipa::IntoParams;

use super::error::{ApiError, Problems, echo};
use super::params::{self, Sources, text};
use super::regions;

/// Parameters of `/api/v1/formations`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
#[expect(
    dead_code,
    reason = "v1 parameters accepted and documented, but ignored"
)]
pub(crate) struct FormationsParams {
    /// ROME codes, comma-separated, at most 20 (`F1603,I1308`). Exactly
    /// one of `romes` and `romeDomain`.
    #[param(example = "F1603,I1308")]
    romes: Option<String>,
    /// A ROME domain: a letter (`F`) or a letter and two digits (`I13`).
    #[param(example = "F")]
    rome_domain: Option<String>,
    /// Latitude of the centre (WGS84 decimal degrees), with `longitude`.
    #[param(value_type = Option<f64>, example = 45.764)]
    latitude: Option<String>,
    /// Longitude of the centre, with `latitude`.
    #[param(value_type = Option<f64>, example = 4.8357)]
    longitude: Option<String>,
    /// Radius in km, 0 to 200 (30 by default).
    #[param(value_type = Option<f64>, example = 30)]
    radius: Option<String>,
    /// Ours: INSEE code of the commune at the centre, used when `latitude`
    /// and `longitude` are absent.
    #[param(example = "69123")]
    insee: Option<String>,
    /// Diploma level: `INDIFFERENT`, a v1 label (`4 (BAC...)`) or `3` to `8`.
    #[param(example = "5 (BTS, DEUST...)")]
    diploma: Option<String>,
    /// Who calls the API (accepted, not used).
    caller: Option<String>,
    /// `with_description` (accepted; descriptions are not known).
    options: Option<String>,
}

impl FormationsParams {
    /// The search for courses.
    pub(crate) fn parse(&self, index: &Index) -> Result<SearchQuery, ApiError> {
        let mut p = Problems::default();
        let filter = params::metier_filter(
            &mut p,
            text(&self.romes),
            text(&self.rome_domain),
            None,
            index,
            true,
        );
        let center = params::center(
            &mut p,
            text(&self.latitude),
            text(&self.longitude),
            text(&self.radius),
            text(&self.insee),
            index,
        );
        let level = params::diploma(&mut p, text(&self.diploma));
        let filter = p.finish_with(filter)?;
        let mut query = SearchQuery::new(filter, center.point);
        query.radius = center.radius;
        query.level = level;
        query.kinds = KindSet {
            formations: true,
            offers: false,
            companies: false,
        };
        Ok(query)
    }
}

/// Parameters of `/api/v1/jobs` and `/api/v1/jobsEtFormations`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
#[expect(
    dead_code,
    reason = "v1 parameters accepted and documented, but ignored"
)]
pub(crate) struct JobsParams {
    /// ROME codes, comma-separated, at most 20 (`F1603,I1308`). Exactly
    /// one of `romes`, `rncp` and `romeDomain`.
    #[param(example = "F1603,I1308")]
    romes: Option<String>,
    /// An RNCP code: the métiers of the courses leading to it.
    #[param(example = "RNCP35316")]
    rncp: Option<String>,
    /// Ours: a ROME domain, a letter (`F`) or a letter and two digits (`I13`).
    rome_domain: Option<String>,
    /// Latitude of the centre (WGS84 decimal degrees), with `longitude`.
    #[param(value_type = Option<f64>, example = 45.764)]
    latitude: Option<String>,
    /// Longitude of the centre, with `latitude`.
    #[param(value_type = Option<f64>, example = 4.8357)]
    longitude: Option<String>,
    /// Radius in km, 0 to 200 (30 by default).
    #[param(value_type = Option<f64>, example = 30)]
    radius: Option<String>,
    /// INSEE code of the commune at the centre; gives the centre when
    /// `latitude` and `longitude` are absent.
    #[param(example = "69123")]
    insee: Option<String>,
    /// Sources, comma-separated: `formation`, `matcha`, `lba`, `lbb`,
    /// `offres`, `peJob`, `partnerJob` (all by default).
    #[param(example = "matcha,lba")]
    sources: Option<String>,
    /// Diploma level: `INDIFFERENT`, a v1 label (`4 (BAC...)`) or `3` to `8`.
    #[param(example = "4 (BAC...)")]
    diploma: Option<String>,
    /// Who calls the API (accepted, not used).
    caller: Option<String>,
    /// OPCO filter (accepted, not supported: ignored).
    opco: Option<String>,
    /// OPCO filter (accepted, not supported: ignored).
    opco_url: Option<String>,
    /// `with_description` (accepted, not used).
    options: Option<String>,
    /// Ours: only offers with this contract type, `apprentissage` or
    /// `professionnalisation`.
    #[param(example = "apprentissage")]
    contract_type: Option<String>,
    /// Ours: order of `lbaCompanies`, `distance` (default) or `score`
    /// (hiring potential first, then distance).
    #[param(example = "score")]
    company_sort: Option<String>,
}

impl JobsParams {
    /// The search, and the sources to render. `with_formations` is false
    /// for `/api/v1/jobs`, which never returns courses.
    pub(crate) fn parse(
        &self,
        index: &Index,
        with_formations: bool,
    ) -> Result<(SearchQuery, Sources), ApiError> {
        let mut p = Problems::default();
        let filter = params::metier_filter(
            &mut p,
            text(&self.romes),
            text(&self.rome_domain),
            Some(text(&self.rncp)),
            index,
            true,
        );
        let center = params::center(
            &mut p,
            text(&self.latitude),
            text(&self.longitude),
            text(&self.radius),
            text(&self.insee),
            index,
        );
        let level = params::diploma(&mut p, text(&self.diploma));
        let mut sources = params::sources(&mut p, text(&self.sources));
        sources.formations &= with_formations;
        let contract = params::contract_type(&mut p, text(&self.contract_type));
        let company_sort = params::company_sort(&mut p, text(&self.company_sort));
        let filter = p.finish_with(filter)?;
        let mut query = SearchQuery::new(filter, center.point);
        query.radius = center.radius;
        query.level = level;
        query.contract = contract;
        query.company_sort = company_sort;
        query.kinds = KindSet {
            formations: sources.formations,
            offers: sources.offers(),
            companies: sources.companies,
        };
        query.origins = Some(
            [
                (
                    sources.matchas,
                    lba_core::opportunity::OfferOrigin::Platform,
                ),
                (
                    sources.pe_jobs,
                    lba_core::opportunity::OfferOrigin::FranceTravail,
                ),
                (
                    sources.partner_jobs,
                    lba_core::opportunity::OfferOrigin::Partner,
                ),
            ]
            .into_iter()
            .filter_map(|(wanted, origin)| wanted.then_some(origin))
            .collect(),
        );
        query.now = Utc::now();
        Ok((query, sources))
    }
}

/// Parameters of `/api/v1/formationsParRegion`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
#[expect(
    dead_code,
    reason = "v1 parameters accepted and documented, but ignored"
)]
pub(crate) struct RegionParams {
    /// INSEE code of a région (`84`). At most one of `region` and
    /// `departement`; France-wide without either.
    #[param(example = "84")]
    region: Option<String>,
    /// A département (`69`, `2A`, `974`).
    #[param(example = "69")]
    departement: Option<String>,
    /// ROME codes, comma-separated, at most 20. At most one of `romes` and
    /// `romeDomain`; one is required for a France-wide search.
    #[param(example = "F1603,I1308")]
    romes: Option<String>,
    /// A ROME domain: a letter (`F`) or a letter and two digits (`I13`).
    rome_domain: Option<String>,
    /// Diploma level: `INDIFFERENT`, a v1 label (`4 (BAC...)`) or `3` to `8`.
    diploma: Option<String>,
    /// Who calls the API (accepted, not used).
    caller: Option<String>,
    /// `with_description` (accepted, not used).
    options: Option<String>,
}

/// A search for courses in an area.
#[derive(Debug)]
pub(crate) struct RegionQuery {
    /// Métiers; all when `None`.
    pub(crate) filter: Option<RomeFilter>,
    /// Départements; France-wide when `None`.
    pub(crate) departements: Option<Vec<String>>,
    /// Diploma level.
    pub(crate) level: Option<DiplomaLevel>,
}

impl RegionParams {
    /// The search.
    pub(crate) fn parse(&self, index: &Index) -> Result<RegionQuery, ApiError> {
        let mut p = Problems::default();
        let departements = match (text(&self.region), text(&self.departement)) {
            (Some(_), Some(_)) => {
                p.add(
                    "region, departement",
                    "ces paramètres sont incompatibles : renseignez l'un ou l'autre",
                );
                None
            }
            (Some(region), None) => {
                let found = regions::departements_of(region)
                    .map(|d| d.iter().map(|s| (*s).to_owned()).collect());
                if found.is_none() {
                    p.add(
                        "region",
                        format!(
                            "code région inconnu « {} » : attendu un code INSEE de région (ex. 84, 11, 04)",
                            echo(region)
                        ),
                    );
                }
                found
            }
            (None, Some(departement)) => p
                .check("departement", DepartementCode::parse(departement))
                .map(|d| vec![d.as_str().to_owned()]),
            (None, None) => None,
        };
        let area = text(&self.region).is_some() || text(&self.departement).is_some();
        let filter = params::metier_filter(
            &mut p,
            text(&self.romes),
            text(&self.rome_domain),
            None,
            index,
            !area,
        );
        let level = params::diploma(&mut p, text(&self.diploma));
        p.finish()?;
        Ok(RegionQuery {
            filter,
            departements,
            level,
        })
    }
}

/// Parameters of `/api/v1/metiers`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct MetiersParams {
    /// Free text (required): a métier, a job title or a diploma.
    #[param(required = true, example = "Décoration")]
    title: Option<String>,
    /// Keep only métiers with one of these ROME codes (comma-separated).
    romes: Option<String>,
    /// Keep only métiers with one of these RNCP codes (comma-separated).
    rncps: Option<String>,
}

/// A métier search.
#[derive(Debug)]
pub(crate) struct MetiersQuery {
    /// The text.
    pub(crate) title: String,
    /// ROME codes to keep (all when empty).
    pub(crate) romes: Vec<CodeRome>,
    /// RNCP codes to keep (all when empty).
    pub(crate) rncps: Vec<RncpCode>,
}

impl MetiersParams {
    /// The search.
    pub(crate) fn parse(&self) -> Result<MetiersQuery, ApiError> {
        let mut p = Problems::default();
        let title = required(
            &mut p,
            "title",
            &self.title,
            "un terme de recherche de métier",
        );
        let romes =
            text(&self.romes).map_or_else(Vec::new, |v| params::rome_codes(&mut p, "romes", v));
        let rncps = text(&self.rncps).map_or_else(Vec::new, |v| {
            params::list(v)
                .filter_map(|item| p.check("rncps", RncpCode::parse(item)))
                .collect()
        });
        let title = p.finish_with(title)?;
        Ok(MetiersQuery {
            title,
            romes,
            rncps,
        })
    }
}

/// Parameters of `/api/v1/metiers/intitule`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct IntituleParams {
    /// Free text (required): words of a job title.
    #[param(required = true, example = "boulanger")]
    label: Option<String>,
}

impl IntituleParams {
    /// The text.
    pub(crate) fn parse(&self) -> Result<String, ApiError> {
        let mut p = Problems::default();
        let label = required(
            &mut p,
            "label",
            &self.label,
            "des mots d'un intitulé de métier",
        );
        p.finish_with(label)
    }
}

/// Parameters of `/api/v1/places`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct PlacesParams {
    /// Free text (required): a commune name or a postal code.
    #[param(required = true, example = "lyon")]
    q: Option<String>,
    /// How many suggestions, 1 to 20 (10 by default).
    #[param(value_type = Option<u8>, example = 10)]
    limit: Option<String>,
}

/// The largest `limit` of `/api/v1/places`.
const MAX_PLACES: usize = 20;

impl PlacesParams {
    /// The text and the limit.
    pub(crate) fn parse(&self) -> Result<(String, usize), ApiError> {
        let mut p = Problems::default();
        let q = required(&mut p, "q", &self.q, "un nom de commune ou un code postal");
        let limit = match text(&self.limit) {
            None => 10,
            Some(v) => match v.parse::<usize>() {
                Ok(n) if (1..=MAX_PLACES).contains(&n) => n,
                _ => {
                    p.add(
                        "limit",
                        format!(
                            "attendu un nombre entier de 1 à {MAX_PLACES} (reçu « {} »)",
                            echo(v)
                        ),
                    );
                    10
                }
            },
        };
        let q = p.finish_with(q)?;
        Ok((q, limit))
    }
}

/// A required free-text parameter, trimmed.
fn required(p: &mut Problems, param: &str, value: &Option<String>, what: &str) -> Option<String> {
    let value = text(value).map(str::to_owned);
    if value.is_none() {
        p.add(param, format!("ce paramètre est requis ({what})"));
    }
    value
}
