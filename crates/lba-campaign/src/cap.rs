//! Frequency cap: a person receives at most `max_messages` campaign
//! messages (all campaigns, all channels) in any rolling window of
//! `window_days` days.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// The cap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrequencyCap {
    /// Messages allowed in the window.
    pub max_messages: u32,
    /// Window length in days.
    pub window_days: u32,
}

impl Default for FrequencyCap {
    /// Two messages a week.
    fn default() -> Self {
        Self {
            max_messages: 2,
            window_days: 7,
        }
    }
}

impl FrequencyCap {
    /// Whether one more message may be sent at `now` given the send times
    /// of the person's earlier messages.
    pub fn allows(&self, now: DateTime<Utc>, sent: &[DateTime<Utc>]) -> bool {
        let since = now - Duration::days(i64::from(self.window_days));
        let recent = sent.iter().filter(|t| **t > since && **t <= now).count();
        recent < self.max_messages as usize
    }

    /// Where the window starts for `now` (what the store counts from).
    pub fn window_start(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - Duration::days(i64::from(self.window_days))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rolling_window() {
        let cap = FrequencyCap::default();
        let now: DateTime<Utc> = "2026-05-10T10:00:00Z".parse().unwrap();
        let day = |d: i64| now - Duration::days(d);
        assert!(cap.allows(now, &[]));
        assert!(cap.allows(now, &[day(1)]));
        assert!(!cap.allows(now, &[day(1), day(6)]));
        // A message 7 days ago left the window.
        assert!(cap.allows(now, &[day(1), day(7)]));
    }
}
