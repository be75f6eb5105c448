//! The results of the orientation questionnaire as the pages show them:
//! each reason in plain French for a young person (« tu »), with the
//! French typography applied.

use lba_search::orientation::{Area, OpportunityCounts, Reason, Transitions};

use super::Centre;
use super::experiment::Presentation;

/// Where the young person is, in words.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlaceWords {
    /// The commune ("Rennes").
    pub commune: String,
    /// Its département ("Ille-et-Vilaine").
    pub departement: String,
    /// The région's code.
    pub region: String,
}

/// The sentences of one suggestion's reasons, most important first.
pub fn sentences(
    reasons: &[Reason],
    centres: &[Centre],
    place: Option<&PlaceWords>,
    presentation: Presentation,
) -> Vec<String> {
    let mut out = Vec::new();
    let chosen: Vec<&str> = reasons
        .iter()
        .filter_map(|r| match r {
            Reason::Interest { centre, .. } => centres
                .iter()
                .find(|c| c.code == *centre)
                .map(|c| c.label.as_str()),
            _ => None,
        })
        .collect();
    if !chosen.is_empty() {
        out.push(interests_sentence(&chosen));
    }
    for reason in reasons {
        let sentence = match reason {
            Reason::Interest { .. } => None,
            Reason::Tension(t) if presentation == Presentation::WithTension => {
                Some(tension_sentence(&t.area, t.indicator, place))
            }
            Reason::RisingTension { .. } if presentation == Presentation::WithTension => {
                Some("Ces difficultés de recrutement ont augmenté entre 2011 et 2019.".to_owned())
            }
            Reason::Tension(_) | Reason::RisingTension { .. } => None,
            Reason::Transitions(t) => Some(transitions_sentence(*t)),
            Reason::Opportunities(o) => Some(opportunities_sentence(o)),
            Reason::NoCourseNearby => Some(
                "Pour l'instant, aucune formation en apprentissage à moins de 60 km de chez toi."
                    .to_owned(),
            ),
        };
        out.extend(sentence);
    }
    out.into_iter()
        .map(|s| lba_learning::typography::render(&s))
        .collect()
}

fn interests_sentence(labels: &[&str]) -> String {
    let quoted: Vec<String> = labels.iter().map(|l| format!("« {l} »")).collect();
    match quoted.as_slice() {
        [one] => format!("Il correspond à ton choix {one}."),
        [rest @ .., last] => format!("Il correspond à tes choix {} et {last}.", rest.join(", ")),
        [] => String::new(),
    }
}

fn tension_sentence(area: &Area, indicator: f64, place: Option<&PlaceWords>) -> String {
    let how = if indicator >= 1.0 {
        "ont beaucoup de mal"
    } else {
        "ont du mal"
    };
    let where_ = match (area, place) {
        (Area::Departement(_), Some(p)) if !p.departement.is_empty() => {
            format!("Dans ton département ({})", p.departement)
        }
        (Area::Departement(_), _) => "Dans ton département".to_owned(),
        (Area::Region(code), _) => lba_search::regions::in_region(code)
            .map(lba_core::french::capitalise)
            .unwrap_or_else(|| "Dans ta région".to_owned()),
        (Area::National, _) => "En France".to_owned(),
    };
    format!("{where_}, les employeurs {how} à recruter dans ce métier.")
}

fn transitions_sentence(t: Transitions) -> String {
    let mut kinds = Vec::new();
    if t.ecological {
        kinds.push("écologique");
    }
    if t.digital {
        kinds.push("numérique");
    }
    let care = t.demographic;
    match (kinds.as_slice(), care) {
        ([], true) => "Un métier utile dans une population qui vieillit.".to_owned(),
        ([one], false) => format!("Un métier de la transition {one}."),
        ([one], true) => {
            format!("Un métier de la transition {one}, utile dans une population qui vieillit.")
        }
        ([a, b], false) => format!("Un métier des transitions {a} et {b}."),
        ([a, b], true) => {
            format!("Un métier des transitions {a} et {b}, utile dans une population qui vieillit.")
        }
        _ => "Un métier d'avenir.".to_owned(),
    }
}

fn count(n: u32, one: &str, many: &str) -> String {
    match n {
        0 => format!("aucune {one}"),
        1 => format!("1 {one}"),
        _ => format!("{} {many}", thousands(n)),
    }
}

