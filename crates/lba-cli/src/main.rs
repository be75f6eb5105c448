//! `lba`: the one binary of La bonne alternance.

mod campaign_args;
mod cmd_admin;
mod cmd_apply;
mod cmd_campaign;
mod cmd_campaign_ops;
mod cmd_cfa;
mod cmd_companies;
mod cmd_impact;
mod cmd_model;
mod cmd_modules;
mod cmd_offers;
mod cmd_sms_gateway;
mod config;
mod progress;
mod refresh;
mod rejects;

use std::io::IsTerminal;

use anyhow::Context;
use clap::Parser;
use lba_app::{NoProgress, ReferentialReport, import_referentials};
use lba_data::DataDir;
use lba_store::Store;

use crate::config::{Cli, Command, DemoCommand, ImportCommand};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    quiet_on_closed_stdout();
    let cli = Cli::parse();
    init_logs(&cli.log);
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("erreur : {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// `lba status | head`: when the reader of stdout goes away, `println!`
/// fails with a broken pipe; end quietly with success, as `ripgrep` does,
/// instead of printing a panic. Any other panic keeps the default report.
fn quiet_on_closed_stdout() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.contains("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}

fn init_logs(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}

async fn open_store(url: &str) -> anyhow::Result<Store> {
    let store = Store::connect(url).await?;
    store.migrate().await?;
    Ok(store)
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Migrate => {
            let store = open_store(&cli.database_url).await?;
            println!(
                "migrations appliquées ({}, {} migrations)",
                store.backend().as_str(),
                Store::migrations(store.backend()).len()
            );
        }
        Command::Status(args) => {
            let store = open_store(&cli.database_url).await?;
            let counts = store.counts().await?;
            if args.json {
                let mut value = serde_json::to_value(&counts)?;
                if let Some(object) = value.as_object_mut() {
                    object.insert("backend".into(), store.backend().as_str().into());
                }
                println!("{value}");
            } else {
                println!("base : {}", store.backend().as_str());
                if let Some(object) = serde_json::to_value(&counts)?.as_object() {
                    for (kind, count) in object {
                        println!("{kind:<24} {count}");
                    }
                }
            }
        }
        Command::Import(ImportCommand::Referentials(args)) => {
            let dir = DataDir::resolve(args.data_dir.as_deref())?;
            let store = open_store(&cli.database_url).await?;
            let progress = progress::for_terminal();
            let report = import_referentials(&store, &dir, progress.as_ref())
                .await
                .context("import des référentiels interrompu, rien n'a été modifié")?;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print_report(&report);
            }
        }
        Command::Import(ImportCommand::Catalogue(args)) => {
            let store = open_store(&cli.database_url).await?;
            let progress = progress::for_terminal();
            let report = lba_app::catalogue::import(&store, &args.file, args.full, progress.as_ref())
                .await
                .with_context(|| {
                    format!(
                        "import du catalogue {} interrompu (les lots déjà écrits sont gardés ; relancer est sans danger)",
                        args.file.display()
                    )
                })?;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print_catalogue_report(&report);
            }
        }
        Command::Import(ImportCommand::Offers(args)) => {
            cmd_offers::import_offers(&cli.database_url, args).await?;
        }
        Command::Demo(DemoCommand::Generate(args)) => {
            let store = open_store(&cli.database_url).await?;
            let config = lba_app::demo::DemoConfig {
                scale: args.scale.into(),
                seed: args.seed,
                reference_date: args
                    .reference_date
                    .unwrap_or_else(|| chrono::Utc::now().date_naive()),
            };
            let progress = progress::for_terminal();
            let report = lba_app::demo::generate(&store, &config, progress.as_ref())
                .await
                .context("génération des données de démonstration interrompue")?;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print_demo_report(&report);
            }
        }
        Command::Import(ImportCommand::Companies(args)) => {
            let store = open_store(&cli.database_url).await?;
            cmd_companies::import_companies(&store, &args).await?;
        }
        Command::Import(ImportCommand::Sirene(args)) => {
            let store = open_store(&cli.database_url).await?;
            cmd_companies::import_sirene(&store, &args).await?;
        }
        Command::Company(command) => {
            let store = open_store(&cli.database_url).await?;
            cmd_companies::company(&store, &command).await?;
        }
        Command::Demo(DemoCommand::CompaniesFile(args)) => {
            let store = open_store(&cli.database_url).await?;
            cmd_companies::companies_file(&store, &args).await?;
        }
        Command::Demo(DemoCommand::Clear) => {
            let store = open_store(&cli.database_url).await?;
            let removed = lba_app::demo::clear(&store).await?;
            println!(
                "Données de démonstration supprimées : {} formations, {} offres, {} entreprises, \
                 {} établissements du modèle (avec leur historique d'embauches)",
                removed.records.formations,
                removed.records.offers,
                removed.records.companies,
                removed.establishments
            );
        }
        Command::Demo(DemoCommand::Hirings(args)) => {
            let store = open_store(&cli.database_url).await?;
            cmd_model::demo_hirings(&store, args).await?;
        }
        Command::Model(command) => {
            let store = open_store(&cli.database_url).await?;
            cmd_model::model(&store, command).await?;
        }
        Command::Worker(args) => {
            let store = open_store(&cli.database_url).await?;
            let key = cmd_apply::link_key(&store, &args.notify).await?;
            let worker = cmd_apply::worker(&store, &args.notify, key)?;
            worker.run(shutdown_signal()).await;
            store.close().await;
        }
        Command::Demo(DemoCommand::SmsGateway(args)) => {
            cmd_sms_gateway::run(&args, shutdown_signal()).await?;
        }
        Command::Demo(demo @ (DemoCommand::Cohort(_) | DemoCommand::Outcomes(_))) => {
            cmd_campaign::demo(&cli.database_url, demo).await?;
        }
        Command::Campaign(command) => {
            cmd_campaign::run(&cli.database_url, command).await?;
        }
        Command::Modules(command) => cmd_modules::run(&command)?,
        Command::Cfa(command) => {
            let store = open_store(&cli.database_url).await?;
            cmd_cfa::run(&store, &command).await?;
        }
        Command::Admin(command) => {
            let store = open_store(&cli.database_url).await?;
            cmd_admin::run(&store, &command).await?;
        }
        Command::Serve(args) => {
            cmd_admin::warn_if_old_secret();
            let store = open_store(&cli.database_url).await?;
            if store.is_empty().await? {
                let dir = DataDir::resolve(args.data_dir.as_deref())?;
                tracing::info!(data_dir = %dir.root().display(), "empty database: importing the referentials");
                let report = import_referentials(&store, &dir, &NoProgress).await?;
                tracing::info!(
                    duration_ms = report.duration_ms,
                    rejected = report.rejected(),
                    "referentials ready"
                );
            }
            generate_demo_if_empty(&store).await?;
            // The map's base layer: optional (a deployment without the
            // data directory shows the markers alone).
            let map_outlines = match DataDir::resolve(args.data_dir.as_deref())
                .map_err(anyhow::Error::from)
                .and_then(|dir| Ok(lba_app::map::MapOutlines::load(&dir)?))
            {
                Ok(outlines) => Some(std::sync::Arc::new(outlines)),
                Err(e) => {
                    tracing::warn!(error = %e, "map outlines unavailable: the results map has no base layer");
                    None
                }
            };
            let listener = tokio::net::TcpListener::bind(&args.addr)
                .await
                .with_context(|| format!("impossible d'écouter sur {}", args.addr))?;
            tracing::info!(addr = %listener.local_addr()?, backend = store.backend().as_str(), "listening");
            let search = match args.index_snapshot(&cli.database_url) {
                Some(path) => lba_app::Search::load_with_snapshot(&store, path).await?,
                None => lba_app::Search::load(&store).await?,
            };
            // The orientation tables are built now, beside the first
            // requests (an orientation request meanwhile waits for them).
            let building = search.clone();
            tokio::spawn(async move {
                if let Err(e) = building.orientation().await {
                    tracing::warn!(error = %e, "orientation tables not built");
                }
            });
            let refresher = tokio::spawn(refresh::refresh_loop(search.clone(), store.clone()));
            let key = cmd_apply::link_key(&store, &args.notify).await?;
            let (stop_worker, worker_stopped) = tokio::sync::oneshot::channel::<()>();
            let worker = if args.no_worker {
                None
            } else {
                let worker = cmd_apply::worker(&store, &args.notify, key.clone())?;
                Some(tokio::spawn(worker.run(async {
                    let _ = worker_stopped.await;
                })))
            };
            let public_url = args.notify.public_url.trim_end_matches('/').to_owned();
            let policy = lba_web::HttpPolicy::new(&public_url, args.cors_origins.clone());
            let limits = lba_web::ServerLimits {
                header_timeout: std::time::Duration::from_secs(args.header_timeout_secs),
                max_connections: args.max_connections as usize,
                ..lba_web::ServerLimits::default()
            };
            lba_web::serve(
                listener,
                lba_web::AppState {
                    store: store.clone(),
                    search,
                    apply: cmd_apply::apply_state(key, args.apply_rate_limit),
                    ops: lba_web::OpsState {
                        public_url,
                        webhook_secret: args
                            .notify
                            .webhook_secret
                            .clone()
                            .filter(|s| !s.is_empty()),
                        map_outlines,
                        learning: match &args.modules_dir {
                            Some(dir) => lba_app::learning::modules_from_dir(dir)?,
                            None => lba_app::learning::embedded_modules(),
                        },
                    },
                },
                &policy,
                limits,
                shutdown_signal(),
            )
            .await?;
            refresher.abort();
            let _ = stop_worker.send(());
            if let Some(worker) = worker {
                let _ = worker.await;
            }
            store.close().await;
            tracing::info!("stopped");
        }
    }
    Ok(())
}

