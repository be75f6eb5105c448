//! `lba model train|evaluate|score` and `lba demo hirings`: flags and
//! command bodies (the use cases live in `lba_app::model`).

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};
use lba_app::model::demo::{DemoHiringsConfig, DemoHiringsReport};
use lba_app::model::{HistoryReport, ModelSettings, ScoreReport, TrainReport};
use lba_model::lift::{LiftPoint, at};
use lba_model::score::ScoreScale;
use lba_model::{GuardRails, HalfYear, TrainSettings};
use lba_store::Store;

/// `lba model …`.
#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// Import a hiring history (optional), evaluate on its last half-year,
    /// train on all of it and record the run (not yet published).
    Train(TrainArgs),
    /// Print the evaluation of the latest run: the lift curve against a
    /// random ranking and the ranking by headcount.
    Evaluate(EvaluateArgs),
    /// Check the guard rails and write the latest run's companies (used by
    /// the search).
    Score(ScoreArgs),
}

/// Settings shared by `train` and `score`.
#[derive(Debug, Args)]
pub struct ModelSettingsArgs {
    /// Predicted hirings → score breakpoints, `hirings:score,…`.
    #[arg(
        long,
        env = "LBA_MODEL_SCORE_SCALE",
        default_value = "0:0,0.5:20,1:40,3:60,6:80,15:100"
    )]
    pub score_scale: String,

    /// A département needs this many establishments for its own
    /// coefficients (else the national model).
    #[arg(long, env = "LBA_MODEL_MIN_PER_DEPARTEMENT", default_value_t = 30)]
    pub min_per_departement: usize,

    /// Ridge term relative to the mean diagonal of XᵀX (stability only).
    #[arg(long, env = "LBA_MODEL_RIDGE", default_value_t = 1e-6)]
    pub ridge: f64,

    /// Guard rail: highest test error on the hold-out half-year (squared error
    /// relative to predicting the mean, 1 − R²).
    #[arg(long, env = "LBA_MODEL_MAX_TEST_ERROR", default_value_t = 0.9)]
    pub max_test_error: f64,

    /// Guard rail: fewest establishments.
    #[arg(long, env = "LBA_MODEL_MIN_ESTABLISHMENTS", default_value_t = 200)]
    pub min_establishments: usize,

    /// Guard rail: highest mean absolute score change since the last published run.
    #[arg(long, env = "LBA_MODEL_MAX_SCORE_CHANGE", default_value_t = 10.0)]
    pub max_score_change: f64,

    /// Guard rail: highest share (0–1) of establishments changing star band.
    #[arg(long, env = "LBA_MODEL_MAX_BAND_CHANGE", default_value_t = 0.25)]
    pub max_band_change: f64,
}

impl ModelSettingsArgs {
    fn settings(&self) -> anyhow::Result<ModelSettings> {
        Ok(ModelSettings {
            train: TrainSettings {
                ridge: self.ridge,
                min_per_departement: self.min_per_departement,
            },
            guard: GuardRails {
                max_test_error: self.max_test_error,
                min_establishments: self.min_establishments,
                max_mean_score_change: self.max_score_change,
                max_band_change_share: self.max_band_change,
            },
            scale: ScoreScale::parse(&self.score_scale)?,
        })
    }
}

/// Flags of `lba model train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Hiring history to import first (`siret;period;hirings;apprentice_hirings`).
    #[arg(long)]
    pub history: Option<PathBuf>,

    /// Settings.
    #[command(flatten)]
    pub settings: ModelSettingsArgs,

    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `lba model evaluate`.
#[derive(Debug, Args)]
pub struct EvaluateArgs {
    /// Print the evaluation as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `lba model score`.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Publish even if the scores moved more than the drift guard rails allow
    /// (never overrides the test error or the number of establishments).
    #[arg(long)]
    pub force: bool,

    /// Settings.
    #[command(flatten)]
    pub settings: ModelSettingsArgs,

    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `lba demo hirings`.
#[derive(Debug, Args)]
pub struct DemoHiringsArgs {
    /// Number of demo establishments.
    #[arg(long, default_value_t = 5_000)]
    pub establishments: u64,

    /// Seed of every random choice.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,

    /// The hiring history file to write.
    #[arg(long)]
    pub out: PathBuf,

    /// Last half-year of the history (YYYY-S1 or YYYY-S2).
    #[arg(long, default_value = "2025-S2")]
    pub last_period: HalfYear,

    /// Number of half-years (at least 9).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(9..=40))]
    pub periods: u32,
}

/// `lba model …`.
pub async fn model(store: &Store, command: ModelCommand) -> anyhow::Result<()> {
    match command {
        ModelCommand::Train(args) => {
            let settings = args.settings.settings()?;
            if let Some(file) = &args.history {
                let progress = crate::progress::for_terminal();
                let report = lba_app::model::import_history(store, file, progress.as_ref())
                    .await
                    .with_context(|| {
                        format!(
                            "import de l'historique {} interrompu (les lots déjà écrits sont gardés ; relancer est sans danger)",
                            file.display()
                        )
                    })?;
                if !args.json {
                    print_history(&report);
                }
            }
            let report = lba_app::model::train(store, &settings)
                .await
                .context("entraînement du modèle impossible")?;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print_train(&report);
            }
        }
        ModelCommand::Evaluate(args) => {
            let (run, report) = lba_app::model::last_evaluation(store).await?;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&report.evaluation)?);
            } else {
                println!(
                    "Modèle n°{} du {}{}",
                    run.id,
                    run.created_at.format("%d/%m/%Y %H:%M"),
                    if run.published {
                        " (publié)"
                    } else {
                        " (non publié)"
                    }
                );
                print_evaluation(&report);
            }
        }
        ModelCommand::Score(args) => {
            let settings = args.settings.settings()?;
            let report = lba_app::model::score(store, &settings, args.force).await?;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print_score(&report);
            }
        }
    }
    Ok(())
}

