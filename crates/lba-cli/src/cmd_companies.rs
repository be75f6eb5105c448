//! `lba import companies`, `lba import sirene`, `lba company exclude|include`
//! and `lba demo companies-file`: command bodies and their French reports.

use crate::rejects::print_rejects;
use anyhow::Context;
use lba_app::companies::CompaniesReport;
use lba_app::locate::LocatedByCommune;
use lba_app::sirene::SireneReport;
use lba_core::ids::Siret;
use lba_store::Store;
use lba_store::exclusions::ExclusionReason;

use crate::config::{CompanyCommand, DemoCompaniesFileArgs, ExclusionArg, ImportFileArgs};
use crate::progress;

/// `lba import companies`.
pub async fn import_companies(store: &Store, args: &ImportFileArgs) -> anyhow::Result<()> {
    let progress = progress::for_terminal();
    let report = lba_app::companies::import(store, &args.file, progress.as_ref())
        .await
        .with_context(|| {
            format!(
                "import des entreprises {} interrompu (les lots déjà écrits sont gardés ; relancer est sans danger)",
                args.file.display()
            )
        })?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_companies_report(&report);
    }
    Ok(())
}

/// `lba import sirene`.
pub async fn import_sirene(store: &Store, args: &ImportFileArgs) -> anyhow::Result<()> {
    let progress = progress::for_terminal();
    let report = lba_app::sirene::import(store, &args.file, progress.as_ref())
        .await
        .with_context(|| {
            format!(
                "import SIRENE {} interrompu (les lots déjà écrits sont gardés ; relancer est sans danger)",
                args.file.display()
            )
        })?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_sirene_report(&report);
    }
    Ok(())
}

/// `lba company exclude|include`.
pub async fn company(store: &Store, command: &CompanyCommand) -> anyhow::Result<()> {
    let parse = |raw: &str| {
        Siret::parse(raw).with_context(|| format!("--siret « {raw} » : SIRET invalide"))
    };
    match command {
        CompanyCommand::Exclude(args) => {
            let siret = parse(&args.siret)?;
            let reason = match args.reason {
                ExclusionArg::OptOut => ExclusionReason::OptOut,
                ExclusionArg::Blacklist => ExclusionReason::Blacklist,
            };
            let deleted = store.exclude_company(&siret, reason).await?;
            println!(
                "Entreprise {} exclue de la recherche ({}){}",
                siret.as_str(),
                match reason {
                    ExclusionReason::OptOut => "à sa demande",
                    ExclusionReason::Blacklist => "liste noire",
                },
                if deleted {
                    " ; elle a été retirée"
                } else {
                    " ; elle n'était pas enregistrée"
                }
            );
        }
        CompanyCommand::Include(args) => {
            let siret = parse(&args.siret)?;
            if store.include_company(&siret).await? {
                println!(
                    "Entreprise {} de nouveau admise : le prochain import pourra la reprendre",
                    siret.as_str()
                );
            } else {
                println!("Entreprise {} : elle n'était pas exclue", siret.as_str());
            }
        }
    }
    Ok(())
}

/// `lba demo companies-file`.
pub async fn companies_file(store: &Store, args: &DemoCompaniesFileArgs) -> anyhow::Result<()> {
    let report = lba_app::companies_file::generate(store, args.count, args.seed, &args.out)
        .await
        .context("génération du fichier d'entreprises")?;
    println!(
        "Fichier d'entreprises générées (graine {}) : {} entreprises, {:.1} Mo dans {}",
        args.seed,
        report.records,
        report.bytes as f64 / 1e6,
        report.file
    );
    Ok(())
}

fn print_located(located: &LocatedByCommune, overseas_converted: u64) {
    println!(
        "  localisées par la commune {:>8} (sans coordonnées {}, à plus de 20 km {}, outre-mer sans projection {})",
        located.total(),
        located.no_coordinates,
        located.too_far,
        located.overseas
    );
    println!("  outre-mer converties (UTM) {:>7}", overseas_converted);
}

fn print_companies_report(report: &CompaniesReport) {
    println!(
        "Entreprises susceptibles de recruter importées depuis {} en {:.1} s",
        report.file,
        report.duration_ms as f64 / 1000.0
    );
    println!("  lues                     {:>9}", report.read);
    println!("  créées                   {:>9}", report.created);
    println!("  mises à jour             {:>9}", report.updated);
    println!("  inchangées               {:>9}", report.unchanged);
    println!("  retirées (absentes)      {:>9}", report.removed);
    println!("  exclues (opt-out, liste noire) {:>3}", report.excluded);
    println!("  rejetées                 {:>9}", report.rejected);
    if let Some(reason) = &report.removal_refused {
        println!("  aucune entreprise retirée : {reason}");
    }
    print_located(&report.located_by_commune, report.overseas_converted);
    if report.contacts_dropped > 0 {
        println!(
            "  contacts invalides ignorés {:>7}",
            report.contacts_dropped
        );
    }
    print_rejects(&report.file, report.rejected, &report.rejects);
}

fn print_sirene_report(report: &SireneReport) {
    println!(
        "Établissements SIRENE importés depuis {} en {:.1} s",
        report.file,
        report.duration_ms as f64 / 1000.0
    );
    println!("  lus                      {:>9}", report.read);
    println!("  créés                    {:>9}", report.created);
    println!("  mis à jour               {:>9}", report.updated);
    println!("  inchangés                {:>9}", report.unchanged);
    println!("  fermés (ignorés)         {:>9}", report.closed);
    println!("  fermés retirés           {:>9}", report.closed_deleted);
    println!("  sans nom (« Établissement SIRET ») {}", report.unnamed);
    println!("  sans localisation        {:>9}", report.unlocated);
    println!("  rejetés                  {:>9}", report.rejected);
    print_located(&report.located_by_commune, report.overseas_converted);
    print_rejects(&report.file, report.rejected, &report.rejects);
}
