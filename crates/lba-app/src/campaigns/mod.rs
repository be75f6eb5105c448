//! Campaigns to the cohort: create and edit a specification, assign arms
//! (stored before anything is sent), preview the texts for one person,
//! launch (render every message and enqueue it), pause and resume, report.
//!
//! The pure rules live in `lba_campaign`; the rows in `lba_store::campaigns`
//! and `lba_store::campaign_delivery`; sending is the outbox worker's.

pub mod content;
pub mod events;

mod assign;
mod crud;
mod impact;
mod launch;
mod lifecycle;
mod preview;
mod report;

pub use assign::*;
pub use crud::*;
pub use impact::*;
pub use launch::*;
pub use lifecycle::*;
pub use preview::*;
pub use report::*;

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use chrono::{DateTime, NaiveDate, Utc};
use lba_campaign::segment::{Channel, Recipient};
use lba_campaign::{CampaignSpec, Person, SpecError, arms, power};
use lba_store::campaign_delivery::NewMessage;
use lba_store::campaigns::Assignment;
use lba_store::{Store, StoreError};
use serde::Serialize;

pub use content::{ContentConfig, RenderedMessage};
pub use lba_campaign::CampaignStatus;
/// A campaign as stored: the read model the operator pages show.
pub use lba_store::campaigns::StoredCampaign;

use crate::Search;

/// Messages per store transaction at launch.
pub const LAUNCH_CHUNK: usize = 500;
/// Control rate assumed for the minimum detectable effect (share of people
/// who act without a message).
pub const MDE_BASELINE: f64 = 0.10;
/// At most this many launch issues are listed.
const LISTED_ISSUES: usize = 50;

/// Why a campaign action failed. Messages in French.
#[derive(Debug, thiserror::Error)]
pub enum CampaignError {
    /// No such campaign.
    #[error("campagne introuvable")]
    NotFound,
    /// The specification (or a parameter) is not valid; names the field.
    #[error("{0}")]
    Invalid(SpecError),
    /// The action is not possible in the campaign's status.
    #[error("impossible de {action} : la campagne est « {status} »")]
    WrongStatus {
        /// The current status (French label).
        status: String,
        /// What was attempted, in French ("modifier", "lancer"…).
        action: &'static str,
    },
    /// A text could not be rendered.
    #[error("{0}")]
    Template(String),
    /// The database failed.
    #[error("erreur de la base de données : {0}")]
    Store(#[from] StoreError),
}

fn invalid(field: &str, message: impl Into<String>) -> CampaignError {
    CampaignError::Invalid(SpecError {
        field: field.to_owned(),
        message: message.into(),
    })
}

fn wrong(status: CampaignStatus, action: &'static str) -> CampaignError {
    CampaignError::WrongStatus {
        status: status.label().to_owned(),
        action,
    }
}

fn arm_rows(spec: &CampaignSpec) -> Vec<(String, u32, bool)> {
    spec.arms
        .iter()
        .map(|a| (a.name.clone(), a.share, a.control))
        .collect()
}

fn encode(spec: &CampaignSpec) -> Result<String, CampaignError> {
    serde_json::to_string(spec).map_err(|e| CampaignError::Store(StoreError::Encode(e)))
}

/// When a launch sends: now, or the campaign's start when that is later (and that day).
fn send_day(spec: &CampaignSpec, now: DateTime<Utc>) -> (DateTime<Utc>, NaiveDate) {
    let at = spec.start_at.map_or(now, |s| s.max(now));
    (at, at.date_naive())
}
