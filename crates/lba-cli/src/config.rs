//! Command-line flags and their `LBA_*` environment variables: the one
//! place where settings are read.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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
    /// Run the HTTP server (imports the referentials first on an empty database).
    Serve(ServeArgs),
    /// Apply pending database migrations.
    Migrate,
    /// Import data into the database.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Count every stored kind.
    Status(StatusArgs),
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