/// `lba demo hirings`.
pub async fn demo_hirings(store: &Store, args: DemoHiringsArgs) -> anyhow::Result<()> {
    let config = DemoHiringsConfig {
        establishments: args.establishments,
        seed: args.seed,
        last_period: args.last_period,
        periods: args.periods,
    };
    let report = lba_app::model::demo::generate(store, &config, &args.out)
        .await
        .context("génération des établissements de démonstration interrompue")?;
    print_demo(&report);
    Ok(())
}

fn print_demo(r: &DemoHiringsReport) {
    let first = r.config.last_period.offset(1 - r.config.periods as i32);
    println!(
        "Établissements de démonstration (graine {}) : {} écrits{}",
        r.config.seed,
        r.establishments,
        if r.removed > 0 {
            format!(", remplacent {} anciens", r.removed)
        } else {
            String::new()
        }
    );
    println!(
        "Historique synthétique {} : {} lignes, {} embauches, de {first} à {}",
        r.file, r.rows, r.hirings, r.config.last_period
    );
}

fn print_history(r: &HistoryReport) {
    println!(
        "Historique des embauches {} : {} lignes lues, {} enregistrées, {} rejetées{}",
        r.file,
        r.read,
        r.stored,
        r.rejected,
        r.periods
            .as_ref()
            .map(|(a, b)| format!(" (de {a} à {b})"))
            .unwrap_or_default()
    );
    crate::rejects::print_rejects(&r.file, r.rejected, &r.rejects);
}

fn print_train(r: &TrainReport) {
    println!(
        "Modèle n°{} entraîné en {:.1} s sur {} établissements, historique de {} à {}",
        r.run_id,
        r.duration_ms as f64 / 1000.0,
        r.establishments,
        r.history.0,
        r.history.1
    );
    println!(
        "  modèles départementaux {} (les autres départements et {} établissements sans département : modèle national)",
        r.departement_models(),
        r.without_departement
    );
    if r.unknown_sirets > 0 {
        println!(
            "  {} lignes d'historique ignorées : SIRET absents des établissements",
            r.unknown_sirets
        );
    }
    print_evaluation(r);
    println!(
        "  prévision pour {} : {:.2} embauches en moyenne par établissement",
        r.predicted_period, r.mean_predicted
    );
    if r.violations.is_empty() {
        println!("  prêt à publier : `lba model score`");
    } else {
        println!("  ce modèle ne pourra pas être publié :");
        for v in &r.violations {
            println!("    - {v}");
        }
    }
}

fn print_evaluation(r: &TrainReport) {
    let e = &r.evaluation;
    println!(
        "Évaluation : entraînement jusqu'à {}, prévision de {} ({} établissements, {} embauches réelles)",
        e.test_period.offset(-1),
        e.test_period,
        e.establishments,
        e.actual_hirings
    );
    for v in &e.variants {
        println!(
            "  {:<28} erreur absolue moyenne {:.3}, RMSE {:.3}, erreur quadratique relative {}{}",
            v.kind.label(),
            v.mae,
            v.rmse,
            v.relative_error
                .map_or("non mesurable".to_owned(), |x| format!("{x:.3}")),
            if v.kind == e.chosen {
                "  ← retenu"
            } else {
                ""
            }
        );
    }
    println!(
        "  Part des embauches réelles captée par les X % d'établissements les mieux classés :"
    );
    let mut header = format!("  {:<28}", "classement");
    for p in &e.random {
        header.push_str(&format!("{:>7}", format!("{} %", p.top_pct)));
    }
    println!("{header}");
    let row = |label: &str, curve: &[LiftPoint]| {
        let mut line = format!("  {label:<28}");
        for p in &e.random {
            line.push_str(&format!(
                "{:>7}",
                at(curve, p.top_pct).map_or("-".to_owned(), |x| format!("{x:.1}"))
            ));
        }
        println!("{line}");
    };
    for v in &e.variants {
        row(v.kind.label(), &v.lift);
    }
    row("par effectif", &e.by_headcount);
    row("au hasard (espérance)", &e.random);
    if let Some(top) = e.chosen().and_then(|v| at(&v.lift, 10)) {
        println!(
            "  lift des 10 % premiers : ×{:.2} par rapport au hasard, ×{:.2} par rapport à l'effectif",
            top / 10.0,
            at(&e.by_headcount, 10).map_or(f64::NAN, |h| if h > 0.0 { top / h } else { f64::NAN })
        );
    }
}

fn print_score(r: &ScoreReport) {
    println!(
        "Modèle n°{} publié : {} établissements notés, {} retenus pour au moins un métier ({} couples entreprise × métier)",
        r.run_id, r.establishments, r.qualifying, r.rome_scores
    );
    if let Some(d) = &r.drift {
        println!(
            "  écart avec le modèle publié précédent : {:.1} points en moyenne, {:.0} % changent d'étoiles ({} comparés)",
            d.mean_score_change,
            100.0 * d.band_change_share,
            d.compared
        );
    }
    for v in &r.forced {
        println!("  publié malgré (--force) : {v}");
    }
    let c = &r.companies;
    println!(
        "  entreprises écrites {}, retirées {}, exclues (opposition ou liste noire) {}, gérées par une autre source {}, sans localisation {}",
        c.written, c.removed, c.excluded, c.other_source, r.unlocated
    );
    if !r.examples.is_empty() {
        println!("  les mieux notées :");
        for e in &r.examples {
            println!(
                "    {} {} ({}) : {} score {}",
                e.siret, e.name, e.city, e.rome, e.score
            );
        }
    }
}
