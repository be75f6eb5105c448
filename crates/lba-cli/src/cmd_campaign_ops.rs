//! `lba campaign create|update|list|show|assign|preview|launch|pause|resume|report`.

use std::path::Path;

use anyhow::{Context, bail};
use chrono::Utc;
use lba_app::campaigns::{self, CampaignError, ContentConfig};
use lba_campaign::CampaignSpec;
use lba_store::Store;

use crate::campaign_args::{CampaignCommand, LinkArgs};

/// Runs one campaign subcommand (all but `import-cohort`).
pub async fn run(store: &Store, command: CampaignCommand) -> anyhow::Result<()> {
    let now = Utc::now();
    match command {
        CampaignCommand::ImportCohort(_)
        | CampaignCommand::ImportOutcomes(_)
        | CampaignCommand::Impact(_)
        | CampaignCommand::SimulateImpact(_) => bail!("commande traitée ailleurs"),
        CampaignCommand::Create(args) => {
            let spec = read_spec(&args.spec)?;
            let id = campaigns::create(store, &spec, now)
                .await
                .map_err(|e| in_file(&args.spec, e))?;
            if args.json {
                println!("{}", serde_json::json!({ "id": id }));
            } else {
                println!("Campagne créée : {id} (brouillon)");
                println!("  suite : lba campaign show --id {id}");
            }
        }
        CampaignCommand::Update(args) => {
            let spec = read_spec(&args.spec)?;
            campaigns::update(store, &args.id, &spec, now)
                .await
                .map_err(|e| in_file(&args.spec, e))?;
            println!("Campagne {} modifiée", args.id);
        }
        CampaignCommand::List(args) => {
            let list = store.campaigns().await?;
            if args.json {
                let rows: Vec<_> = list
                    .iter()
                    .map(|c| {
                        serde_json::json!({
                            "id": c.id, "name": c.name, "status": c.status,
                            "created_at": c.created_at, "launched_at": c.launched_at,
                        })
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&rows)?);
                return Ok(());
            }
            if list.is_empty() {
                println!("Aucune campagne (lba campaign create --spec FICHIER.json)");
            }
            for c in list {
                println!(
                    "{:<16} {:<15} {}  {}",
                    c.id,
                    c.status.label(),
                    c.created_at.format("%Y-%m-%d %H:%M"),
                    c.name
                );
            }
        }
        CampaignCommand::Show(args) => show(store, &args.id, args.json).await?,
        CampaignCommand::Assign(args) => {
            let key = content_config(store, &LinkArgs::default_from_env()).await?;
            let report = campaigns::assign(store, &key.link_key, &args.id, now).await?;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                println!(
                    "Bras attribués : {} personnes ({} nouvelles)",
                    report.total, report.new
                );
                print_arms(&report.arms);
            }
        }
        CampaignCommand::Preview(args) => {
            let cfg = content_config(store, &args.links).await?;
            let (_, spec) = campaigns::load(store, &args.id).await?;
            let arm = match args.arm {
                Some(a) => a,
                None => spec
                    .arms
                    .iter()
                    .find(|a| !a.control)
                    .map(|a| a.name.clone())
                    .unwrap_or_default(),
            };
            let search = lba_app::Search::load(store).await?;
            let preview =
                campaigns::preview(store, &search, &cfg, &spec, &args.person, &arm, now).await?;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&preview)?);
                return Ok(());
            }
            println!("Aperçu du bras « {} » pour {}", preview.arm, preview.person);
            for note in &preview.notes {
                println!("  ! {note}");
            }
            for m in &preview.messages {
                let who = if m.to_parent() { "parent" } else { "jeune" };
                match &m.sms {
                    Some(len) => println!(
                        "\n── SMS → {who} ── {} caractères ({}), {} partie{}",
                        len.units,
                        match len.encoding {
                            lba_campaign::sms::SmsEncoding::Gsm7 => "GSM-7",
                            lba_campaign::sms::SmsEncoding::Ucs2 => "Unicode",
                        },
                        len.segments,
                        if len.segments > 1 { "s" } else { "" }
                    ),
                    None => println!("\n── e-mail → {who} ──"),
                }
                if let Some(subject) = &m.subject {
                    println!("Objet : {subject}\n");
                }
                println!("{}", m.body_text);
                if let Some(html) = &m.body_html {
                    println!("\n[HTML]\n{html}");
                }
                if !m.links.is_empty() {
                    println!("\nLiens suivis :");
                    for l in &m.links {
                        println!("  /c/{} → {} ({})", l.code, l.target, l.kind);
                    }
                }
            }
        }
        CampaignCommand::Launch(args) => {
            let cfg = content_config(store, &args.links).await?;
            let search = lba_app::Search::load(store).await?;
            let report = campaigns::launch(store, &search, &cfg, &args.id, now).await?;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&report)?);
                return Ok(());
            }
            println!(
                "Campagne {} lancée en {:.1} s : {} messages en file ({} nouveaux), envoi à partir du {}",
                report.campaign,
                report.duration_ms as f64 / 1000.0,
                report.total,
                report.new,
                report.not_before.format("%Y-%m-%d %H:%M UTC")
            );
            println!("  personnes                {:>8}", report.people);
            println!("    bras témoin            {:>8}", report.control);
            println!("    sans adresse           {:>8}", report.unreachable);
            println!("  e-mails rendus           {:>8}", report.email);
            println!("  SMS rendus               {:>8}", report.sms);
            println!("    dont aux parents       {:>8}", report.to_parents);
            println!("  erreurs de rendu         {:>8}", report.errors);
            for i in &report.issues {
                println!("      {} ({}) : {}", i.person, i.channel, i.reason);
            }
        }
        CampaignCommand::Pause(args) => {
            campaigns::pause(store, &args.id, &args.reason, now).await?;
            println!("Campagne {} en pause", args.id);
        }
        CampaignCommand::Resume(args) => {
            campaigns::resume(store, &args.id, now).await?;
            println!("Campagne {} reprise", args.id);
        }
        CampaignCommand::Finish(args) => {
            campaigns::finish(store, &args.id, now).await?;
            println!("Campagne {} terminée", args.id);
        }
        CampaignCommand::Report(args) => {
            let report = campaigns::report(store, &args.id).await?;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&report)?);
                return Ok(());
            }
            println!(
                "{} ({}) — {}{}",
                report.name,
                report.id,
                report.status_label,
                report
                    .pause_reason
                    .as_deref()
                    .map(|r| format!(" : {r}"))
                    .unwrap_or_default()
            );
            println!(
                "{:<20} {:>7} {:>8} {:>8} {:>8} {:>7} {:>6} {:>8} {:>10} {:>12} {:>7}",
                "bras",
                "ciblés",
                "messages",
                "envoyés",
                "délivrés",
                "rejets",
                "clics",
                "désinscr",
                "recherches",
                "candidatures",
                "EMD"
            );
            for a in &report.arms {
                let c = &a.counts;
                println!(
                    "{:<20} {:>7} {:>8} {:>8} {:>8} {:>7} {:>6} {:>8} {:>10} {:>12} {:>7}",
                    if a.control {
                        format!("{} (témoin)", a.arm)
                    } else {
                        a.arm.clone()
                    },
                    c.targeted,
                    c.messages,
                    c.sent,
                    c.delivered,
                    c.bounced,
                    c.clicked,
                    c.unsubscribed,
                    c.searches,
                    c.applications,
                    a.mde
                        .map(|m| format!("{:.1} pt", m * 100.0))
                        .unwrap_or_else(|| "—".into())
                );
            }
            println!(
                "EMD : effet minimal détectable contre le témoin (α 5 %, puissance 80 %, taux de référence {:.0} %)",
                report.mde_baseline * 100.0
            );
        }
    }
    Ok(())
}

