//! `lba import companies`, `lba company exclude|include`, `lba import
//! sirene`, `lba demo companies-file` and `lba status` end to end.

use crate::{lba, run, shared_data};

#[test]
fn companies_import_exclude_generate_and_sirene() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("lba.db");
    let (ok, out, err) = run(lba()
        .args(["import", "referentials", "--data-dir"])
        .arg(shared_data())
        .arg("--database-url")
        .arg(&db));
    assert!(ok, "{out}\n{err}");
    let cmd = |args: &[&str]| run(lba().args(args).env("LBA_DATABASE_URL", &db));
    let sample = shared_data().join("lba/recruteurs-lba.sample.json");
    let sample = sample.to_str().unwrap();

    let (ok, out, err) = cmd(&["import", "companies", "--file", sample]);
    assert!(ok, "{out}\n{err}");
    assert!(
        out.contains("Entreprises susceptibles de recruter importées"),
        "{out}"
    );
    assert!(out.contains("à plus de 20 km 2"), "{out}");

    let (ok, out, err) = cmd(&["import", "companies", "--file", sample, "--json"]);
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (report["read"].as_u64(), report["unchanged"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(report["located_by_commune"]["too_far"], 2);

    let (ok, out, err) = cmd(&[
        "company",
        "exclude",
        "--siret",
        "80841382700011",
        "--reason",
        "opt-out",
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("exclue") && out.contains("retirée"), "{out}");
    let (ok, out, _) = cmd(&["import", "companies", "--file", sample, "--json"]);
    assert!(ok);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["excluded"], 1, "{out}");
    let (ok, _, err) = cmd(&[
        "company",
        "exclude",
        "--siret",
        "123",
        "--reason",
        "blacklist",
    ]);
    assert!(!ok && err.contains("--siret"), "{err}");
    let (ok, out, _) = cmd(&["company", "include", "--siret", "80841382700011"]);
    assert!(ok && out.contains("de nouveau admise"), "{out}");

    // A generated file in the same format imports without rejects.
    let generated = tmp.path().join("generated.json");
    let (ok, out, err) = cmd(&[
        "demo",
        "companies-file",
        "--count",
        "300",
        "--seed",
        "7",
        "--out",
        generated.to_str().unwrap(),
    ]);
    assert!(ok, "{out}\n{err}");
    let first = std::fs::read(&generated).unwrap();
    let (ok, _, _) = cmd(&[
        "demo",
        "companies-file",
        "--count",
        "300",
        "--seed",
        "7",
        "--out",
        generated.to_str().unwrap(),
    ]);
    assert!(ok);
    assert_eq!(first, std::fs::read(&generated).unwrap(), "deterministic");
    let (ok, out, err) = cmd(&[
        "import",
        "companies",
        "--file",
        generated.to_str().unwrap(),
        "--json",
    ]);
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["read"], 300, "{out}");
    assert_eq!(report["rejected"], 0, "{out}");
    assert_eq!(report["created"], 300, "{out}");
    assert_eq!(
        report["removed"], 1,
        "the sample company not excluded: {out}"
    );
    let too_far = report["located_by_commune"]["too_far"].as_u64().unwrap();
    assert!((1..30).contains(&too_far), "{out}");

    // SIRENE: one open establishment, one closed.
    let stock = tmp.path().join("stock.csv");
    std::fs::write(
        &stock,
        "siret,etatAdministratifEtablissement,activitePrincipaleEtablissement,trancheEffectifsEtablissement,codeCommuneEtablissement,enseigne1Etablissement,denominationUsuelleEtablissement,numeroVoieEtablissement,indiceRepetitionEtablissement,typeVoieEtablissement,libelleVoieEtablissement,codePostalEtablissement,libelleCommuneEtablissement,coordonneeLambertAbscisseEtablissement,coordonneeLambertOrdonneeEtablissement,autreColonne\n\
         73500000100009,A,10.71C,11,54318,BOULANGERIE,,3,,RUE,HAUTE,54460,LIVERDUN,,,x\n\
         73500000100017,F,,,,,,,,,,,,,,x\n\
         7350000010001,A,,,,,,,,,,,,,,x\n",
    )
    .unwrap();
    let (ok, out, err) = cmd(&["import", "sirene", "--file", stock.to_str().unwrap()]);
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("Établissements SIRENE importés"), "{out}");
    assert!(out.contains("stock.csv:4: champ `siret`"), "{out}");
    let (ok, out, _) = cmd(&["status", "--json"]);
    assert!(ok);
    let status: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(status["establishments"], 1, "{out}");
    assert_eq!(status["companies"], 300, "{out}");
    assert_eq!(status["company_exclusions"], 0, "{out}");

    let (ok, _, err) = cmd(&["import", "companies", "--file", "/nonexistent.json"]);
    assert!(!ok && err.contains("/nonexistent.json"), "{err}");
}
