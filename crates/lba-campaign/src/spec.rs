//! The specification of a campaign as operators write it (JSON, stored in
//! `campaigns.spec`): who is targeted, on which channels, who receives the
//! message, the arms with their texts, when it starts and how fast it goes.
//! [`CampaignSpec::validate`] is called at save time: every problem is an
//! error naming the field, in French.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::arms::{self, Arm};
use crate::cap::FrequencyCap;
use crate::segment::{Audience, Channel, Segment};
use crate::template::{TemplateError, Templates};

/// Default SMS part limit (GSM-7: 2 parts = 306 characters).
pub const DEFAULT_SMS_MAX_SEGMENTS: usize = 2;

/// One arm with its texts (a control arm has none).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArmSpec {
    /// Name ("controle", "a", "b"…).
    pub name: String,
    /// Share in percent.
    pub share: u32,
    /// The control arm receives nothing.
    #[serde(default)]
    pub control: bool,
    /// The texts of this variant.
    #[serde(default)]
    pub templates: Templates,
}

/// How messages leave.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sending {
    /// Messages per second at most (all channels of the campaign).
    #[serde(default = "default_rate")]
    pub rate_per_second: u32,
    /// The campaign pauses itself after this many consecutive send errors.
    #[serde(default = "default_max_errors")]
    pub max_consecutive_errors: u32,
    /// No message at all in August.
    #[serde(default)]
    pub august_blackout: bool,
    /// SMS longer than this many parts are refused at save time.
    #[serde(default = "default_sms_segments")]
    pub sms_max_segments: usize,
}

fn default_rate() -> u32 {
    20
}
fn default_max_errors() -> u32 {
    20
}
fn default_sms_segments() -> usize {
    DEFAULT_SMS_MAX_SEGMENTS
}

impl Default for Sending {
    fn default() -> Self {
        Self {
            rate_per_second: default_rate(),
            max_consecutive_errors: default_max_errors(),
            august_blackout: false,
            sms_max_segments: default_sms_segments(),
        }
    }
}

/// A campaign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignSpec {
    /// Name shown to operators.
    pub name: String,
    /// Who is targeted.
    #[serde(default)]
    pub segment: Segment,
    /// Channels used (email, sms or both).
    pub channels: Vec<Channel>,
    /// Who receives the message of a targeted person.
    pub audience: Audience,
    /// The control arm and the variants.
    pub arms: Vec<ArmSpec>,
    /// Nothing leaves before this instant (launch time when absent).
    #[serde(default)]
    pub start_at: Option<DateTime<Utc>>,
    /// Throttle, auto-pause, blackout, SMS limit.
    #[serde(default)]
    pub sending: Sending,
    /// Messages per person across campaigns.
    #[serde(default)]
    pub cap: FrequencyCap,
}

/// A problem in a specification, naming the field.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field} : {message}")]
pub struct SpecError {
    /// The field, as a JSON path (`arms[1].templates`).
    pub field: String,
    /// What is wrong, in French.
    pub message: String,
}

