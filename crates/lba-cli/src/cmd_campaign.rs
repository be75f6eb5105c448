//! `lba campaign …` and `lba demo cohort`: the command bodies.

use anyhow::Context;

use crate::campaign_args::{CampaignCommand, DemoCohortArgs, ImportCohortArgs};
use crate::config::DemoCommand;
use crate::{cmd_campaign_ops, open_store, progress};

/// Runs one `lba campaign` subcommand.
pub async fn run(database_url: &str, command: CampaignCommand) -> anyhow::Result<()> {
    // The simulation needs no database.
    if let CampaignCommand::SimulateImpact(args) = &command {
        return crate::cmd_impact::simulate(args);
    }
    let store = open_store(database_url).await?;
    match command {
        CampaignCommand::ImportCohort(args) => import_cohort(&store, args).await,
        CampaignCommand::ImportOutcomes(args) => {
            crate::cmd_impact::import_outcomes(&store, args).await
        }
        CampaignCommand::Impact(args) => crate::cmd_impact::impact(&store, args).await,
        other => cmd_campaign_ops::run(&store, other).await,
    }
}

async fn import_cohort(store: &lba_store::Store, args: ImportCohortArgs) -> anyhow::Result<()> {
    let progress = progress::for_terminal();
    let report = lba_app::cohort::import(store, &args.file, args.source.into(), progress.as_ref())
        .await
        .with_context(|| {
            format!(
                "import de la cohorte {} interrompu (les lots déjà écrits sont gardés ; relancer est sans danger)",
                args.file.display()
            )
        })?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!(
        "Cohorte {} importée depuis {} en {:.1} s",
        report.source,
        report.file,
        report.duration_ms as f64 / 1000.0
    );
    println!("  lignes lues               {:>8}", report.rows);
    println!("  lignes rejetées           {:>8}", report.rejected);
    println!("  personnes                 {:>8}", report.people);
    println!("    nouvelles               {:>8}", report.created);
    println!("    mises à jour            {:>8}", report.updated);
    println!(
        "    apprentissage seul      {:>8}",
        report.apprenticeship_only
    );
    println!("    sans aucun contact      {:>8}", report.unreachable);
    println!("  vœux                      {:>8}", report.wishes);
    println!("    reliés à une formation  {:>8}", report.linked_courses);
    println!("    reliés à un CFA         {:>8}", report.linked_cfas);
    println!("    non reliés              {:>8}", report.unlinked);
    println!("  coordonnées refusées      {:>8}", report.contacts_refused);
    println!(
        "  résultats datés (changements depuis l'export précédent) {:>8}",
        report.outcome_events
    );
    for r in &report.rejects {
        println!(
            "      {}:{}: champ `{}` : {}",
            report.file, r.line, r.field, r.reason
        );
    }
    more(report.rejected, report.rejects.len());
    if !report.contact_issues.is_empty() {
        println!("  coordonnées refusées (la ligne est gardée) :");
    }
    for r in &report.contact_issues {
        println!(
            "      {}:{}: champ `{}` : {}",
            report.file, r.line, r.field, r.reason
        );
    }
    more(report.contacts_refused, report.contact_issues.len());
    if !report.unlinked_wishes.is_empty() {
        println!("  vœux non reliés :");
    }
    for u in &report.unlinked_wishes {
        println!(
            "      {}:{}: {} : {}",
            report.file, u.line, u.wish, u.reason
        );
    }
    more(report.unlinked, report.unlinked_wishes.len());
    Ok(())
}

fn more(total: u64, listed: usize) {
    if total > listed as u64 {
        println!("      … et {} autres", total - listed as u64);
    }
}

/// `lba demo cohort` and `lba demo outcomes`.
pub async fn demo(database_url: &str, command: DemoCommand) -> anyhow::Result<()> {
    let store = open_store(database_url).await?;
    match command {
        DemoCommand::Cohort(args) => demo_cohort(&store, args).await,
        DemoCommand::Outcomes(args) => crate::cmd_impact::demo_outcomes(&store, args).await,
        _ => anyhow::bail!("commande traitée ailleurs"),
    }
}

/// `lba demo cohort`.
async fn demo_cohort(store: &lba_store::Store, args: DemoCohortArgs) -> anyhow::Result<()> {
    let config = lba_app::demo::cohort::CohortConfig {
        candidates: args.candidates,
        seed: args.seed,
        reference_date: args
            .reference_date
            .unwrap_or_else(|| chrono::Utc::now().date_naive()),
    };
    let report = lba_app::demo::cohort::write_cohort(store, &config, &args.out)
        .await
        .context("génération du fichier de cohorte interrompue")?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "Fichier de cohorte de démonstration écrit : {} ({} candidats, {} lignes dont {} invalides, {} mineurs, {} avec un vœu sous statut scolaire, {} formations du stock utilisables)",
            report.file,
            report.candidates,
            report.rows,
            report.broken_rows,
            report.minors,
            report.with_student_wish,
            report.store_courses
        );
    }
    Ok(())
}
