//! `lba campaign import-outcomes|impact|simulate-impact` and
//! `lba demo outcomes`: the cohort follow-up and the impact estimates.

use anyhow::Context;
use lba_app::campaigns::{self, Impact};
use lba_campaign::simulate::{self, SimulationConfig};
use lba_store::Store;

use crate::campaign_args::{DemoOutcomesArgs, ImpactArgs, ImportOutcomesArgs, SimulateImpactArgs};
use crate::progress;

/// `lba campaign import-outcomes`.
pub async fn import_outcomes(store: &Store, args: ImportOutcomesArgs) -> anyhow::Result<()> {
    let progress = progress::for_terminal();
    let report = lba_app::outcomes::import(store, &args.file, args.source.into(), progress.as_ref())
        .await
        .with_context(|| {
            format!(
                "import des résultats {} interrompu (les lots déjà écrits sont gardés ; relancer est sans danger)",
                args.file.display()
            )
        })?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!(
        "Résultats {} importés depuis {} en {:.1} s",
        report.source,
        report.file,
        report.duration_ms as f64 / 1000.0
    );
    println!("  lignes lues               {:>8}", report.rows);
    println!("  lignes rejetées           {:>8}", report.rejected);
    println!("  événements nouveaux       {:>8}", report.stored);
    println!("  déjà enregistrés          {:>8}", report.already_stored);
    println!("  dont contrats signés      {:>8}", report.contracts);
    crate::rejects::print_rejects(&report.file, report.rejected, &report.rejects);
    Ok(())
}

/// `lba demo outcomes`.
pub async fn demo_outcomes(store: &Store, args: DemoOutcomesArgs) -> anyhow::Result<()> {
    let effects = lba_app::demo::outcomes::parse_effects(&args.effect)
        .map_err(|e| anyhow::anyhow!("--effect : {e}"))?;
    let config = lba_app::demo::outcomes::OutcomesConfig {
        campaign: args.campaign.clone(),
        base_rate: args.base_rate,
        effects,
        seed: args.seed,
        from: args.from,
    };
    let report = lba_app::demo::outcomes::write_outcomes(store, &config, &args.out)
        .await
        .context("génération des résultats de démonstration interrompue")?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!(
        "Résultats de démonstration écrits : {} ({} personnes, {} lignes)",
        report.file, report.people, report.rows
    );
    let mut arms: Vec<_> = report.arms.iter().collect();
    arms.sort();
    for (arm, n) in arms {
        println!(
            "  {arm:<16} {n:>7} personnes, {:>6} contrats, effet vrai {:+.3}",
            report.contracts.get(arm).copied().unwrap_or_default(),
            report.effects.get(arm).copied().unwrap_or_default()
        );
    }
    if let Some(last) = report.last_date {
        println!("  dernier événement le {last} : choisir une date D ≥ {last} pour tout compter");
    }
    println!(
        "  suite : lba campaign import-outcomes --source contrats --file {}",
        report.file
    );
    Ok(())
}

/// `lba campaign impact`.
pub async fn impact(store: &Store, args: ImpactArgs) -> anyhow::Result<()> {
    let date = args.date.unwrap_or_else(|| chrono::Utc::now().date_naive());
    let i = campaigns::impact(store, &args.id, date).await?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&i)?);
        return Ok(());
    }
    print_impact(&i);
    Ok(())
}

fn pct(x: f64) -> String {
    format!("{:.1} %", x * 100.0)
}

fn points(x: f64) -> String {
    format!("{:+.1}", x * 100.0)
}

fn p_value(p: f64) -> String {
    if p < 0.0001 {
        "< 0.0001".to_owned()
    } else {
        format!("= {p:.4}")
    }
}

fn print_impact(i: &Impact) {
    println!(
        "Campagne {} « {} » : contrat signé au {}",
        i.id, i.name, i.date
    );
    match i.launched_at {
        Some(l) => println!("  lancée le {}", l.format("%Y-%m-%d")),
        None => println!("  pas encore lancée"),
    }
    println!(
        "  {:<14} {:>8} {:>8} {:>8} {:>9} {:>10} {:>8} {:>22}",
        "bras",
        "ciblés",
        "atteints",
        "clics",
        "recherche",
        "cand./CFA",
        "contrats",
        "taux [IC 95 %]"
    );
    for a in &i.arms {
        let rate = a.rate.map_or_else(String::new, |r| {
            format!("{} [{} ; {}]", pct(r.value), pct(r.low), pct(r.high))
        });
        println!(
            "  {:<14} {:>8} {:>8} {:>8} {:>9} {:>10} {:>8} {:>22}",
            format!("{}{}", a.arm, if a.control { " (témoin)" } else { "" }),
            a.targeted,
            a.reached,
            a.clicked,
            a.searched,
            a.acted,
            a.contracts,
            rate
        );
    }
    println!(
        "  Effet sur « contrat signé » (points de pourcentage, IC 95 %, p ; p corrigé Holm) :"
    );
    for e in &i.effects {
        let show = |label: &str, x: Option<campaigns::Effect>| match x {
            Some(x) => println!(
                "    {:<14} {label:<11} {} [{} ; {}]  p {} ; Holm {}",
                e.arm,
                points(x.value),
                points(x.low),
                points(x.high),
                p_value(x.p_value),
                p_value(x.p_holm)
            ),
            None => println!("    {:<14} {label:<11} non estimable", e.arm),
        };
        show("brut", e.unadjusted);
        show("stratifié", e.stratified);
        if e.strata_dropped > 0 {
            println!(
                "    {:<14} {} strates écartées (moins de 2 personnes dans un bras), {} personnes",
                "", e.strata_dropped, e.people_dropped
            );
        }
        if let Some(mde) = e.mde {
            println!("    {:<14} effet minimal détectable {}", "", points(mde));
        }
    }
    if let Some(s) = &i.sample_ratio {
        println!(
            "  Équilibre des bras : khi² = {:.2} ({} ddl), p = {:.4}{}",
            s.chi_square,
            s.degrees_of_freedom,
            s.p_value,
            if s.mismatch {
                "  ATTENTION : tailles incompatibles avec les parts"
            } else {
                ""
            }
        );
    }
    if let Some(c) = &i.clicked_vs_not {
        println!(
            "  Non causal : contrats chez ceux qui ont cliqué {} ({}), chez les autres {} ({}), écart {}",
            pct(c.clicked.value),
            c.clicked.trials,
            pct(c.not_clicked.value),
            c.not_clicked.trials,
            points(c.difference.value)
        );
    }
}

/// `lba campaign simulate-impact`.
pub fn simulate(args: &SimulateImpactArgs) -> anyhow::Result<()> {
    let report = simulate::run(&SimulationConfig {
        people: args.people,
        base_rate: args.base_rate,
        effect: args.effect,
        runs: args.runs,
        seed: args.seed,
        control_share: args.control_share,
    })?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!(
        "{} cohortes de {} personnes, taux de base {}, effet vrai {}",
        report.runs,
        report.people,
        pct(report.base_rate),
        points(report.effect)
    );
    for (name, s) in [
        ("brut (Newcombe)", report.unadjusted),
        ("stratifié (Wald)", report.stratified),
    ] {
        println!(
            "  {name:<18} couverture IC 95 % {:>6}  biais moyen {:+.4}  détecté {:>6}  largeur moyenne {:.4}",
            pct(s.coverage),
            s.mean_bias,
            pct(s.detected),
            s.mean_width
        );
    }
    println!(
        "  strates écartées en moyenne : {:.1}",
        report.mean_strata_dropped
    );
    Ok(())
}
