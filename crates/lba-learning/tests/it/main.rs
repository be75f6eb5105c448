//! Integration tests of lba-learning: the fixture module passes `check`,
//! and each rule of the content format fails on a broken copy.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

use std::path::{Path, PathBuf};

use lba_learning::{Catalogue, Kind, Module, Problem, check_files, check_module};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn valid() -> Module {
    let text = std::fs::read_to_string(fixtures().join("valid/exemple.toml")).unwrap();
    Module::parse(&text).unwrap()
}

fn problems(module: &Module) -> Vec<Problem> {
    check_module("exemple.toml", module, &["exemple", "autre"])
}

/// Asserts that `change` breaks the valid module with a problem whose text
/// contains `expected`.
#[track_caller]
fn fails(expected: &str, change: impl FnOnce(&mut Module)) -> Problem {
    let mut module = valid();
    change(&mut module);
    let found = problems(&module);
    let text: Vec<String> = found.iter().map(ToString::to_string).collect();
    found
        .into_iter()
        .find(|p| p.to_string().contains(expected))
        .unwrap_or_else(|| panic!("expected « {expected} » in {text:#?}"))
}

fn situation<'a>(module: &'a mut Module, id: &str) -> &'a mut lba_learning::Situation {
    module.situations.iter_mut().find(|s| s.id == id).unwrap()
}

#[test]
fn the_fixture_module_is_valid() {
    assert_eq!(problems(&valid()), vec![]);
    let catalogue = Catalogue::load_dir(&fixtures().join("valid")).unwrap();
    assert_eq!(catalogue.modules().len(), 1);
    assert_eq!(catalogue.get("exemple").unwrap().main_situations(), 8);
}

#[test]
fn the_embedded_content_is_valid() {
    // Whatever content/modules holds at build time must pass the check.
    let files = lba_learning::embedded_files();
    let (_, problems) = check_files(&files);
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(problems.is_empty(), "{text:#?}");
}

#[test]
fn unreadable_files_and_unknown_fields_name_the_file() {
    let err = Catalogue::load_dir(&fixtures().join("invalid")).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("typo-champ.toml : TOML illisible"), "{text}");
    assert!(text.contains("titel"), "{text}");
    assert!(text.contains("syntaxe.toml : TOML illisible"), "{text}");
}

#[test]
fn file_name_and_id_must_agree() {
    let module = valid();
    let found = check_module("autre.toml", &module, &["exemple"]);
    assert!(found[0].to_string().contains("exemple.toml"), "{found:?}");
    fails("lettres minuscules", |m| m.id = "Exemple".into());
}

#[test]
fn situation_counts() {
    fails("7 situations principales", |m| {
        m.situations.retain(|s| s.id != "etape-8");
        situation(m, "etape-7").next = None;
    });
    fails("13 situations principales", |m| {
        for i in 9..=13 {
            let mut extra = m.situations[0].clone();
            extra.id = format!("etape-{i}");
            extra.answers[1].next = None;
            m.situations.push(extra);
        }
    });
    fails("5 situations de remédiation", |m| {
        for i in 0..4 {
            let mut extra = situation(m, "etape-1-bis").clone();
            extra.id = format!("bis-{i}");
            m.situations.push(extra);
        }
    });
}

#[test]
fn scene_question_answers_and_feedback() {
    let p = fails("scene de 1 phrases", |m| {
        situation(m, "etape-2").scene = "Tu es là.".into()
    });
    assert_eq!(p.situation.as_deref(), Some("etape-2"));
    fails("scene de 7 phrases", |m| {
        situation(m, "etape-2").scene = "Un. Deux. Trois. Quatre. Cinq. Six. Sept.".into()
    });
    fails("question est vide", |m| {
        situation(m, "etape-2").question = " ".into()
    });
    fails("1 réponses", |m| {
        situation(m, "etape-2").answers.truncate(1);
    });
    fails("5 réponses", |m| {
        let s = situation(m, "etape-2");
        for i in 0..3 {
            let mut extra = s.answers[1].clone();
            extra.id = format!("x{i}");
            s.answers.push(extra);
        }
    });
    fails("aucune réponse avec correct = true", |m| {
        situation(m, "etape-2").answers[0].correct = false
    });
    let p = fails("feedback est vide", |m| {
        situation(m, "etape-3").answers[1].feedback = "\n".into()
    });
    assert_eq!(p.situation.as_deref(), Some("etape-3"));
    assert_eq!(p.answer.as_deref(), Some("b"));
    assert!(
        p.to_string()
            .starts_with("exemple.toml, situation « etape-3 », réponse « b »")
    );
    fails("id en double dans la situation", |m| {
        situation(m, "etape-3").answers[1].id = "a".into()
    });
    fails("id en double", |m| {
        situation(m, "etape-3").id = "etape-4".into()
    });
}

