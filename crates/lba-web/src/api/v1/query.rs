//! The query strings of the v1 routes, as sent (every value a string) and
//! documented for OpenAPI; the search routes hand them to the query builder
//! of `lba_app::search_request`.
//!
//! Values are validated here, not by serde, so that each error names its
//! parameter in French; unknown parameters are ignored.

use lba_app::search_request::{self, RegionQuery, SearchRequest, Sources, params, text};
use lba_core::ids::{CodeRome, RncpCode};
use lba_search::{Index, SearchQuery};
use serde::Deserialize;
use utoipa::IntoParams;

use super::error::{ApiError, Problems, echo};

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
        let request = SearchRequest {
            romes: text(&self.romes),
            rome_domain: text(&self.rome_domain),
            latitude: text(&self.latitude),
            longitude: text(&self.longitude),
            radius: text(&self.radius),
            insee: text(&self.insee),
            diploma: text(&self.diploma),
            ..SearchRequest::default()
        };
        Ok(search_request::formations(&request, index)?)
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
        let request = SearchRequest {
            romes: text(&self.romes),
            rome_domain: text(&self.rome_domain),
            rncp: Some(text(&self.rncp)),
            latitude: text(&self.latitude),
            longitude: text(&self.longitude),
            radius: text(&self.radius),
            insee: text(&self.insee),
            diploma: text(&self.diploma),
            sources: text(&self.sources),
            contract_type: text(&self.contract_type),
            company_sort: text(&self.company_sort),
        };
        Ok(search_request::jobs(&request, index, with_formations)?)
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

impl RegionParams {
    /// The search.
    pub(crate) fn parse(&self, index: &Index) -> Result<RegionQuery, ApiError> {
        let request = SearchRequest {
            romes: text(&self.romes),
            rome_domain: text(&self.rome_domain),
            diploma: text(&self.diploma),
            ..SearchRequest::default()
        };
        Ok(search_request::region(
            text(&self.region),
            text(&self.departement),
            &request,
            index,
        )?)
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
        Ok(p.finish_with(label)?)
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
