//! Result cards and map markers built from search hits.

use lba_core::opportunity::{Company, Formation, Offer};
use lba_search::{Hit, RomeFilter};
use serde::Serialize;

use super::format;

/// One result card.
#[derive(Clone, Debug)]
pub(crate) struct Card {
    /// Title, a link to `url`.
    pub(crate) title: String,
    /// Detail page.
    pub(crate) url: String,
    /// CFA or company.
    pub(crate) organisation: String,
    /// "Lyon (69001)".
    pub(crate) city: String,
    /// "à 3,2 km".
    pub(crate) distance: Option<String>,
    /// "Niveau 5 (BTS, DUT, Bac+2)".
    pub(crate) level: Option<String>,
    /// DSFR tags.
    pub(crate) tags: Vec<String>,
    /// Outside the radius (nearest-courses fallback).
    pub(crate) outside: bool,
    /// Coordinates for the map.
    lat: f64,
    lon: f64,
    kind: &'static str,
}

/// One map marker (the contract of `assets/app/map.js`).
#[derive(Serialize)]
struct Marker<'a> {
    lat: f64,
    lon: f64,
    label: &'a str,
    kind: &'static str,
    url: &'a str,
}

/// The `data-markers` JSON of `cards`.
pub(crate) fn markers_json(cards: &[&Card]) -> String {
    let markers: Vec<Marker<'_>> = cards
        .iter()
        .map(|c| Marker {
            lat: c.lat,
            lon: c.lon,
            label: &c.title,
            kind: c.kind,
            url: &c.url,
        })
        .collect();
    serde_json::to_string(&markers).unwrap_or_else(|_| "[]".to_owned())
}

fn demo_tag(is_demo: bool, tags: &mut Vec<String>) {
    if is_demo {
        tags.push("Données de démonstration".to_owned());
    }
}

/// The card of a course.
pub(crate) fn formation(hit: &Hit<Formation>) -> Card {
    let f = &hit.item;
    let mut tags = Vec::new();
    if hit.outside_radius {
        tags.push("Hors du rayon".to_owned());
    }
    if f.distance_learning {
        tags.push("À distance".to_owned());
    }
    demo_tag(f.is_demo, &mut tags);
    Card {
        title: f.title.clone(),
        url: format!("/formation/{}", format::encode(&f.id)),
        organisation: f.cfa_name.clone(),
        city: format::city(&f.place),
        distance: hit.distance_km.map(format::distance),
        level: f.level.map(format::level),
        tags,
        outside: hit.outside_radius,
        lat: f.place.point.lat(),
        lon: f.place.point.lon(),
        kind: "formation",
    }
}

/// The card of an offer, marked when a CFA posted it on behalf of the
/// company (`posted_by_cfa`: the CFA's name).
pub(crate) fn offer(hit: &Hit<Offer>, posted_by_cfa: Option<&String>) -> Card {
    let o = &hit.item;
    let mut tags: Vec<String> = o
        .contract_types
        .iter()
        .map(|c| c.label_fr().to_owned())
        .collect();
    if let Some(cfa) = posted_by_cfa {
        tags.push(format!("Publiée par le CFA {cfa}"));
    }
    demo_tag(o.is_demo, &mut tags);
    Card {
        title: o.title.clone(),
        url: format!("/offre/{}", format::encode(&o.id)),
        organisation: o.company_name.to_string(),
        city: format::city(&o.place),
        distance: hit.distance_km.map(format::distance),
        level: o.level.map(format::level),
        tags,
        outside: false,
        lat: o.place.point.lat(),
        lon: o.place.point.lon(),
        kind: "offre",
    }
}

/// The card of a company; its score is the best among the métiers searched,
/// and its link carries that métier so that the company page shows the
/// same score first.
pub(crate) fn company(hit: &Hit<Company>, romes: &RomeFilter) -> Card {
    let c = &hit.item;
    let mut tags = Vec::new();
    if c.accepts_applications() {
        tags.push("Candidature spontanée".to_owned());
    }
    demo_tag(c.is_demo, &mut tags);
    // The best matching métier; ties go to the smallest code (stable).
    let best = c
        .romes
        .iter()
        .filter(|r| romes.matches(&r.rome))
        .max_by(|a, b| a.score.cmp(&b.score).then(b.rome.cmp(&a.rome)));
    Card {
        title: c.name.to_string(),
        url: match best {
            Some(r) => format!("/entreprise/{}?metier={}", c.siret, r.rome.as_str()),
            None => format!("/entreprise/{}", c.siret),
        },
        organisation: format!(
            "Potentiel d'embauche : {}",
            format::stars_text(best.map_or(0, |r| r.score))
        ),
        city: format::city(&c.place),
        distance: hit.distance_km.map(format::distance),
        level: None,
        tags,
        outside: false,
        lat: c.place.point.lat(),
        lon: c.place.point.lon(),
        kind: "entreprise",
    }
}
