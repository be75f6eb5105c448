//! `/api/v1/orientation` (ours): métiers d'avenir for 1 to 5 centres of
//! interest (ROME 4.0) and an optional place, ranked by
//! `lba_search::orientation` with the reasons as data.

use axum::Json;
use axum::extract::State;
use lba_app::orientation::Questionnaire;
use lba_app::search_request::{Problems, params, text};
use lba_core::level::DiplomaLevel;
use lba_search::orientation::{Area, INTERESTS, Method, Reason, Suggestion};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, ErrorBody, echo};
use super::extract::V1Query;
use crate::AppState;

/// Parameters of `/api/v1/orientation`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct OrientationParams {
    /// Centres of interest (ROME 4.0 codes 1–30), comma-separated, 1 to 5,
    /// most important first.
    #[param(required = true, example = "14,27,1")]
    interets: Option<String>,
    /// Latitude of the young person's place (with `longitude`).
    #[param(value_type = Option<f64>, example = 45.764)]
    latitude: Option<String>,
    /// Longitude (with `latitude`).
    #[param(value_type = Option<f64>, example = 4.8357)]
    longitude: Option<String>,
    /// Or the INSEE code of the commune, without coordinates.
    #[param(example = "69123")]
    insee: Option<String>,
    /// Target diploma level, 3 (CAP) to 8 (doctorat).
    #[param(value_type = Option<u8>, example = 4)]
    niveau: Option<String>,
    /// Ranking method: `avenir` (default: interests, tension, trend,
    /// transitions, nearby opportunities) or `interets` (interests and
    /// nearby opportunities only).
    #[param(example = "avenir")]
    methode: Option<String>,
}

/// The answer of `/api/v1/orientation`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OrientationResponse {
    /// Département and région of the place, when one was given.
    lieu: Option<PlaceArea>,
    /// The method used.
    methode: &'static str,
    /// Up to 10 métiers, best first.
    metiers: Vec<MetierSuggestion>,
}

/// Where the young person is.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PlaceArea {
    departement: String,
    region: String,
}

/// One proposed métier.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct MetierSuggestion {
    /// ROME code.
    code: String,
    /// Label.
    libelle: String,
    /// Score in [0, 1].
    score: f64,
    /// Why it is proposed.
    raisons: Vec<ReasonDto>,
    /// Courses, offers and companies within 60 km (with a place).
    opportunites: Option<Opportunities>,
}

/// Counts near the place.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Opportunities {
    formations: u32,
    offres: u32,
    entreprises: u32,
}

/// One reason, tagged by `type`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum ReasonDto {
    /// The métier belongs to a chosen centre of interest.
    Interet { centre: i32, principal: bool },
    /// Employers struggle to recruit in the area (DARES 2019).
    Tension {
        /// `national`, `region` or `departement`.
        zone: &'static str,
        /// Région or département code (empty for France).
        code: String,
        /// Standardised indicator (0 = the average métier).
        indicateur: f64,
    },
    /// The national tension rose over 2011–2019 (slope per year).
    TensionEnHausse { pente: f64 },
    /// Transitions the métier carries.
    Transitions {
        ecologique: bool,
        numerique: bool,
        demographique: bool,
    },
    /// Opportunities within 60 km.
    Opportunites {
        formations: u32,
        offres: u32,
        entreprises: u32,
    },
    /// No apprenticeship course within 60 km.
    AucuneFormationProche,
}

