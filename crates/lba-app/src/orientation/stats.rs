//! The statistics of the orientation experiment for `/operateur/orientation`:
//! per arm (method × presentation) and per method, the visitors, the
//! suggestions shown and the share of visitors who followed a suggestion
//! (fiche, search), started a module or sent an application, each with
//! its 95 % Wilson interval; and the differences between the methods and
//! between the presentations (Newcombe's interval, p-value).

use lba_campaign::estimate::{self, Difference, Rate};
use lba_search::orientation::Method;
use lba_store::orientation::ArmCounts;
use lba_store::{Store, StoreError};

use super::experiment::Presentation;

/// A rate with its interval, in percent for the pages.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RateView {
    pub successes: i64,
    pub trials: i64,
    /// `None` without visitors.
    pub rate: Option<Rate>,
}

impl RateView {
    fn new(successes: i64, trials: i64) -> Self {
        Self {
            successes,
            trials,
            rate: estimate::wilson(successes.max(0) as u64, trials.max(0) as u64),
        }
    }

    /// "12,3 % (9,8–15,1)" or "–".
    pub fn display(&self) -> String {
        match self.rate {
            None => "–".to_owned(),
            Some(r) => format!(
                "{} % ({}–{})",
                percent(r.value),
                percent(r.low),
                percent(r.high)
            ),
        }
    }
}

fn percent(v: f64) -> String {
    format!("{:.1}", v * 100.0).replace('.', ",")
}

/// The figures of one group of visitors (an arm, or a method).
#[derive(Clone, Debug, PartialEq)]
pub struct ArmStats {
    /// `interets`, `avenir`.
    pub method: &'static str,
    /// `avec_tension`, `sans_tension`, or empty for a whole method.
    pub presentation: &'static str,
    pub visitors: i64,
    pub views: i64,
    pub suggestions: i64,
    pub clicks: i64,
    pub fiche: RateView,
    pub search: RateView,
    pub module: RateView,
    pub application: RateView,
}

impl ArmStats {
    fn from_counts(
        method: &'static str,
        presentation: &'static str,
        counts: &[&ArmCounts],
    ) -> Self {
        let sum = |f: fn(&ArmCounts) -> i64| counts.iter().map(|c| f(c)).sum::<i64>();
        let visitors = sum(|c| c.visitors);
        Self {
            method,
            presentation,
            visitors,
            views: sum(|c| c.views),
            suggestions: sum(|c| c.suggestions),
            clicks: sum(|c| c.clicks),
            fiche: RateView::new(sum(|c| c.fiche_visitors), visitors),
            search: RateView::new(sum(|c| c.search_visitors), visitors),
            module: RateView::new(sum(|c| c.module_visitors), visitors),
            application: RateView::new(sum(|c| c.application_visitors), visitors),
        }
    }
}

/// A difference between two groups on one rate.
#[derive(Clone, Debug, PartialEq)]
pub struct MethodComparison {
    /// "avenir − interets" in words.
    pub label: String,
    /// The rate compared ("fiche ouverte"…).
    pub outcome: &'static str,
    pub difference: Option<Difference>,
}

impl MethodComparison {
    /// "+2,1 points (−0,4 à +4,6), p = 0,10" or "–".
    pub fn display(&self) -> String {
        match self.difference {
            None => "–".to_owned(),
            Some(d) => format!(
                "{} points ({} à {}), p = {}",
                signed(d.value),
                signed(d.low),
                signed(d.high),
                format!("{:.3}", d.p_value).replace('.', ",")
            ),
        }
    }
}

fn signed(v: f64) -> String {
    let p = percent(v.abs());
    if v < 0.0 {
        format!("−{p}")
    } else {
        format!("+{p}")
    }
}

/// Everything `/operateur/orientation` shows.
#[derive(Clone, Debug, PartialEq)]
pub struct ExperimentStats {
    /// The four arms.
    pub arms: Vec<ArmStats>,
    /// The two methods (both presentations).
    pub methods: Vec<ArmStats>,
    /// Avenir − interests, then without − with the tension sentence.
    pub comparisons: Vec<MethodComparison>,
}

