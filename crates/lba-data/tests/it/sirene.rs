//! The SIRENE establishment stock reader on hand-written rows with the real
//! header (more columns than read, in the published order).

use std::io::Write;

use lba_data::sirene::{self, SireneRecord};
use lba_data::{DataError, Item, Rejected};

use crate::items_until_error;

/// The real header of `StockEtablissement_utf8.csv`.
const HEADER: &str = "siren,nic,siret,statutDiffusionEtablissement,dateCreationEtablissement,trancheEffectifsEtablissement,anneeEffectifsEtablissement,activitePrincipaleRegistreMetiersEtablissement,dateDernierTraitementEtablissement,etablissementSiege,nombrePeriodesEtablissement,complementAdresseEtablissement,numeroVoieEtablissement,indiceRepetitionEtablissement,dernierNumeroVoieEtablissement,indiceRepetitionDernierNumeroVoieEtablissement,typeVoieEtablissement,libelleVoieEtablissement,codePostalEtablissement,libelleCommuneEtablissement,libelleCommuneEtrangerEtablissement,distributionSpecialeEtablissement,codeCommuneEtablissement,codeCedexEtablissement,libelleCedexEtablissement,codePaysEtrangerEtablissement,libellePaysEtrangerEtablissement,identifiantAdresseEtablissement,coordonneeLambertAbscisseEtablissement,coordonneeLambertOrdonneeEtablissement,complementAdresse2Etablissement,numeroVoie2Etablissement,indiceRepetition2Etablissement,typeVoie2Etablissement,libelleVoie2Etablissement,codePostal2Etablissement,libelleCommune2Etablissement,libelleCommuneEtranger2Etablissement,distributionSpeciale2Etablissement,codeCommune2Etablissement,codeCedex2Etablissement,libelleCedex2Etablissement,codePaysEtranger2Etablissement,libellePaysEtranger2Etablissement,dateDebut,etatAdministratifEtablissement,enseigne1Etablissement,enseigne2Etablissement,enseigne3Etablissement,denominationUsuelleEtablissement,activitePrincipaleEtablissement,nomenclatureActivitePrincipaleEtablissement,caractereEmployeurEtablissement";

/// A row of the stock from the values read here.
#[allow(clippy::too_many_arguments)]
pub fn row(
    siret: &str,
    state: &str,
    naf: &str,
    headcount: &str,
    commune: &str,
    sign: &str,
    usual: &str,
    address: (&str, &str, &str, &str),
    postal: &str,
    city: &str,
    xy: (&str, &str),
) -> String {
    let (siren, nic) = siret.split_at(9.min(siret.len()));
    let (number, index, kind, street) = address;
    format!(
        "{siren},{nic},{siret},O,2000-01-01,{headcount},2021,,2024-01-01T00:00:00,true,3,,{number},{index},,,{kind},\"{street}\",{postal},\"{city}\",,,{commune},,,,,,{},{},,,,,,,,,,,,,,,2020-01-01,{state},\"{sign}\",,,\"{usual}\",{naf},NAFRev2,O",
        xy.0, xy.1
    )
}

/// Writes a stock file with the real header and `rows`.
pub fn stock_file(dir: &std::path::Path, rows: &[String]) -> std::path::PathBuf {
    let path = dir.join("StockEtablissement_utf8.csv");
    let mut file = std::fs::File::create(&path).unwrap();
    writeln!(file, "{HEADER}").unwrap();
    for r in rows {
        writeln!(file, "{r}").unwrap();
    }
    path
}

fn read(rows: &[String]) -> (Vec<SireneRecord>, Vec<Rejected>, Option<DataError>) {
    let dir = tempfile::tempdir().unwrap();
    let path = stock_file(dir.path(), rows);
    let (items, error) = items_until_error(sirene::open(&path).unwrap());
    let mut records = Vec::new();
    let mut rejects = Vec::new();
    for item in items {
        match item {
            Item::Record(r) => records.push(r),
            Item::Rejected(r) => rejects.push(r),
        }
    }
    (records, rejects, error)
}

