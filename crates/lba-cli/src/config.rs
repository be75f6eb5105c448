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
    /// Send the queued emails (applications, answers) and run the privacy
    /// purges; `lba serve` runs one too unless --no-worker.
    Worker(WorkerArgs),
    /// Campaigns to the cohort: import, create, assign, launch, send, report.
    #[command(subcommand)]
    Campaign(crate::campaign_args::CampaignCommand),
    /// Learning modules ("parcours"): check the content files.
    #[command(subcommand)]
    Modules(crate::cmd_modules::ModulesCommand),
    /// CFAs: the address of their contact requests, opt-out and opt-in.
    #[command(subcommand)]
    Cfa(crate::cmd_cfa::CfaCommand),
    /// Pro-space accounts: create the first administrator.
    #[command(subcommand)]
    Admin(crate::cmd_admin::AdminCommand),
}

/// Flags of `lba serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "LBA_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: String,

    /// Directory of the learning-module files (`*.toml`) [default: the
    /// content embedded at build time from content/modules].
    #[arg(long, env = "LBA_MODULES_DIR")]
    pub modules_dir: Option<PathBuf>,

    /// Referential data directory [default: first existing of ./data, ../shared/data].
    #[arg(long, env = "LBA_DATA_DIR")]
    pub data_dir: Option<PathBuf>,

    /// Do not run the email worker inside this process (run `lba worker`
    /// elsewhere).
    #[arg(long, env = "LBA_NO_WORKER")]
    pub no_worker: bool,

    /// Application submissions allowed per client address per minute.
    #[arg(long, env = "LBA_APPLY_RATE_LIMIT", default_value_t = 10)]
    pub apply_rate_limit: u32,

    /// Seconds a connection has to send complete request headers, from its
    /// opening and after each response (idle keep-alive timeout).
    #[arg(long, env = "LBA_HEADER_TIMEOUT_SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub header_timeout_secs: u64,

    /// Connections open at once; more wait in the backlog.
    #[arg(long, env = "LBA_MAX_CONNECTIONS", default_value_t = lba_web::ServerLimits::DEFAULT_MAX_CONNECTIONS as u32, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub max_connections: u32,

    /// Partner origins allowed to call the API's POST routes from a browser
    /// (comma-separated, e.g. https://partenaire.fr); the GET API is open to
    /// every origin.
    #[arg(long, env = "LBA_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,

    /// Snapshot file of the search index, read at start instead of the
    /// database when the data did not change since it was written (a cache
    /// of this node, never shared) [default: the SQLite file's path +
    /// `.index`, var/search-index.bin with PostgreSQL]; `off` to always
    /// build the index from the database.
    #[arg(long, env = "LBA_INDEX_SNAPSHOT")]
    pub index_snapshot: Option<String>,

    /// Email and application settings.
    #[command(flatten)]
    pub notify: NotifyArgs,
}

impl ServeArgs {
    /// Where the search index snapshot is kept for `database_url`, if
    /// anywhere.
    pub fn index_snapshot(&self, database_url: &str) -> Option<PathBuf> {
        match self.index_snapshot.as_deref().map(str::trim) {
            Some("off") => None,
            Some(path) if !path.is_empty() => Some(PathBuf::from(path)),
            _ if database_url.starts_with("postgres") => {
                Some(PathBuf::from("var/search-index.bin"))
            }
            _ => {
                let file = database_url
                    .strip_prefix("sqlite://")
                    .or_else(|| database_url.strip_prefix("sqlite:"))
                    .unwrap_or(database_url);
                let file = file.split('?').next().unwrap_or(file);
                (!file.is_empty() && !file.contains(":memory:"))
                    .then(|| PathBuf::from(format!("{file}.index")))
            }
        }
    }
}

/// Flags of `lba worker`.
#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// Email and application settings.
    #[command(flatten)]
    pub notify: NotifyArgs,
}

