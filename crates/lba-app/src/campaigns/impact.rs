//! The cohort dashboard of a campaign (`/operateur/campagnes/{id}/impact`,
//! `lba campaign impact`): the funnel per arm, the share with a contract by
//! week since the launch, and the intention-to-treat effect of each variant
//! against the control arm on "contract signed by date D", unadjusted
//! (Newcombe's interval) and stratified by the assignment strata (Wald,
//! weights = stratum sizes), with Holm's correction across the variants,
//! the sample-ratio-mismatch check and, labelled not causal, the contract
//! rate of the people who clicked against those who did not.
//!
//! Everything comes from one aggregated query
//! ([`lba_store::Store::impact_groups`]); the statistics are
//! `lba_campaign::impact`'s.

use std::collections::BTreeMap;

use lba_campaign::estimate::{self, Difference, Rate};
use lba_campaign::impact::{self as stats, Counts, SampleRatio, Stratified, Stratum};
use lba_store::outcomes::ImpactGroup;

use super::*;

/// Weeks shown at most in the chart.
pub const MAX_WEEKS: i64 = 52;

/// The funnel of one arm.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ArmFunnel {
    /// Arm.
    pub arm: String,
    /// Control arm.
    pub control: bool,
    /// Share in percent.
    pub share: u32,
    /// People assigned.
    pub targeted: u64,
    /// A message delivered.
    pub reached: u64,
    /// A tracked link followed.
    pub clicked: u64,
    /// A search from a tracked link.
    pub searched: u64,
    /// Applied through the service or contacted a CFA.
    pub acted: u64,
    /// A contract signed by the date.
    pub contracts: u64,
    /// Contract rate by the date, with its Wilson interval.
    pub rate: Option<Rate>,
    /// Minimum detectable effect against the control arm (as before launch).
    pub mde: Option<f64>,
}

/// One week of the chart: the cumulative share with a contract per arm.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WeekPoint {
    /// Weeks since the launch (0: at the launch).
    pub week: i64,
    /// The last day of the week.
    pub end: NaiveDate,
    /// Per arm (in the arms' order): the share with a contract by `end`.
    pub shares: Vec<f64>,
}

/// A difference with its interval, p-value and Holm-adjusted p-value.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Effect {
    /// treated − control.
    pub value: f64,
    /// Lower bound (95 %).
    pub low: f64,
    /// Upper bound.
    pub high: f64,
    /// p-value.
    pub p_value: f64,
    /// Holm-adjusted across the variants.
    pub p_holm: f64,
}

/// The estimated effect of one variant.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VariantEffect {
    /// Variant arm.
    pub arm: String,
    /// Difference of the contract rates, Newcombe's interval.
    pub unadjusted: Option<Effect>,
    /// Stratified difference, Wald's interval.
    pub stratified: Option<Effect>,
    /// Strata used by the stratified estimate.
    pub strata_used: u64,
    /// Strata dropped (fewer than two people in one of the two arms).
    pub strata_dropped: u64,
    /// People in the dropped strata.
    pub people_dropped: u64,
    /// Minimum detectable effect.
    pub mde: Option<f64>,
}

/// Not causal: contract rates of the clickers and the others, in the arms
/// that received messages.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ClickComparison {
    /// People who clicked.
    pub clicked: Rate,
    /// People who did not.
    pub not_clicked: Rate,
    /// clicked − not clicked.
    pub difference: Difference,
}

/// The dashboard of a campaign at a date.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Impact {
    /// Campaign id.
    pub id: String,
    /// Name.
    pub name: String,
    /// First launch.
    pub launched_at: Option<DateTime<Utc>>,
    /// The outcome is "a contract signed by this date".
    pub date: NaiveDate,
    /// The control arm.
    pub control: Option<String>,
    /// Arms in the specification's order.
    pub arms: Vec<ArmFunnel>,
    /// The chart (empty before the launch).
    pub weeks: Vec<WeekPoint>,
    /// One per variant.
    pub effects: Vec<VariantEffect>,
    /// Arm sizes against their shares.
    pub sample_ratio: Option<SampleRatio>,
    /// Not causal.
    pub clicked_vs_not: Option<ClickComparison>,
    /// Control rate assumed for the MDE.
    pub mde_baseline: f64,
}

