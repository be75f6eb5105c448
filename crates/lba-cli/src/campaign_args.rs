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
    /// Create a draft campaign from a JSON specification.
    Create(SpecArgs),
    /// Replace the specification of a draft campaign.
    Update(UpdateArgs),
    /// List the campaigns, newest first.
    List(JsonArgs),
    /// Show a campaign: status, arms with their sizes and minimum detectable effect.
    Show(IdArgs),
    /// Assign every targeted person to an arm (stored before anything is sent).
    Assign(IdArgs),
    /// Render the texts of an arm for one person (SMS length and parts).
    Preview(PreviewArgs),
    /// Render and enqueue every message (assigns first when needed).
    Launch(LaunchArgs),
    /// Pause a launched campaign.
    Pause(PauseArgs),
    /// Resume a paused campaign.
    Resume(IdArgs),
    /// End a launched or paused campaign (messages not sent yet are skipped).
    Finish(IdArgs),
    /// Report per arm: targeted, sent, delivered, clicked, applications…
    Report(IdArgs),
    /// Import an outcomes file (one dated event per row: contrat_signe,
    /// inscrit_cfa, voeu_accepte, voeu_refuse, abandon); idempotent.
    ImportOutcomes(ImportOutcomesArgs),
    /// The cohort dashboard: funnel per arm, contracts per week, effect of
    /// each variant on "contract signed by D" with 95 % intervals.
    Impact(ImpactArgs),
    /// Check the estimators on synthetic cohorts with a known effect:
    /// coverage of the 95 % intervals, bias, detection.
    SimulateImpact(SimulateImpactArgs),
}

/// The source of an outcomes file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutcomeSourceArg {
    /// Parcoursup.
    Parcoursup,
    /// Affelnet.
    Affelnet,
    /// The apprenticeship contracts registry.
    Contrats,
}

impl From<OutcomeSourceArg> for lba_campaign::outcome::OutcomeSource {
    fn from(source: OutcomeSourceArg) -> Self {
        match source {
            OutcomeSourceArg::Parcoursup => Self::Parcoursup,
            OutcomeSourceArg::Affelnet => Self::Affelnet,
            OutcomeSourceArg::Contrats => Self::Contrats,
        }
    }
}

/// Flags of `lba campaign import-outcomes`.
#[derive(Debug, Args)]
pub struct ImportOutcomesArgs {
    /// The file (CSV, `;` or `,`, UTF-8 or Latin-1; columns in the README).
    #[arg(long)]
    pub file: PathBuf,

    /// Where it comes from.
    #[arg(long, value_enum)]
    pub source: OutcomeSourceArg,

    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `lba campaign impact`.
#[derive(Debug, Args)]
pub struct ImpactArgs {
    /// Campaign id.
    #[arg(long)]
    pub id: String,

    /// The outcome is "a contract signed by this date" (YYYY-MM-DD) [default: today].
    #[arg(long)]
    pub date: Option<NaiveDate>,

    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `lba campaign simulate-impact`.
#[derive(Debug, Args)]
pub struct SimulateImpactArgs {
    /// People per synthetic cohort.
    #[arg(long, default_value_t = 20_000)]
    pub people: u32,

    /// Contract rate without a message.
    #[arg(long, default_value_t = 0.30)]
    pub base_rate: f64,

    /// True effect of the message (absolute, 0.03 = 3 points).
    #[arg(long, default_value_t = 0.03)]
    pub effect: f64,

    /// Cohorts drawn.
    #[arg(long, default_value_t = 200)]
    pub runs: u32,

    /// Seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,

    /// Share of the control arm in percent.
    #[arg(long, default_value_t = 50)]
    pub control_share: u32,

    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `lba demo outcomes`.
#[derive(Debug, Args)]
pub struct DemoOutcomesArgs {
    /// Campaign whose people get outcomes.
    #[arg(long)]
    pub campaign: String,

    /// Contract rate of the control arm.
    #[arg(long, default_value_t = 0.30)]
    pub base_rate: f64,

    /// True effect per arm: `cfa=0.03,entreprises=0.05` (arms not listed: 0).
    #[arg(long, default_value = "")]
    pub effect: String,

    /// Seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,

    /// First day of the spread (YYYY-MM-DD) [default: the launch].
    #[arg(long)]
    pub from: Option<NaiveDate>,

    /// The file to write.
    #[arg(long)]
    pub out: PathBuf,

    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `--json`.
#[derive(Debug, Args)]
pub struct JsonArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `--spec FILE`.
#[derive(Debug, Args)]
pub struct SpecArgs {
    /// The specification (JSON, see docs/campagne-exemple.json).
    #[arg(long)]
    pub spec: PathBuf,

    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `--id ID --spec FILE`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// Campaign id.
    #[arg(long)]
    pub id: String,

    /// The specification (JSON).
    #[arg(long)]
    pub spec: PathBuf,
}

/// `--id ID`.
#[derive(Debug, Args)]
pub struct IdArgs {
    /// Campaign id.
    #[arg(long)]
    pub id: String,

    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Where tracked links point and the key of their codes.
#[derive(Args)]
pub struct LinkArgs {
    /// Key of signed links (HMAC-SHA256). Unset: generated once and kept in
    /// the database (the same as `lba serve` and `lba worker`).
    #[arg(long, env = "LBA_LINK_SECRET", hide_env_values = true)]
    pub link_secret: Option<String>,

    /// Base URL of the links in messages.
    #[arg(long, env = "LBA_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
    pub public_url: String,
}

impl std::fmt::Debug for LinkArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LinkArgs")
            .field("link_secret", &self.link_secret.as_ref().map(|_| "***"))
            .field("public_url", &self.public_url)
            .finish()
    }
}

/// Flags of `lba campaign preview`.
#[derive(Debug, Args)]
pub struct PreviewArgs {
    /// Campaign id.
    #[arg(long)]
    pub id: String,

    /// Person id (`parcoursup:123`); see `lba campaign show`.
    #[arg(long)]
    pub person: String,

    /// Arm [default: the first variant].
    #[arg(long)]
    pub arm: Option<String>,

    /// Print JSON.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub links: LinkArgs,
}

/// Flags of `lba campaign launch`.
#[derive(Debug, Args)]
pub struct LaunchArgs {
    /// Campaign id.
    #[arg(long)]
    pub id: String,

    /// Print JSON.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub links: LinkArgs,
}

/// Flags of `lba campaign pause`.
#[derive(Debug, Args)]
pub struct PauseArgs {
    /// Campaign id.
    #[arg(long)]
    pub id: String,

    /// Why (shown to operators).
    #[arg(long, default_value = "")]
    pub reason: String,
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