/// `lba serve` on a database without any course, offer or company: the
/// local demo set (seed 0, as of today) makes the service usable at once.
async fn generate_demo_if_empty(store: &Store) -> anyhow::Result<()> {
    let counts = store.counts().await?;
    if counts.formations == 0 && counts.offers == 0 && counts.companies == 0 {
        tracing::info!("no course, offer or company: generating the local demo data");
        let config = lba_app::demo::DemoConfig::local_today();
        lba_app::demo::generate(store, &config, &NoProgress)
            .await
            .context("génération des données de démonstration")?;
    }
    Ok(())
}

fn print_demo_report(report: &lba_app::demo::DemoReport) {
    let config = &report.config;
    println!(
        "Données de démonstration ({}, graine {}, au {}) générées en {:.1} s",
        config.scale.as_str(),
        config.seed,
        config.reference_date.format("%d/%m/%Y"),
        report.duration_ms as f64 / 1000.0
    );
    let (w, r) = (&report.written, &report.removed);
    println!("  formations  {:>9}", w.formations);
    println!("  offres      {:>9}", w.offers);
    println!("  entreprises {:>9}", w.companies);
    if r.formations + r.offers + r.companies > 0 {
        println!(
            "  remplacent {} formations, {} offres, {} entreprises de démonstration",
            r.formations, r.offers, r.companies
        );
    }
}