fn effect(d: Option<(f64, f64, f64, f64)>, holm: Option<f64>) -> Option<Effect> {
    d.map(|(value, low, high, p_value)| Effect {
        value,
        low,
        high,
        p_value,
        p_holm: holm.unwrap_or(p_value),
    })
}

/// The dashboard of campaign `id` for the outcome "contract by `date`".
pub async fn impact(store: &Store, id: &str, date: NaiveDate) -> Result<Impact, CampaignError> {
    let (campaign, spec) = load(store, id).await?;
    let groups = store.impact_groups(id, campaign.launched_at).await?;
    Ok(compute(campaign, &spec, &groups, date))
}

fn compute(
    campaign: StoredCampaign,
    spec: &CampaignSpec,
    groups: &[ImpactGroup],
    date: NaiveDate,
) -> Impact {
    let index: HashMap<&str, usize> = spec
        .arms
        .iter()
        .enumerate()
        .map(|(i, a)| (a.name.as_str(), i))
        .collect();
    let mut arms: Vec<ArmFunnel> = spec
        .arms
        .iter()
        .map(|a| ArmFunnel {
            arm: a.name.clone(),
            control: a.control,
            share: a.share,
            targeted: 0,
            reached: 0,
            clicked: 0,
            searched: 0,
            acted: 0,
            contracts: 0,
            rate: None,
            mde: None,
        })
        .collect();
    // (stratum, arm) → counts; contract dates per arm for the chart.
    let mut strata: BTreeMap<&str, Vec<Counts>> = BTreeMap::new();
    let mut dates: Vec<Vec<(NaiveDate, u64)>> = vec![Vec::new(); arms.len()];
    let mut clicks = [Counts::default(); 2];
    for g in groups {
        let Some(&i) = index.get(g.arm.as_str()) else {
            continue;
        };
        let n = u64::try_from(g.people).unwrap_or_default();
        let signed = g.contract_date.is_some_and(|d| d <= date);
        let Some(a) = arms.get_mut(i) else { continue };
        a.targeted += n;
        a.reached += n * u64::from(g.reached != 0);
        a.clicked += n * u64::from(g.clicked != 0);
        a.searched += n * u64::from(g.searched != 0);
        a.acted += n * u64::from(g.acted != 0);
        a.contracts += n * u64::from(signed);
        let cells = strata
            .entry(g.stratum.as_str())
            .or_insert_with(|| vec![Counts::default(); index.len()]);
        if let Some(c) = cells.get_mut(i) {
            c.n += n;
            c.successes += n * u64::from(signed);
        }
        if let (Some(d), Some(list)) = (g.contract_date, dates.get_mut(i)) {
            list.push((d, n));
        }
        if !a.control {
            let c = &mut clicks[usize::from(g.clicked != 0)];
            c.n += n;
            c.successes += n * u64::from(signed);
        }
    }
    let control_index = arms.iter().position(|a| a.control);
    let control_size = control_index
        .and_then(|c| arms.get(c))
        .map(|a| a.targeted)
        .unwrap_or_default();
    for a in &mut arms {
        a.rate = estimate::wilson(a.contracts, a.targeted);
        if !a.control {
            a.mde = power::minimum_detectable_effect(control_size, a.targeted, MDE_BASELINE);
        }
    }
    let effects = effects(&arms, control_index, &strata);
    let weeks = campaign
        .launched_at
        .map(|l| weeks(l.date_naive(), date, &arms, &dates))
        .unwrap_or_default();
    let sizes: Vec<u64> = arms.iter().map(|a| a.targeted).collect();
    let shares: Vec<f64> = arms.iter().map(|a| f64::from(a.share)).collect();
    let clicked_vs_not = estimate::wilson(clicks[1].successes, clicks[1].n)
        .zip(estimate::wilson(clicks[0].successes, clicks[0].n))
        .and_then(|(clicked, not_clicked)| {
            estimate::difference(not_clicked, clicked).map(|difference| ClickComparison {
                clicked,
                not_clicked,
                difference,
            })
        });
    Impact {
        id: campaign.id,
        name: campaign.name,
        launched_at: campaign.launched_at,
        date,
        control: control_index
            .and_then(|c| arms.get(c))
            .map(|a| a.arm.clone()),
        sample_ratio: stats::sample_ratio_mismatch(&sizes, &shares),
        arms,
        weeks,
        effects,
        clicked_vs_not,
        mde_baseline: MDE_BASELINE,
    }
}

