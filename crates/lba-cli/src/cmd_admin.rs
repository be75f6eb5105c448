//! `lba admin …`: the pro space's accounts from the command line —
//! `create` bootstraps the first administrator (issue 19), who then signs
//! in at `/pro/connexion` with a magic link and manages the others from
//! `/pro/admin/comptes`.

use clap::{Args, Subcommand};
use lba_app::Store;
use lba_core::pro::Role;

/// `lba admin …`.
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an account (an administrator by default).
    Create(CreateArgs),
}

/// Flags of `lba admin create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Email address of the account (its sign-in address).
    #[arg(long)]
    pub email: String,
    /// Role: admin or opco.
    #[arg(long, default_value = "admin")]
    pub role: String,
    /// The OPCO of an `opco` account.
    #[arg(long)]
    pub opco: Option<String>,
}

pub async fn run(store: &Store, command: &AdminCommand) -> anyhow::Result<()> {
    match command {
        AdminCommand::Create(a) => {
            let role = match a.role.as_str() {
                "admin" => Role::Admin,
                "opco" => Role::Opco,
                other => anyhow::bail!("--role {other} : choisissez admin ou opco"),
            };
            let created = lba_app::pro::auth::create_account(
                store,
                &a.email,
                role,
                "",
                "",
                a.opco.as_deref(),
                "cli",
                chrono::Utc::now(),
            )
            .await
            .map_err(|e| match e {
                lba_app::pro::ProError::Fields(f) => anyhow::anyhow!(
                    "--email : {}",
                    f.into_iter().map(|x| x.1).collect::<Vec<_>>().join(" ")
                ),
                e => anyhow::anyhow!(e),
            })?;
            if created {
                println!(
                    "Compte {} créé : connectez-vous sur /pro/connexion avec cette adresse.",
                    role.label_fr()
                );
            } else {
                println!("Cette adresse a déjà un compte : rien n'a changé.");
            }
        }
    }
    Ok(())
}

/// Says once at start that the old shared operator secret is no longer
/// read (the operator pages are the `admin` role's now).
pub fn warn_if_old_secret() {
    if std::env::var_os("LBA_OPERATOR_SECRET").is_some() {
        tracing::warn!(
            "LBA_OPERATOR_SECRET is no longer read: the operator pages belong to the pro space's \
             admin role; create an account with `lba admin create --email …` (see the README)"
        );
    }
}
