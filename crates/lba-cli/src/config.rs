//! Command-line flags and their `LBA_*` environment variables: the one
//! place where settings are read.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// La bonne alternance: apprenticeship courses, offers and companies near you.
#[derive(Debug, Parser)]
#[command(name = "lba", version, about, long_about = None)]
pub struct Cli {
    /// Database: a SQLite file path (or sqlite://PATH), or postgres://USER@HOST/DB.
    #[arg(
        long,
        global = true,
        env = "LBA_DATABASE_URL",
        default_value = "var/lba.db",
        hide_env_values = true
    )]
    pub database_url: String,

    /// Log filter (tracing syntax: info, debug, lba_store=debug…).
    #[arg(long, global = true, env = "LBA_LOG", default_value = "info,sqlx=warn")]
    pub log: String,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server (on an empty database, imports the referentials and
    /// generates the local demo data first).
    Serve(ServeArgs),
    /// Apply pending database migrations.
    Migrate,
    /// Import data into the database.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Count every stored kind.
    Status(StatusArgs),
    /// Generate or remove demo data (courses, offers, companies).
    #[command(subcommand)]
    Demo(DemoCommand),
    /// Campaigns to the cohort: import, create, assign, launch, send, report.
    #[command(subcommand)]
    Campaign(crate::campaign_args::CampaignCommand),
}

/// Flags of `lba serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "LBA_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: String,

    /// Referential data directory [default: first existing of ./data, ../shared/data].
    #[arg(long, env = "LBA_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
}

/// `lba import …`.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import every referential file (ROME, communes, NAF, diplomas, CFAs).
    Referentials(ImportReferentialsArgs),
    /// Import the training catalogue (JSON array or NDJSON of the national catalogue).
    Catalogue(ImportCatalogueArgs),
}

/// Flags of `lba import catalogue`.
#[derive(Debug, Args)]
pub struct ImportCatalogueArgs {
    /// The catalogue file (JSON array or one JSON object per line).
    #[arg(long)]
    pub file: PathBuf,

    /// Full import: unpublish the (non-demo) courses absent from the file.
    #[arg(long)]
    pub full: bool,

    /// Print the full report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `lba import referentials`.
#[derive(Debug, Args)]
pub struct ImportReferentialsArgs {
    /// Referential data directory [default: first existing of ./data, ../shared/data].
    #[arg(long, env = "LBA_DATA_DIR")]
    pub data_dir: Option<PathBuf>,

    /// Print the full report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `lba status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// `lba demo …`.
#[derive(Debug, Subcommand)]
pub enum DemoCommand {
    /// Replace the demo records with a generated set. Records are identical
    /// for the same scale, seed and reference date.
    Generate(DemoGenerateArgs),
    /// Remove every demo record (real records are kept).
    Clear,
    /// Write a generated cohort export (the `lba campaign import-cohort` format).
    Cohort(crate::campaign_args::DemoCohortArgs),
}

/// Size of the demo data set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ScaleArg {
    /// 3,000 courses, 6,000 offers, 20,000 companies (seconds).
    Local,
    /// 60,000 courses, 300,000 offers, 1,000,000 companies (minutes).
    National,
}

impl From<ScaleArg> for lba_app::demo::Scale {
    fn from(scale: ScaleArg) -> Self {
        match scale {
            ScaleArg::Local => Self::Local,
            ScaleArg::National => Self::National,
        }
    }
}

/// Flags of `lba demo generate`.
#[derive(Debug, Args)]
pub struct DemoGenerateArgs {
    /// How much data.
    #[arg(long, value_enum, default_value = "local")]
    pub scale: ScaleArg,

    /// Seed of every random choice.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,

    /// The day the data is "as of" (YYYY-MM-DD): courses start in its
    /// September, offers are published in the 60 days before it [default: today].
    #[arg(long)]
    pub reference_date: Option<NaiveDate>,

    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}
