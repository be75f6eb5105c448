//! Statistics of the learning modules for revising their content: per
//! module version and situation, the CSV export, and the counts per
//! campaign arm.

use super::*;

/// One answer column of the statistics.
#[derive(Clone, Debug)]
pub struct AnswerCount {
    pub id: String,
    pub text: String,
    pub correct: Option<bool>,
    pub count: i64,
    /// Share of the situation's answers, 0–100.
    pub percent: f64,
}

/// Statistics of one situation.
#[derive(Clone, Debug)]
pub struct SituationStatsView {
    pub id: String,
    pub title: String,
    pub remediation: bool,
    pub views: i64,
    pub answers: Vec<AnswerCount>,
    /// Share right at first try, 0–100.
    pub right_first_try: Option<f64>,
    pub drop_offs: i64,
}

/// Statistics of one module version.
#[derive(Clone, Debug)]
pub struct ModuleStatsView {
    pub module_id: String,
    pub title: String,
    pub version: i64,
    /// This version is the one online.
    pub current: bool,
    pub starts: i64,
    pub completions: i64,
    /// 0–100.
    pub completion_rate: f64,
    pub median_seconds: Option<i64>,
    pub situations: Vec<SituationStatsView>,
}

/// Statistics of every module version with progress, plus the current
/// version of every module; by module order then version (newest first).
pub async fn stats(store: &Store, modules: &Modules) -> Result<Vec<ModuleStatsView>, StoreError> {
    let mut versions = store.learning_versions().await?;
    for m in modules.modules() {
        let current = (m.id.clone(), i64::from(m.version));
        if !versions.contains(&current) {
            versions.push(current);
        }
    }
    let order = |id: &str| {
        modules
            .modules()
            .iter()
            .position(|m| m.id == id)
            .unwrap_or(usize::MAX)
    };
    versions.sort_by(|a, b| {
        order(&a.0)
            .cmp(&order(&b.0))
            .then(b.1.cmp(&a.1))
            .then(a.0.cmp(&b.0))
    });
    let mut out = Vec::new();
    for (module_id, version) in versions {
        let module = modules.get(&module_id);
        let same = module.filter(|m| i64::from(m.version) == version);
        let figures = store.learning_module_stats(&module_id, version).await?;
        let mut situations = store.learning_situation_stats(&module_id, version).await?;
        // Content order when this is the version online, and every
        // situation listed even without data.
        if let Some(m) = same {
            for s in &m.situations {
                if !situations.iter().any(|x| x.situation_id == s.id) {
                    situations.push(lba_store::learning::SituationStats {
                        situation_id: s.id.clone(),
                        ..Default::default()
                    });
                }
            }
            situations.sort_by_key(|x| {
                m.situations
                    .iter()
                    .position(|s| s.id == x.situation_id)
                    .unwrap_or(usize::MAX)
            });
        }
        let situations = situations
            .into_iter()
            .map(|x| {
                let content = same.and_then(|m| m.situation(&x.situation_id));
                let total: i64 = x.answers.iter().map(|(_, n)| n).sum();
                let mut answers: Vec<AnswerCount> = content
                    .map(|s| {
                        s.answers
                            .iter()
                            .map(|a| AnswerCount {
                                id: a.id.clone(),
                                text: render(&a.text),
                                correct: Some(a.correct),
                                count: 0,
                                percent: 0.0,
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                for (id, count) in &x.answers {
                    match answers.iter_mut().find(|a| &a.id == id) {
                        Some(a) => a.count = *count,
                        None => answers.push(AnswerCount {
                            id: id.clone(),
                            text: String::new(),
                            correct: None,
                            count: *count,
                            percent: 0.0,
                        }),
                    }
                }
                for a in &mut answers {
                    a.percent = if total > 0 {
                        100.0 * a.count as f64 / total as f64
                    } else {
                        0.0
                    };
                }
                SituationStatsView {
                    title: content.map(|s| render(&s.title)).unwrap_or_default(),
                    remediation: content.is_some_and(|s| s.kind == Kind::Remediation),
                    id: x.situation_id.clone(),
                    views: x.views,
                    right_first_try: x.right_first_try_share().map(|s| 100.0 * s),
                    drop_offs: x.drop_offs,
                    answers,
                }
            })
            .collect();
        out.push(ModuleStatsView {
            title: module
                .map(|m| render(&m.title))
                .unwrap_or_else(|| module_id.clone()),
            current: same.is_some(),
            module_id,
            version,
            starts: figures.starts,
            completions: figures.completions,
            completion_rate: 100.0 * figures.completion_rate(),
            median_seconds: figures.median_seconds,
            situations,
        });
    }
    Ok(out)
}

fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r', ';']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

/// The statistics as CSV (UTF-8, comma, one row per module version,
/// situation and answer; module and situation figures repeated).
pub fn stats_csv(stats: &[ModuleStatsView]) -> String {
    let mut out = String::from(
        "module,version,departs,terminaisons,taux_terminaison_pct,duree_mediane_s,\
         situation,remediation,vues,bonne_du_premier_coup_pct,abandons,reponse,reponse_correcte,choix,choix_pct\n",
    );
    for m in stats {
        let head = [
            csv_field(&m.module_id),
            m.version.to_string(),
            m.starts.to_string(),
            m.completions.to_string(),
            format!("{:.1}", m.completion_rate),
            m.median_seconds.map(|s| s.to_string()).unwrap_or_default(),
        ]
        .join(",");
        for s in &m.situations {
            let situation = [
                csv_field(&s.id),
                s.remediation.to_string(),
                s.views.to_string(),
                s.right_first_try
                    .map(|p| format!("{p:.1}"))
                    .unwrap_or_default(),
                s.drop_offs.to_string(),
            ]
            .join(",");
            if s.answers.is_empty() {
                out.push_str(&format!("{head},{situation},,,0,\n"));
            }
            for a in &s.answers {
                out.push_str(&format!(
                    "{head},{situation},{},{},{},{:.1}\n",
                    csv_field(&a.id),
                    a.correct.map(|c| c.to_string()).unwrap_or_default(),
                    a.count,
                    a.percent
                ));
            }
        }
    }
    out
}

/// Module starts and completions per arm of a campaign (for its report).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArmModules {
    pub arm: String,
    pub module_id: String,
    pub starts: i64,
    pub completions: i64,
}

/// Module starts and completions per arm of `campaign_id`.
pub async fn by_arm(store: &Store, campaign_id: &str) -> Result<Vec<ArmModules>, StoreError> {
    Ok(store
        .learning_by_arm(campaign_id)
        .await?
        .into_iter()
        .map(|a| ArmModules {
            arm: a.arm,
            module_id: a.module_id,
            starts: a.starts,
            completions: a.completions,
        })
        .collect())
}
