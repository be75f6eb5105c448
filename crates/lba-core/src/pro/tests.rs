//! Tests of the pro-space rules.
use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()
}

fn valid() -> OfferInput {
    OfferInput {
        title: "Apprenti boulanger".into(),
        contract_types: vec!["apprentissage".into()],
        level: "3".into(),
        start: "asap".into(),
        duration_months: "24".into(),
        rhythm: "2 semaines / 1 semaine".into(),
        positions: "2".into(),
        description: "Vous apprendrez le pétrissage, le façonnage et la cuisson du pain.".into(),
        profile: String::new(),
        questions: vec!["Pourquoi la boulangerie ?".into(), String::new()],
    }
}

fn fields_of(input: &OfferInput) -> Vec<&'static str> {
    input
        .check(today())
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|e| e.0)
        .collect()
}

#[test]
fn a_valid_offer_is_accepted_with_its_values() {
    let f = valid().check(today()).unwrap();
    assert_eq!(f.title.as_deref(), Some("Apprenti boulanger"));
    assert_eq!(f.contract_types, vec![ContractType::Apprentissage]);
    assert_eq!(f.start, None);
    assert_eq!((f.duration_months, f.positions), (24, 2));
    assert_eq!(f.questions, vec!["Pourquoi la boulangerie ?".to_owned()]);
}

#[test]
fn each_rule_names_its_field() {
    type Case = (fn(&mut OfferInput), &'static str);
    let cases: Vec<Case> = vec![
        (|i| i.title = "ab".into(), "title"),
        (|i| i.title = "x".repeat(151), "title"),
        (|i| i.title = "Voir www.exemple.fr".into(), "title"),
        (|i| i.title = "Écrire à rh@exemple.fr".into(), "title"),
        (|i| i.contract_types.clear(), "contract_types"),
        (|i| i.contract_types = vec!["cdi".into()], "contract_types"),
        (|i| i.level = "9".into(), "level"),
        (|i| i.start = "2026-12-05".into(), "start"),
        (|i| i.start = "2028-12-07".into(), "start"),
        (|i| i.start = "demain".into(), "start"),
        (|i| i.duration_months = "5".into(), "duration_months"),
        (|i| i.duration_months = "37".into(), "duration_months"),
        (|i| i.duration_months = String::new(), "duration_months"),
        (|i| i.positions = "0".into(), "positions"),
        (|i| i.description = "Trop court".into(), "description"),
        (|i| i.questions = vec!["Q1 ?".into(); 4], "questions"),
        (|i| i.questions = vec!["Hein".into()], "questions"),
    ];
    for (change, field) in cases {
        let mut input = valid();
        change(&mut input);
        assert_eq!(fields_of(&input), vec![field], "{input:?}");
    }
}

#[test]
fn the_start_date_is_checked_against_today_and_two_years() {
    let mut input = valid();
    input.start = "2026-12-06".into();
    assert!(input.check(today()).is_ok());
    input.start = "2028-12-06".into();
    assert!(input.check(today()).is_ok());
}

#[test]
fn automatic_validation_needs_a_known_address_or_its_company_domain() {
    let known = vec![
        "Contact@Boulangerie-Dupont.fr".to_owned(),
        "dupont@gmail.com".to_owned(),
    ];
    let ok = |e: &str| validates_automatically(&Email::parse(e).unwrap(), &known);
    assert!(ok("contact@boulangerie-dupont.fr"));
    assert!(ok("marie@boulangerie-dupont.fr"));
    assert!(
        ok("dupont@gmail.com"),
        "the very address, even on a webmail"
    );
    assert!(!ok("autre@gmail.com"), "a webmail domain proves nothing");
    assert!(!ok("marie@boulangerie-martin.fr"));
    assert!(!validates_automatically(
        &Email::parse("a@b.fr").unwrap(),
        &[]
    ));
}

#[test]
fn roles_and_statuses_round_trip() {
    for r in Role::ALL {
        assert_eq!(Role::from_stored(r.as_str()), Some(r));
    }
    assert_eq!(Role::from_stored("root"), None);
    for s in ["pending", "validated", "refused", "disabled"] {
        assert_eq!(
            CompanyStatus::from_stored(s).map(CompanyStatus::as_str),
            Some(s)
        );
    }
}

#[test]
fn closings_parse_only_known_pairs() {
    assert_eq!(
        Closing::parse("pourvue", "lba").map(Closing::note),
        Some("pourvue:lba")
    );
    assert_eq!(Closing::parse("pourvue", "plus_besoin"), None);
    assert_eq!(
        Closing::parse("annulee", "autre").map(Closing::note),
        Some("annulee:autre")
    );
}
