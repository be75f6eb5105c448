//! `lba demo outcomes`: an outcomes file (the import format of
//! `lba campaign import-outcomes`) for the people of a campaign, drawn with
//! a **known true effect per arm**, so that the dashboard's estimates can
//! be checked against it. Deterministic for a seed.
//!
//! Each person signs a contract with probability `base_rate` + the level's
//! offset (CAP −4 points, bac 0, BTS and above +4: the strata differ, as in
//! real cohorts) + the effect of their arm (0 for the control arm and arms
//! not listed). Contracts are spread over the weeks after the launch (most
//! between weeks 2 and 8, a few up to week 16); some people also get a
//! `voeu_accepte`, `inscrit_cfa`, `voeu_refuse` or `abandon` event.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use chrono::{Days, NaiveDate};
use lba_store::Store;
use rand::RngExt;
use serde::Serialize;

use super::sample::{Stream, record_rng};
use crate::campaigns::CampaignError;

/// Relative weights of the week (1 to 16) a contract is signed in.
const WEEK_WEIGHTS: [u32; 16] = [3, 6, 8, 9, 9, 8, 7, 6, 5, 4, 3, 3, 2, 2, 1, 1];

/// What to generate.
#[derive(Clone, Debug, PartialEq)]
pub struct OutcomesConfig {
    /// Campaign whose people get outcomes.
    pub campaign: String,
    /// Contract rate of the control arm (before the level offsets).
    pub base_rate: f64,
    /// True additive effect per arm name.
    pub effects: Vec<(String, f64)>,
    /// Seed.
    pub seed: u64,
    /// First day of the spread; the campaign's launch by default (today
    /// when it is not launched).
    pub from: Option<NaiveDate>,
}

/// What was written.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct OutcomesFileReport {
    /// The file.
    pub file: String,
    /// People of the campaign.
    pub people: u64,
    /// Rows written.
    pub rows: u64,
    /// Contracts per arm.
    pub contracts: HashMap<String, u64>,
    /// People per arm.
    pub arms: HashMap<String, u64>,
    /// The true effects used.
    pub effects: HashMap<String, f64>,
    /// First day of the spread.
    pub from: Option<NaiveDate>,
    /// The last event date: choose a date D at or after it to count every
    /// contract.
    pub last_date: Option<NaiveDate>,
}

/// Parses `cfa=0.03,entreprises=0.05`; names the bad part.
pub fn parse_effects(raw: &str) -> Result<Vec<(String, f64)>, String> {
    raw.split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|part| {
            let (arm, value) = part
                .split_once('=')
                .ok_or_else(|| format!("« {part} » : attendu bras=effet, par exemple cfa=0.03"))?;
            let value: f64 = value
                .trim()
                .parse()
                .map_err(|_| format!("« {part} » : l'effet doit être un nombre (0.03)"))?;
            if !(-0.5..=0.5).contains(&value) {
                return Err(format!("« {part} » : l'effet doit être entre -0.5 et 0.5"));
            }
            Ok((arm.trim().to_owned(), value))
        })
        .collect()
}

fn level_offset(stratum: &str) -> f64 {
    match stratum
        .rsplit('|')
        .next()
        .and_then(|l| l.parse::<u8>().ok())
    {
        Some(..=3) => -0.04,
        Some(4) => 0.0,
        Some(5..) => 0.04,
        None => 0.0,
    }
}

/// Writes the outcomes file of `config.campaign` to `out`.
pub async fn write_outcomes(
    store: &Store,
    config: &OutcomesConfig,
    out: &Path,
) -> Result<OutcomesFileReport, CampaignError> {
    let invalid = |field: &str, message: String| {
        CampaignError::Invalid(lba_campaign::SpecError {
            field: field.to_owned(),
            message,
        })
    };
    if !(0.0..=0.9).contains(&config.base_rate) {
        return Err(invalid("base-rate", "entre 0 et 0.9".to_owned()));
    }
    let (campaign, spec) = crate::campaigns::load(store, &config.campaign).await?;
    for (arm, _) in &config.effects {
        if !spec.arms.iter().any(|a| &a.name == arm) {
            return Err(invalid(
                "effect",
                format!("bras « {arm} » inconnu de la campagne"),
            ));
        }
    }
    let assignments = store.assignments(&config.campaign).await?;
    let from = config
        .from
        .or_else(|| campaign.launched_at.map(|l| l.date_naive()))
        .unwrap_or_else(|| chrono::Utc::now().date_naive());
    let effects: HashMap<String, f64> = config.effects.iter().cloned().collect();
    let total_weight: u32 = WEEK_WEIGHTS.iter().sum();
    let file = File::create(out).map_err(|e| invalid("out", format!("{}: {e}", out.display())))?;
    let mut w = BufWriter::new(file);
    let mut report = OutcomesFileReport {
        file: out.display().to_string(),
        people: assignments.len() as u64,
        effects: effects.clone(),
        from: Some(from),
        ..OutcomesFileReport::default()
    };
    let mut lines =
        vec!["id_candidat;date;evenement;siret_employeur;cle_ministere_educatif".to_owned()];
    for (index, a) in assignments.iter().enumerate() {
        *report.arms.entry(a.arm.clone()).or_default() += 1;
        let mut rng = record_rng(config.seed, Stream::Outcomes, index as u64);
        let p = (config.base_rate
            + level_offset(&a.stratum)
            + effects.get(&a.arm).copied().unwrap_or(0.0))
        .clamp(0.0, 1.0);
        let mut pick = rng.random_range(0..total_weight);
        let mut week = 1_u64;
        for (i, weight) in WEEK_WEIGHTS.iter().enumerate() {
            if pick < *weight {
                week = i as u64 + 1;
                break;
            }
            pick -= weight;
        }
        let day = from + Days::new((week - 1) * 7 + rng.random_range(0..7_u64));
        let mut events: Vec<(NaiveDate, &str)> = Vec::new();
        if rng.random::<f64>() < p {
            *report.contracts.entry(a.arm.clone()).or_default() += 1;
            events.push((day, "voeu_accepte"));
            events.push((day, "contrat_signe"));
            if rng.random::<f64>() < 0.7 {
                events.push((day + Days::new(rng.random_range(1..15_u64)), "inscrit_cfa"));
            }
        } else if rng.random::<f64>() < 0.15 {
            events.push((
                day,
                if rng.random::<bool>() {
                    "voeu_refuse"
                } else {
                    "abandon"
                },
            ));
        }
        for (date, name) in events {
            report.last_date = Some(report.last_date.map_or(date, |d| d.max(date)));
            lines.push(format!("{};{date};{name};;", a.person_id));
        }
    }
    for line in &lines {
        writeln!(w, "{line}").map_err(|e| invalid("out", format!("{}: {e}", out.display())))?;
    }
    w.flush()
        .map_err(|e| invalid("out", format!("{}: {e}", out.display())))?;
    report.rows = lines.len() as u64 - 1;
    Ok(report)
}
