//! Place autocomplete: communes and municipal arrondissements by name,
//! former name (communes déléguées, "Cherbourg-Octeville") or postal code.
//!
//! A query made of digits only is a postal-code prefix (2 to 5 digits). Any
//! other query matches name words by prefix, with one typo allowed on words
//! of five letters or more, after expanding the usual abbreviations ("st" →
//! saint, "ste" → sainte, "s/" → sur). Results rank by match quality (the
//! whole name typed, then words matched without a typo), then population:
//! "Lyon" gives the city before its arrondissements and before smaller
//! homonyms; a full postal code gives the arrondissement first.

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};

use lba_core::geo::GeoPoint;
use lba_core::ids::{InseeCode, PostalCode};
use lba_core::referential::ReferentialData;
use lba_core::text::tokens;

use crate::geo_index::unit_vector;
use crate::text_index::{Query, QueryTerm, TextIndex, TextIndexBuilder, best_per_payload};

/// Abbreviations expanded in place queries: (typed word, whole word).
const ABBREVIATIONS: [(&str, &str); 4] = [
    ("st", "saint"),
    ("ste", "sainte"),
    ("sts", "saints"),
    ("stes", "saintes"),
];

/// One suggestion.
#[derive(Clone, Debug, PartialEq)]
pub struct PlaceHit {
    /// INSEE code.
    pub insee: InseeCode,
    /// Name.
    pub name: String,
    /// Postal code (the one typed, else the first).
    pub postal_code: Option<PostalCode>,
    /// Département code.
    pub departement: String,
    /// Département name ("Bouches-du-Rhône"), empty when unknown.
    pub departement_name: String,
    /// Région code (INSEE, two digits).
    pub region: String,
    /// Coordinates.
    pub point: GeoPoint,
    /// Population.
    pub population: i64,
}

/// One indexed commune or arrondissement.
#[derive(Clone, Debug)]
struct Place {
    /// The hit, its postal code set to the first one.
    hit: PlaceHit,
    /// Every postal code, sorted.
    postal_codes: Vec<PostalCode>,
    /// A municipal arrondissement (Paris, Lyon, Marseille).
    arrondissement: bool,
}

/// The place index.
#[derive(Debug, Default)]
pub struct PlaceIndex {
    /// Names and former names, with postal codes as extra words.
    text: TextIndex,
    /// Places by payload id.
    places: Vec<Place>,
    /// Payload id by INSEE code.
    by_insee: HashMap<String, u32>,
    /// (postal code, payload id), sorted.
    postal: Vec<(PostalCode, u32)>,
    /// Payload ids by one-degree cell of (latitude, longitude), with the
    /// unit vector of the place's centre ([`PlaceIndex::nearest`]).
    cells: HashMap<(i16, i16), Vec<Centre>>,
}

/// A commune's payload id and the unit vector of its centre.
type Centre = (u32, [f64; 3]);

/// The one-degree cell of a point.
fn cell(point: GeoPoint) -> (i16, i16) {
    // Latitudes and longitudes are within ±180: the casts are exact.
    (point.lat().floor() as i16, point.lon().floor() as i16)
}

impl PlaceIndex {
    /// Builds the index; communes without coordinates are left out.
    pub fn build(data: &ReferentialData) -> Self {
        let mut index = Self::default();
        let mut text = TextIndexBuilder::new();
        for commune in &data.communes {
            let Some(point) = commune.point else {
                continue;
            };
            let Ok(id) = u32::try_from(index.places.len()) else {
                break;
            };
            let codes: Vec<String> = commune
                .postal_codes
                .iter()
                .map(|c| c.as_str().to_owned())
                .collect();
            text.add_words(tokens(&commune.name), &codes, id, 1);
            for alias in &commune.aliases {
                text.add_words(tokens(alias), &codes, id, 0);
            }
            index
                .postal
                .extend(commune.postal_codes.iter().map(|c| (c.clone(), id)));
            index.by_insee.insert(commune.insee.as_str().to_owned(), id);
            if !commune.arrondissement {
                index
                    .cells
                    .entry(cell(point))
                    .or_default()
                    .push((id, unit_vector(point)));
            }
            index.places.push(Place {
                hit: PlaceHit {
                    insee: commune.insee.clone(),
                    name: commune.name.clone(),
                    postal_code: commune.postal_codes.first().cloned(),
                    departement: commune.departement.clone(),
                    departement_name: data
                        .departements
                        .get(&commune.departement)
                        .cloned()
                        .unwrap_or_default(),
                    region: commune.region.clone(),
                    point,
                    population: commune.population,
                },
                postal_codes: commune.postal_codes.clone(),
                arrondissement: commune.arrondissement,
            });
        }
        index.postal.sort_unstable();
        index.postal.dedup();
        index.text = text.build();
        index
    }

