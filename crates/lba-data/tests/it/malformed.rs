//! Hand-made broken files: structural problems stop the read with a
//! [`DataError`] naming the file and the line; bad values are rejected rows.

use std::path::{Path, PathBuf};

use lba_data::csv_source::{CsvFormat, CsvReader};
use lba_data::{DataDir, DataError, Item, diplomas, rome};

use crate::{DATA_DIR, items_until_error, read_all};

/// Writes `contents` to `name` in a fresh temporary directory.
fn write(dir: &tempfile::TempDir, name: &str, contents: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn assert_malformed(error: &DataError, path: &Path, expected_line: u64) -> String {
    match error {
        DataError::Malformed {
            file,
            line,
            message,
        } => {
            assert_eq!(file, path);
            assert_eq!(*line, expected_line, "{message}");
            let shown = error.to_string();
            let prefix = format!("{}:{expected_line}: ", path.display());
            assert!(shown.starts_with(&prefix), "{shown}");
            message.clone()
        }
        other => panic!("expected Malformed, got {other:?}"),
    }
}

const MOBILITY_HEADER: &str = "code_rome,code_rome_cible,numero_ordre\n";

#[test]
fn missing_column_names_file_column_and_line_1() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "mobilite.csv", b"code_rome,numero_ordre\nA1101,1\n");
    let error = rome::mobility(&path).unwrap_err();
    match &error {
        DataError::MissingColumn { file, column } => {
            assert_eq!(file, &path);
            assert_eq!(column, "code_rome_cible");
        }
        other => panic!("expected MissingColumn, got {other:?}"),
    }
    let shown = error.to_string();
    assert_eq!(
        shown,
        format!(
            "{}:1: missing column `code_rome_cible` in the header line",
            path.display()
        )
    );
}

#[test]
fn empty_file_misses_its_columns() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "vide.csv", b"");
    let error = rome::mobility(&path).unwrap_err();
    assert!(
        matches!(&error, DataError::MissingColumn { column, .. } if column == "code_rome"),
        "{error:?}"
    );
}

#[test]
fn header_only_file_has_no_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "mobilite.csv", MOBILITY_HEADER.as_bytes());
    let read = read_all(rome::mobility(&path));
    assert!(read.records.is_empty());
    assert!(read.rejects.is_empty());
}

#[test]
fn columns_are_found_by_name_in_any_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "mobilite.csv",
        b"numero_ordre,extra, code_rome_cible ,code_rome\n3,x,A1102,A1101\n",
    );
    let read = read_all(rome::mobility(&path));
    assert_eq!(read.rejects, []);
    let link = &read.records[0];
    assert_eq!(
        (link.rome.as_str(), link.target.as_str(), link.rank),
        ("A1101", "A1102", 3)
    );
}

#[test]
fn extra_field_is_malformed_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let contents = format!(
        "{MOBILITY_HEADER}A1101,A1102,1\nA1101,A1103,2\nA1101,A1104,3,oops\nA1101,A1105,4\n"
    );
    let path = write(&dir, "mobilite.csv", contents.as_bytes());
    let mut reader = rome::mobility(&path).unwrap();
    let (items, error) = items_until_error(reader.by_ref());
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|i| matches!(i, Item::Record(_))));
    let message = assert_malformed(&error.expect("an error"), &path, 4);
    assert!(message.contains('4') && message.contains('3'), "{message}");
    // The read stops at a structural error.
    assert!(reader.next().is_none());
}

#[test]
fn missing_field_is_malformed_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let contents = format!("{MOBILITY_HEADER}A1101,A1102,1\nA1101,A1103\n");
    let path = write(&dir, "mobilite.csv", contents.as_bytes());
    let (items, error) = items_until_error(rome::mobility(&path).unwrap());
    assert_eq!(items.len(), 1);
    assert_malformed(&error.expect("an error"), &path, 3);
}