#[test]
fn graph_rules() {
    fails("start « nulle-part » : situation inconnue", |m| {
        m.start = "nulle-part".into()
    });
    fails("next « nulle-part » : situation inconnue", |m| {
        situation(m, "etape-2").next = Some("nulle-part".into())
    });
    // etape-3 skipped: unreachable.
    let p = fails("inaccessible", |m| {
        situation(m, "etape-2").next = Some("etape-4".into())
    });
    assert_eq!(p.situation.as_deref(), Some("etape-3"));
    // A cycle without exit: etape-8 goes back to etape-7.
    fails("impasse", |m| {
        situation(m, "etape-8").next = Some("etape-7".into())
    });
    // A remediation reached from a right answer.
    fails("une bonne réponse mène à la remédiation", |m| {
        situation(m, "etape-2").answers[0].next = Some("etape-1-bis".into())
    });
    fails("start ne peut pas être une remédiation", |m| {
        m.start = "etape-1-bis".into()
    });
    // An unused remediation is unreachable.
    fails("inaccessible", |m| {
        situation(m, "etape-1").answers[1].next = None
    });
    assert_eq!(
        valid()
            .situations
            .iter()
            .filter(|s| s.kind == Kind::Remediation)
            .count(),
        1
    );
}

#[test]
fn end_page_rules() {
    fails("2 points « À retenir »", |m| m.takeaways.truncate(2));
    fails("6 points « À retenir »", |m| {
        m.takeaways = vec!["Un.".into(); 6]
    });
    fails("au moins 2 next_steps", |m| m.next_steps.truncate(1));
    fails("« /formation/123 » n'est pas une route connue", |m| {
        m.next_steps[0].href = "/formation/123".into()
    });
    fails("« /espace-pro » n'est pas une route connue", |m| {
        m.next_steps[2].soon = false
    });
    fails("« /parcours/inconnu » n'est pas une route connue", |m| {
        m.next_steps[0].href = "/parcours/inconnu".into()
    });
    let mut module = valid();
    module.next_steps[0].href = "/parcours/autre".into();
    module.next_steps[1].href = "/recherche?romes=D1102".into();
    assert_eq!(problems(&module), vec![]);
    fails("personalise « ville » inconnu", |m| {
        m.next_steps[0].personalise = Some("ville".into())
    });
}

#[test]
fn source_rules() {
    fails("au moins une source", |m| m.sources.clear());
    fails("checked doit être une date", |m| {
        m.sources[0].checked = toml::Value::String("hier".into())
    });
    let text = std::fs::read_to_string(fixtures().join("valid/exemple.toml"))
        .unwrap()
        .replace("checked = \"2026-12-06\"", "checked = 2026-12-06");
    assert_eq!(problems(&Module::parse(&text).unwrap()), vec![]);
}

#[test]
fn typography_rules() {
    let p = fails("collé au mot précédent", |m| {
        situation(m, "etape-4").question = "Que fais-tu?".into()
    });
    assert!(p.message.starts_with("question"), "{p}");
    fails("pas d'espace après «", |m| {
        situation(m, "etape-4").answers[0].text = "«Bonjour »".into()
    });
    fails("pas d'espace avant »", |m| {
        situation(m, "etape-4").answers[0].feedback = "Il dit « Bonjour». C'est bien.".into()
    });
    fails("guillemet droit", |m| {
        m.takeaways[0] = "Dis \"bonjour\".".into()
    });
    fails("collé au mot précédent", |m| {
        m.summary = "Attention!".into()
    });
}

#[test]
fn readability_rule() {
    let hard = "L'administration départementale considère systématiquement l'éventualité \
        d'une réorganisation institutionnelle particulièrement complexe. Elle nécessite \
        l'intervention coordonnée d'interlocuteurs spécialisés préalablement à toute décision.";
    let p = fails("scene trop difficile à lire", |m| {
        situation(m, "etape-5").scene = hard.into()
    });
    assert_eq!(p.situation.as_deref(), Some("etape-5"));
    let p = fails("feedback trop difficile à lire", |m| {
        situation(m, "etape-5").answers[0].feedback = hard.into()
    });
    assert_eq!(p.answer.as_deref(), Some("a"));
}

#[test]
fn navigation_gives_feedback_and_branches() {
    let module = valid();
    let right = module.step("etape-1", "a").unwrap();
    assert!(right.correct);
    assert_eq!(right.next, Some("etape-2"));
    assert_eq!(right.feedback, "Bravo. C'est poli et clair.");
    let wrong = module.step("etape-1", "b").unwrap();
    assert!(!wrong.correct);
    assert_eq!(wrong.next, Some("etape-1-bis"));
    assert_eq!(
        module.step("etape-1-bis", "a").unwrap().next,
        Some("etape-2")
    );
    assert_eq!(module.step("etape-8", "a").unwrap().next, None);
    assert!(matches!(
        module.step("etape-9", "a"),
        Err(lba_learning::NavError::UnknownSituation(_))
    ));
    assert!(matches!(
        module.step("etape-1", "c"),
        Err(lba_learning::NavError::UnknownAnswer { .. })
    ));
}
