//! The orientation experiment: which ranking method and presentation a
//! visitor gets (a stable keyed hash of their key, so the same visitor
//! always sees the same arm and nobody can choose it), the results pages
//! recorded with the métiers shown, and what followed them.

use chrono::{DateTime, TimeDelta, Utc};
use lba_notify::LinkKey;
use lba_search::orientation::Method;
use lba_store::orientation::{FollowUpKind, NewView, ShownSuggestion};
use lba_store::{Store, StoreError};

use crate::learning::Learner;

/// A reload of the same questionnaire within this time reuses its view.
const RELOAD_MINUTES: i64 = 30;
/// An application counts as following results shown within this time.
const FOLLOW_UP_DAYS: i64 = 30;

/// How the reasons are presented (the experiment's second factor).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Presentation {
    /// Every reason, the labour-market tension sentence included.
    WithTension,
    /// The same without the tension and trend sentences.
    WithoutTension,
}

impl Presentation {
    /// Both presentations, in a stable order.
    pub const ALL: [Presentation; 2] = [Presentation::WithTension, Presentation::WithoutTension];

    /// The stored spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::WithTension => "avec_tension",
            Self::WithoutTension => "sans_tension",
        }
    }

    /// In words, for the operators.
    pub const fn label(self) -> &'static str {
        match self {
            Self::WithTension => "avec la phrase sur les difficultés de recrutement",
            Self::WithoutTension => "sans la phrase sur les difficultés de recrutement",
        }
    }
}

/// A visitor's arm of the experiment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Arm {
    pub method: Method,
    pub presentation: Presentation,
}

/// The arm of `visitor_key`: two independent bits of
/// HMAC-SHA256(site key, "orientation:" + key), so stable for a visitor,
/// balanced over visitors and independent of the campaign arms.
pub fn assign(key: &LinkKey, visitor_key: &str) -> Arm {
    let hash = key.keyed_hash(&format!("orientation:{visitor_key}"));
    // The first base64url character carries the top six bits of the MAC.
    let bits = hash.bytes().next().map_or(0, sextet);
    Arm {
        method: if bits & 1 == 0 {
            Method::Interests
        } else {
            Method::Avenir
        },
        presentation: if bits & 2 == 0 {
            Presentation::WithTension
        } else {
            Presentation::WithoutTension
        },
    }
}

/// The value of a base64url character.
fn sextet(c: u8) -> u8 {
    match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'-' => 62,
        _ => 63,
    }
}

/// What is recorded of one results page.
pub(crate) struct ViewRecord<'a> {
    pub learner: &'a Learner,
    pub arm: Arm,
    pub interests: &'a [i32],
    pub ordered: bool,
    pub level: Option<u8>,
    pub commune_insee: Option<String>,
    pub departement: Option<String>,
    /// (ROME code, score) in rank order.
    pub suggestions: Vec<(String, f64)>,
}

/// Records a results page (or finds the same one shown less than 30
/// minutes ago); its id.
pub(crate) async fn record_view(
    store: &Store,
    writer: &super::writer::ViewWriter,
    record: ViewRecord<'_>,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let who = record.learner.stored();
    let interests = record
        .interests
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let query_key = format!(
        "{interests}|{}|{}|{}",
        u8::from(record.ordered),
        record.level.map(|l| l.to_string()).unwrap_or_default(),
        record.commune_insee.as_deref().unwrap_or_default(),
    );
    let since = now - TimeDelta::minutes(RELOAD_MINUTES);
    if let Some(id) = store
        .orientation_recent_view(&who.key, &query_key, since)
        .await?
    {
        return Ok(id);
    }
    let view = NewView {
        visitor_key: who.key.clone(),
        person_id: who.person_id.clone(),
        campaign_id: who.campaign_id.clone(),
        arm: who.arm.clone(),
        method: record.arm.method.as_str().to_owned(),
        presentation: record.arm.presentation.as_str().to_owned(),
        query_key,
        interests,
        ordered: record.ordered,
        level: record.level.map(i64::from),
        commune_insee: record.commune_insee,
        departement: record.departement,
        suggestions: record
            .suggestions
            .into_iter()
            .zip(1..)
            .map(|((rome, score), rank)| (rank, rome, score))
            .collect(),
    };
    writer.write(store, view, now).await
}

/// Where a suggestion's link leads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Destination {
    /// The ROME fiche.
    Fiche,
    /// The search of the métier near the place.
    Search,
}

/// Follows suggestion `rank` of view `view_id` to `destination`: recorded
/// when the view is the visitor's own (a shared link is followed without
/// being counted); the suggestion, `None` when unknown.
pub async fn follow(
    store: &Store,
    learner: &Learner,
    view_id: i64,
    rank: i64,
    destination: Destination,
    now: DateTime<Utc>,
) -> Result<Option<ShownSuggestion>, StoreError> {
    let Some(suggestion) = store.orientation_suggestion(view_id, rank).await? else {
        return Ok(None);
    };
    if suggestion.visitor_key == learner.key() {
        let kind = match destination {
            Destination::Fiche => FollowUpKind::Fiche,
            Destination::Search => FollowUpKind::Search,
        };
        store
            .orientation_follow_up(view_id, kind, Some((rank, &suggestion.rome)), now)
            .await?;
    }
    Ok(Some(suggestion))
}

/// Records an application sent by `learner`, when they were shown
/// orientation results in the last 30 days; whether it was recorded.
pub async fn application_sent(
    store: &Store,
    learner: &Learner,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let since = now - TimeDelta::days(FOLLOW_UP_DAYS);
    match store.orientation_latest_view(learner.key(), since).await? {
        Some(view) => {
            store
                .orientation_follow_up(view, FollowUpKind::Application, None, now)
                .await?;
            Ok(true)
        }
        None => Ok(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_assignment_is_stable_balanced_and_keyed() {
        let key = LinkKey::new(b"secret of the site, 32 bytes long!!");
        let other = LinkKey::new(b"another secret of the site, 32 bytes");
        let mut counts = std::collections::HashMap::new();
        let mut differs = 0;
        for i in 0..4_000 {
            let visitor = format!("v:{i:032x}");
            let arm = assign(&key, &visitor);
            assert_eq!(arm, assign(&key, &visitor), "stable");
            if arm != assign(&other, &visitor) {
                differs += 1;
            }
            *counts.entry(arm).or_insert(0u32) += 1;
        }
        // Four arms of about 1,000 each (binomial sd ≈ 27).
        assert_eq!(counts.len(), 4);
        for (arm, n) in &counts {
            assert!((880..=1_120).contains(n), "{arm:?}: {n}");
        }
        // Another key gives another assignment (about 3 in 4 differ).
        assert!((2_700..=3_300).contains(&differs), "{differs}");
    }

    #[test]
    fn base64url_sextets() {
        assert_eq!(sextet(b'A'), 0);
        assert_eq!(sextet(b'z'), 51);
        assert_eq!(sextet(b'9'), 61);
        assert_eq!(sextet(b'-'), 62);
        assert_eq!(sextet(b'_'), 63);
    }
}