#[test]
fn bad_value_is_rejected_and_reading_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let contents = format!(
        "{MOBILITY_HEADER}A1101,A1102,1\nXX,A1102,2\nA1101,A1103,3\nA1101,A1104,abc\nA1101,,5\nA1101,A1105,6\n"
    );
    let path = write(&dir, "mobilite.csv", contents.as_bytes());
    let read = read_all(rome::mobility(&path));
    let ranks: Vec<i32> = read.records.iter().map(|r| r.rank).collect();
    assert_eq!(ranks, [1, 3, 6]);
    let rejects: Vec<(u64, &str)> = read
        .rejects
        .iter()
        .map(|r| (r.line, r.field.as_str()))
        .collect();
    assert_eq!(
        rejects,
        [
            (3, "code_rome"),
            (5, "numero_ordre"),
            (6, "code_rome_cible")
        ]
    );
    assert!(read.rejects.iter().all(|r| !r.reason.is_empty()));
    assert!(
        read.rejects[0]
            .to_string()
            .starts_with("line 3, field `code_rome`")
    );
}

#[test]
fn non_utf8_byte_is_malformed_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut contents = MOBILITY_HEADER.as_bytes().to_vec();
    contents.extend_from_slice(b"A1101,A1102,1\nA1101,A1103,2\nA1101,A1104,\xe9\nA1101,A1105,4\n");
    let path = write(&dir, "mobilite.csv", &contents);
    let (items, error) = items_until_error(rome::mobility(&path).unwrap());
    assert_eq!(items.len(), 2);
    let message = assert_malformed(&error.expect("an error"), &path, 4);
    assert!(message.contains("UTF-8"), "{message}");
    assert!(message.contains("field 3"), "{message}");
}

#[test]
fn non_utf8_byte_on_the_first_row_is_malformed_at_line_2() {
    let dir = tempfile::tempdir().unwrap();
    let mut contents = MOBILITY_HEADER.as_bytes().to_vec();
    contents.extend_from_slice(b"A\xff101,A1102,1\n");
    let path = write(&dir, "mobilite.csv", &contents);
    let (items, error) = items_until_error(rome::mobility(&path).unwrap());
    assert!(items.is_empty());
    assert_malformed(&error.expect("an error"), &path, 2);
}

#[test]
fn multi_line_fields_keep_later_line_numbers_right() {
    for newline in ["\n", "\r\n"] {
        let dir = tempfile::tempdir().unwrap();
        let contents = [
            "code_centre_interet,libelle_centre_interet,definition_centre_interet",
            "1,Premier,\"Une définition",
            "sur trois",
            "lignes.\"",
            "2,Deuxième,courte",
            "x,Mauvais,code",
            "4,Quatrième,\"deux",
            "lignes\"",
            "5,Cinquième,fin",
        ]
        .join(newline);
        let path = write(&dir, "centres.csv", contents.as_bytes());
        let mut reader = rome::interest_centres(&path).unwrap();
        assert_eq!(reader.line(), 1);
        let mut seen = Vec::new();
        while let Some(item) = reader.next() {
            let line = reader.line();
            match item.unwrap() {
                Item::Record(centre) => seen.push((line, Some(centre.code))),
                Item::Rejected(rejected) => {
                    assert_eq!(rejected.line, line);
                    assert_eq!(rejected.field, "code_centre_interet");
                    seen.push((line, None));
                }
            }
        }
        assert_eq!(
            seen,
            [
                (2, Some(1)),
                (5, Some(2)),
                (6, None),
                (7, Some(4)),
                (9, Some(5))
            ],
            "newline {newline:?}"
        );
    }
}

#[test]
fn blank_lines_count_in_line_numbers() {
    for newline in ["\n", "\r\n"] {
        let dir = tempfile::tempdir().unwrap();
        let contents = [
            "code_rome,code_rome_cible,numero_ordre",
            "A1101,A1102,1",
            "",
            "",
            "XX,A1102,2",
            "A1101,A1103,3",
            "",
            "A1101,A1104,x",
            "",
        ]
        .join(newline);
        let path = write(&dir, "mobilite.csv", contents.as_bytes());
        let read = read_all(rome::mobility(&path));
        assert_eq!(read.records.len(), 2, "newline {newline:?}");
        let lines: Vec<u64> = read.rejects.iter().map(|r| r.line).collect();
        assert_eq!(lines, [5, 8], "newline {newline:?}");
    }
}