/// Per variant: the plain difference, the stratified one, and (strata,
/// people) with people in the two arms.
type RawEffect = (Option<Difference>, Option<Stratified>, (u64, u64));

fn effects(
    arms: &[ArmFunnel],
    control: Option<usize>,
    strata: &BTreeMap<&str, Vec<Counts>>,
) -> Vec<VariantEffect> {
    let Some(c) = control else {
        return Vec::new();
    };
    let Some(control_arm) = arms.get(c) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut raw: Vec<RawEffect> = Vec::new();
    for (i, a) in arms.iter().enumerate() {
        if a.control {
            continue;
        }
        let unadjusted = control_arm
            .rate
            .zip(a.rate)
            .and_then(|(r0, r1)| estimate::difference(r0, r1));
        let per_stratum: Vec<Stratum> = strata
            .values()
            .map(|cells| Stratum {
                control: cells.get(c).copied().unwrap_or_default(),
                treated: cells.get(i).copied().unwrap_or_default(),
            })
            .collect();
        // Without any usable stratum, say how many were left out.
        let all_dropped = (
            per_stratum
                .iter()
                .filter(|s| s.control.n + s.treated.n > 0)
                .count() as u64,
            per_stratum
                .iter()
                .map(|s| s.control.n + s.treated.n)
                .sum::<u64>(),
        );
        raw.push((unadjusted, stats::stratified(&per_stratum), all_dropped));
        out.push(VariantEffect {
            arm: a.arm.clone(),
            unadjusted: None,
            stratified: None,
            strata_used: 0,
            strata_dropped: 0,
            people_dropped: 0,
            mde: a.mde,
        });
    }
    let holm_of = |ps: Vec<Option<f64>>| -> Vec<Option<f64>> {
        let present: Vec<f64> = ps.iter().flatten().copied().collect();
        let mut adjusted = stats::holm(&present).into_iter();
        ps.iter().map(|p| p.and_then(|_| adjusted.next())).collect()
    };
    let holm_unadjusted = holm_of(raw.iter().map(|(d, _, _)| d.map(|d| d.p_value)).collect());
    let holm_stratified = holm_of(
        raw.iter()
            .map(|(_, s, _)| s.map(|s| s.estimate.p_value))
            .collect(),
    );
    for (k, (v, (d, s, (strata, people)))) in out.iter_mut().zip(raw).enumerate() {
        v.strata_dropped = strata;
        v.people_dropped = people;
        v.unadjusted = effect(
            d.map(|d| (d.value, d.low, d.high, d.p_value)),
            holm_unadjusted.get(k).copied().flatten(),
        );
        if let Some(s) = s {
            let e = s.estimate;
            v.stratified = effect(
                Some((e.value, e.low, e.high, e.p_value)),
                holm_stratified.get(k).copied().flatten(),
            );
            v.strata_used = s.strata_used;
            v.strata_dropped = s.strata_dropped;
            v.people_dropped = s.people_dropped;
        }
    }
    out
}

