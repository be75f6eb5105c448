//! Every reader on its real file: exact record and reject counts, and a few
//! known values.

use chrono::NaiveDate;
use lba_data::{cfa, diplomas, geo, naf, rome};

use crate::{data_file, read_all};

#[test]
fn rome_fiches() {
    let read = read_all(rome::fiches(&data_file(rome::files::FICHES)));
    assert_eq!(read.records.len(), 1584);
    assert_eq!(read.rejects, []);
    let first = &read.records[0];
    assert_eq!(first.code.as_str(), "A1101");
    assert_eq!(first.fiche_number, "11");
    assert_eq!(first.ogr, 6);
    assert_eq!(first.label, "Conducteur / Conductrice d'engins agricoles");
    assert_eq!(first.transition_eco.as_deref(), Some("Emploi Blanc"));
    assert_eq!(first.transition_num, None);
    assert_eq!(first.parent_code.as_str(), "A1101");
}

#[test]
fn rome_appellations() {
    let read = read_all(rome::appellations(&data_file(rome::files::APPELLATIONS)));
    assert_eq!(read.records.len(), 13120);
    assert_eq!(read.rejects, []);
    assert!(read.records.iter().any(|a| a.principal));
    assert!(read.records.iter().any(|a| !a.principal));
}

#[test]
fn rome_texts_undo_doubled_apostrophes() {
    let read = read_all(rome::texts(&data_file(rome::files::TEXTS)));
    assert_eq!(read.records.len(), 11980);
    assert_eq!(read.rejects, []);
    assert!(read.records.iter().all(|t| !t.text.contains("''")));
    let a1101 = read
        .records
        .iter()
        .find(|t| {
            t.rome.as_str() == "A1101"
                && t.kind == rome::RomeTextKind::Definition
                && t.position == 3
        })
        .expect("A1101 definition, sentence 3");
    assert_eq!(
        a1101.text,
        "Utilise différentes machines (tracteur, moissonneuse-batteuse, ensileuse) \
         et en assure l'entretien et la maintenance de premier niveau."
    );
    assert!(
        read.records
            .iter()
            .any(|t| t.kind == rome::RomeTextKind::Access)
    );
}

#[test]
fn rome_mobility() {
    let read = read_all(rome::mobility(&data_file(rome::files::MOBILITY)));
    assert_eq!(read.records.len(), 14912);
    assert_eq!(read.rejects, []);
}

#[test]
fn rome_interest_centres() {
    let centres = read_all(rome::interest_centres(&data_file(
        rome::files::INTEREST_CENTRES,
    )));
    assert_eq!(centres.records.len(), 30);
    assert_eq!(centres.rejects, []);
    let codes: Vec<i32> = centres.records.iter().map(|c| c.code).collect();
    assert_eq!(codes, (1..=30).collect::<Vec<_>>());
    // The definitions span several lines of the file.
    assert!(centres.records.iter().any(|c| c.definition.contains('\n')));

    let tree = read_all(rome::interest_tree(&data_file(rome::files::INTEREST_TREE)));
    assert_eq!(tree.records.len(), 4444);
    assert_eq!(tree.rejects, []);
    assert!(tree.records.iter().all(|l| (1..=30).contains(&l.centre)));
}

#[test]
fn rome_subdomains() {
    let read = read_all(rome::subdomains(&data_file(rome::files::SUBDOMAINS)));
    assert_eq!(read.records.len(), 825);
    assert_eq!(read.rejects, []);
    let first = &read.records[0];
    assert_eq!(first.rome.as_str(), "A1214");
    assert_eq!(
        first.appellation_label,
        "Patrouilleur modeleur / Patrouilleuse modeleuse VTT"
    );
    assert_eq!(
        first.subdomain,
        "Paysagisme, jardinage, entretien des espaces verts"
    );
}

#[test]
fn regions_and_departements() {
    let regions = read_all(geo::regions(&data_file(geo::files::REGIONS)));
    assert_eq!(regions.records.len(), 18);
    assert_eq!(regions.rejects, []);
    let guadeloupe = &regions.records[0];
    assert_eq!(guadeloupe.code, "01");
    assert_eq!(guadeloupe.name, "Guadeloupe");
    let point = guadeloupe.point.expect("Guadeloupe has a centre");
    assert!((point.lat() - 16.265).abs() < 1e-9, "{point}");
    assert!((point.lon() - -61.551).abs() < 1e-9, "{point}");
    assert_eq!(guadeloupe.chef_lieu.as_deref(), Some("97105"));

    let departements = read_all(geo::departements(&data_file(geo::files::DEPARTEMENTS)));
    assert_eq!(departements.records.len(), 101);
    assert_eq!(departements.rejects, []);
    let ain = &departements.records[0];
    assert_eq!(
        (
            ain.code.as_str(),
            ain.region_code.as_str(),
            ain.name.as_str()
        ),
        ("01", "84", "Ain")
    );
    assert!(departements.records.iter().any(|d| d.code == "2A"));
}

