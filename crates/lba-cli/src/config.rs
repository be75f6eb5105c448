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
    /// Keep a company out of the search, or let it back in.
    #[command(subcommand)]
    Company(CompanyCommand),
    /// The hiring-potential model: train, evaluate, publish the scores.
    #[command(subcommand)]
    Model(crate::cmd_model::ModelCommand),
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
    /// Import France Travail apprenticeship offers: a saved file, or the
    /// "Offres d'emploi v2" API (--from-api).
    Offers(crate::cmd_offers::ImportOffersArgs),
    /// Import the "companies likely to hire" file (JSON array or NDJSON of
    /// recruteurs-lba records); it replaces the previous one.
    Companies(ImportFileArgs),
    /// Import the SIRENE establishment stock (StockEtablissement CSV).
    Sirene(ImportFileArgs),
}

/// Flags of `lba import companies` and `lba import sirene`.
#[derive(Debug, Args)]
pub struct ImportFileArgs {
    /// The file to import.
    #[arg(long)]
    pub file: PathBuf,

    /// Print the full report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `lba company …`.
#[derive(Debug, Subcommand)]
pub enum CompanyCommand {
    /// Keep a company out of the search (and delete it now); no import
    /// brings it back.
    Exclude(CompanyExcludeArgs),
    /// Let an excluded company back in (the next import may bring it back).
    Include(CompanyIncludeArgs),
}

/// Why a company is excluded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExclusionArg {
    /// The company asked to leave.
    OptOut,
    /// The team removed it.
    Blacklist,
}

/// Flags of `lba company exclude`.
#[derive(Debug, Args)]
pub struct CompanyExcludeArgs {
    /// The establishment's SIRET (14 digits).
    #[arg(long)]
    pub siret: String,

    /// Why.
    #[arg(long, value_enum)]
    pub reason: ExclusionArg,
}

/// Flags of `lba company include`.
#[derive(Debug, Args)]
pub struct CompanyIncludeArgs {
    /// The establishment's SIRET (14 digits).
    #[arg(long)]
    pub siret: String,
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
    /// Write demo establishments (SIRET 998…) and a synthetic hiring
    /// history file for the model.
    Hirings(crate::cmd_model::DemoHiringsArgs),
    /// Write a generated "companies likely to hire" file in the real format
    /// (for benchmarks; needs the referentials imported).
    CompaniesFile(DemoCompaniesFileArgs),
}

/// Flags of `lba demo companies-file`.
#[derive(Debug, Args)]
pub struct DemoCompaniesFileArgs {
    /// Number of companies.
    #[arg(long, default_value_t = 1_000_000)]
    pub count: u64,

    /// Seed of every random choice.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,

    /// The file to write.
    #[arg(long)]
    pub out: PathBuf,
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
