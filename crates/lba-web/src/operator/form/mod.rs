//! The campaign form: what operators type, kept as text so that a refused
//! form comes back as typed, and its translation into a
//! [`CampaignSpec`]. Field names are the JSON paths of the specification
//! (`arms[1].templates.sms`, `sending.rate_per_second`…), so that the field
//! [`CampaignSpec::validate`] names is the field the error is shown next to.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use lba_campaign::CampaignSpec;
use serde_json::{Value, json};

mod fields;

pub(crate) use fields::*;

/// Arm rows shown beyond the existing arms (blank rows are ignored).
pub(crate) const SPARE_ARMS: usize = 1;

/// A problem in the form, naming the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FieldError {
    /// The field (`name` attribute, or a group such as `arms`).
    pub(crate) field: String,
    /// What is wrong, in French.
    pub(crate) message: String,
}

impl FieldError {
    fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// One arm row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ArmForm {
    pub(crate) name: String,
    pub(crate) share: String,
    pub(crate) control: bool,
    pub(crate) email_subject: String,
    pub(crate) email_text: String,
    pub(crate) email_html: String,
    pub(crate) sms: String,
}

/// The whole form, as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SpecForm {
    pub(crate) name: String,
    pub(crate) sources: Vec<String>,
    pub(crate) apprenticeship_only: bool,
    pub(crate) levels: Vec<String>,
    pub(crate) departements: String,
    pub(crate) academies: String,
    pub(crate) regions: String,
    pub(crate) wish_statuses: Vec<String>,
    pub(crate) age_min: String,
    pub(crate) age_max: String,
    pub(crate) age_on: String,
    pub(crate) no_contract: bool,
    pub(crate) undecided: bool,
    pub(crate) channels: Vec<String>,
    pub(crate) audience: String,
    pub(crate) arms: Vec<ArmForm>,
    pub(crate) start_at: String,
    pub(crate) rate_per_second: String,
    pub(crate) max_consecutive_errors: String,
    pub(crate) august_blackout: bool,
    pub(crate) sms_max_segments: String,
    pub(crate) cap_max_messages: String,
    pub(crate) cap_window_days: String,
}

impl Default for SpecForm {
    /// A new campaign: apprenticeship-only, email and SMS, parent if minor,
    /// a control arm (20 %) and two variants, the default sending settings.
    fn default() -> Self {
        let sending = lba_campaign::Sending::default();
        let cap = lba_campaign::cap::FrequencyCap::default();
        let arm = |name: &str, share: u32, control: bool| ArmForm {
            name: name.to_owned(),
            share: share.to_string(),
            control,
            ..ArmForm::default()
        };
        Self {
            name: String::new(),
            sources: Vec::new(),
            apprenticeship_only: true,
            levels: Vec::new(),
            departements: String::new(),
            academies: String::new(),
            regions: String::new(),
            wish_statuses: Vec::new(),
            age_min: String::new(),
            age_max: String::new(),
            age_on: String::new(),
            no_contract: true,
            undecided: false,
            channels: vec!["email".into(), "sms".into()],
            audience: "parent_if_minor".into(),
            arms: vec![
                arm("controle", 20, true),
                arm("a", 40, false),
                arm("b", 40, false),
            ],
            start_at: String::new(),
            rate_per_second: sending.rate_per_second.to_string(),
            max_consecutive_errors: sending.max_consecutive_errors.to_string(),
            august_blackout: sending.august_blackout,
            sms_max_segments: sending.sms_max_segments.to_string(),
            cap_max_messages: cap.max_messages.to_string(),
            cap_window_days: cap.window_days.to_string(),
        }
    }
}