impl LinkArgs {
    /// The settings from the environment only (commands without link flags).
    fn default_from_env() -> Self {
        Self {
            link_secret: std::env::var("LBA_LINK_SECRET")
                .ok()
                .filter(|s| !s.is_empty()),
            public_url: std::env::var("LBA_PUBLIC_URL")
                .ok()
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "http://127.0.0.1:8080".to_owned()),
        }
    }
}

async fn content_config(store: &Store, args: &LinkArgs) -> anyhow::Result<ContentConfig> {
    let key = lba_app::apply::link_key(store, args.link_secret.as_deref()).await?;
    Ok(ContentConfig::from_link_key(&args.public_url, &key))
}

/// Reads a specification; errors name the file, line and field.
fn read_spec(path: &Path) -> anyhow::Result<CampaignSpec> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("lecture de {} impossible", path.display()))?;
    serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "{}:{}:{}: spécification invalide : {e}",
            path.display(),
            e.line(),
            e.column()
        )
    })
}

fn in_file(path: &Path, error: CampaignError) -> anyhow::Error {
    match error {
        CampaignError::Invalid(e) => {
            anyhow::anyhow!("{}: champ `{}` : {}", path.display(), e.field, e.message)
        }
        other => other.into(),
    }
}

fn print_arms(arms: &[campaigns::ArmSize]) {
    for a in arms {
        println!(
            "  {:<12} {:>3} %  {:>7} personnes{}{}",
            a.name,
            a.share,
            a.people,
            if a.control {
                "  (témoin, ne reçoit rien)"
            } else {
                ""
            },
            a.mde
                .map(|m| format!("  effet minimal détectable {:.1} points", m * 100.0))
                .unwrap_or_default()
        );
    }
}

async fn show(store: &Store, id: &str, json: bool) -> anyhow::Result<()> {
    let (campaign, spec) = campaigns::load(store, id).await?;
    let arms = campaigns::arm_report(store, id).await?;
    let sample = campaigns::sample_people(store, &spec, 5).await?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "id": campaign.id,
                "name": campaign.name,
                "status": campaign.status,
                "pause_reason": campaign.pause_reason,
                "created_at": campaign.created_at,
                "launched_at": campaign.launched_at,
                "spec": spec,
                "arms": arms.arms,
                "sample_people": sample
                    .iter()
                    .map(|(id, label)| serde_json::json!({"id": id, "label": label}))
                    .collect::<Vec<_>>(),
            }))?
        );
        return Ok(());
    }
    println!("{} ({})", campaign.name, campaign.id);
    println!("  statut      {}", campaign.status.label());
    if let Some(reason) = &campaign.pause_reason {
        println!("  pause       {reason}");
    }
    println!(
        "  créée       {}",
        campaign.created_at.format("%Y-%m-%d %H:%M")
    );
    if let Some(at) = campaign.launched_at {
        println!("  lancée      {}", at.format("%Y-%m-%d %H:%M"));
    }
    println!(
        "  canaux      {}",
        spec.channels
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!("  public      {:?}", spec.audience);
    println!("  bras ({} personnes attribuées) :", arms.total);
    print_arms(&arms.arms);
    if !sample.is_empty() {
        println!("  personnes pour l'aperçu (lba campaign preview --person ID) :");
        for (id, label) in sample {
            println!("    {id:<24} {label}");
        }
    }
    Ok(())
}
