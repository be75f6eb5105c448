//! Who a campaign targets: typed filters over the cohort ([`Segment`]) and
//! who receives the message for a targeted person ([`Audience`]).

use chrono::NaiveDate;
use lba_core::contact::{Email, PhoneNumber};
use serde::{Deserialize, Serialize};

use crate::person::{Person, Source, WishKind, WishStatus};

/// An age band in whole years at a date, bounds included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgeBand {
    /// Youngest age.
    pub min: Option<u32>,
    /// Oldest age.
    pub max: Option<u32>,
    /// The day ages are computed at.
    pub on: NaiveDate,
}

/// Typed filters; every filter set must match (empty lists match all).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Segment {
    /// Platforms.
    #[serde(default)]
    pub sources: Vec<Source>,
    /// Only candidates without any student-status wish.
    #[serde(default)]
    pub apprenticeship_only: bool,
    /// Levels of the main wish (3 = CAP … 7).
    #[serde(default)]
    pub levels: Vec<u8>,
    /// Départements of residence.
    #[serde(default)]
    pub departements: Vec<String>,
    /// Académies of residence (codes of [`crate::academies::ACADEMIES`]).
    #[serde(default)]
    pub academies: Vec<String>,
    /// Régions of residence.
    #[serde(default)]
    pub regions: Vec<String>,
    /// Statuses one apprenticeship wish at least must have.
    #[serde(default)]
    pub wish_statuses: Vec<WishStatus>,
    /// Age band.
    #[serde(default)]
    pub age: Option<AgeBand>,
    /// Only people without a signed contract.
    #[serde(default)]
    pub no_contract: bool,
    /// Only people undecided about the métier ([`Person::is_undecided`]),
    /// for the orientation campaigns.
    #[serde(default)]
    pub undecided: bool,
}

impl Segment {
    /// Whether `person` is targeted.
    pub fn matches(&self, person: &Person) -> bool {
        let any = |list_empty: bool, ok: bool| list_empty || ok;
        any(
            self.sources.is_empty(),
            self.sources.contains(&person.source),
        ) && (!self.apprenticeship_only || person.apprenticeship_only)
            && any(
                self.levels.is_empty(),
                person.level().is_some_and(|l| self.levels.contains(&l)),
            )
            && any(
                self.departements.is_empty(),
                person
                    .departement
                    .as_ref()
                    .is_some_and(|d| self.departements.contains(d)),
            )
            && any(
                self.academies.is_empty(),
                person
                    .departement
                    .as_deref()
                    .and_then(crate::academies::academie_of)
                    .is_some_and(|a| self.academies.iter().any(|x| x == a)),
            )
            && any(
                self.regions.is_empty(),
                person
                    .region
                    .as_ref()
                    .is_some_and(|r| self.regions.contains(r)),
            )
            && any(
                self.wish_statuses.is_empty(),
                person.wishes.iter().any(|w| {
                    w.kind == WishKind::Apprentissage && self.wish_statuses.contains(&w.status)
                }),
            )
            && self.age.is_none_or(|band| {
                person.age_on(band.on).is_some_and(|a| {
                    band.min.is_none_or(|min| a >= min) && band.max.is_none_or(|max| a <= max)
                })
            })
            && (!self.no_contract || !person.has_contract())
            && (!self.undecided || person.is_undecided())
    }
}

/// Who receives the messages for a targeted person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// The young person only.
    Young,
    /// A parent when the person is under 18 at send time and a parent
    /// contact exists for the channel; else the young person.
    ParentIfMinor,
    /// The young person and, when under 18, a parent too (unless the
    /// parent's address is the young person's own).
    Both,
}

/// A recipient kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Recipient {
    /// The young person.
    Young,
    /// A parent.
    Parent,
}

impl Recipient {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Young => "young",
            Self::Parent => "parent",
        }
    }

    /// Parses a stored spelling.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Young, Self::Parent]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// A channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// E-mail.
    Email,
    /// SMS.
    Sms,
}

