//! `lba import offers`: France Travail offers from a saved file or from the
//! "Offres d'emploi v2" API. Its flags live here (beside the command) rather
//! than in config.rs, so that parallel work on config.rs merges cleanly.

use std::path::PathBuf;

use anyhow::Context;
use clap::{ArgGroup, Args};
use lba_app::france_travail::{
    DEFAULT_API_URL, DEFAULT_SCOPE, DEFAULT_TOKEN_URL, FtClient, FtSettings, MAX_PER_DEPARTEMENT,
    Secret,
};
use lba_app::offers::OffersReport;

/// Flags of `lba import offers`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("source").required(true).args(["file", "from_api"])))]
pub struct ImportOffersArgs {
    /// A saved file: JSON array of offers, a search response
    /// {"resultats": [...]}, or one offer per line (NDJSON).
    #[arg(long)]
    pub file: Option<PathBuf>,

    /// Fetch the offers from the France Travail API (apprentissage and
    /// professionnalisation), département by département.
    #[arg(long)]
    pub from_api: bool,

    /// With --from-api: only this département (repeatable) [default: every
    /// département of the referentials]. With --full, only the offers of
    /// these départements are closed.
    #[arg(long = "departement", value_name = "CODE", requires = "from_api")]
    pub departements: Vec<String>,

    /// Full import: close the France Travail offers absent from the data
    /// (never demo or platform offers).
    #[arg(long)]
    pub full: bool,

    /// Print the full report as JSON.
    #[arg(long)]
    pub json: bool,

    /// Base URL of the "Offres d'emploi v2" API.
    #[arg(long, env = "LBA_FT_API_URL", default_value = DEFAULT_API_URL)]
    pub ft_api_url: String,

    /// OAuth2 token URL.
    #[arg(long, env = "LBA_FT_TOKEN_URL", default_value = DEFAULT_TOKEN_URL)]
    pub ft_token_url: String,

    /// OAuth2 client id (francetravail.io application).
    #[arg(long, env = "LBA_FT_CLIENT_ID", hide_env_values = true)]
    pub ft_client_id: Option<String>,

    /// OAuth2 client secret (prefer the environment variable: a flag is
    /// visible in the process list).
    #[arg(long, env = "LBA_FT_CLIENT_SECRET", hide_env_values = true)]
    pub ft_client_secret: Option<String>,

    /// OAuth2 scope.
    #[arg(long, env = "LBA_FT_SCOPE", default_value = DEFAULT_SCOPE)]
    pub ft_scope: String,

    /// Offers fetched per département at most (the API serves 3,000).
    #[arg(long, env = "LBA_FT_MAX_PER_DEPARTEMENT", default_value_t = MAX_PER_DEPARTEMENT)]
    pub ft_max_per_departement: u32,
}

impl ImportOffersArgs {
    /// The client settings, or a French error naming the missing one.
    fn settings(&self) -> anyhow::Result<FtSettings> {
        let present = |value: &Option<String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let client_id = present(&self.ft_client_id).context(
            "identifiant client France Travail manquant : --ft-client-id ou LBA_FT_CLIENT_ID",
        )?;
        let secret = present(&self.ft_client_secret).context(
            "secret client France Travail manquant : LBA_FT_CLIENT_SECRET (ou --ft-client-secret)",
        )?;
        let mut settings = FtSettings::new(client_id, Secret::new(secret));
        settings.api_base_url = self.ft_api_url.clone();
        settings.token_url = self.ft_token_url.clone();
        settings.scope = self.ft_scope.clone();
        settings.departements = self.departements.clone();
        settings.max_per_departement = self.ft_max_per_departement;
        Ok(settings)
    }
}

/// Runs `lba import offers`.
pub async fn import_offers(database_url: &str, args: ImportOffersArgs) -> anyhow::Result<()> {
    // Settings first: a missing credential fails before touching the database.
    let client = if args.from_api {
        Some(FtClient::new(args.settings()?)?)
    } else {
        None
    };
    let store = crate::open_store(database_url).await?;
    // Offers without a ROME code get the classifier's confident guess.
    let classifier = lba_app::classifier::load(&store).await?;
    let classifier = Some(&classifier as &dyn lba_app::offers::RomeClassifier);
    let progress = crate::progress::for_terminal();
    let report = match (&client, &args.file) {
        (Some(client), _) => {
            lba_app::offers::import_api(&store, client, args.full, classifier, progress.as_ref())
                .await
                .context(
                    "import des offres France Travail interrompu (les lots déjà écrits sont gardés, rien n'a été fermé ; relancer est sans danger)",
                )?
        }
        (None, Some(file)) => {
            lba_app::offers::import_file(&store, file, args.full, classifier, progress.as_ref())
                .await
                .with_context(|| {
                    format!(
                        "import des offres {} interrompu (les lots déjà écrits sont gardés, rien n'a été fermé ; relancer est sans danger)",
                        file.display()
                    )
                })?
        }
        (None, None) => anyhow::bail!("indiquer --file FICHIER ou --from-api"),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&report, args.from_api);
    }
    Ok(())
}

fn print_report(report: &OffersReport, from_api: bool) {
    println!(
        "Offres France Travail importées depuis {}{} en {:.1} s",
        report.source,
        if report.full { " (import complet)" } else { "" },
        report.duration_ms as f64 / 1000.0
    );
    println!("  lues                     {:>9}", report.read);
    println!("  créées                   {:>9}", report.created);
    println!("  mises à jour             {:>9}", report.updated);
    println!("  inchangées               {:>9}", report.unchanged);
    println!("  fermées                  {:>9}", report.closed);
    println!("  rejetées                 {:>9}", report.rejected);
    println!(
        "  localisées par la commune {:>8}, code ROME déduit de l'intitulé {}",
        report.located_by_commune, report.rome_from_title
    );
    if let Some(reason) = &report.full_refused {
        println!("  import complet sans fermeture : {reason}");
    }
    for d in &report.departements {
        let total = d.total.map_or_else(String::new, |t| format!(" sur {t}"));
        let cut = if d.truncated {
            " (plafond atteint)"
        } else {
            ""
        };
        println!(
            "      département {:<4} {:>6} reçues{total}{cut}",
            d.departement, d.received
        );
    }
    for rejected in &report.rejects {
        let place = if from_api {
            format!("offre n° {}", rejected.line)
        } else {
            format!("{}:{}", report.source, rejected.line)
        };
        println!(
            "      {place}: champ `{}` : {}",
            rejected.field, rejected.reason
        );
    }
    if report.rejected > report.rejects.len() as u64 {
        println!(
            "      … et {} autres",
            report.rejected - report.rejects.len() as u64
        );
    }
}