impl SpecForm {
    /// The form from the submitted pairs.
    pub(crate) fn from_pairs(p: &Pairs) -> Self {
        let mut arms = Vec::new();
        for i in 0..50 {
            let f = |n: &str| p.get(&format!("arms[{i}].{n}"));
            let present =
                p.0.iter()
                    .any(|(k, _)| k.starts_with(&format!("arms[{i}].")));
            if !present {
                continue;
            }
            arms.push(ArmForm {
                name: f("name").trim().to_owned(),
                share: f("share").trim().to_owned(),
                control: p.checked(&format!("arms[{i}].control")),
                email_subject: f("templates.email_subject"),
                email_text: f("templates.email_text"),
                email_html: f("templates.email_html"),
                sms: f("templates.sms"),
            });
        }
        Self {
            name: p.get("name").trim().to_owned(),
            sources: p.all("segment.sources"),
            apprenticeship_only: p.checked("segment.apprenticeship_only"),
            levels: p.all("segment.levels"),
            departements: p.get("segment.departements"),
            academies: p.all("segment.academies").join(", "),
            regions: p.get("segment.regions"),
            wish_statuses: p.all("segment.wish_statuses"),
            age_min: p.get("segment.age.min").trim().to_owned(),
            age_max: p.get("segment.age.max").trim().to_owned(),
            age_on: p.get("segment.age.on").trim().to_owned(),
            no_contract: p.checked("segment.no_contract"),
            undecided: p.checked("segment.undecided"),
            channels: p.all("channels"),
            audience: p.get("audience"),
            arms,
            start_at: p.get("start_at").trim().to_owned(),
            rate_per_second: p.get("sending.rate_per_second").trim().to_owned(),
            max_consecutive_errors: p.get("sending.max_consecutive_errors").trim().to_owned(),
            august_blackout: p.checked("sending.august_blackout"),
            sms_max_segments: p.get("sending.sms_max_segments").trim().to_owned(),
            cap_max_messages: p.get("cap.max_messages").trim().to_owned(),
            cap_window_days: p.get("cap.window_days").trim().to_owned(),
        }
    }

