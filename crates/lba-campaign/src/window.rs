//! When a marketing SMS may leave: Monday to Saturday, 08:00–22:00 Europe/
//! Paris, never on a public holiday, and optionally never in August.
//! [`next_allowed`] gives the first allowed instant at or after a given one,
//! through daylight-saving changes.

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeZone, Timelike, Utc, Weekday};
use chrono_tz::Europe::Paris;
use serde::{Deserialize, Serialize};

use crate::holidays::is_holiday;

/// The sending window of a channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendWindow {
    /// First hour allowed (local time), inclusive.
    pub start_hour: u32,
    /// Hour the window closes (local time), exclusive.
    pub end_hour: u32,
    /// Sundays allowed.
    pub sundays: bool,
    /// Public holidays allowed.
    pub holidays: bool,
    /// No sending at all in August.
    pub august_blackout: bool,
}

impl SendWindow {
    /// The marketing SMS rules: Mon–Sat 08:00–22:00, no holiday.
    pub const MARKETING_SMS: Self = Self {
        start_hour: 8,
        end_hour: 22,
        sundays: false,
        holidays: false,
        august_blackout: false,
    };

    /// The same with the August blackout on or off.
    pub fn with_august_blackout(mut self, on: bool) -> Self {
        self.august_blackout = on;
        self
    }

    fn day_allowed(&self, day: NaiveDate) -> bool {
        (self.sundays || day.weekday() != Weekday::Sun)
            && (self.holidays || !is_holiday(day))
            && !(self.august_blackout && day.month() == 8)
    }

    /// Whether `at` is inside the window.
    pub fn allows(&self, at: DateTime<Utc>) -> bool {
        let local = at.with_timezone(&Paris);
        let hour = local.hour();
        self.day_allowed(local.date_naive()) && hour >= self.start_hour && hour < self.end_hour
    }

    /// The first instant at or after `at` inside the window (`None` only if
    /// no day of the next two years is allowed).
    pub fn next_allowed(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if self.allows(at) {
            return Some(at);
        }
        let local = at.with_timezone(&Paris);
        let mut day = local.date_naive();
        // Today's opening if still ahead, else a later day's.
        if local.hour() >= self.start_hour {
            day = day.checked_add_days(Days::new(1))?;
        }
        for _ in 0..800 {
            if self.day_allowed(day) {
                let open = NaiveTime::from_hms_opt(self.start_hour, 0, 0)?;
                // 08:00 always exists in Paris (changes happen at 02:00/03:00).
                let instant = Paris.from_local_datetime(&day.and_time(open)).earliest()?;
                return Some(instant.with_timezone(&Utc));
            }
            day = day.checked_add_days(Days::new(1))?;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paris(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Paris
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    const W: SendWindow = SendWindow::MARKETING_SMS;

    #[test]
    fn weekday_hours() {
        // Tuesday 3 March 2026.
        assert!(!W.allows(paris(2026, 3, 3, 7, 59)));
        assert!(W.allows(paris(2026, 3, 3, 8, 0)));
        assert!(W.allows(paris(2026, 3, 3, 21, 59)));
        assert!(!W.allows(paris(2026, 3, 3, 22, 0)));
        assert_eq!(
            W.next_allowed(paris(2026, 3, 3, 6, 30)),
            Some(paris(2026, 3, 3, 8, 0))
        );
        assert_eq!(
            W.next_allowed(paris(2026, 3, 3, 22, 30)),
            Some(paris(2026, 3, 4, 8, 0))
        );
    }

    #[test]
    fn saturday_allowed_sunday_not() {
        // Saturday 7 March 2026, 23:00 → Monday 9 March 08:00.
        assert!(W.allows(paris(2026, 3, 7, 10, 0)));
        assert!(!W.allows(paris(2026, 3, 8, 10, 0)));
        assert_eq!(
            W.next_allowed(paris(2026, 3, 7, 23, 0)),
            Some(paris(2026, 3, 9, 8, 0))
        );
    }

    #[test]
    fn holidays_are_skipped() {
        // Saturday 4 April 2026 after hours → Sun 5 (Easter) → Mon 6 (Lundi de Pâques) → Tue 7.
        assert_eq!(
            W.next_allowed(paris(2026, 4, 4, 22, 5)),
            Some(paris(2026, 4, 7, 8, 0))
        );
        // Thursday 14 May 2026 (Ascension).
        assert!(!W.allows(paris(2026, 5, 14, 12, 0)));
        // 1 May 2027 is a Saturday: holiday wins.
        assert!(!W.allows(paris(2027, 5, 1, 12, 0)));
    }

    #[test]
    fn daylight_saving_changes() {
        // Spring forward: Sunday 29 March 2026 02:00 → 03:00. The Monday
        // opening is 08:00 local = 06:00 UTC (was 07:00 UTC the week before).
        let monday = W.next_allowed(paris(2026, 3, 28, 23, 0));
        assert_eq!(
            monday.map(|t| t.to_rfc3339()),
            Some("2026-03-30T06:00:00+00:00".to_owned())
        );
        let before = W.next_allowed(paris(2026, 3, 21, 23, 0));
        assert_eq!(
            before.map(|t| t.to_rfc3339()),
            Some("2026-03-23T07:00:00+00:00".to_owned())
        );
        // Fall back: Sunday 25 October 2026. 21:30 local on Saturday 24 is
        // 19:30 UTC; on Monday 26 the window closes at 21:00 UTC.
        assert!(W.allows("2026-10-24T19:30:00Z".parse().unwrap_or_default()));
        assert!(W.allows("2026-10-26T20:59:00Z".parse().unwrap_or_default()));
        assert!(!W.allows("2026-10-26T21:00:00Z".parse().unwrap_or_default()));
    }

    #[test]
    fn august_blackout() {
        let w = W.with_august_blackout(true);
        assert!(!w.allows(paris(2026, 8, 4, 10, 0)));
        assert!(W.allows(paris(2026, 8, 4, 10, 0)));
        // Friday 31 July 23:00 → Tuesday 1 September 08:00.
        assert_eq!(
            w.next_allowed(paris(2026, 7, 31, 23, 0)),
            Some(paris(2026, 9, 1, 8, 0))
        );
    }
}