#[test]
fn commune_rows() {
    let read = read_all(geo::commune_rows(&data_file(geo::files::COMMUNES)));
    assert_eq!(read.records.len(), 36208);
    assert_eq!(read.rejects, []);
    let first = &read.records[0];
    assert_eq!(first.insee.as_str(), "01001");
    assert_eq!(first.kind, geo::CommuneRowType::Commune);
    assert_eq!(first.name, "Abergement-Clémenciat");
    assert_eq!(first.name_with_article, "L'Abergement-Clémenciat");
    assert_eq!(first.postal_code.as_str(), "01400");
    assert_eq!(first.population, 832);
    let count = |kind| read.records.iter().filter(|r| r.kind == kind).count();
    assert_eq!(count(geo::CommuneRowType::Arrondissement), 46);
    assert!(count(geo::CommuneRowType::Deleguee) > 0);
}

#[test]
fn naf_labels_and_sections() {
    let labels = read_all(naf::labels(&data_file(naf::files::LABELS)));
    assert_eq!(labels.records.len(), 732);
    assert_eq!(labels.rejects, []);
    assert_eq!(labels.records[0].code.as_str(), "0111Z");
    assert_eq!(
        labels.records[0].label,
        "Culture de céréales (à l'exception du riz), de légumineuses et de graines oléagineuses"
    );

    let sections = read_all(naf::code_labels(&data_file(naf::files::SECTIONS)));
    assert_eq!(sections.records.len(), 21);
    assert_eq!(sections.rejects, []);
    assert_eq!(sections.records[0].code, "A");
    assert_eq!(
        sections.records[0].label,
        "Agriculture, sylviculture et pêche"
    );
}

#[test]
fn rome_naf_hirings() {
    let read = read_all(naf::rome_naf(&data_file(naf::files::ROME_NAF)));
    assert_eq!(read.records.len(), 5071);
    assert_eq!(read.rejects, []);
    let first = &read.records[0];
    assert_eq!(
        (first.rome_v3.as_str(), first.naf.as_str(), first.hirings),
        ("A1101", "0111Z", 161)
    );
}

#[test]
fn tension() {
    let read = read_all(naf::tension(&data_file(naf::files::TENSION)));
    assert_eq!(read.records.len(), 701);
    assert_eq!(read.rejects, []);
    let first = &read.records[0];
    assert_eq!(first.fap_code, "A0Z43");
    assert_eq!(first.rome_v3.as_str(), "A1101");
    assert!((first.tension_pct - 61.9).abs() < 1e-9);
    assert_eq!(
        read.records[1].fap_label,
        "Bûcherons, sylviculteurs salariés et agents forestiers"
    );
}

#[test]
fn contact_modes_reject_the_one_bad_rome_code() {
    let read = read_all(naf::contact_modes(&data_file(naf::files::CONTACT_MODES)));
    assert_eq!(read.records.len(), 1287);
    assert_eq!(read.rejects.len(), 1, "{:?}", read.rejects);
    let reject = &read.rejects[0];
    assert_eq!(reject.line, 995);
    assert_eq!(reject.field, "rome");
    // The rows on either side are still read.
    assert!(
        read.records
            .iter()
            .any(|m| m.naf_prefix == "84" && m.rome_v3.as_str() == "K1402")
    );
}

#[test]
fn headcount_brackets() {
    let read = read_all(naf::code_labels(&data_file(naf::files::HEADCOUNTS)));
    assert_eq!(read.records.len(), 15);
    assert_eq!(read.rejects, []);
    assert_eq!(read.records[0].code, "00");
    assert_eq!(read.records[0].label, "0-0");
}

