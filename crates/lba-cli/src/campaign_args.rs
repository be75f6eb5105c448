//! Flags of `lba campaign …` and `lba demo cohort`, with their `LBA_*`
//! environment variables.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};

/// `lba campaign …`.
#[derive(Debug, Subcommand)]
pub enum CampaignCommand {
    /// Import a cohort export (Parcoursup or Affelnet, one row per wish).
    ImportCohort(ImportCohortArgs),
}

/// The platform of a cohort export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SourceArg {
    /// Parcoursup.
    Parcoursup,
    /// Affelnet.
    Affelnet,
}

impl From<SourceArg> for lba_campaign::Source {
    fn from(source: SourceArg) -> Self {
        match source {
            SourceArg::Parcoursup => Self::Parcoursup,
            SourceArg::Affelnet => Self::Affelnet,
        }
    }
}

/// Flags of `lba campaign import-cohort`.
#[derive(Debug, Args)]
pub struct ImportCohortArgs {
    /// The export (CSV, `;` or `,`, UTF-8 or Latin-1; columns in the README).
    #[arg(long)]
    pub file: PathBuf,

    /// The platform it comes from.
    #[arg(long, value_enum)]
    pub source: SourceArg,

    /// Print the full report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `lba demo cohort`.
#[derive(Debug, Args)]
pub struct DemoCohortArgs {
    /// Candidates (rows are about twice as many).
    #[arg(long, default_value_t = 20_000)]
    pub candidates: u64,

    /// Seed of every random choice.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,

    /// The file to write.
    #[arg(long)]
    pub out: PathBuf,

    /// The day ages are computed at (YYYY-MM-DD) [default: today].
    #[arg(long)]
    pub reference_date: Option<NaiveDate>,

    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}