fn weeks(
    launch: NaiveDate,
    date: NaiveDate,
    arms: &[ArmFunnel],
    dates: &[Vec<(NaiveDate, u64)>],
) -> Vec<WeekPoint> {
    let span = (date - launch).num_days();
    if span < 0 {
        return Vec::new();
    }
    let last = ((span + 6) / 7).min(MAX_WEEKS);
    (0..=last)
        .map(|week| {
            let end =
                (launch + chrono::Days::new(u64::try_from(week * 7).unwrap_or_default())).min(date);
            let shares = arms
                .iter()
                .zip(dates)
                .map(|(a, list)| {
                    let signed: u64 = list.iter().filter(|(d, _)| *d <= end).map(|(_, n)| n).sum();
                    if a.targeted == 0 {
                        0.0
                    } else {
                        signed as f64 / a.targeted as f64
                    }
                })
                .collect();
            WeekPoint { week, end, shares }
        })
        .collect()
}

/// The per-arm table as CSV (`;`, French headers, decimals with a point).
pub fn impact_csv(i: &Impact) -> String {
    let mut out = String::from(
        "bras;temoin;part;cibles;atteints;cliqueurs;recherches;candidature_ou_cfa;contrats;\
         taux;taux_bas;taux_haut;effet;effet_bas;effet_haut;p;p_holm;\
         effet_stratifie;effet_stratifie_bas;effet_stratifie_haut;p_stratifie;p_stratifie_holm;\
         strates_ecartees;mde\n",
    );
    let num = |x: Option<f64>| x.map(|v| format!("{v:.5}")).unwrap_or_default();
    for a in &i.arms {
        let e = i.effects.iter().find(|e| e.arm == a.arm);
        let u = e.and_then(|e| e.unadjusted);
        let s = e.and_then(|e| e.stratified);
        out.push_str(&format!(
            "{};{};{};{};{};{};{};{};{};{};{};{};{};{};{};{};{};{};{};{};{};{};{};{}\n",
            a.arm,
            if a.control { "oui" } else { "non" },
            a.share,
            a.targeted,
            a.reached,
            a.clicked,
            a.searched,
            a.acted,
            a.contracts,
            num(a.rate.map(|r| r.value)),
            num(a.rate.map(|r| r.low)),
            num(a.rate.map(|r| r.high)),
            num(u.map(|u| u.value)),
            num(u.map(|u| u.low)),
            num(u.map(|u| u.high)),
            num(u.map(|u| u.p_value)),
            num(u.map(|u| u.p_holm)),
            num(s.map(|s| s.value)),
            num(s.map(|s| s.low)),
            num(s.map(|s| s.high)),
            num(s.map(|s| s.p_value)),
            num(s.map(|s| s.p_holm)),
            e.map(|e| e.strata_dropped.to_string()).unwrap_or_default(),
            num(a.mde),
        ));
    }
    out
}

/// The pseudonym of a person in exports: 16 characters of the keyed hash
/// (HMAC-SHA256 with the link key) of their id; stable across exports and
/// campaigns, unreadable without the key.
pub fn pseudonym(key: &lba_notify::LinkKey, person_id: &str) -> String {
    let mut h = key.keyed_hash(&format!("pseudonyme:{person_id}"));
    h.truncate(16);
    h
}

/// One row per person of the campaign, pseudonymised (no name, e-mail,
/// phone or id): arm, stratum, funnel steps, contract date and whether it
/// falls by `date`.
pub async fn people_csv(
    store: &Store,
    key: &lba_notify::LinkKey,
    id: &str,
    date: NaiveDate,
) -> Result<String, CampaignError> {
    let (campaign, _) = load(store, id).await?;
    let people = store.impact_people(id, campaign.launched_at).await?;
    let mut out = String::from(
        "pseudonyme;bras;strate;atteint;clic;recherche;candidature_ou_cfa;date_contrat;contrat_a_la_date\n",
    );
    for p in people {
        out.push_str(&format!(
            "{};{};{};{};{};{};{};{};{}\n",
            pseudonym(key, &p.person_id),
            p.arm,
            p.stratum,
            p.reached,
            p.clicked,
            p.searched,
            p.acted,
            p.contract_date.map(|d| d.to_string()).unwrap_or_default(),
            u8::from(p.contract_date.is_some_and(|d| d <= date)),
        ));
    }
    Ok(out)
}
