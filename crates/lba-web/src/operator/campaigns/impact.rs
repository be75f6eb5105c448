//! `/operateur/campagnes/{id}/impact`: the cohort dashboard of a campaign —
//! funnel per arm, contracts by week (SVG chart and the same numbers as a
//! table), the effect of each variant on "contract signed by D" (D from
//! `?date=AAAA-MM-JJ`, today by default) with its 95 % interval, the
//! sample-ratio check and the not-causal comparison of clickers — and its
//! two CSV exports (per arm; per person, pseudonymised).

use std::collections::HashMap;

use axum::extract::Query;
use chrono::NaiveDate;
use lba_app::campaigns::{Effect, Impact};

use super::*;
use crate::operator::chart::{self, Series};

/// A cell: a count and its share of the arm.
struct Step {
    count: u64,
    share: String,
}

struct FunnelRow {
    arm: String,
    control: bool,
    steps: Vec<Step>,
    rate: String,
    swatch: usize,
}

struct EffectRow {
    arm: String,
    unadjusted: String,
    unadjusted_p: String,
    stratified: String,
    stratified_p: String,
    dropped: String,
    mde: String,
    contains_zero: bool,
}

#[derive(Template)]
#[template(path = "operateur/impact.html")]
struct ImpactPage {
    meta: Meta,
    csrf: String,
    i: Impact,
    date: String,
    date_label: String,
    launched: Option<String>,
    funnel: Vec<FunnelRow>,
    chart: String,
    week_heads: Vec<String>,
    week_rows: Vec<(String, String, Vec<String>)>,
    effects: Vec<EffectRow>,
    srm: Option<(String, bool)>,
    clicks: Option<(String, String, String)>,
    several_variants: bool,
}

fn pct(x: f64) -> String {
    chart::percent_label(x)
}

fn points(x: f64) -> String {
    format!("{:+.1}", x * 100.0)
        .replace('.', ",")
        .replace('-', "−")
}

fn interval(e: &Effect) -> String {
    format!(
        "{} pts [{} ; {}]",
        points(e.value),
        points(e.low),
        points(e.high)
    )
}

fn p(e: &Effect, several: bool) -> String {
    let fmt = |x: f64| {
        if x < 0.001 {
            "< 0,001".to_owned()
        } else {
            format!("{x:.3}").replace('.', ",")
        }
    };
    if several {
        format!("{} (Holm : {})", fmt(e.p_value), fmt(e.p_holm))
    } else {
        fmt(e.p_value)
    }
}

/// `?date=AAAA-MM-JJ`.
fn date_param(query: &HashMap<String, String>) -> Result<NaiveDate, PageError> {
    match query
        .get("date")
        .map(|d| d.trim())
        .filter(|d| !d.is_empty())
    {
        None => Ok(Utc::now().date_naive()),
        Some(raw) => NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| {
            PageError::BadRequest(format!(
                "Paramètre date : « {raw} » n'est pas une date AAAA-MM-JJ."
            ))
        }),
    }
}