impl Channel {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Sms => "sms",
        }
    }

    /// Parses a stored spelling.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Email, Self::Sms]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// A resolved address on a channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Address {
    /// E-mail.
    Email(Email),
    /// Mobile.
    Mobile(PhoneNumber),
}

impl Address {
    /// The stored form (address or E.164).
    pub fn as_str(&self) -> &str {
        match self {
            Self::Email(e) => e.as_str(),
            Self::Mobile(m) => m.e164(),
        }
    }

    /// Whether two addresses reach the same mailbox or phone (e-mail
    /// addresses compared whatever their case).
    pub fn same_as(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Email(a), Self::Email(b)) => a.normalized() == b.normalized(),
            (Self::Mobile(a), Self::Mobile(b)) => a == b,
            _ => false,
        }
    }
}

impl Audience {
    /// The recipients of `person` on `channel` when sending on `day`.
    pub fn recipients(
        self,
        person: &Person,
        channel: Channel,
        day: NaiveDate,
    ) -> Vec<(Recipient, Address)> {
        let own = match channel {
            Channel::Email => person.email.clone().map(Address::Email),
            Channel::Sms => person.mobile.clone().map(Address::Mobile),
        };
        let parent = match channel {
            Channel::Email => person.parent_email.clone().map(Address::Email),
            Channel::Sms => person.parent_mobile.clone().map(Address::Mobile),
        }
        .filter(|_| person.is_minor_on(day));
        let mut out = Vec::new();
        match self {
            Self::Young => out.extend(own.map(|a| (Recipient::Young, a))),
            Self::ParentIfMinor => match parent {
                Some(p) => out.push((Recipient::Parent, p)),
                None => out.extend(own.map(|a| (Recipient::Young, a))),
            },
            Self::Both => {
                // A parent sharing the young person's address gets the
                // young person's message only, not a second copy.
                let parent = parent.filter(|p| !own.as_ref().is_some_and(|o| o.same_as(p)));
                out.extend(own.map(|a| (Recipient::Young, a)));
                out.extend(parent.map(|p| (Recipient::Parent, p)));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person::Wish;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn person(birth: NaiveDate) -> Person {
        Person {
            id: "parcoursup:1".into(),
            source: Source::Parcoursup,
            candidate_id: "1".into(),
            first_name: "Léa".into(),
            last_name: "Martin".into(),
            birth_date: Some(birth),
            email: Some(Email::parse("lea@exemple.fr").unwrap()),
            mobile: Some(PhoneNumber::parse("0639981234").unwrap()),
            parent_email: Some(Email::parse("parent@exemple.fr").unwrap()),
            parent_mobile: None,
            postal_code: None,
            commune_insee: None,
            departement: Some("01".into()),
            region: Some("84".into()),
            home: None,
            school_uai: None,
            class: None,
            apprenticeship_only: true,
            wishes: vec![Wish {
                key: "cle:F".into(),
                position: 0,
                course_key: Some("F".into()),
                parcoursup_id: None,
                cfa_uai: None,
                cfa_siret: None,
                cfd: None,
                formation_id: Some("F".into()),
                linked_cfa_uai: None,
                level: Some(3),
                kind: WishKind::Apprentissage,
                status: WishStatus::Propose,
                contract_signed: false,
            }],
        }
    }

    #[test]
    fn minors_reach_a_parent_until_their_birthday() {
        let p = person(d(2008, 6, 10));
        let before = d(2026, 6, 9);
        let after = d(2026, 6, 10);
        let kinds = |a: Audience, c: Channel, day| {
            a.recipients(&p, c, day)
                .into_iter()
                .map(|(r, _)| r)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            kinds(Audience::ParentIfMinor, Channel::Email, before),
            [Recipient::Parent]
        );
        assert_eq!(
            kinds(Audience::ParentIfMinor, Channel::Email, after),
            [Recipient::Young]
        );
        // No parent mobile: the SMS goes to the young person.
        assert_eq!(
            kinds(Audience::ParentIfMinor, Channel::Sms, before),
            [Recipient::Young]
        );
        assert_eq!(
            kinds(Audience::Both, Channel::Email, before),
            [Recipient::Young, Recipient::Parent]
        );
        assert_eq!(
            kinds(Audience::Both, Channel::Email, after),
            [Recipient::Young]
        );
        assert_eq!(
            kinds(Audience::Young, Channel::Email, before),
            [Recipient::Young]
        );
    }

    #[test]
    fn a_parent_sharing_the_young_persons_mailbox_is_written_to_once() {
        let mut p = person(d(2008, 6, 10));
        // The same mailbox typed differently on the two lines of the export.
        p.email = Some(Email::parse("Lea@Exemple.fr").unwrap());
        p.parent_email = Some(Email::parse("lea@exemple.fr").unwrap());
        p.parent_mobile = p.mobile.clone();
        let before = d(2026, 6, 9);
        for channel in [Channel::Email, Channel::Sms] {
            let got = Audience::Both.recipients(&p, channel, before);
            assert_eq!(got.len(), 1, "{channel:?}: {got:?}");
            assert_eq!(got[0].0, Recipient::Young, "{channel:?}");
        }
        // Different mailboxes: both.
        p.parent_email = Some(Email::parse("parent@exemple.fr").unwrap());
        assert_eq!(
            Audience::Both.recipients(&p, Channel::Email, before).len(),
            2
        );
    }

    #[test]
    fn undecided_people() {
        let mut p = person(d(2008, 6, 10));
        let seg = Segment {
            undecided: true,
            ..Segment::default()
        };
        // One apprenticeship wish linked to a course: decided.
        assert!(!p.is_undecided());
        assert!(!seg.matches(&p));
        // Two wishes in the same NSF domain (31: échanges et gestion).
        p.wishes[0].cfd = Some("32031313".into());
        let mut second = p.wishes[0].clone();
        second.key = "cle:G".into();
        second.cfd = Some("32031312".into());
        p.wishes.push(second);
        assert!(!p.is_undecided());
        // A third in another domain (22: cuisine): undecided.
        let mut third = p.wishes[0].clone();
        third.key = "cle:H".into();
        third.cfd = Some("50022135".into());
        p.wishes.push(third);
        assert!(p.is_undecided());
        assert!(seg.matches(&p));
        // No apprenticeship wish linked to a course: undecided.
        p.wishes.truncate(1);
        p.wishes[0].formation_id = None;
        assert!(p.is_undecided());
        // A student-status wish does not count.
        p.wishes[0].kind = WishKind::Scolaire;
        p.wishes[0].formation_id = Some("F".into());
        assert!(p.is_undecided());
        // The filter is off by default.
        assert!(Segment::default().matches(&p));
    }

    #[test]
    fn filters() {
        let mut p = person(d(2008, 6, 10));
        let all = Segment::default();
        assert!(all.matches(&p));
        let seg = Segment {
            sources: vec![Source::Parcoursup],
            apprenticeship_only: true,
            levels: vec![3, 4],
            departements: vec!["01".into()],
            wish_statuses: vec![WishStatus::Propose],
            age: Some(AgeBand {
                min: Some(16),
                max: Some(17),
                on: d(2026, 5, 1),
            }),
            no_contract: true,
            ..Segment::default()
        };
        assert!(seg.matches(&p));
        for change in 0..5 {
            let mut q = p.clone();
            match change {
                0 => q.apprenticeship_only = false,
                1 => q.wishes[0].level = Some(5),
                2 => q.departement = Some("69".into()),
                3 => q.wishes[0].contract_signed = true,
                _ => q.birth_date = Some(d(2006, 1, 1)),
            }
            assert!(!seg.matches(&q), "change {change}");
        }
        p.source = Source::Affelnet;
        assert!(!seg.matches(&p));
        // Ain (01) is in the académie of Lyon (10).
        let mut q = p.clone();
        q.source = Source::Parcoursup;
        let lyon = Segment {
            academies: vec!["10".into()],
            ..Segment::default()
        };
        assert!(lyon.matches(&q));
        q.departement = Some("75".into());
        assert!(!lyon.matches(&q));
        q.departement = None;
        assert!(!lyon.matches(&q));
    }
}