fn print_catalogue_report(report: &lba_app::catalogue::CatalogueReport) {
    println!(
        "Catalogue des formations importé depuis {}{} en {:.1} s",
        report.file,
        if report.full { " (import complet)" } else { "" },
        report.duration_ms as f64 / 1000.0
    );
    println!("  lues                     {:>9}", report.read);
    println!("  créées                   {:>9}", report.created);
    println!("  mises à jour             {:>9}", report.updated);
    println!("  inchangées               {:>9}", report.unchanged);
    println!(
        "  non publiées (ignorées)  {:>9}",
        report.skipped_unpublished
    );
    println!("  dépubliées               {:>9}", report.unpublished);
    println!("  rejetées                 {:>9}", report.rejected);
    if let Some(reason) = &report.full_refused {
        println!("  import complet sans dépublication : {reason}");
    }
    println!(
        "  localisées par la commune {:>8}, codes ROME repris du diplôme {}",
        report.located_by_commune, report.romes_from_diploma
    );
    println!(
        "  codes ROME du classifieur : par le référentiel des diplômes {}, par l'intitulé {}",
        report.romes_from_diploma_referential, report.romes_from_classifier
    );
    rejects::print_rejects(&report.file, report.rejected, &report.rejects);
}

fn print_report(report: &ReferentialReport) {
    println!(
        "Référentiels importés depuis {} en {} ms",
        report.data_dir, report.duration_ms
    );
    for file in &report.files {
        println!(
            "  {:<58} lues {:>6}  gardées {:>6}  rejetées {:>4}",
            file.file, file.read, file.accepted, file.rejected
        );
        rejects::print_rejects(&file.file, file.rejected, &file.rejects);
    }
    let communes = &report.communes;
    if !communes.approximated_points.is_empty() {
        println!(
            "  communes sans coordonnées, placées au centre de leur code postal : {}",
            communes.approximated_points.join(", ")
        );
    }
    if !communes.without_point.is_empty() {
        println!(
            "  communes sans coordonnées : {}",
            communes.without_point.join(", ")
        );
    }
    let located = report
        .written
        .tables
        .iter()
        .find(|(t, _)| t == "cfas")
        .map_or(0, |(_, n)| *n);
    println!(
        "  CFA : {} enregistrés, {} non localisés",
        located,
        report.cfas_unlocated.len()
    );
    for cfa in &report.cfas_unlocated {
        println!("      {} ({}) : {}", cfa.uai, cfa.commune_name, cfa.reason);
    }
    if !report.cfas_invalid_siret.is_empty() {
        println!(
            "  CFA au SIRET invalide (gardés sans SIRET) : {}",
            report.cfas_invalid_siret.join(", ")
        );
    }
    let dares = &report.written_dares;
    println!(
        "  tensions DARES : {} lignes, {} points d'évolution, {} liens FAP → ROME",
        dares.tensions, dares.trends, dares.fap_romes
    );
    if !report.fiches_without_fap.is_empty() {
        println!(
            "  fiches ROME sans famille FAP (pas de tension connue) : {}",
            report.fiches_without_fap.join(", ")
        );
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received, finishing requests in flight");
}