fn page(i: Impact, csrf: String) -> ImpactPage {
    let several = i.effects.len() > 1;
    let mut variant = 0;
    let funnel = i
        .arms
        .iter()
        .map(|a| {
            let share = |n: u64| {
                if a.targeted == 0 {
                    "–".to_owned()
                } else {
                    pct(n as f64 / a.targeted as f64)
                }
            };
            let swatch = if a.control {
                9
            } else {
                variant % chart::COLOURS.len()
            };
            if !a.control {
                variant += 1;
            }
            FunnelRow {
                arm: a.arm.clone(),
                control: a.control,
                steps: [
                    a.targeted,
                    a.reached,
                    a.clicked,
                    a.searched,
                    a.acted,
                    a.contracts,
                ]
                .into_iter()
                .map(|count| Step {
                    count,
                    share: share(count),
                })
                .collect(),
                rate: a.rate.map_or_else(
                    || "–".to_owned(),
                    |r| format!("{} [{} ; {}]", pct(r.value), pct(r.low), pct(r.high)),
                ),
                swatch,
            }
        })
        .collect();
    let series: Vec<Series<'_>> = i
        .arms
        .iter()
        .enumerate()
        .map(|(k, a)| Series {
            name: &a.arm,
            control: a.control,
            values: i
                .weeks
                .iter()
                .map(|w| w.shares.get(k).copied().unwrap_or_default())
                .collect(),
        })
        .collect();
    let weeks: Vec<i64> = i.weeks.iter().map(|w| w.week).collect();
    let chart = if weeks.is_empty() {
        String::new()
    } else {
        chart::lines(
            "graphe-contrats",
            "Part des jeunes avec un contrat signé, par semaine depuis le lancement",
            "Une ligne par bras ; le témoin en pointillés. Les valeurs sont dans le tableau qui suit.",
            &weeks,
            &series,
        )
    };
    let effects = i
        .effects
        .iter()
        .map(|e| EffectRow {
            arm: e.arm.clone(),
            unadjusted: e
                .unadjusted
                .as_ref()
                .map_or_else(|| "non estimable".to_owned(), interval),
            unadjusted_p: e
                .unadjusted
                .as_ref()
                .map(|x| p(x, several))
                .unwrap_or_default(),
            stratified: e.stratified.as_ref().map_or_else(
                || "non estimable : aucune strate n'a 2 personnes dans chaque bras".to_owned(),
                interval,
            ),
            stratified_p: e
                .stratified
                .as_ref()
                .map(|x| p(x, several))
                .unwrap_or_default(),
            dropped: if e.strata_dropped == 0 {
                "aucune".to_owned()
            } else {
                format!("{} ({} personnes)", e.strata_dropped, e.people_dropped)
            },
            mde: e
                .mde
                .map(|m| format!("{} pts", points(m)))
                .unwrap_or_else(|| "–".to_owned()),
            contains_zero: e.unadjusted.is_none_or(|u| u.low <= 0.0 && 0.0 <= u.high),
        })
        .collect();
    let srm = i.sample_ratio.map(|s| {
        (
            format!(
                "khi² = {} ({} degré{} de liberté), p = {}",
                format!("{:.2}", s.chi_square).replace('.', ","),
                s.degrees_of_freedom,
                if s.degrees_of_freedom > 1 { "s" } else { "" },
                if s.p_value < 0.001 {
                    "< 0,001".to_owned()
                } else {
                    format!("{:.3}", s.p_value).replace('.', ",")
                }
            ),
            s.mismatch,
        )
    });
    let clicks = i.clicked_vs_not.map(|c| {
        (
            format!("{} ({} personnes)", pct(c.clicked.value), c.clicked.trials),
            format!(
                "{} ({} personnes)",
                pct(c.not_clicked.value),
                c.not_clicked.trials
            ),
            format!("{} pts", points(c.difference.value)),
        )
    });
    ImpactPage {
        meta: Meta {
            title: format!(
                "Suivi de cohorte – {} – Opérateurs – La bonne alternance",
                i.name
            ),
            description: "Suivi de cohorte et impact d'une campagne".into(),
        },
        csrf,
        date: i.date.to_string(),
        date_label: i.date.format("%d/%m/%Y").to_string(),
        launched: i.launched_at.map(when),
        funnel,
        chart,
        week_heads: i.arms.iter().map(|a| a.arm.clone()).collect(),
        week_rows: i
            .weeks
            .iter()
            .map(|w| {
                (
                    format!("S{}", w.week),
                    w.end.format("%d/%m/%Y").to_string(),
                    w.shares.iter().map(|s| pct(*s)).collect(),
                )
            })
            .collect(),
        effects,
        srm,
        clicks,
        several_variants: several,
        i,
    }
}

/// GET `/operateur/campagnes/{id}/impact`.
pub(crate) async fn impact(
    operator: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let date = date_param(&query)?;
    match app::impact(&state.store, &id, date).await {
        Ok(i) => Ok(render(StatusCode::OK, &page(i, operator.csrf))),
        Err(e) => failure(e, Some(format!("/operateur/campagnes/{id}"))),
    }
}

/// GET `/operateur/campagnes/{id}/impact.csv`: the per-arm table.
pub(crate) async fn impact_csv(
    _operator: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let date = date_param(&query)?;
    match app::impact(&state.store, &id, date).await {
        Ok(i) => Ok(crate::operator::views::csv_attachment(
            &format!("impact-{id}-{date}.csv"),
            app::impact_csv(&i),
        )),
        Err(e) => failure(e, None),
    }
}

/// GET `/operateur/campagnes/{id}/personnes.csv`: one pseudonymised row
/// per person.
pub(crate) async fn people_csv(
    _operator: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let date = date_param(&query)?;
    match app::people_csv(&state.store, &state.apply.config.key, &id, date).await {
        Ok(body) => Ok(crate::operator::views::csv_attachment(
            &format!("personnes-{id}-{date}.csv"),
            body,
        )),
        Err(e) => failure(e, None),
    }
}
