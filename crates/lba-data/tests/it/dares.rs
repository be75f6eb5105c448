//! The DARES tension files on their real copies, and malformed rows.

use std::collections::HashSet;
use std::io::Write;

use lba_data::dares::{self, FapGrain, FapOfRome, TensionArea};
use lba_data::rome;

use crate::{data_file, read_all};

#[test]
fn tensions_real_file() {
    let read = read_all(dares::tensions(&data_file(dares::files::TENSIONS)));
    assert_eq!(read.rejects, []);
    assert_eq!(read.records.len(), 31_034);
    let national = read
        .records
        .iter()
        .filter(|t| t.area == TensionArea::National)
        .count();
    let regional = read
        .records
        .iter()
        .filter(|t| matches!(t.area, TensionArea::Region(_)))
        .count();
    // `reg ` with a trailing space is a région too.
    assert_eq!((national, regional), (263, 4_471));
    assert_eq!(
        read.records
            .iter()
            .filter(|t| t.indicator.is_none())
            .count(),
        1_488
    );
    let first = &read.records[0];
    assert_eq!(first.fap.as_str(), "A0Z40");
    assert_eq!(first.fap.grain(), FapGrain::Fap225);
    assert_eq!(first.year, 2019);
    assert_eq!(first.employment, 63_100);
    assert_eq!(first.category, Some(3));
    let dims = first.dimensions.unwrap();
    assert_eq!(
        (
            dims.hiring_intensity,
            dims.training_link,
            dims.geographic_mismatch
        ),
        (5, 3, 5)
    );
    assert!((first.indicator.unwrap() + 0.006_062_928_049_646_171).abs() < 1e-15);
    // Région codes on two digits, Corsica's départements as letters.
    let regions: HashSet<&str> = read
        .records
        .iter()
        .filter_map(|t| match &t.area {
            TensionArea::Region(r) => Some(r.as_str()),
            _ => None,
        })
        .collect();
    assert!(regions.contains("01") && regions.contains("84") && regions.contains("11"));
    assert_eq!(regions.len(), 17);
    assert!(
        read.records
            .iter()
            .any(|t| t.area == TensionArea::Departement("2A".into()))
    );
}

#[test]
fn trends_and_fap_rome_real_files() {
    let trends = read_all(dares::trends(&data_file(dares::files::TRENDS)));
    assert_eq!(trends.rejects, []);
    assert_eq!(trends.records.len(), 2_367);
    let years: HashSet<u16> = trends.records.iter().map(|t| t.year).collect();
    assert_eq!(years, (2011..=2019).collect());

    let links = read_all(dares::fap_rome(&data_file(dares::files::FAP_ROME)));
    // The file ends with three empty rows (`;;`): rejected, named.
    let rejects: Vec<(u64, &str)> = links
        .rejects
        .iter()
        .map(|r| (r.line, r.field.as_str()))
        .collect();
    assert_eq!(rejects, [(767, "Fap"), (768, "Fap"), (769, "Fap")]);
    assert_eq!(links.records.len(), 765);
    assert_eq!(
        links.records.iter().filter(|l| l.rome.is_none()).count(),
        16
    );
    let table = FapOfRome::new(links.records);
    assert_eq!(table.len(), 531);

    // Every ROME 4.0 fiche but one reaches a FAP family through its v3 parent.
    let fiches = read_all(rome::fiches(&data_file(rome::files::FICHES)));
    let orphans: Vec<&str> = fiches
        .records
        .iter()
        .filter(|f| table.families(&f.parent_code).is_empty())
        .map(|f| f.code.as_str())
        .collect();
    assert_eq!(orphans, ["L1510"]);
}

#[test]
fn malformed_tension_rows_are_rejected_with_line_and_field() {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    let header = "fap,Emploi moyen,Tension ,Catégorie Tension,Intensité d'embauches,\
Lien formation-emploi,Manque de main-d'œuvre disponible,Non-durabilité de l'emploi,\
Conditions de travail contraignantes,Inadéquation géographique,Année,niveau_geo,niveau_fap,reg,dep";
    writeln!(file, "{header}").unwrap();
    // Line 2: fine. 3: category 7. 4: a FAP 87 code said to be FAP 225.
    // 5: unknown area. 6: bad région. 7: NA everywhere is fine.
    writeln!(
        file,
        "A0Z40,100,0.5,4.0,5.0,3.0,1.0,5.0,4.0,5.0,2019,dep,fap 225,,2A"
    )
    .unwrap();
    writeln!(
        file,
        "A0Z40,100,0.5,7.0,5.0,3.0,1.0,5.0,4.0,5.0,2019,nat,fap 225,,"
    )
    .unwrap();
    writeln!(
        file,
        "A0Z,100,0.5,4.0,5.0,3.0,1.0,5.0,4.0,5.0,2019,nat,fap 225,,"
    )
    .unwrap();
    writeln!(
        file,
        "A0Z40,100,0.5,4.0,5.0,3.0,1.0,5.0,4.0,5.0,2019,monde,fap 225,,"
    )
    .unwrap();
    writeln!(
        file,
        "A0Z40,100,0.5,4.0,5.0,3.0,1.0,5.0,4.0,5.0,2019,reg ,fap 225,x,"
    )
    .unwrap();
    writeln!(file, "W1Z,1700,NA,NA,NA,NA,NA,NA,NA,NA,2019,nat,fap 87,,").unwrap();
    let read = read_all(dares::tensions(file.path()));
    assert_eq!(read.records.len(), 2);
    assert_eq!(read.records[1].indicator, None);
    assert_eq!(read.records[1].dimensions, None);
    let rejects: Vec<(u64, &str)> = read
        .rejects
        .iter()
        .map(|r| (r.line, r.field.as_str()))
        .collect();
    assert_eq!(
        rejects,
        [
            (3, "Catégorie Tension"),
            (4, "fap"),
            (5, "niveau_geo"),
            (6, "reg")
        ]
    );
}