    /// The form of a stored specification.
    pub(crate) fn from_spec(spec: &CampaignSpec) -> Self {
        let seg = serde_json::to_value(&spec.segment).unwrap_or(Value::Null);
        let strings = |v: &Value| -> Vec<String> {
            v.as_array()
                .map(|a| {
                    a.iter()
                        .map(|x| match x {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let text = |v: &Value| strings(v).join(", ");
        let age = spec.segment.age;
        Self {
            name: spec.name.clone(),
            sources: strings(&seg["sources"]),
            apprenticeship_only: spec.segment.apprenticeship_only,
            levels: spec.segment.levels.iter().map(u8::to_string).collect(),
            departements: spec.segment.departements.join(", "),
            academies: text(&seg["academies"]),
            regions: spec.segment.regions.join(", "),
            wish_statuses: strings(&seg["wish_statuses"]),
            age_min: age
                .and_then(|a| a.min)
                .map(|v| v.to_string())
                .unwrap_or_default(),
            age_max: age
                .and_then(|a| a.max)
                .map(|v| v.to_string())
                .unwrap_or_default(),
            age_on: age.map(|a| a.on.to_string()).unwrap_or_default(),
            no_contract: spec.segment.no_contract,
            undecided: spec.segment.undecided,
            channels: spec
                .channels
                .iter()
                .map(|c| c.as_str().to_owned())
                .collect(),
            audience: serde_json::to_value(spec.audience)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            arms: spec
                .arms
                .iter()
                .map(|a| ArmForm {
                    name: a.name.clone(),
                    share: a.share.to_string(),
                    control: a.control,
                    email_subject: a.templates.email_subject.clone().unwrap_or_default(),
                    email_text: a.templates.email_text.clone().unwrap_or_default(),
                    email_html: a.templates.email_html.clone().unwrap_or_default(),
                    sms: a.templates.sms.clone().unwrap_or_default(),
                })
                .collect(),
            start_at: spec.start_at.map(paris_local).unwrap_or_default(),
            rate_per_second: spec.sending.rate_per_second.to_string(),
            max_consecutive_errors: spec.sending.max_consecutive_errors.to_string(),
            august_blackout: spec.sending.august_blackout,
            sms_max_segments: spec.sending.sms_max_segments.to_string(),
            cap_max_messages: spec.cap.max_messages.to_string(),
            cap_window_days: spec.cap.window_days.to_string(),
        }
    }

    /// The arm rows to show: the typed ones and [`SPARE_ARMS`] blank rows.
    pub(crate) fn arm_rows(&self) -> Vec<ArmForm> {
        let mut rows = self.arms.clone();
        rows.extend(std::iter::repeat_n(ArmForm::default(), SPARE_ARMS));
        rows
    }

    /// The specification, parsed but not validated.
    ///
    /// # Errors
    /// A field that cannot be read (a number, a date, a choice).
    pub(crate) fn to_spec_unchecked(&self) -> Result<CampaignSpec, FieldError> {
        let mut levels = Vec::new();
        for l in &self.levels {
            levels.push(number::<u8>(l, "segment.levels")?);
        }
        let mut segment = json!({
            "sources": self.sources,
            "apprenticeship_only": self.apprenticeship_only,
            "levels": levels,
            "departements": list(&self.departements).iter().map(|d| d.to_uppercase()).collect::<Vec<_>>(),
            "regions": list(&self.regions),
            "wish_statuses": self.wish_statuses,
            "no_contract": self.no_contract,
            "undecided": self.undecided,
        });
        let academies = list(&self.academies);
        if !academies.is_empty() {
            segment["academies"] = json!(academies);
        }
        if !self.age_min.is_empty() || !self.age_max.is_empty() || !self.age_on.is_empty() {
            let on = NaiveDate::parse_from_str(&self.age_on, "%Y-%m-%d").map_err(|_| {
                FieldError::new(
                    "segment.age.on",
                    "date de calcul de l'âge obligatoire avec une tranche d'âge (AAAA-MM-JJ)",
                )
            })?;
            let opt = |s: &str, field: &str| -> Result<Option<u32>, FieldError> {
                if s.is_empty() {
                    Ok(None)
                } else {
                    number::<u32>(s, field).map(Some)
                }
            };
            segment["age"] = json!({
                "min": opt(&self.age_min, "segment.age.min")?,
                "max": opt(&self.age_max, "segment.age.max")?,
                "on": on,
            });
        }
        let mut arms = Vec::new();
        for (i, a) in self.arms.iter().enumerate() {
            let blank = a.name.is_empty()
                && a.share.is_empty()
                && !a.control
                && [&a.email_subject, &a.email_text, &a.email_html, &a.sms]
                    .iter()
                    .all(|t| t.trim().is_empty());
            if blank {
                continue;
            }
            let share = number::<u32>(&a.share, &format!("arms[{i}].share"))?;
            let opt = |s: &str| (!s.trim().is_empty()).then(|| s.to_owned());
            arms.push(json!({
                "name": a.name,
                "share": share,
                "control": a.control,
                "templates": {
                    "email_subject": opt(&a.email_subject),
                    "email_text": opt(&a.email_text),
                    "email_html": opt(&a.email_html),
                    "sms": opt(&a.sms),
                },
            }));
        }
        let start_at = if self.start_at.is_empty() {
            None
        } else {
            Some(parse_paris(&self.start_at).ok_or_else(|| {
                FieldError::new(
                    "start_at",
                    "date et heure de début invalides (AAAA-MM-JJTHH:MM, heure de Paris)",
                )
            })?)
        };
        let audience = if self.audience.is_empty() {
            "young".to_owned()
        } else {
            self.audience.clone()
        };
        let value = json!({
            "name": self.name,
            "segment": segment,
            "channels": self.channels,
            "audience": audience,
            "arms": arms,
            "start_at": start_at,
            "sending": {
                "rate_per_second": number::<u32>(&self.rate_per_second, "sending.rate_per_second")?,
                "max_consecutive_errors": number::<u32>(&self.max_consecutive_errors, "sending.max_consecutive_errors")?,
                "august_blackout": self.august_blackout,
                "sms_max_segments": number::<usize>(&self.sms_max_segments, "sending.sms_max_segments")?,
            },
            "cap": {
                "max_messages": number::<u32>(&self.cap_max_messages, "cap.max_messages")?,
                "window_days": number::<u32>(&self.cap_window_days, "cap.window_days")?,
            },
        });
        serde_json::from_value(value).map_err(|e| {
            let text = e.to_string();
            let field = if text.contains("academies") {
                "segment.academies"
            } else if text.contains("sources") || text.contains("parcoursup") {
                "segment.sources"
            } else if text.contains("wish_statuses") || text.contains("en_attente") {
                "segment.wish_statuses"
            } else if text.contains("channels") || text.contains("email") {
                "channels"
            } else if text.contains("audience") || text.contains("parent_if_minor") {
                "audience"
            } else {
                "form"
            };
            FieldError::new(field, format!("valeur non reconnue ({text})"))
        })
    }

    /// The validated specification.
    ///
    /// # Errors
    /// The first problem, naming its field.
    pub(crate) fn to_spec(&self) -> Result<CampaignSpec, FieldError> {
        let spec = self.to_spec_unchecked()?;
        spec.validate()
            .map_err(|e| FieldError::new(e.field, e.message))?;
        Ok(spec)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(extra: &[(&str, &str)]) -> Pairs {
        let mut v: Vec<(String, String)> = [
            ("name", "Printemps"),
            ("segment.apprenticeship_only", "on"),
            ("segment.levels", "3"),
            ("segment.levels", "4"),
            ("segment.departements", "69, 2a"),
            ("segment.academies", "10"),
            ("channels", "email"),
            ("channels", "sms"),
            ("audience", "parent_if_minor"),
            ("arms[0].name", "controle"),
            ("arms[0].share", "20"),
            ("arms[0].control", "on"),
            ("arms[1].name", "a"),
            ("arms[1].share", "80"),
            ("arms[1].templates.email_subject", "Bonjour {{ prenom }}"),
            ("arms[1].templates.email_text", "Voir {{ lien_recherche }}"),
            ("arms[1].templates.sms", "Salut {{ prenom }}"),
            ("arms[2].name", ""),
            ("arms[2].share", ""),
            ("start_at", "2026-04-01T09:30"),
            ("sending.rate_per_second", "10"),
            ("sending.max_consecutive_errors", "5"),
            ("sending.sms_max_segments", "2"),
            ("cap.max_messages", "2"),
            ("cap.window_days", "7"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        for (k, val) in extra {
            v.retain(|(key, _)| key != k);
            v.push(((*k).to_owned(), (*val).to_owned()));
        }
        Pairs(v)
    }

    #[test]
    fn a_complete_form_builds_the_spec() {
        let form = SpecForm::from_pairs(&pairs(&[]));
        let spec = form.to_spec().unwrap();
        assert_eq!(spec.name, "Printemps");
        assert_eq!(spec.segment.levels, vec![3, 4]);
        assert_eq!(spec.segment.departements, vec!["69", "2A"]);
        assert_eq!(spec.segment.academies, vec!["10"]);
        assert_eq!(spec.arms.len(), 2, "the blank row is ignored");
        assert!(spec.arms[0].control);
        assert_eq!(spec.sending.rate_per_second, 10);
        // 09:30 in Paris in April is 07:30 UTC (summer time).
        assert_eq!(
            spec.start_at.unwrap().to_rfc3339(),
            "2026-04-01T07:30:00+00:00"
        );
        // And back: the edit form shows what was typed.
        let again = SpecForm::from_spec(&spec);
        assert_eq!(again.start_at, "2026-04-01T09:30");
        assert_eq!(again.to_spec().unwrap(), spec);
    }

    #[test]
    fn errors_name_the_form_field() {
        let err = |extra: &[(&str, &str)]| {
            SpecForm::from_pairs(&pairs(extra))
                .to_spec()
                .unwrap_err()
                .field
        };
        assert_eq!(
            err(&[("arms[1].templates.sms", "{{ inconnu }}")]),
            "arms[1].templates.sms"
        );
        assert_eq!(err(&[("arms[1].share", "quatre")]), "arms[1].share");
        assert_eq!(err(&[("arms[1].share", "70")]), "arms");
        assert_eq!(
            err(&[("sending.rate_per_second", "0")]),
            "sending.rate_per_second"
        );
        assert_eq!(err(&[("start_at", "demain")]), "start_at");
        assert_eq!(err(&[("segment.age.min", "16")]), "segment.age.on");
        assert_eq!(err(&[("name", "")]), "name");
    }
}