impl OrientationParams {
    /// Checks every parameter, reporting all problems at once.
    fn parse(&self, index: &lba_search::Index) -> Result<Questionnaire, ApiError> {
        let mut p = Problems::default();
        let interests = match text(&self.interets) {
            None => {
                p.add(
                    "interets",
                    "ce paramètre est requis (1 à 5 codes de centres d'intérêt, ex. 14,27,1)",
                );
                None
            }
            Some(raw) => {
                let parsed: Result<Vec<i32>, _> =
                    raw.split(',').map(|c| c.trim().parse::<i32>()).collect();
                match parsed {
                    Ok(codes) if INTERESTS.contains(&codes.len()) => Some(codes),
                    Ok(codes) => {
                        p.add(
                            "interets",
                            format!("attendu 1 à 5 centres d'intérêt ({} reçus)", codes.len()),
                        );
                        None
                    }
                    Err(_) => {
                        p.add(
                            "interets",
                            format!(
                                "attendu des nombres séparés par des virgules (reçu « {} »)",
                                echo(raw)
                            ),
                        );
                        None
                    }
                }
            }
        };
        let center = params::center(
            &mut p,
            text(&self.latitude),
            text(&self.longitude),
            None,
            text(&self.insee),
            index,
        );
        let level = text(&self.niveau).and_then(|v| {
            let level = v.parse::<u8>().ok().and_then(|n| DiplomaLevel::new(n).ok());
            if level.is_none() {
                p.add(
                    "niveau",
                    format!("attendu un niveau de 3 à 8 (reçu « {} »)", echo(v)),
                );
            }
            level.map(DiplomaLevel::get)
        });
        let method = match text(&self.methode) {
            None | Some("avenir") => Method::Avenir,
            Some("interets") => Method::Interests,
            Some(other) => {
                p.add(
                    "methode",
                    format!(
                        "attendu « avenir » ou « interets » (reçu « {} »)",
                        echo(other)
                    ),
                );
                Method::Avenir
            }
        };
        let interests = p.finish_with(interests)?;
        Ok(Questionnaire {
            interests,
            ordered: true,
            point: center.point,
            level,
            method,
        })
    }
}

/// Métiers d'avenir for centres of interest and a place.
#[utoipa::path(
    get,
    path = "/orientation",
    tag = "orientation",
    params(OrientationParams),
    responses(
        (status = 200, description = "Up to 10 métiers, best first, with their reasons", body = OrientationResponse),
        (status = 400, description = "A missing or bad parameter (each named)", body = ErrorBody),
    )
)]
pub(crate) async fn orientation(
    State(state): State<AppState>,
    V1Query(params): V1Query<OrientationParams>,
) -> Result<Json<OrientationResponse>, ApiError> {
    let index = state.search.snapshot();
    let questionnaire = params.parse(&index)?;
    let tables = state.search.orientation().await.map_err(|e| {
        tracing::error!(error = %e, "orientation tables");
        ApiError::refused(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "orientation_unavailable",
            "l'orientation est momentanément indisponible",
        )
    })?;
    let proposals = tables
        .propose(&index, &questionnaire)
        .map_err(|e| ApiError::wrong("interets", e))?;
    Ok(Json(OrientationResponse {
        lieu: proposals.place.map(|p| PlaceArea {
            departement: p.departement,
            region: p.region,
        }),
        methode: questionnaire.method.as_str(),
        metiers: proposals.suggestions.into_iter().map(suggestion).collect(),
    }))
}

fn suggestion(s: Suggestion) -> MetierSuggestion {
    MetierSuggestion {
        code: s.code.as_str().to_owned(),
        libelle: s.label,
        score: round(s.score, 3),
        raisons: s.reasons.into_iter().map(reason).collect(),
        opportunites: s.opportunities.map(|o| Opportunities {
            formations: o.courses,
            offres: o.offers,
            entreprises: o.companies,
        }),
    }
}

fn reason(r: Reason) -> ReasonDto {
    match r {
        Reason::Interest { centre, principal } => ReasonDto::Interet { centre, principal },
        Reason::Tension(t) => {
            let (zone, code) = match t.area {
                Area::National => ("national", String::new()),
                Area::Region(c) => ("region", c),
                Area::Departement(c) => ("departement", c),
            };
            ReasonDto::Tension {
                zone,
                code,
                indicateur: round(t.indicator, 3),
            }
        }
        Reason::RisingTension { slope } => ReasonDto::TensionEnHausse {
            pente: round(slope, 4),
        },
        Reason::Transitions(t) => ReasonDto::Transitions {
            ecologique: t.ecological,
            numerique: t.digital,
            demographique: t.demographic,
        },
        Reason::Opportunities(o) => ReasonDto::Opportunites {
            formations: o.courses,
            offres: o.offers,
            entreprises: o.companies,
        },
        Reason::NoCourseNearby => ReasonDto::AucuneFormationProche,
    }
}

/// `value` rounded to `digits` decimals (shorter JSON, no false precision).
fn round(value: f64, digits: i32) -> f64 {
    let scale = 10_f64.powi(digits);
    (value * scale).round() / scale
}
