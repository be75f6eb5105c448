//! The hiring history format: good rows, rejected rows naming line and
//! field, a missing column.

use lba_data::DataError;
use lba_data::hirings::hirings;

use crate::read_all;

#[test]
fn reads_rows_and_rejects_bad_ones_with_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("embauches.csv");
    std::fs::write(
        &path,
        "\u{feff}siret;period;hirings;apprentice_hirings\n\
         73282932000074;2024-S1;3;1\n\
         73282932000074;2024-S3;3;1\n\
         73282932000075;2024-S1;3;1\n\
         73282932000074;2024-S2;-1;0\n\
         73282932000074;2023-S2;1;2\n\
         73282932000074;2023-S1;0;0\n",
    )
    .unwrap();
    let all = read_all(hirings(&path));
    assert_eq!(all.records.len(), 2);
    assert_eq!(all.records[0].period.to_string(), "2024-S1");
    assert_eq!(
        (all.records[0].hirings, all.records[0].apprentice_hirings),
        (3, 1)
    );
    let rejects: Vec<(u64, &str)> = all
        .rejects
        .iter()
        .map(|r| (r.line, r.field.as_str()))
        .collect();
    assert_eq!(
        rejects,
        vec![
            (3, "period"),
            (4, "siret"),
            (5, "hirings"),
            (6, "apprentice_hirings")
        ]
    );
    assert!(all.rejects[0].reason.contains("AAAA-S1"));
}

#[test]
fn a_missing_column_stops_the_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("embauches.csv");
    std::fs::write(&path, "siret;period;hirings\n73282932000074;2024-S1;3\n").unwrap();
    let Err(DataError::MissingColumn { column, .. }) = hirings(&path) else {
        panic!("expected a missing column");
    };
    assert_eq!(column, "apprentice_hirings");
}