/// Outgoing email and signed links, shared by `lba serve` and `lba worker`.
#[derive(Clone, Args)]
pub struct NotifyArgs {
    /// SMTP server: smtp://[USER:PASSWORD@]HOST[:PORT][?tls=none|starttls|tls]
    /// (smtps:// for implicit TLS). Unset: emails are written to --mail-dir.
    #[arg(long, env = "LBA_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// Sender of every email.
    #[arg(
        long,
        env = "LBA_MAIL_FROM",
        default_value = "La bonne alternance <ne-pas-repondre@labonnealternance.local>"
    )]
    pub mail_from: String,

    /// Address shown in the footer of emails for questions.
    #[arg(
        long,
        env = "LBA_MAIL_CONTACT",
        default_value = "contact@labonnealternance.local"
    )]
    pub mail_contact: String,

    /// Folder where emails are written as .eml files when no SMTP server is set.
    #[arg(long, env = "LBA_MAIL_DIR", default_value = "var/mail")]
    pub mail_dir: PathBuf,

    /// Key of signed links (HMAC-SHA256). Unset: generated once and kept in
    /// the database.
    #[arg(long, env = "LBA_LINK_SECRET", hide_env_values = true)]
    pub link_secret: Option<String>,

    /// Base URL of the links in emails.
    #[arg(long, env = "LBA_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
    pub public_url: String,

    /// host:port of a ClamAV daemon: CVs are scanned before sending.
    #[arg(long, env = "LBA_CLAMAV_ADDR")]
    pub clamav_addr: Option<String>,

    /// Pause of the worker when idle, in milliseconds.
    #[arg(long, env = "LBA_WORKER_POLL_MS", default_value_t = 2_000)]
    pub worker_poll_ms: u64,

    /// Jobs the worker claims per round.
    #[arg(long, env = "LBA_WORKER_BATCH", default_value_t = 128)]
    pub worker_batch: i64,

    /// Jobs of a round the worker processes at once (messages in flight;
    /// also the number of idle SMTP connections kept).
    #[arg(long, env = "LBA_WORKER_CONCURRENCY", default_value_t = 16)]
    pub worker_concurrency: u16,

    /// How long a claimed job is held before another worker may take it
    /// again (after a crash), in seconds.
    #[arg(long, env = "LBA_WORKER_LEASE_SECS", default_value_t = 300)]
    pub worker_lease_secs: i64,

    /// First retry delay after a temporary SMTP failure, in seconds (doubled
    /// at each attempt, at most one hour).
    #[arg(long, env = "LBA_MAIL_RETRY_SECS", default_value_t = 30)]
    pub mail_retry_secs: i64,

    /// Attempts before a temporary failure becomes definitive.
    #[arg(long, env = "LBA_MAIL_MAX_ATTEMPTS", default_value_t = 8)]
    pub mail_max_attempts: i64,

    /// Base URL of the SMS gateway of campaigns (Brevo-like transactional SMS
    /// API, e.g. https://api.brevo.com). Unset: campaign SMS wait.
    #[arg(long, env = "LBA_SMS_API_URL")]
    pub sms_api_url: Option<String>,

    /// API key of the SMS gateway (`api-key` header).
    #[arg(long, env = "LBA_SMS_API_KEY", hide_env_values = true)]
    pub sms_api_key: Option<String>,

    /// Sender name of campaign SMS (11 characters at most).
    #[arg(long, env = "LBA_SMS_SENDER", default_value = "LBA")]
    pub sms_sender: String,

    /// Secret that delivery providers' webhook calls carry in the
    /// X-Webhook-Secret header. Unset: POST /api/webhooks/messages answers 503.
    #[arg(long, env = "LBA_WEBHOOK_SECRET", hide_env_values = true)]
    pub webhook_secret: Option<String>,
}

/// Secrets stay out of debug output.
impl std::fmt::Debug for NotifyArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NotifyArgs")
            .field("smtp_url", &self.smtp_url.as_ref().map(|_| "***"))
            .field("mail_from", &self.mail_from)
            .field("mail_dir", &self.mail_dir)
            .field("link_secret", &self.link_secret.as_ref().map(|_| "***"))
            .field("public_url", &self.public_url)
            .field("clamav_addr", &self.clamav_addr)
            .field("sms_api_url", &self.sms_api_url)
            .field("sms_api_key", &self.sms_api_key.as_ref().map(|_| "***"))
            .field("sms_sender", &self.sms_sender)
            .field(
                "webhook_secret",
                &self.webhook_secret.as_ref().map(|_| "***"),
            )
            .finish_non_exhaustive()
    }
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
    /// Write a generated cohort export (the `lba campaign import-cohort` format).
    Cohort(crate::campaign_args::DemoCohortArgs),
    /// Write outcomes for a campaign's people drawn with a known true
    /// effect per arm (the `lba campaign import-outcomes` format).
    Outcomes(crate::campaign_args::DemoOutcomesArgs),
    /// Write demo establishments (SIRET 998…) and a synthetic hiring
    /// history file for the model.
    Hirings(crate::cmd_model::DemoHiringsArgs),
    /// Write a generated "companies likely to hire" file in the real format
    /// (for benchmarks; needs the referentials imported).
    CompaniesFile(DemoCompaniesFileArgs),
    /// A local SMS gateway for the local run and the tests only (never in
    /// production): speaks the protocol of the real gateway, writes each
    /// SMS as one JSON file in a folder. Point the worker at it with
    /// LBA_SMS_API_URL=http://127.0.0.1:9099 LBA_SMS_API_KEY=demo.
    SmsGateway(crate::cmd_sms_gateway::SmsGatewayArgs),
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

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    fn snapshot(database_url: &str, flag: Option<&str>) -> Option<PathBuf> {
        let mut args = vec!["lba", "serve"];
        if let Some(flag) = flag {
            args.extend(["--index-snapshot", flag]);
        }
        match Cli::try_parse_from(args).unwrap().command {
            Command::Serve(serve) => serve.index_snapshot(database_url),
            _ => unreachable!("parsed as serve"),
        }
    }

    #[test]
    fn the_index_snapshot_sits_beside_the_database_unless_told() {
        let beside = |url| snapshot(url, None);
        assert_eq!(beside("var/lba.db"), Some("var/lba.db.index".into()));
        assert_eq!(
            beside("sqlite:///tmp/a.db?mode=rwc"),
            Some("/tmp/a.db.index".into())
        );
        assert_eq!(beside("sqlite::memory:"), None);
        assert_eq!(
            beside("postgres://u@h/db"),
            Some("var/search-index.bin".into())
        );
        assert_eq!(snapshot("var/lba.db", Some("off")), None);
        assert_eq!(
            snapshot("postgres://u@h/db", Some("/srv/index")),
            Some("/srv/index".into())
        );
    }
}
