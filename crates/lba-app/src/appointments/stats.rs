//! The follow-up of contact requests for `/operateur/cfa`: per CFA and
//! overall, the requests, the share read, the share answered, the median
//! time to answer and the share answered within 3 working days (French
//! calendar: weekends and public holidays).

use chrono::{DateTime, TimeDelta, Utc};
use lba_campaign::holidays::add_working_days;
use lba_store::appointments::AppointmentTimes;
use lba_store::{Store, StoreError};

/// Working days a CFA has to answer before the request counts as late.
pub const ANSWER_WORKING_DAYS: u32 = 3;

/// The figures of one CFA (or of all, `uai` empty).
#[derive(Clone, Debug, PartialEq)]
pub struct CfaStats {
    pub uai: String,
    pub requests: i64,
    pub read: i64,
    pub answered: i64,
    /// Answered within 3 working days.
    pub answered_in_time: i64,
    /// Median time to answer, in hours (answered requests).
    pub median_hours: Option<f64>,
}

impl CfaStats {
    fn share(&self, n: i64) -> Option<f64> {
        (self.requests > 0).then(|| n as f64 / self.requests as f64)
    }

    /// Share read, 0–1.
    pub fn read_share(&self) -> Option<f64> {
        self.share(self.read)
    }

    /// Share answered, 0–1.
    pub fn answered_share(&self) -> Option<f64> {
        self.share(self.answered)
    }

    /// Share answered within 3 working days, 0–1.
    pub fn in_time_share(&self) -> Option<f64> {
        self.share(self.answered_in_time)
    }
}

/// The follow-up: every CFA with requests (most requests first), and the
/// total.
#[derive(Clone, Debug, PartialEq)]
pub struct FollowUp {
    pub total: CfaStats,
    pub cfas: Vec<CfaStats>,
}

fn in_time(t: &AppointmentTimes) -> bool {
    let Some(answered) = t.answered_at else {
        return false;
    };
    let paris = |at: DateTime<Utc>| at.with_timezone(&chrono_tz::Europe::Paris);
    let created = paris(t.created_at);
    let deadline = add_working_days(created.date_naive(), ANSWER_WORKING_DAYS);
    paris(answered).date_naive() <= deadline
}

fn figures(uai: String, rows: &[&AppointmentTimes]) -> CfaStats {
    let mut hours: Vec<f64> = rows
        .iter()
        .filter_map(|t| {
            t.answered_at
                .map(|a| (a - t.created_at).num_minutes() as f64 / 60.0)
        })
        .collect();
    hours.sort_by(f64::total_cmp);
    let median_hours = match hours.len() {
        0 => None,
        n if n % 2 == 1 => Some(hours[n / 2]),
        n => Some((hours[n / 2 - 1] + hours[n / 2]) / 2.0),
    };
    CfaStats {
        uai,
        requests: rows.len() as i64,
        read: rows.iter().filter(|t| t.read_at.is_some()).count() as i64,
        answered: rows.iter().filter(|t| t.answered_at.is_some()).count() as i64,
        answered_in_time: rows.iter().filter(|t| in_time(t)).count() as i64,
        median_hours,
    }
}

/// The follow-up of the requests of the last `days` days.
pub async fn follow_up(
    store: &Store,
    days: i64,
    now: DateTime<Utc>,
) -> Result<FollowUp, StoreError> {
    let rows = store.appointment_times(now - TimeDelta::days(days)).await?;
    let all: Vec<&AppointmentTimes> = rows.iter().collect();
    let total = figures(String::new(), &all);
    let mut by_cfa: std::collections::BTreeMap<String, Vec<&AppointmentTimes>> =
        std::collections::BTreeMap::new();
    for r in &rows {
        by_cfa
            .entry(r.cfa_uai.clone().unwrap_or_default())
            .or_default()
            .push(r);
    }
    let mut cfas: Vec<CfaStats> = by_cfa
        .into_iter()
        .map(|(uai, rows)| figures(uai, &rows))
        .collect();
    cfas.sort_by(|a, b| b.requests.cmp(&a.requests).then(a.uai.cmp(&b.uai)));
    Ok(FollowUp { total, cfas })
}

/// The follow-up as CSV (shares as decimals in [0, 1]).
pub fn follow_up_csv(f: &FollowUp) -> String {
    let mut out = String::from(
        "uai;demandes;lues;repondues;repondues_en_3_jours_ouvres;part_lues;part_repondues;\
         part_en_3_jours;mediane_heures\n",
    );
    let share = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or_default();
    for c in std::iter::once(&f.total).chain(&f.cfas) {
        out.push_str(&format!(
            "{};{};{};{};{};{};{};{};{}\n",
            if c.uai.is_empty() { "total" } else { &c.uai },
            c.requests,
            c.read,
            c.answered,
            c.answered_in_time,
            share(c.read_share()),
            share(c.answered_share()),
            share(c.in_time_share()),
            c.median_hours
                .map(|h| format!("{h:.1}"))
                .unwrap_or_default(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, m, d, h, 0, 0).unwrap()
    }

    #[test]
    fn three_working_days_skip_weekends_and_holidays() {
        let row = |created, answered| AppointmentTimes {
            cfa_uai: Some("0751234J".into()),
            created_at: created,
            read_at: Some(created),
            answered_at: answered,
        };
        // Thursday 7 May 2026, the Friday is a holiday: answered Wednesday
        // 13 is in time, Friday 15 (after Ascension) is late.
        assert!(in_time(&row(at(5, 7, 9), Some(at(5, 13, 15)))));
        assert!(!in_time(&row(at(5, 7, 9), Some(at(5, 15, 9)))));
        assert!(!in_time(&row(at(5, 7, 9), None)));
        let rows = [
            row(at(5, 7, 9), Some(at(5, 7, 11))),
            row(at(5, 7, 9), Some(at(5, 15, 9))),
            row(at(5, 7, 9), None),
        ];
        let refs: Vec<&AppointmentTimes> = rows.iter().collect();
        let f = figures("0751234J".into(), &refs);
        assert_eq!(
            (f.requests, f.read, f.answered, f.answered_in_time),
            (3, 3, 2, 1)
        );
        // Median of 2 h and 192 h.
        assert_eq!(f.median_hours, Some(97.0));
    }
}
