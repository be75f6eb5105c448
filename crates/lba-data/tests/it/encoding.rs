//! Encodings: the Latin-1 (Windows-1252) CFA export decodes to proper UTF-8,
//! and a UTF-8 byte-order mark does not hide the first column.

use std::io::{Cursor, Read};
use std::path::Path;

use chrono::NaiveDate;
use lba_data::csv_source::{CsvFormat, CsvReader, Encoding};
use lba_data::{DataError, Item, cfa, naf};

use crate::{items_until_error, read_all};

const CFA_HEADER: &[u8] = b"numero_uai;nature_uai;ministere_tutelle;ministere_tutelle_libe;\
tutelle_2;tutelle_2_libe;secteur_public_prive;niveau_uai;niveau_uai_libe;commune;commune_libe;\
denomination_principale;patronyme_uai;numero_siren_siret_uai;date_ouverture;date_fermeture;\
lieu_dit_uai;adresse_uai;boite_postale_uai;code_postal_uai;localite_acheminement_uai\n";

/// A source that hands out at most `chunk` bytes per read, like a pipe or a
/// decompressor can.
struct Trickle {
    inner: Cursor<Vec<u8>>,
    chunk: usize,
}

impl Read for Trickle {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(self.chunk);
        self.inner.read(&mut buf[..n])
    }
}

fn trickle(bytes: Vec<u8>, chunk: usize) -> Box<dyn Read + Send> {
    Box::new(Trickle {
        inner: Cursor::new(bytes),
        chunk,
    })
}

/// A one-column reader returning the raw (trimmed) value of `value`.
fn values(
    bytes: Box<dyn Read + Send>,
    delimiter: u8,
    encoding: Encoding,
) -> Result<CsvReader<String>, DataError> {
    CsvReader::from_reader(
        Path::new("memory.csv"),
        bytes,
        CsvFormat {
            delimiter,
            encoding,
        },
        &["value"],
        |row| Ok(row.required("value")?.to_owned()),
    )
}

#[test]
fn latin1_cfa_file_decodes_to_utf8() {
    let mut bytes = CFA_HEADER.to_vec();
    bytes.extend_from_slice(
        b"0010826T;600;06;minist\xe8re de l'\xe9ducation nationale;;;PR;1;UAI c\xe9libataire;\
01004;Amb\xe9rieu-en-Bugey;CTRE DE FORMATION D'APPRENTIS;L\x92AVENIR DU C\x8cUR;85052026300011;\
25288;;;52 avenue de la Lib\xe9ration;BP209;01502;AMBERIEU EN BUGEY CEDEX\n",
    );
    bytes.extend_from_slice(
        b"0010856A;600;06;;;;PR;1;;01289;P\xe9ronnas;CTRE DE FORMATION D'APPRENTIS;;123;\
01/09/2020;;Lieu-dit \xab Les Ch\xeanes \xbb;1  ALL\xc9E DES TYRANDES;;01960;PERONNAS\n",
    );
    bytes.extend_from_slice(
        b"0010856A;600;06;;;;PR;1;;01289;P\xe9ronnas;CFA;;;bient\xf4t;;;;;01960;PERONNAS\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cfa.csv");
    std::fs::write(&path, &bytes).unwrap();

    let read = read_all(cfa::cfas(&path));
    assert_eq!(read.records.len(), 2);

    let first = &read.records[0];
    assert_eq!(first.commune_name, "Ambérieu-en-Bugey");
    // 0x92 and 0x8C are Windows-1252's ’ and Œ (C1 controls in strict ISO-8859-1).
    assert_eq!(first.name, "L’AVENIR DU CŒUR");
    assert_eq!(first.address.as_deref(), Some("52 avenue de la Libération"));
    assert_eq!(first.opened_on, NaiveDate::from_ymd_opt(1969, 3, 26));
    assert_eq!(
        first.siret.as_ref().map(|s| s.as_str()),
        Some("85052026300011")
    );

    let second = &read.records[1];
    assert_eq!(second.commune_name, "Péronnas");
    // No patronyme: the denomination is the name.
    assert_eq!(second.name, "CTRE DE FORMATION D'APPRENTIS");
    assert_eq!(second.siret, None);
    assert_eq!(second.invalid_siret.as_deref(), Some("123"));
    assert_eq!(second.opened_on, NaiveDate::from_ymd_opt(2020, 9, 1));
    assert_eq!(
        second.address.as_deref(),
        Some("Lieu-dit « Les Chênes », 1  ALLÉE DES TYRANDES")
    );

    assert_eq!(read.rejects.len(), 1);
    let rejected = &read.rejects[0];
    assert_eq!(
        (rejected.line, rejected.field.as_str()),
        (4, "date_ouverture")
    );
    assert!(rejected.reason.contains("bientôt"), "{}", rejected.reason);
}