/// `12 345` with a no-break space between thousands.
fn thousands(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202F}');
        }
        out.push(c);
    }
    out
}

fn opportunities_sentence(o: &OpportunityCounts) -> String {
    format!(
        "À moins de 60 km : {} en apprentissage, {} et {}.",
        count(o.courses, "formation", "formations"),
        count(
            o.companies,
            "entreprise susceptible de recruter",
            "entreprises susceptibles de recruter"
        ),
        count(o.offers, "offre d'emploi", "offres d'emploi"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use lba_search::orientation::TensionFigure;

    fn centres() -> Vec<Centre> {
        vec![
            Centre {
                code: 1,
                label: "J'aime le travail manuel".into(),
                definition: String::new(),
            },
            Centre {
                code: 2,
                label: "Je souhaite prendre soin des autres".into(),
                definition: String::new(),
            },
        ]
    }

    fn tension(area: Area, indicator: f64) -> Reason {
        Reason::Tension(TensionFigure {
            area,
            indicator,
            employment: 5_000,
        })
    }

    #[test]
    fn every_reason_in_plain_french() {
        let place = PlaceWords {
            commune: "Rennes".into(),
            departement: "Ille-et-Vilaine".into(),
            region: "53".into(),
        };
        let reasons = vec![
            Reason::Interest {
                centre: 1,
                principal: true,
            },
            Reason::Interest {
                centre: 2,
                principal: false,
            },
            tension(Area::Region("53".into()), 1.4),
            Reason::RisingTension { slope: 0.05 },
            Reason::Transitions(Transitions {
                ecological: true,
                digital: false,
                demographic: false,
            }),
            Reason::Opportunities(OpportunityCounts {
                courses: 12,
                offers: 1,
                companies: 1_040,
            }),
            Reason::Opportunities(OpportunityCounts {
                courses: 1,
                offers: 0,
                companies: 0,
            }),
        ];
        let s = sentences(
            &reasons,
            &centres(),
            Some(&place),
            Presentation::WithTension,
        );
        let n = '\u{202F}';
        assert_eq!(
            s,
            vec![
                format!(
                    "Il correspond à tes choix «{n}J'aime le travail manuel{n}» et «{n}Je souhaite prendre soin des autres{n}»."
                ),
                "En Bretagne, les employeurs ont beaucoup de mal à recruter dans ce métier.".into(),
                "Ces difficultés de recrutement ont augmenté entre 2011 et 2019.".into(),
                "Un métier de la transition écologique.".into(),
                format!(
                    "À moins de 60 km{n}: 12 formations en apprentissage, 1{n}040 entreprises susceptibles de recruter et 1 offre d'emploi."
                ),
                format!(
                    "À moins de 60 km{n}: 1 formation en apprentissage, aucune entreprise susceptible de recruter et aucune offre d'emploi."
                ),
            ]
        );
        // The other presentation leaves the tension sentences out.
        let without = sentences(
            &reasons,
            &centres(),
            Some(&place),
            Presentation::WithoutTension,
        );
        assert_eq!(without.len(), 4);
        assert!(
            !without
                .iter()
                .any(|x| x.contains("recruter dans ce métier"))
        );
    }

    #[test]
    fn areas_and_places_are_named() {
        let place = PlaceWords {
            commune: "Lille".into(),
            departement: "Nord".into(),
            region: "32".into(),
        };
        let one = |area, indicator| {
            sentences(
                &[tension(area, indicator)],
                &[],
                Some(&place),
                Presentation::WithTension,
            )
            .remove(0)
        };
        assert_eq!(
            one(Area::Departement("59".into()), 0.5),
            "Dans ton département (Nord), les employeurs ont du mal à recruter dans ce métier."
        );
        assert!(one(Area::Region("32".into()), 0.5).starts_with("Dans les Hauts-de-France,"));
        assert!(one(Area::National, 0.5).starts_with("En France,"));
        let none = sentences(
            &[Reason::NoCourseNearby],
            &[],
            None,
            Presentation::WithTension,
        );
        assert_eq!(
            none,
            vec!["Pour l'instant, aucune formation en apprentissage à moins de 60 km de chez toi."]
        );
        let care = Transitions {
            ecological: false,
            digital: true,
            demographic: true,
        };
        assert_eq!(
            transitions_sentence(care),
            "Un métier de la transition numérique, utile dans une population qui vieillit."
        );
    }
}