#[test]
fn diploma_kit() {
    let read = read_all(diplomas::kit(&data_file(diplomas::files::KIT)));
    assert_eq!(read.records.len(), 5707);
    assert_eq!(read.rejects, []);
    assert_eq!(
        read.records.iter().filter(|d| d.level.is_none()).count(),
        37
    );
    let banque = read
        .records
        .iter()
        .find(|d| d.cfd.as_str() == "32031313")
        .expect("CFD 32031313");
    assert_eq!(banque.title, "BANQUE (BTS)");
    assert_eq!(banque.rncp.as_ref().map(|r| r.as_str()), Some("RNCP38381"));
    assert_eq!(banque.level.map(|l| l.get()), Some(5));
    assert_eq!(banque.kind.as_deref(), Some("BTS"));
    assert_eq!(banque.last_update.as_deref(), Some("CI-18122023"));
    assert_eq!(banque.apprenticeship, Some(true));
    assert_eq!(banque.valid_until, NaiveDate::from_ymd_opt(2028, 12, 31));
    assert!(banque.active);
    // A quoted title with doubled quotes, and one spanning five lines.
    let find = |cfd: &str| {
        read.records
            .iter()
            .find(|d| d.cfd.as_str() == cfd)
            .unwrap_or_else(|| panic!("CFD {cfd}"))
    };
    assert_eq!(
        find("45023201").title,
        "TAILLEUR DE PIERRES \"MONUMENTS HISTORIQUES\" (BP DEPARTEMENTAL)"
    );
    let meci = find("13511418");
    assert_eq!(meci.title.lines().count(), 5, "{}", meci.title);
    assert!(meci.title.ends_with("(PISE)"), "{}", meci.title);
    assert_eq!(meci.level.map(|l| l.get()), Some(7));
    assert!(!meci.active);
    // No C1 control character survives in a title.
    assert!(
        read.records
            .iter()
            .all(|d| !d.title.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)))
    );
}

#[test]
fn diploma_synonyms() {
    let groups = diplomas::synonyms(&data_file(diplomas::files::SYNONYMS)).unwrap();
    assert_eq!(groups.len(), 1660);
    assert!(groups.iter().all(|g| g.mapping_type == "equivalent"));
    assert_eq!(
        groups[0].synonyms,
        [
            "INGENIEUR DIPLOME DE L'INSTITUT NATIONAL DES SCIENCES APPLIQUEES DE STRASBOURG",
            "SPECIALITE MECANIQUE",
            "idinsassm",
            "iddlindsadssm",
        ]
    );
}

#[test]
fn cfas() {
    let read = read_all(cfa::cfas(&data_file(cfa::FILE)));
    assert_eq!(read.records.len(), 933);
    assert_eq!(read.rejects, []);
    assert_eq!(
        read.records
            .iter()
            .filter(|c| c.invalid_siret.is_some())
            .count(),
        2
    );
    let first = &read.records[0];
    assert_eq!(first.uai.as_str(), "0010826T");
    assert_eq!(first.name, "CECOF BERNARD PALISSY");
    assert_eq!(first.denomination, "CTRE DE FORMATION D'APPRENTIS");
    assert_eq!(
        first.siret.as_ref().map(|s| s.as_str()),
        Some("85052026300011")
    );
    assert_eq!(first.invalid_siret, None);
    assert_eq!(first.nature, "600");
    assert_eq!(first.sector.as_deref(), Some("PR"));
    assert_eq!(
        first.commune_insee.as_ref().map(|c| c.as_str()),
        Some("01004")
    );
    assert_eq!(first.commune_code_raw, "01004");
    assert_eq!(first.commune_name, "Ambérieu-en-Bugey");
    let address = first.address.as_deref().expect("an address");
    assert!(address.contains("Libération"), "{address}");
    assert_eq!(first.po_box.as_deref(), Some("BP209"));
    assert_eq!(
        first.postal_code.as_ref().map(|p| p.as_str()),
        Some("01502")
    );
    assert_eq!(first.city.as_deref(), Some("AMBERIEU EN BUGEY CEDEX"));
    // Serial 25288 of the spreadsheet calendar.
    assert_eq!(first.opened_on, NaiveDate::from_ymd_opt(1969, 3, 26));
    assert_eq!(first.closed_on, None);
    // The Latin-1 file is decoded everywhere: no replacement character.
    assert!(read.records.iter().all(|c| {
        !c.commune_name.contains('\u{fffd}')
            && !c.name.contains('\u{fffd}')
            && !c.address.as_deref().unwrap_or("").contains('\u{fffd}')
    }));
}
