//! The cohort export reader: delimiter and encoding detection, rejected
//! rows with line and field, contact details validated apart.

use std::io::Write;

use lba_data::cohort::{self, WishKind, WishStatus};

use crate::items_until_error;

const HEADER: &str = "id_candidat;nom;prenom;date_naissance;email;telephone_portable;email_parent;telephone_parent;code_postal;code_insee;uai_etablissement;classe;cle_ministere_educatif;id_parcoursup;uai_cfa;siret_cfa;cfd;type_voeu;statut;contrat_signe";

fn write(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(bytes).unwrap();
    file
}

fn read(bytes: &[u8]) -> (Vec<cohort::CohortRow>, Vec<lba_data::Rejected>) {
    let file = write(bytes);
    let (items, error) = items_until_error(cohort::open(file.path()).unwrap());
    assert!(error.is_none(), "{error:?}");
    let mut rows = Vec::new();
    let mut rejects = Vec::new();
    for item in items {
        match item {
            lba_data::Item::Record(r) => rows.push(r),
            lba_data::Item::Rejected(r) => rejects.push(r),
        }
    }
    (rows, rejects)
}

#[test]
fn semicolon_utf8_rows_are_validated() {
    let text = format!(
        "\u{feff}{HEADER}\n\
         P1;Martin;Léa;2008-03-14;lea.martin@exemple.fr;06 12 34 56 78;parent@exemple.fr;+33611223344;75011;75111;0750001U;Terminale;CLE-1;;0010826T;;32031313;apprentissage;en_attente;N\n\
         P1;Martin;Léa;2008-03-14;pas-un-mail;01 99 00 12 34;;;75011;75111;;;LYC-1;;;;;scolaire;propose;\n\
         P2;Durand;Tom;31/02/2007;;;;;;;;;CLE-2;;;;;apprentissage;en_attente;N\n\
         ;Petit;Zoé;2007-01-01;;;;;;;;;CLE-3;;;;;apprentissage;en_attente;N\n\
         P3;Roux;Ana;2007-01-01;;;;;;;;;CLE-4;;;;;stage;en_attente;N\n\
         P4;Roux;Ana;2007-01-01;;;;;;;;;;;;;;apprentissage;en_attente;N\n"
    );
    let (rows, rejects) = read(text.as_bytes());
    assert_eq!(rows.len(), 2, "{rejects:?}");
    let first = &rows[0];
    assert_eq!(first.line, 2);
    assert_eq!(first.mobile.as_ref().unwrap().e164(), "+33612345678");
    assert_eq!(first.parent_mobile.as_ref().unwrap().e164(), "+33611223344");
    assert_eq!(first.wish.kind, WishKind::Apprentissage);
    assert_eq!(first.wish.status, WishStatus::EnAttente);
    assert_eq!(first.wish.key(), "cle:CLE-1");
    let second = &rows[1];
    assert_eq!(second.wish.kind, WishKind::Scolaire);
    // Its contacts were dropped with their reason, the row kept.
    assert!(second.email.is_none() && second.mobile.is_none());
    let fields: Vec<&str> = second
        .contact_issues
        .iter()
        .map(|r| r.field.as_str())
        .collect();
    assert_eq!(fields, ["email", "telephone_portable"]);
    assert!(second.contact_issues[1].reason.contains("fixe"));
    let got: Vec<(u64, &str)> = rejects.iter().map(|r| (r.line, r.field.as_str())).collect();
    assert_eq!(
        got,
        [
            (4, "date_naissance"),
            (5, "id_candidat"),
            (6, "type_voeu"),
            (7, "cle_ministere_educatif")
        ]
    );
}

#[test]
fn comma_latin1_is_detected() {
    let header = HEADER.replace(';', ",");
    let mut bytes = header.into_bytes();
    bytes.extend_from_slice(
        b"\nP9,Lef\xe8vre,Ma\xebl,2008-01-02,,,,,,,,,CLE-9,,,,,apprentissage,propose,O\n",
    );
    let (rows, rejects) = read(&bytes);
    assert!(rejects.is_empty(), "{rejects:?}");
    assert_eq!(rows[0].last_name, "Lefèvre");
    assert_eq!(rows[0].first_name, "Maël");
    assert!(rows[0].wish.contract_signed);
    assert_eq!(rows[0].wish.status, WishStatus::Propose);
}

#[test]
fn sniffing_counts_the_header_separators() {
    use lba_data::csv_source::Encoding;
    let f = lba_data::sniff::sniff_bytes(b"a,b;c;d\n1,2;3;4\n");
    assert_eq!(f.delimiter, b';');
    let f = lba_data::sniff::sniff_bytes(b"a,b,c\n\xe9t\xe9");
    assert_eq!((f.delimiter, f.encoding), (b',', Encoding::Latin1));
    // A multi-byte character cut at the end of the sample is still UTF-8.
    let f = lba_data::sniff::sniff_bytes(b"a;b\n\xc3");
    assert_eq!(f.encoding, Encoding::Utf8);
}

#[test]
fn a_missing_column_names_it() {
    let file = write(b"id_candidat;nom\nP1;X\n");
    let error = cohort::open(file.path()).unwrap_err().to_string();
    assert!(error.contains("prenom"), "{error}");
}