impl SpecError {
    fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl CampaignSpec {
    /// The arms as the assignment sees them.
    pub fn arms(&self) -> Vec<Arm> {
        self.arms
            .iter()
            .map(|a| Arm {
                name: a.name.clone(),
                share: a.share,
                control: a.control,
            })
            .collect()
    }

    /// Checks everything that can be checked without a person: name,
    /// channels, arms and shares, one control arm, and for every variant
    /// the templates of each channel present, valid, with known
    /// placeholders only.
    ///
    /// # Errors
    /// The first problem found.
    pub fn validate(&self) -> Result<(), SpecError> {
        if self.name.trim().is_empty() || self.name.chars().count() > 120 {
            return Err(SpecError::new(
                "name",
                "le nom est obligatoire (120 caractères au plus)",
            ));
        }
        if let Some((i, code)) = self
            .segment
            .academies
            .iter()
            .enumerate()
            .find(|(_, c)| crate::academies::academie_name(c).is_none())
        {
            return Err(SpecError::new(
                format!("segment.academies[{i}]"),
                format!("académie inconnue « {code} » (codes à deux chiffres, ex. 10 pour Lyon)"),
            ));
        }
        if self.channels.is_empty() {
            return Err(SpecError::new(
                "channels",
                "choisissez au moins un canal (email, sms)",
            ));
        }
        let arms = self.arms();
        arms::validate(&arms).map_err(|e| SpecError::new("arms", e.to_string()))?;
        if self.arms.iter().filter(|a| a.control).count() != 1 {
            return Err(SpecError::new(
                "arms",
                "il faut exactement un bras témoin (control: true), qui ne reçoit rien",
            ));
        }
        if self.sending.rate_per_second == 0 {
            return Err(SpecError::new(
                "sending.rate_per_second",
                "doit être au moins 1",
            ));
        }
        if self.sending.max_consecutive_errors == 0 {
            return Err(SpecError::new(
                "sending.max_consecutive_errors",
                "doit être au moins 1",
            ));
        }
        if !(1..=10).contains(&self.sending.sms_max_segments) {
            return Err(SpecError::new("sending.sms_max_segments", "entre 1 et 10"));
        }
        if self.cap.max_messages == 0 || self.cap.window_days == 0 {
            return Err(SpecError::new(
                "cap",
                "au moins 1 message sur au moins 1 jour",
            ));
        }
        for (i, arm) in self.arms.iter().enumerate() {
            let field = format!("arms[{i}].templates");
            let t = &arm.templates;
            if arm.control {
                if *t != Templates::default() {
                    return Err(SpecError::new(
                        field,
                        "le bras témoin ne reçoit rien : pas de modèle",
                    ));
                }
                continue;
            }
            for channel in &self.channels {
                let missing = match channel {
                    Channel::Email => [
                        ("email_subject", &t.email_subject),
                        ("email_text", &t.email_text),
                    ]
                    .into_iter()
                    .find(|(_, v)| v.as_deref().is_none_or(|s| s.trim().is_empty()))
                    .map(|(n, _)| n),
                    Channel::Sms => t
                        .sms
                        .as_deref()
                        .is_none_or(|s| s.trim().is_empty())
                        .then_some("sms"),
                };
                if let Some(name) = missing {
                    return Err(SpecError::new(
                        format!("{field}.{name}"),
                        "obligatoire pour ce canal",
                    ));
                }
            }
            t.validate().map_err(|e| {
                let name = match &e {
                    TemplateError::Syntax { name, .. }
                    | TemplateError::Unknown { name, .. }
                    | TemplateError::Render { name, .. } => format!("{field}.{name}"),
                    TemplateError::SmsTooLong { .. } => format!("{field}.sms"),
                };
                SpecError::new(name, e.to_string())
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> CampaignSpec {
        serde_json::from_value(serde_json::json!({
            "name": "Printemps",
            "segment": {"apprenticeship_only": true},
            "channels": ["email", "sms"],
            "audience": "parent_if_minor",
            "arms": [
                {"name": "controle", "share": 20, "control": true},
                {"name": "a", "share": 40, "templates": {
                    "email_subject": "{{ prenom }}", "email_text": "Bonjour", "sms": "Salut {{ prenom }}"}},
                {"name": "b", "share": 40, "templates": {
                    "email_subject": "Vite", "email_text": "{{ lien_recherche }}", "sms": "Go"}}
            ]
        }))
        .unwrap()
    }

    #[test]
    fn a_complete_spec_is_valid_with_defaults() {
        let s = spec();
        assert_eq!(s.validate(), Ok(()));
        assert_eq!(s.sending.rate_per_second, 20);
        assert_eq!(s.cap, FrequencyCap::default());
    }

    #[test]
    fn each_problem_names_its_field() {
        let mut s = spec();
        s.arms[2].templates.sms = None;
        assert_eq!(s.validate().unwrap_err().field, "arms[2].templates.sms");
        let mut s = spec();
        s.arms[1].templates.email_text = Some("{{ inconnu }}".into());
        assert_eq!(
            s.validate().unwrap_err().field,
            "arms[1].templates.email_text"
        );
        let mut s = spec();
        s.arms[0].control = false;
        assert_eq!(s.validate().unwrap_err().field, "arms");
        let mut s = spec();
        s.arms[1].share = 50;
        assert_eq!(s.validate().unwrap_err().field, "arms");
        let mut s = spec();
        s.segment.academies = vec!["10".into(), "99".into()];
        assert_eq!(s.validate().unwrap_err().field, "segment.academies[1]");
        let mut s = spec();
        s.channels.clear();
        assert_eq!(s.validate().unwrap_err().field, "channels");
    }

    #[test]
    fn unknown_fields_are_refused() {
        let mut v = serde_json::to_value(spec()).unwrap();
        v["colour"] = serde_json::json!("red");
        assert!(serde_json::from_value::<CampaignSpec>(v).is_err());
    }
}