    /// At most `limit` suggestions, best first. Empty for a query without
    /// letters or digits, or of digits that cannot start a postal code.
    pub fn search(&self, query: &str, limit: usize) -> Vec<PlaceHit> {
        let words = tokens(&expand_sur(query));
        if words.is_empty() || limit == 0 {
            return Vec::new();
        }
        if words.iter().all(|w| is_digits(w)) {
            return self.by_postal_code(&words.concat(), limit);
        }
        let full_code = words.iter().any(|w| w.len() == 5 && is_digits(w));
        let digits: Vec<&String> = words.iter().filter(|w| is_digits(w)).collect();
        let terms = words
            .iter()
            .map(|w| {
                let term = QueryTerm::new(w.clone());
                match ABBREVIATIONS.iter().find(|(short, _)| short == w) {
                    Some((_, long)) => term.or_exactly(*long),
                    None => term,
                }
            })
            .collect();
        let query = Query::from_terms(terms);
        let matches = self.text.matches(&query);
        let required = query.terms().iter().filter(|t| !t.optional).count();
        best_per_payload(matches, limit, |m| {
            let place = self.places.get(m.payload as usize);
            // The whole name typed ("eu", "st etienne") beats a bigger town
            // that merely starts so ("Eurville", "Bordeaux" for "bord" still
            // beats "Terres de Bord": a prefix being typed is no worse than
            // a whole word). Typos come last.
            let whole = usize::from(m.exact) >= required && m.exact == m.words;
            (
                !whole,
                m.typos,
                full_code && !place.is_some_and(|p| p.arrondissement),
                Reverse(place.map_or(0, |p| p.hit.population)),
                Reverse(m.boost),
                Reverse(m.quality),
            )
        })
        .into_iter()
        .filter_map(|m| {
            let place = self.places.get(m.payload as usize)?;
            let typed = place
                .postal_codes
                .iter()
                .find(|c| digits.iter().any(|d| c.as_str().starts_with(d.as_str())));
            Some(with_code(place, typed))
        })
        .collect()
    }

    /// The commune or arrondissement with this INSEE code.
    pub fn get(&self, insee: &str) -> Option<PlaceHit> {
        let id = self.by_insee.get(insee.trim())?;
        self.places.get(*id as usize).map(|p| p.hit.clone())
    }

