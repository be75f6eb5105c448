//! The orientation ranking on the real ROME and DARES files, and on small
//! hand-made tables where only one thing differs.

use std::collections::HashSet;

use lba_core::ids::CodeRome;
use lba_data::{Item, dares, rome};
use lba_search::orientation::{
    Area, FicheInput, Method, OpportunityCounts, OrientationError, OrientationInputs,
    OrientationQuery, OrientationTables, PlaceArea, Reason, TensionInput,
};

fn data(relative: &str) -> std::path::PathBuf {
    std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"))
        .join(relative)
}

fn records<T>(reader: Result<lba_data::CsvReader<T>, lba_data::DataError>) -> Vec<T> {
    reader
        .unwrap()
        .filter_map(|item| match item.unwrap() {
            Item::Record(r) => Some(r),
            Item::Rejected(_) => None,
        })
        .collect()
}

fn real_tables() -> OrientationTables {
    let fiches = records(rome::fiches(&data(rome::files::FICHES)))
        .into_iter()
        .map(|f| FicheInput {
            code: f.code,
            label: f.label,
            parent: f.parent_code,
            transition_eco: f.transition_eco,
            transition_num: f.transition_num.unwrap_or(false),
            transition_demo: f.transition_demo.unwrap_or(false),
        })
        .collect();
    let interests = records(rome::interest_tree(&data(rome::files::INTEREST_TREE)))
        .into_iter()
        .map(|l| (l.centre, l.rome, l.principal))
        .collect();
    let tensions = records(dares::tensions(&data(dares::files::TENSIONS)))
        .into_iter()
        .map(|t| TensionInput {
            fap: t.fap.as_str().to_owned(),
            area: match t.area {
                dares::TensionArea::National => Area::National,
                dares::TensionArea::Region(r) => Area::Region(r),
                dares::TensionArea::Departement(d) => Area::Departement(d),
            },
            employment: t.employment,
            indicator: t.indicator,
        })
        .collect();
    let trends = records(dares::trends(&data(dares::files::TRENDS)))
        .into_iter()
        .map(|t| (t.fap.as_str().to_owned(), t.year, t.indicator))
        .collect();
    let fap_romes = records(dares::fap_rome(&data(dares::files::FAP_ROME)))
        .into_iter()
        .filter_map(|l| l.rome.map(|r| (l.fap.as_str().to_owned(), r)))
        .collect();
    OrientationTables::new(OrientationInputs {
        fiches,
        interests,
        tensions,
        trends,
        fap_romes,
    })
}

fn interest_links() -> Vec<(i32, CodeRome, bool)> {
    records(rome::interest_tree(&data(rome::files::INTEREST_TREE)))
        .into_iter()
        .map(|l| (l.centre, l.rome, l.principal))
        .collect()
}

/// A place's opportunities: a fixed, code-dependent count (deterministic).
fn some_courses(code: &CodeRome) -> OpportunityCounts {
    let n: u32 = code.as_str()[1..].parse().unwrap();
    OpportunityCounts {
        courses: n % 7,
        offers: n % 11,
        companies: n % 13,
    }
}