#[test]
fn crlf_file_reports_malformed_rows_at_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let contents = "code_rome,code_rome_cible,numero_ordre\r\nA1101,A1102,1\r\nA1101,A1103,2\r\nA1101,A1104\r\n";
    let path = write(&dir, "mobilite.csv", contents.as_bytes());
    let (items, error) = items_until_error(rome::mobility(&path).unwrap());
    assert_eq!(items.len(), 2);
    assert_malformed(&error.expect("an error"), &path, 4);
}

#[test]
fn multi_line_field_before_a_broken_row_gives_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let contents = "code_centre_interet,libelle_centre_interet,definition_centre_interet\n\
                    1,Premier,\"a\nb\nc\"\n\
                    2,Deuxième,courte,en trop\n";
    let path = write(&dir, "centres.csv", contents.as_bytes());
    let (items, error) = items_until_error(rome::interest_centres(&path).unwrap());
    assert_eq!(items.len(), 1);
    assert_malformed(&error.expect("an error"), &path, 5);
}

#[test]
fn missing_file_is_an_io_error_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("absent.csv");
    let error = rome::fiches(&path).unwrap_err();
    match &error {
        DataError::Io { file, source } => {
            assert_eq!(file, &path);
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("expected Io, got {other:?}"),
    }
    assert!(
        error.to_string().contains(&path.display().to_string()),
        "{error}"
    );

    let error = diplomas::synonyms(&path).unwrap_err();
    assert!(
        matches!(&error, DataError::Io { file, .. } if file == &path),
        "{error:?}"
    );
}

#[test]
fn malformed_synonyms_json_gives_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "synonyms.json",
        b"[\n  {\n    \"mappingType\": \"equivalent\",\n    \"synonyms\": [\"bts\", ]\n  }\n]\n",
    );
    let error = diplomas::synonyms(&path).unwrap_err();
    assert_malformed(&error, &path, 4);

    // Valid JSON of the wrong shape is malformed too.
    let path = write(
        &dir,
        "wrong.json",
        b"[\n  {\"mappingType\": \"equivalent\", \"synonyms\": [\"a\"]},\n  {\"mappingType\": \"equivalent\", \"synonyms\": 3}\n]\n",
    );
    let error = diplomas::synonyms(&path).unwrap_err();
    assert_malformed(&error, &path, 3);

    let path = write(
        &dir,
        "ok.json",
        br#"[{"mappingType": "equivalent", "synonyms": ["BTS BANQUE", "btsb"]}]"#,
    );
    let groups = diplomas::synonyms(&path).unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].synonyms, ["BTS BANQUE", "btsb"]);
}

#[test]
fn data_dir_resolution() {
    let dir = tempfile::tempdir().unwrap();
    let absent = dir.path().join("nowhere");
    let error = DataDir::resolve(Some(&absent)).unwrap_err();
    match &error {
        DataError::NoDataDir { tried } => assert_eq!(tried, &absent.display().to_string()),
        other => panic!("expected NoDataDir, got {other:?}"),
    }
    assert!(
        error.to_string().contains(&absent.display().to_string()),
        "{error}"
    );

    // An existing directory without `rome/` is not a data directory.
    let error = DataDir::resolve(Some(dir.path())).unwrap_err();
    assert!(matches!(error, DataError::NoDataDir { .. }), "{error:?}");

    let real = DataDir::resolve(Some(Path::new(DATA_DIR))).unwrap();
    assert_eq!(real.root(), Path::new(DATA_DIR));
    assert!(real.file(rome::files::FICHES).is_file());
}

#[test]
fn from_reader_reports_the_given_path() {
    let path = Path::new("virtual/mobilite.csv");
    let bytes = format!("{MOBILITY_HEADER}A1101,A1102\n").into_bytes();
    let reader = CsvReader::from_reader(
        path,
        Box::new(std::io::Cursor::new(bytes)),
        CsvFormat::UTF8_COMMA,
        &["code_rome", "code_rome_cible", "numero_ordre"],
        |row| Ok(row.get("code_rome").to_owned()),
    )
    .unwrap();
    assert_eq!(reader.path(), path);
    let (items, error) = items_until_error(reader);
    assert!(items.is_empty());
    assert_malformed(&error.expect("an error"), path, 2);
}