#[test]
fn open_and_closed_establishments() {
    let rows = [
        row(
            "73500000100009",
            "A",
            "10.71C",
            "11",
            "75056",
            "BOULANGERIE MARTIN",
            "AUTRE",
            ("12", "B", "RUE", "DES LILAS"),
            "75001",
            "PARIS",
            ("652469.5", "6861825.25"),
        ),
        row(
            "73500000100017",
            "A",
            "",
            "NN",
            "54318",
            "",
            "ATELIER DU PONT",
            ("", "", "", ""),
            "54460",
            "LIVERDUN",
            ("[ND]", "[ND]"),
        ),
        row(
            "73500000100025",
            "A",
            "47.11B",
            "",
            "97411",
            "[ND]",
            "",
            ("3", "", "AV", "DE LA MER"),
            "97400",
            "SAINT-DENIS",
            ("340000", ""),
        ),
        // Closed: other columns in an old nomenclature are not read.
        row(
            "73500000100033",
            "F",
            "52.1D",
            "zz",
            "",
            "",
            "",
            ("", "", "", ""),
            "",
            "",
            ("", ""),
        ),
    ];
    let (records, rejects, error) = read(&rows);
    assert!(
        error.is_none() && rejects.is_empty(),
        "{error:?} {rejects:?}"
    );
    assert_eq!(records.len(), 4);
    let SireneRecord::Open(a) = &records[0] else {
        panic!("{:?}", records[0])
    };
    assert_eq!(a.line, 2);
    assert_eq!(a.name.as_deref(), Some("BOULANGERIE MARTIN"));
    assert_eq!(a.naf.as_ref().unwrap().as_str(), "1071C");
    assert_eq!(a.headcount.as_deref(), Some("11"));
    assert_eq!(a.address, "12B RUE DES LILAS");
    assert_eq!(a.city, "PARIS");
    assert_eq!(a.commune_insee.as_ref().unwrap().as_str(), "75056");
    assert_eq!(a.projected, Some((652_469.5, 6_861_825.25)));
    let SireneRecord::Open(b) = &records[1] else {
        panic!()
    };
    assert_eq!(b.name.as_deref(), Some("ATELIER DU PONT"));
    assert_eq!(
        (b.naf.as_ref(), b.headcount.as_ref(), b.projected),
        (None, None, None)
    );
    let SireneRecord::Open(c) = &records[2] else {
        panic!()
    };
    assert_eq!(c.name, None);
    assert_eq!(c.display_name(), "Établissement 73500000100025");
    assert_eq!(c.address, "3 AV DE LA MER");
    assert_eq!(c.projected, None, "one coordinate alone is not a point");
    assert_eq!(
        records[3],
        SireneRecord::Closed {
            line: 5,
            siret: "73500000100033".parse().unwrap()
        }
    );
}

#[test]
fn bad_rows_are_rejected_with_line_and_column() {
    let good = ("", "", "", "");
    let rows = [
        row(
            "12345678901234",
            "A",
            "",
            "",
            "75056",
            "X",
            "",
            good,
            "",
            "",
            ("", ""),
        ),
        row(
            "73500000100009",
            "X",
            "",
            "",
            "75056",
            "X",
            "",
            good,
            "",
            "",
            ("", ""),
        ),
        row(
            "73500000100017",
            "A",
            "ABC",
            "",
            "75056",
            "X",
            "",
            good,
            "",
            "",
            ("", ""),
        ),
        row(
            "73500000100025",
            "A",
            "",
            "",
            "7",
            "X",
            "",
            good,
            "",
            "",
            ("", ""),
        ),
        row(
            "73500000100033",
            "A",
            "",
            "",
            "75056",
            "X",
            "",
            good,
            "750",
            "",
            ("", ""),
        ),
    ];
    let (records, rejects, error) = read(&rows);
    assert!(
        error.is_none() && records.is_empty(),
        "{error:?} {records:?}"
    );
    let got: Vec<(u64, &str)> = rejects.iter().map(|r| (r.line, r.field.as_str())).collect();
    assert_eq!(
        got,
        [
            (2, "siret"),
            (3, "etatAdministratifEtablissement"),
            (4, "activitePrincipaleEtablissement"),
            (5, "codeCommuneEtablissement"),
            (6, "codePostalEtablissement"),
        ]
    );
}

#[test]
fn a_file_without_a_required_column_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stock.csv");
    std::fs::write(
        &path,
        "siret,etatAdministratifEtablissement\n73500000100009,A\n",
    )
    .unwrap();
    let error = sirene::open(&path).unwrap_err().to_string();
    assert!(error.contains("missing column"), "{error}");
}