#[test]
fn every_suggestion_belongs_to_a_chosen_interest_for_every_combination() {
    let tables = real_tables();
    let links = interest_links();
    let centres = tables.centres();
    assert_eq!(centres.len(), 30);
    let rhone = PlaceArea {
        departement: "69".into(),
        region: "84".into(),
    };
    let mut checked = 0;
    let mut pruned = 0;
    // Hundreds of questionnaires: every pair and triple of consecutive
    // centres, with and without a place, both methods.
    for size in 1..=3 {
        for start in 0..centres.len() {
            let interests: Vec<i32> = (0..size)
                .map(|k| centres[(start + k * 7) % centres.len()])
                .collect();
            for place in [None, Some(rhone.clone())] {
                for method in Method::ALL {
                    let query = OrientationQuery {
                        interests: interests.clone(),
                        ordered: start % 2 == 0,
                        place: place.clone(),
                        method,
                    };
                    let list = tables.rank(&query, &some_courses).unwrap();
                    assert_eq!(list.len(), 10, "{query:?}");
                    let codes: HashSet<&CodeRome> = list.iter().map(|s| &s.code).collect();
                    assert_eq!(codes.len(), 10, "no métier twice");
                    for s in &list {
                        assert!(
                            links
                                .iter()
                                .any(|(c, r, _)| *r == s.code && interests.contains(c)),
                            "{} is under none of {interests:?}",
                            s.code.as_str()
                        );
                        assert!(
                            s.reasons
                                .iter()
                                .any(|r| matches!(r, Reason::Interest { .. }))
                        );
                    }
                    // Métiers without a course nearby come last.
                    let last_with_course = list
                        .iter()
                        .rposition(|s| s.opportunities.is_none_or(|o| o.courses > 0));
                    let first_without = list
                        .iter()
                        .position(|s| s.opportunities.is_some_and(|o| o.courses == 0));
                    if let (Some(a), Some(b)) = (last_with_course, first_without) {
                        assert!(a < b, "{query:?}");
                    }
                    // Deterministic.
                    assert_eq!(tables.rank(&query, &some_courses).unwrap(), list);
                    // Counting only the candidates that can still reach the
                    // top 10 gives exactly the list of counting them all.
                    let calls = std::cell::Cell::new(0);
                    let counting = |c: &CodeRome| {
                        calls.set(calls.get() + 1);
                        some_courses(c)
                    };
                    let all = tables.rank_top(&query, &counting, usize::MAX).unwrap();
                    let every = calls.get();
                    calls.set(0);
                    assert_eq!(tables.rank(&query, &counting).unwrap(), list);
                    assert_eq!(
                        all.into_iter().take(10).collect::<Vec<_>>(),
                        list,
                        "{query:?}"
                    );
                    if place.is_some() {
                        assert!(calls.get() <= every);
                        pruned += every - calls.get();
                    }
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 360);
    // The pruning does skip work on these questionnaires.
    assert!(pruned > 1_000, "{pruned} counts skipped");
}

#[test]
fn without_a_place_the_figures_are_national() {
    let tables = real_tables();
    let query = OrientationQuery {
        interests: vec![1, 14],
        ordered: false,
        place: None,
        method: Method::Avenir,
    };
    let list = tables
        .rank(&query, &|_| panic!("no opportunities without a place"))
        .unwrap();
    assert!(list.iter().all(|s| s.opportunities.is_none()));
    assert!(
        list.iter()
            .filter_map(|s| s.tension.as_ref())
            .all(|t| t.area == Area::National)
    );
    assert!(list.iter().any(|s| s.tension.is_some()));
}

#[test]
fn a_place_uses_its_departement_or_its_region() {
    let tables = real_tables();
    let query = OrientationQuery {
        interests: vec![1, 14, 27],
        ordered: true,
        place: Some(PlaceArea {
            departement: "69".into(),
            region: "84".into(),
        }),
        method: Method::Avenir,
    };
    let list = tables.rank(&query, &some_courses).unwrap();
    for s in &list {
        if let Some(t) = &s.tension {
            assert!(
                t.area == Area::Departement("69".into()) && t.employment >= 1_000
                    || t.area == Area::Region("84".into()),
                "{}: {t:?}",
                s.code.as_str()
            );
        }
    }
}

#[test]
fn bad_interests_are_refused() {
    let tables = real_tables();
    let query = |interests: Vec<i32>| OrientationQuery {
        interests,
        ordered: false,
        place: None,
        method: Method::Avenir,
    };
    let none = |_: &CodeRome| OpportunityCounts::default();
    assert_eq!(
        tables.rank(&query(vec![]), &none),
        Err(OrientationError::InterestCount(0))
    );
    assert_eq!(
        tables.rank(&query(vec![1, 2, 3, 4, 5, 6]), &none),
        Err(OrientationError::InterestCount(6))
    );
    assert_eq!(
        tables.rank(&query(vec![1, 99]), &none),
        Err(OrientationError::UnknownInterest(99))
    );
    assert_eq!(
        tables.rank(&query(vec![4, 4]), &none),
        Err(OrientationError::DuplicateInterest(4))
    );
}

/// Two fiches under one centre, alike in everything but the tension of
/// their FAP family in the young person's région.
fn twin_tables(tension_a: f64, tension_b: f64) -> OrientationTables {
    let code = |s: &str| s.parse::<CodeRome>().unwrap();
    let fiche = |c: &str| FicheInput {
        code: code(c),
        label: c.into(),
        parent: code(c),
        transition_eco: None,
        transition_num: false,
        transition_demo: false,
    };
    let row = |fap: &str, area: Area, v: f64| TensionInput {
        fap: fap.into(),
        area,
        employment: 500,
        indicator: Some(v),
    };
    OrientationTables::new(OrientationInputs {
        fiches: vec![fiche("A1101"), fiche("B1101")],
        interests: vec![(1, code("A1101"), true), (1, code("B1101"), true)],
        tensions: vec![
            row("A0Z40", Area::National, 0.0),
            row("B0Z20", Area::National, 0.0),
            row("A0Z40", Area::Region("53".into()), tension_a),
            row("B0Z20", Area::Region("53".into()), tension_b),
            // The département's own figures are too small to be used.
            row("A0Z40", Area::Departement("35".into()), -3.0),
            row("B0Z20", Area::Departement("35".into()), 3.0),
        ],
        trends: vec![],
        fap_romes: vec![
            ("A0Z40".into(), code("A1101")),
            ("B0Z20".into(), code("B1101")),
        ],
    })
}

fn order(tables: &OrientationTables, method: Method) -> Vec<String> {
    let query = OrientationQuery {
        interests: vec![1],
        ordered: false,
        place: Some(PlaceArea {
            departement: "35".into(),
            region: "53".into(),
        }),
        method,
    };
    tables
        .rank(&query, &|_| OpportunityCounts {
            courses: 3,
            offers: 2,
            companies: 10,
        })
        .unwrap()
        .into_iter()
        .map(|s| s.code.as_str().to_owned())
        .collect()
}

#[test]
fn strong_tension_in_the_region_ranks_higher_all_else_equal() {
    // The fiche in tension comes first, whichever it is.
    assert_eq!(
        order(&twin_tables(1.5, -0.5), Method::Avenir),
        ["A1101", "B1101"]
    );
    assert_eq!(
        order(&twin_tables(-0.5, 1.5), Method::Avenir),
        ["B1101", "A1101"]
    );
    // The interests-only method ignores tension: ties break on the code.
    assert_eq!(
        order(&twin_tables(-0.5, 1.5), Method::Interests),
        ["A1101", "B1101"]
    );
}

#[test]
fn a_metier_without_a_course_nearby_comes_last_and_says_so() {
    let tables = twin_tables(2.0, -2.0);
    let query = OrientationQuery {
        interests: vec![1],
        ordered: false,
        place: Some(PlaceArea {
            departement: "35".into(),
            region: "53".into(),
        }),
        method: Method::Avenir,
    };
    let list = tables
        .rank(&query, &|c| OpportunityCounts {
            courses: u32::from(c.as_str() == "B1101"),
            offers: 0,
            companies: 0,
        })
        .unwrap();
    assert_eq!(list[0].code.as_str(), "B1101");
    assert_eq!(list[1].code.as_str(), "A1101");
    assert!(list[1].reasons.contains(&Reason::NoCourseNearby));
    assert!(list[1].score > list[0].score, "last despite a better score");
}
