//! `lba modules check`: validates the learning-module content files.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use lba_learning::{Kind, check_files};

/// `lba modules …`.
#[derive(Debug, Subcommand)]
pub enum ModulesCommand {
    /// Check every module file (format, situations, branching, links,
    /// typography, readability); exits non-zero on any problem.
    Check(CheckArgs),
}

/// Flags of `lba modules check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Directory of the `*.toml` module files [default: ./content/modules
    /// when it exists, else the content embedded in this binary].
    #[arg(long, env = "LBA_MODULES_DIR")]
    pub dir: Option<PathBuf>,
}

pub fn run(command: &ModulesCommand) -> anyhow::Result<()> {
    match command {
        ModulesCommand::Check(args) => check(args),
    }
}

fn check(args: &CheckArgs) -> anyhow::Result<()> {
    let default = Path::new("content/modules");
    let (source, files) = match &args.dir {
        Some(dir) => (dir.display().to_string(), lba_learning::read_dir(dir)?),
        None if default.is_dir() => (
            default.display().to_string(),
            lba_learning::read_dir(default)?,
        ),
        None => (
            "contenu intégré au binaire".to_owned(),
            lba_learning::embedded_files(),
        ),
    };
    println!("modules : {source}");
    let (modules, problems) = check_files(&files);
    for module in &modules {
        let remediations = module
            .situations
            .iter()
            .filter(|s| s.kind == Kind::Remediation)
            .count();
        println!(
            "{:<20} version {:<3} {:>2} situations principales, {} de remédiation, {} réponses, {} points à retenir, {} liens, {} sources",
            module.id,
            module.version,
            module.main_situations(),
            remediations,
            module.answers(),
            module.takeaways.len(),
            module.next_steps.len(),
            module.sources.len()
        );
    }
    if files.is_empty() {
        anyhow::bail!("aucun fichier de module (*.toml) dans {source}");
    }
    if !problems.is_empty() {
        for problem in &problems {
            eprintln!("erreur : {problem}");
        }
        anyhow::bail!("{} erreur(s) dans le contenu des modules", problems.len());
    }
    println!("{} module(s) valides", modules.len());
    Ok(())
}