    /// The commune (not an arrondissement) whose centre is nearest to
    /// `point`, looked for in the one-degree cells around it (about 110 km):
    /// `None` far from every commune (at sea, abroad).
    ///
    /// The nine cells hold thousands of communes around a city, and a
    /// haversine distance to each (sines, cosines, an arcsine) was the
    /// largest cost of an orientation request. The squared chord between
    /// unit vectors orders points as the great-circle distance does, for a
    /// few multiplications; the haversine then decides among the communes
    /// within rounding of the nearest chord (almost always one), in the
    /// same order as before, so the hit is exactly the one of comparing
    /// haversine distances to every commune of the cells.
    pub fn nearest(&self, point: GeoPoint) -> Option<PlaceHit> {
        let (lat, lon) = cell(point);
        let v = unit_vector(point);
        let chord =
            |u: &[f64; 3]| (u[0] - v[0]).powi(2) + (u[1] - v[1]).powi(2) + (u[2] - v[2]).powi(2);
        let mut cells: [&[Centre]; 9] = [&[]; 9];
        for (slot, (dlat, dlon)) in cells
            .iter_mut()
            .zip((-1..=1).flat_map(|dlat| (-1..=1).map(move |dlon| (dlat, dlon))))
        {
            if let Some(ids) = self.cells.get(&(lat + dlat, lon + dlon)) {
                *slot = ids;
            }
        }
        let mut nearest = f64::INFINITY;
        for (_, u) in cells.iter().copied().flatten() {
            nearest = nearest.min(chord(u));
        }
        if !nearest.is_finite() {
            return None;
        }
        // Far wider than the rounding of either distance (the squared
        // chord is off by about 1e-15 of the chord, the haversine by about
        // 1e-15 of itself), far narrower than two distinct centres (1e-7 of
        // the squared chord is 0.3 mm at 5 km; 1e-18 is 6 mm).
        let within = nearest * (1.0 + 1e-7) + 1e-18;
        let mut best: Option<(f64, u32)> = None;
        for (id, u) in cells.iter().copied().flatten() {
            if chord(u) > within {
                continue;
            }
            let d = point.distance_km(&self.places[*id as usize].hit.point);
            if best.is_none_or(|(b, _)| d < b) {
                best = Some((d, *id));
            }
        }
        best.map(|(_, id)| self.places[id as usize].hit.clone())
    }

    /// Number of places indexed.
    pub fn len(&self) -> usize {
        self.places.len()
    }

    /// No place.
    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// Places with a postal code starting with `digits` (2 to 5), largest
    /// first; for a full code, arrondissements before their city.
    fn by_postal_code(&self, digits: &str, limit: usize) -> Vec<PlaceHit> {
        if !(2..=5).contains(&digits.len()) {
            return Vec::new();
        }
        let start = self.postal.partition_point(|(c, _)| c.as_str() < digits);
        let mut seen = HashSet::new();
        let mut found: Vec<(&Place, &PostalCode)> = self.postal[start..]
            .iter()
            .take_while(|(c, _)| c.as_str().starts_with(digits))
            .filter(|(_, id)| seen.insert(*id))
            .filter_map(|(c, id)| Some((self.places.get(*id as usize)?, c)))
            .collect();
        let full = digits.len() == 5;
        found.sort_by(|(a, _), (b, _)| {
            (full && !a.arrondissement)
                .cmp(&(full && !b.arrondissement))
                .then(b.hit.population.cmp(&a.hit.population))
                .then(a.hit.insee.cmp(&b.hit.insee))
        });
        found
            .into_iter()
            .take(limit)
            .map(|(place, code)| with_code(place, Some(code)))
            .collect()
    }
}

/// The hit of `place` showing `code` when given.
fn with_code(place: &Place, code: Option<&PostalCode>) -> PlaceHit {
    let mut hit = place.hit.clone();
    if let Some(code) = code {
        hit.postal_code = Some(code.clone());
    }
    hit
}

fn is_digits(word: &str) -> bool {
    !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit())
}

/// Spells out "s/" ("Châlons s/ Marne") as "sur" when it starts a word.
fn expand_sur(query: &str) -> String {
    let mut out = String::with_capacity(query.len() + 8);
    let mut chars = query.chars().peekable();
    let mut word_start = true;
    while let Some(c) = chars.next() {
        if word_start && matches!(c, 's' | 'S') && chars.peek() == Some(&'/') {
            chars.next();
            out.push_str(" sur ");
            word_start = true;
            continue;
        }
        word_start = !c.is_alphanumeric();
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::expand_sur;

    #[test]
    fn sur_is_spelled_out() {
        assert_eq!(expand_sur("Châlons s/ Marne"), "Châlons  sur  Marne");
        assert_eq!(expand_sur("bar-S/Seine"), "bar- sur Seine");
        assert_eq!(expand_sur("bus/car"), "bus/car");
    }
}
