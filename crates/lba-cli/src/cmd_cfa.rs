//! `lba cfa …`: what an administrator sets for a CFA's contact requests
//! (issue 17): its contact address, and opting it out of (or back into)
//! the requests.

use clap::{Args, Subcommand};
use lba_app::Store;

/// `lba cfa …`.
#[derive(Debug, Subcommand)]
pub enum CfaCommand {
    /// Set the address that receives the contact requests of a CFA
    /// (overrides the catalogue's; lifts a suspension after a bounce).
    ContactEmail(ContactEmailArgs),
    /// Stop the contact requests of a CFA: its courses show the phone and
    /// the address instead of the form.
    OptOut(UaiArgs),
    /// Accept contact requests again.
    OptIn(UaiArgs),
}

/// Flags of `lba cfa contact-email`.
#[derive(Debug, Args)]
pub struct ContactEmailArgs {
    /// UAI of the CFA (7 digits and its check letter).
    #[arg(long)]
    pub uai: String,
    /// Contact address.
    #[arg(long)]
    pub email: String,
}

/// Flags naming a CFA.
#[derive(Debug, Args)]
pub struct UaiArgs {
    /// UAI of the CFA (7 digits and its check letter).
    #[arg(long)]
    pub uai: String,
}

pub async fn run(store: &Store, command: &CfaCommand) -> anyhow::Result<()> {
    let now = chrono::Utc::now();
    use lba_app::appointments::{set_contact_email, set_opted_out};
    let (outcome, done) = match command {
        CfaCommand::ContactEmail(a) => (
            set_contact_email(store, &a.uai, &a.email, now).await?,
            format!(
                "CFA {} : les demandes de contact iront à {}",
                a.uai.trim().to_uppercase(),
                a.email.trim()
            ),
        ),
        CfaCommand::OptOut(a) => (
            set_opted_out(store, &a.uai, true, now).await?,
            format!(
                "CFA {} : ne reçoit plus de demandes de contact",
                a.uai.trim().to_uppercase()
            ),
        ),
        CfaCommand::OptIn(a) => (
            set_opted_out(store, &a.uai, false, now).await?,
            format!(
                "CFA {} : reçoit de nouveau les demandes de contact",
                a.uai.trim().to_uppercase()
            ),
        ),
    };
    match outcome {
        Ok(()) => {
            println!("{done}");
            Ok(())
        }
        Err(message) => anyhow::bail!(message),
    }
}
