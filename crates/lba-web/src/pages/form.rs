//! The search form: its query string (`/recherche?metier=…&lieu=…`), its
//! parsing into a [`SearchQuery`] with the v1 API parsers, and its view
//! with one error slot per field.
//!
//! Without JavaScript the hidden fields (`romes`, `latitude`, `longitude`,
//! `insee`) are empty: the typed `metier` and `lieu` are then resolved to
//! the best autocomplete suggestion.

use chrono::Utc;
use lba_app::search_request::{Problems, echo, lookup, params, text};
use lba_core::geo::{GeoPoint, Radius};
use lba_search::{Index, RomeFilter, SearchQuery};
use serde::Deserialize;

use super::format;

/// The query string of `/recherche`, as sent.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct SearchParams {
    pub(crate) metier: Option<String>,
    pub(crate) romes: Option<String>,
    pub(crate) lieu: Option<String>,
    pub(crate) latitude: Option<String>,
    pub(crate) longitude: Option<String>,
    pub(crate) insee: Option<String>,
    pub(crate) radius: Option<String>,
    pub(crate) diploma: Option<String>,
    pub(crate) tri: Option<String>,
    pub(crate) page: Option<String>,
}

impl SearchParams {
    /// This search's URL with another `radius` and `page` (`None`: kept
    /// as is / first page).
    pub(crate) fn url(&self, radius: Option<u16>, page: Option<usize>) -> String {
        let radius = radius.map_or_else(|| val(&self.radius).to_owned(), |r| r.to_string());
        let page = page
            .filter(|p| *p > 1)
            .map(|p| p.to_string())
            .unwrap_or_default();
        let pairs = [
            ("metier", val(&self.metier)),
            ("romes", val(&self.romes)),
            ("lieu", val(&self.lieu)),
            ("latitude", val(&self.latitude)),
            ("longitude", val(&self.longitude)),
            ("insee", val(&self.insee)),
            ("radius", radius.as_str()),
            ("diploma", val(&self.diploma)),
            ("tri", val(&self.tri)),
            ("page", page.as_str()),
        ];
        format!("/recherche?{}", format::query_string(&pairs))
    }
}

fn val(value: &Option<String>) -> &str {
    text(value).unwrap_or_default()
}

/// A search understood from the form.
#[derive(Clone, Debug)]
pub(crate) struct Understood {
    /// The query for the index.
    pub(crate) query: SearchQuery,
    /// The métier searched, in words.
    pub(crate) metier: String,
    /// The place searched, in words; `None` for all of France.
    pub(crate) place: Option<String>,
}

/// The messages shown next to the fields.
#[derive(Clone, Debug, Default)]
pub(crate) struct FieldErrors {
    pub(crate) metier: Option<String>,
    pub(crate) lieu: Option<String>,
    pub(crate) radius: Option<String>,
    pub(crate) diploma: Option<String>,
    /// Problems with no field of their own (`tri`).
    pub(crate) other: Vec<String>,
}

impl FieldErrors {
    fn from_problems(messages: Vec<String>) -> Self {
        let mut errors = Self::default();
        for message in messages {
            let (param, text) = message.split_once(" : ").unwrap_or(("", message.as_str()));
            let text = lba_core::french::capitalise(text);
            let slot = match param {
                "romes" | "metier" => &mut errors.metier,
                "lieu" | "latitude" | "longitude" | "insee" | "latitude, longitude" => {
                    &mut errors.lieu
                }
                "radius" => &mut errors.radius,
                "diploma" => &mut errors.diploma,
                _ => {
                    errors.other.push(text);
                    continue;
                }
            };
            match slot {
                Some(existing) => existing.push_str(&format!(" {text}")),
                None => *slot = Some(text),
            }
        }
        errors
    }

    /// Whether any problem was recorded.
    pub(crate) fn any(&self) -> bool {
        self.metier.is_some()
            || self.lieu.is_some()
            || self.radius.is_some()
            || self.diploma.is_some()
            || !self.other.is_empty()
    }
}