/// Reads one rate of a group.
type Outcome = fn(&ArmStats) -> RateView;

const OUTCOMES: [(&str, Outcome); 4] = [
    ("fiche métier ouverte", |a| a.fiche),
    ("recherche lancée", |a| a.search),
    ("parcours commencé", |a| a.module),
    ("candidature envoyée", |a| a.application),
];

/// The statistics of the experiment.
pub async fn stats(store: &Store) -> Result<ExperimentStats, StoreError> {
    let counts = store.orientation_arm_counts().await?;
    let pick = |m: Option<Method>, p: Option<Presentation>| -> Vec<&ArmCounts> {
        counts
            .iter()
            .filter(|c| m.is_none_or(|m| c.method == m.as_str()))
            .filter(|c| p.is_none_or(|p| c.presentation == p.as_str()))
            .collect()
    };
    let mut arms = Vec::new();
    for m in Method::ALL {
        for p in Presentation::ALL {
            arms.push(ArmStats::from_counts(
                m.as_str(),
                p.as_str(),
                &pick(Some(m), Some(p)),
            ));
        }
    }
    let methods: Vec<ArmStats> = Method::ALL
        .iter()
        .map(|m| ArmStats::from_counts(m.as_str(), "", &pick(Some(*m), None)))
        .collect();
    let presentations: Vec<ArmStats> = Presentation::ALL
        .iter()
        .map(|p| ArmStats::from_counts("", p.as_str(), &pick(None, Some(*p))))
        .collect();
    let mut comparisons = Vec::new();
    let pairs = [
        ("avenir − intérêts", &methods[0], &methods[1]),
        (
            "sans − avec la phrase sur les tensions",
            &presentations[0],
            &presentations[1],
        ),
    ];
    for (label, a, b) in pairs {
        for (outcome, rate) in OUTCOMES {
            let difference = match (rate(a).rate, rate(b).rate) {
                (Some(ra), Some(rb)) => estimate::difference(ra, rb),
                _ => None,
            };
            comparisons.push(MethodComparison {
                label: label.to_owned(),
                outcome,
                difference,
            });
        }
    }
    Ok(ExperimentStats {
        arms,
        methods,
        comparisons,
    })
}

/// The statistics as CSV: one row per arm and per method, then one per
/// comparison (rates and bounds as decimals in [0, 1]).
pub fn stats_csv(stats: &ExperimentStats) -> String {
    let mut out = String::from(
        "groupe;methode;presentation;visiteurs;pages;suggestions;clics;\
         fiche;fiche_bas;fiche_haut;recherche;recherche_bas;recherche_haut;\
         parcours;parcours_bas;parcours_haut;candidature;candidature_bas;candidature_haut\n",
    );
    let rate = |r: &RateView| match r.rate {
        Some(r) => format!("{:.4};{:.4};{:.4}", r.value, r.low, r.high),
        None => ";;".to_owned(),
    };
    for (group, rows) in [("bras", &stats.arms), ("methode", &stats.methods)] {
        for a in rows {
            out.push_str(&format!(
                "{group};{};{};{};{};{};{};{};{};{};{}\n",
                a.method,
                a.presentation,
                a.visitors,
                a.views,
                a.suggestions,
                a.clicks,
                rate(&a.fiche),
                rate(&a.search),
                rate(&a.module),
                rate(&a.application),
            ));
        }
    }
    out.push_str("\ncomparaison;resultat;difference;bas;haut;p\n");
    for c in &stats.comparisons {
        match c.difference {
            Some(d) => out.push_str(&format!(
                "{};{};{:.4};{:.4};{:.4};{:.4}\n",
                c.label, c.outcome, d.value, d.low, d.high, d.p_value
            )),
            None => out.push_str(&format!("{};{};;;;\n", c.label, c.outcome)),
        }
    }
    out
}
