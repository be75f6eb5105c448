//! The reminders of unanswered requests (French calendar: weekends and
//! public holidays do not count): after 3 working days without an answer,
//! one reminder to the CFA; after 10, whoever asked is told, with up to 3
//! other courses within 30 km that teach the same diploma (or lead to the
//! same métiers) and whose CFA receives requests. `lba serve` runs it every
//! 15 minutes; each step is recorded with its outbox job in one
//! transaction, so it happens once.

use chrono::{DateTime, TimeDelta, Utc};
use lba_campaign::holidays::add_working_days;
use lba_core::appointment::Referrer;
use lba_core::geo::Radius;
use lba_notify::appointment::{Alternative, job, no_answer_job};
use lba_search::RomeFilter;
use lba_store::appointments::Appointment;
use lba_store::outbox::JobKind;
use lba_store::{Store, StoreError};

use super::{Eligibility, eligibility};

/// Working days before the CFA is reminded.
pub const REMIND_CFA_AFTER: u32 = 3;
/// Working days before whoever asked is told.
pub const TELL_YOUNG_AFTER: u32 = 10;
/// Radius of the other courses proposed.
pub const ALTERNATIVES_KM: u16 = 30;

/// What one run did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RemindReport {
    /// Reminders queued to CFAs.
    pub cfa_reminders: usize,
    /// Notices queued to whoever asked.
    pub young_notices: usize,
}

fn paris_day(at: DateTime<Utc>) -> chrono::NaiveDate {
    at.with_timezone(&chrono_tz::Europe::Paris).date_naive()
}

/// The day is past `n` working days after the request's day.
fn past(a: &Appointment, n: u32, now: DateTime<Utc>) -> bool {
    paris_day(now) > add_working_days(paris_day(a.created_at), n)
}

/// Up to 3 other courses near the requested one that receive requests.
async fn alternatives(
    store: &Store,
    search: &crate::Search,
    a: &Appointment,
) -> Result<Vec<Alternative>, StoreError> {
    let index = search.snapshot();
    let Some(course) = index.formations.get(&a.formation_id) else {
        return Ok(Vec::new());
    };
    let Ok(filter) = RomeFilter::codes(course.romes.clone()) else {
        return Ok(Vec::new());
    };
    let radius = Radius::new(ALTERNATIVES_KM).unwrap_or_default();
    let same = |f: &lba_core::opportunity::Formation| {
        f.id != course.id
            && f.cfa_name != course.cfa_name
            && (course.cfd.is_none() || f.cfd == course.cfd)
    };
    let mut hits = index
        .formations
        .find(&filter, Some(course.place.point), radius, &same);
    hits.sort_by(|x, y| {
        x.distance_km
            .unwrap_or(f64::MAX)
            .total_cmp(&y.distance_km.unwrap_or(f64::MAX))
    });
    let mut out = Vec::new();
    for hit in hits {
        let Some(f) = index.formations.docs.get(hit.id as usize) else {
            continue;
        };
        if matches!(
            eligibility(store, f, Referrer::Lba).await?,
            Eligibility::Accepts(_)
        ) {
            out.push(Alternative {
                id: f.id.clone(),
                title: f.title.clone(),
                cfa: f.cfa_name.clone(),
                city: f.place.city.to_string(),
            });
        }
        if out.len() == 3 {
            break;
        }
    }
    Ok(out)
}

/// Queues the reminders due at `now`.
pub async fn remind(
    store: &Store,
    search: &crate::Search,
    now: DateTime<Utc>,
) -> Result<RemindReport, StoreError> {
    let mut report = RemindReport::default();
    for a in store
        .appointments_waiting(now - TimeDelta::days(60))
        .await?
    {
        if a.reminded_at.is_none()
            && past(&a, REMIND_CFA_AFTER, now)
            && store
                .mark_appointment_reminded(
                    &a.id,
                    false,
                    now,
                    &job(JobKind::CfaAppointmentReminder, &a.id, now),
                )
                .await?
        {
            report.cfa_reminders += 1;
        }
        if a.young_told_at.is_none() && past(&a, TELL_YOUNG_AFTER, now) {
            let others = alternatives(store, search, &a).await?;
            if store
                .mark_appointment_reminded(&a.id, true, now, &no_answer_job(&a.id, &others, now))
                .await?
            {
                report.young_notices += 1;
            }
        }
    }
    Ok(report)
}