/// Parses `params` into a search, or the errors per field.
pub(crate) fn understand(params: &SearchParams, index: &Index) -> Result<Understood, FieldErrors> {
    let mut p = Problems::default();
    let metier_text = text(&params.metier);
    let (filter, metier) = match (text(&params.romes), metier_text) {
        (Some(romes), _) => {
            let filter = params::metier_filter(&mut p, Some(romes), None, None, index, true);
            (filter, metier_text.unwrap_or(romes).to_owned())
        }
        (None, Some(typed)) => match lookup::metiers(index, typed, 10)
            .into_iter()
            .find(|hit| !hit.romes.is_empty())
        {
            Some(hit) => (RomeFilter::codes(hit.romes).ok(), hit.label),
            None => {
                p.add(
                    "metier",
                    format!(
                        "aucun métier ne correspond à « {} ». Essayez un autre mot, par exemple « boulanger ».",
                        echo(typed)
                    ),
                );
                (None, String::new())
            }
        },
        (None, None) => {
            p.add("metier", "indiquez un métier ou une formation.");
            (None, String::new())
        }
    };
    let has_point = text(&params.latitude).is_some() || text(&params.longitude).is_some();
    let mut insee = text(&params.insee).map(str::to_owned);
    let mut place = text(&params.lieu).map(str::to_owned);
    if !has_point && insee.is_none() {
        if let Some(typed) = text(&params.lieu) {
            match lookup::places(index, typed, 1).into_iter().next() {
                Some(hit) => {
                    place = Some(match &hit.postal_code {
                        Some(postal) => format!("{} ({postal})", hit.name),
                        None => hit.name.clone(),
                    });
                    insee = Some(hit.insee.to_string());
                }
                None => p.add(
                    "lieu",
                    format!(
                        "aucune commune ne correspond à « {} ». Indiquez une ville ou un code postal.",
                        echo(typed)
                    ),
                ),
            }
        }
    } else if place.is_none() {
        place = insee
            .as_deref()
            .and_then(|code| index.places.get(code))
            .map(|hit| hit.name);
    }
    let center = params::center(
        &mut p,
        text(&params.latitude),
        text(&params.longitude),
        text(&params.radius),
        insee.as_deref(),
        index,
    );
    let level = params::diploma(&mut p, text(&params.diploma));
    let company_sort = params::company_sort(&mut p, text(&params.tri));
    let messages = p.into_messages();
    match filter {
        Some(filter) if messages.is_empty() => {
            let point: Option<GeoPoint> = center.point;
            let mut query = SearchQuery::new(filter, point);
            query.radius = center.radius;
            query.level = level;
            query.company_sort = company_sort;
            query.now = Utc::now();
            Ok(Understood {
                query,
                metier,
                place: point.and(place),
            })
        }
        _ => Err(FieldErrors::from_problems(messages)),
    }
}

/// The search form as shown: the values sent and the errors.
#[derive(Clone, Debug, Default)]
pub(crate) struct FormView {
    pub(crate) metier: String,
    pub(crate) romes: String,
    pub(crate) lieu: String,
    pub(crate) latitude: String,
    pub(crate) longitude: String,
    pub(crate) insee: String,
    pub(crate) radius: String,
    pub(crate) diploma: String,
    pub(crate) errors: FieldErrors,
}

/// The radius choices, in km.
const RADII: [u16; 4] = [10, 30, 60, 100];

/// The diploma choices: value and label.
const DIPLOMAS: [(&str, &str); 6] = [
    ("", "Indifférent"),
    ("3", "3 (CAP, BEP)"),
    ("4", "4 (Bac, Bac pro, BP)"),
    ("5", "5 (BTS, BUT, DEUST)"),
    ("6", "6 (Licence, Bachelor)"),
    ("7", "7 (Master, titre ingénieur)"),
];

impl FormView {
    /// The form holding what `params` sent.
    pub(crate) fn from_params(params: &SearchParams, errors: FieldErrors) -> Self {
        Self {
            metier: val(&params.metier).to_owned(),
            romes: val(&params.romes).to_owned(),
            lieu: val(&params.lieu).to_owned(),
            latitude: val(&params.latitude).to_owned(),
            longitude: val(&params.longitude).to_owned(),
            insee: val(&params.insee).to_owned(),
            radius: val(&params.radius).to_owned(),
            diploma: val(&params.diploma).to_owned(),
            errors,
        }
    }

    /// `(value, label, selected)` of the radius options; an unlisted
    /// valid radius (a widened search) is added.
    pub(crate) fn radius_options(&self) -> Vec<(String, String, bool)> {
        let current = self
            .radius
            .parse::<u16>()
            .ok()
            .filter(|km| *km <= Radius::MAX_KM)
            .unwrap_or(Radius::DEFAULT_KM);
        let mut radii = RADII.to_vec();
        if !radii.contains(&current) {
            radii.push(current);
            radii.sort_unstable();
        }
        radii
            .into_iter()
            .map(|km| (km.to_string(), format!("{km} km"), km == current))
            .collect()
    }

    /// `(value, label, selected)` of the diploma options.
    pub(crate) fn diploma_options(&self) -> Vec<(&'static str, &'static str, bool)> {
        let current = self.diploma.trim_start_matches("Niveau ").trim();
        let current = if current.eq_ignore_ascii_case("indifferent") {
            ""
        } else {
            current.get(..1).unwrap_or_default()
        };
        DIPLOMAS
            .iter()
            .map(|(value, label)| (*value, *label, *value == current))
            .collect()
    }
}