#[test]
fn latin1_bytes_map_to_their_characters() {
    // Every byte 0xA0–0xFF is the code point of the same value.
    let high: Vec<u8> = (0xA0..=0xFF).collect();
    let expected: String = (0xA0_u32..=0xFF).filter_map(char::from_u32).collect();
    let mut bytes = b"value\n".to_vec();
    bytes.extend_from_slice(&high);
    bytes.extend_from_slice(b"\n\x80 \x85 \x92 \x96 \x9c\n");
    for chunk in [usize::MAX, 1, 2] {
        let read = read_all(values(
            trickle(bytes.clone(), chunk),
            b',',
            Encoding::Latin1,
        ));
        assert_eq!(read.rejects, []);
        // 0xA0 is a no-break space, trimmed like any whitespace.
        assert_eq!(read.records[0], expected.trim(), "chunk {chunk}");
        assert_eq!(read.records[1], "€ … ’ – œ", "chunk {chunk}");
    }
}

#[test]
fn long_latin1_input_decodes_across_buffers() {
    let mut bytes = b"value\n".to_vec();
    for i in 0..3000 {
        bytes.extend_from_slice(format!("{i} caf").as_bytes());
        bytes.extend_from_slice(b"\xe9 cr\xe8me \x92\n");
    }
    for chunk in [usize::MAX, 7] {
        let mut reader = values(trickle(bytes.clone(), chunk), b',', Encoding::Latin1).unwrap();
        let mut count = 0;
        while let Some(item) = reader.next() {
            let Item::Record(value) = item.unwrap() else {
                panic!("rejected row")
            };
            assert_eq!(value, format!("{count} café crème ’"));
            count += 1;
            assert_eq!(reader.line(), count + 1);
        }
        assert_eq!(count, 3000);
    }
}

#[test]
fn latin1_file_read_as_utf8_is_malformed() {
    let bytes = b"value\nAmb\xe9rieu\n".to_vec();
    let (items, error) =
        items_until_error(values(trickle(bytes, usize::MAX), b',', Encoding::Utf8).unwrap());
    assert!(items.is_empty());
    let error = error.expect("an error");
    assert!(
        matches!(&error, DataError::Malformed { line: 2, message, .. } if message.contains("Latin-1")),
        "{error:?}"
    );
}

#[test]
fn utf8_bom_does_not_hide_the_first_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("effectifs.csv");
    std::fs::write(
        &path,
        "\u{feff}code,label\n00,0 salarié\n01,1 ou 2 salariés\n",
    )
    .unwrap();
    let read = read_all(naf::code_labels(&path));
    assert_eq!(read.rejects, []);
    let codes: Vec<(&str, &str)> = read
        .records
        .iter()
        .map(|r| (r.code.as_str(), r.label.as_str()))
        .collect();
    assert_eq!(codes, [("00", "0 salarié"), ("01", "1 ou 2 salariés")]);
}

#[test]
fn utf8_bom_is_skipped_from_a_trickling_source() {
    for chunk in [1, 2, 3, 4, usize::MAX] {
        let bytes = "\u{feff}value\nbonjour\nça va\n".as_bytes().to_vec();
        let read = read_all(values(trickle(bytes, chunk), b',', Encoding::Utf8));
        assert_eq!(read.records, ["bonjour", "ça va"], "chunk {chunk}");
    }
}

#[test]
fn only_a_leading_bom_is_skipped() {
    // Without a BOM the first bytes are kept, even when they start like one.
    for chunk in [1, usize::MAX] {
        let bytes = "value\n\u{feff}x\n".as_bytes().to_vec();
        let read = read_all(values(trickle(bytes, chunk), b',', Encoding::Utf8));
        assert_eq!(read.records, ["\u{feff}x"], "chunk {chunk}");

        let bytes = "\u{20ac}value\n1\n".as_bytes().to_vec();
        let error = values(trickle(bytes, chunk), b',', Encoding::Utf8).unwrap_err();
        assert!(
            matches!(&error, DataError::MissingColumn { column, .. } if column == "value"),
            "{error:?}"
        );
    }
    // A truncated BOM is not valid UTF-8: it is reported, not dropped.
    for chunk in [1, usize::MAX] {
        let bytes = b"\xef\xbbvalue\n1\n".to_vec();
        assert!(values(trickle(bytes, chunk), b',', Encoding::Utf8).is_err());
    }
}

#[test]
fn crlf_split_across_reads_is_one_line_end() {
    // A lone `\r` is kept; a CRLF inside a quoted field becomes `\n`.
    let bytes = b"value\r\n\"a\r\nb\"\r\nc\r\n\r\n\"d\re\"\r\n\r".to_vec();
    for chunk in [1, 2, 3, usize::MAX] {
        let mut reader = values(trickle(bytes.clone(), chunk), b',', Encoding::Utf8).unwrap();
        let mut seen = Vec::new();
        while let Some(item) = reader.next() {
            let Item::Record(value) = item.unwrap() else {
                panic!("rejected row")
            };
            seen.push((reader.line(), value));
        }
        let expected = [(2, "a\nb"), (4, "c"), (6, "d\re")];
        let expected: Vec<(u64, String)> = expected
            .iter()
            .map(|(l, v)| (*l, (*v).to_owned()))
            .collect();
        assert_eq!(seen, expected, "chunk {chunk}");
    }
}
