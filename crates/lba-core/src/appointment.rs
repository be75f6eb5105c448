//! A request to contact a CFA about a course ("prise de rendez-vous"): who
//! asks (the young person or a parent), their contact, the reasons ticked
//! from La bonne alternance's list, a free message, and where the request
//! comes from. Validation gives every problem at once, each naming its
//! field, with the same rules and messages as the application form.

use std::fmt;

use crate::application::{PersonName, parse_message};
use crate::contact::{Email, PhoneNumber};

/// Who writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Requester {
    /// The young person.
    Young,
    /// A parent.
    Parent,
}

impl Requester {
    /// The stored and sent spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Young => "jeune",
            Self::Parent => "parent",
        }
    }

    /// Parses the stored spelling.
    pub fn from_stored(s: &str) -> Option<Self> {
        match s {
            "jeune" => Some(Self::Young),
            "parent" => Some(Self::Parent),
            _ => None,
        }
    }
}

/// Where a request comes from (the eligibility is decided per referrer).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Referrer {
    /// The site's course page.
    Lba,
    /// A campaign's tracked link.
    Campaign,
    /// Parcoursup.
    Parcoursup,
    /// Affelnet.
    Affelnet,
}

impl Referrer {
    /// Every referrer.
    pub const ALL: [Self; 4] = [Self::Lba, Self::Campaign, Self::Parcoursup, Self::Affelnet];

    /// The stored and sent spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Lba => "lba",
            Self::Campaign => "campagne",
            Self::Parcoursup => "parcoursup",
            Self::Affelnet => "affelnet",
        }
    }

    /// Parses the stored spelling.
    pub fn from_stored(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// The reasons a young person can tick (La bonne alternance's list), with
/// their code and label.
pub const REASONS: [(&str, &str); 11] = [
    ("inscription", "Modalités d'inscription et d'admission"),
    ("contenu", "Contenu de la formation"),
    ("portes_ouvertes", "Date des journées portes ouvertes"),
    ("frais", "Frais d'inscription et coût de la formation"),
    ("places", "Places disponibles"),
    ("horaires", "Horaires et rythme de l'alternance"),
    ("employeur", "Aide pour trouver un employeur"),
    ("lieu", "Lieu de la formation et transports"),
    ("hebergement", "Hébergement"),
    ("debouches", "Débouchés après la formation"),
    ("autre", "Autre question"),
];

/// The label of reason `code`.
pub fn reason_label(code: &str) -> Option<&'static str> {
    REASONS.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// A field of the request form (and of the API's JSON).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// `type`: jeune or parent.
    Requester,
    /// `firstname`.
    FirstName,
    /// `lastname`.
    LastName,
    /// `email`.
    Email,
    /// `phone`.
    Phone,
    /// `reasons`.
    Reasons,
    /// `message`.
    Message,
    /// `consent`.
    Consent,
}

impl Field {
    /// The name of the field in the form and in the API.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Requester => "type",
            Self::FirstName => "firstname",
            Self::LastName => "lastname",
            Self::Email => "email",
            Self::Phone => "phone",
            Self::Reasons => "reasons",
            Self::Message => "message",
            Self::Consent => "consent",
        }
    }
}

/// The request as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawRequest {
    /// `jeune` or `parent` (empty: jeune).
    pub requester: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// E-mail.
    pub email: String,
    /// Phone.
    pub phone: String,
    /// Reason codes ticked.
    pub reasons: Vec<String>,
    /// Free message.
    pub message: String,
    /// The consent box is ticked.
    pub consent: bool,
}

/// A valid request.
#[derive(Clone, PartialEq, Eq)]
pub struct Request {
    /// Who writes.
    pub requester: Requester,
    /// First name.
    pub first_name: PersonName,
    /// Last name.
    pub last_name: PersonName,
    /// E-mail (not a disposable address).
    pub email: Email,
    /// Phone.
    pub phone: PhoneNumber,
    /// Reason codes, in the list's order, without repeats.
    pub reasons: Vec<&'static str>,
    /// Free message.
    pub message: Option<String>,
}

/// Only the shape: a request holds personal data.
impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Request({}, {} reasons)",
            self.requester.as_str(),
            self.reasons.len()
        )
    }
}

impl RawRequest {
    /// Checks every field; all the problems at once, each with its field.
    pub fn parse(&self) -> Result<Request, Vec<(Field, String)>> {
        let mut problems = Vec::new();
        let requester = match self.requester.trim() {
            "jeune" | "" => Some(Requester::Young),
            "parent" => Some(Requester::Parent),
            _ => {
                problems.push((
                    Field::Requester,
                    "choisissez « jeune » ou « parent »".to_owned(),
                ));
                None
            }
        };
        let mut name = |field, value: &str| match PersonName::parse(value) {
            Ok(n) => Some(n),
            Err(e) => {
                problems.push((field, e.to_string()));
                None
            }
        };
        let first_name = name(Field::FirstName, &self.first_name);
        let last_name = name(Field::LastName, &self.last_name);
        let email = match Email::parse_personal(&self.email) {
            Ok(e) => Some(e),
            Err(e) => {
                problems.push((Field::Email, e.to_string()));
                None
            }
        };
        let phone = match PhoneNumber::parse(&self.phone) {
            Ok(p) => Some(p),
            Err(e) => {
                problems.push((Field::Phone, e.to_string()));
                None
            }
        };
        let mut reasons = Vec::new();
        for code in &self.reasons {
            match REASONS.iter().find(|(c, _)| c == code) {
                Some((c, _)) => {
                    if !reasons.contains(c) {
                        reasons.push(*c);
                    }
                }
                None => problems.push((Field::Reasons, "motif inconnu".to_owned())),
            }
        }
        if reasons.is_empty() && !problems.iter().any(|(f, _)| *f == Field::Reasons) {
            problems.push((Field::Reasons, "cochez au moins un motif".to_owned()));
        }
        reasons.sort_by_key(|c| REASONS.iter().position(|(r, _)| r == c));
        let message = match parse_message(&self.message) {
            Ok(m) => m,
            Err(e) => {
                problems.push((Field::Message, e.to_string()));
                None
            }
        };
        if !self.consent {
            problems.push((
                Field::Consent,
                "cochez la case pour que le CFA puisse vous répondre".to_owned(),
            ));
        }
        match (requester, first_name, last_name, email, phone) {
            (Some(requester), Some(first_name), Some(last_name), Some(email), Some(phone))
                if problems.is_empty() =>
            {
                Ok(Request {
                    requester,
                    first_name,
                    last_name,
                    email,
                    phone,
                    reasons,
                    message,
                })
            }
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> RawRequest {
        RawRequest {
            requester: "jeune".into(),
            first_name: "Léa".into(),
            last_name: "Martin".into(),
            email: "lea.martin@exemple.fr".into(),
            phone: "06 12 34 56 78".into(),
            reasons: vec!["places".into(), "inscription".into(), "places".into()],
            message: "Bonjour, reste-t-il des places ?".into(),
            consent: true,
        }
    }

    #[test]
    fn a_valid_request_keeps_the_reasons_in_the_lists_order() {
        let r = valid().parse().unwrap();
        assert_eq!(r.requester, Requester::Young);
        assert_eq!(r.reasons, vec!["inscription", "places"]);
        assert_eq!(r.phone.e164(), "+33612345678");
        assert!(
            !format!("{r:?}").contains("Léa"),
            "no personal data in Debug"
        );
    }

    #[test]
    fn every_problem_is_named_at_once() {
        let raw = RawRequest {
            requester: "oncle".into(),
            first_name: String::new(),
            last_name: "http://spam.example".into(),
            email: "x@yopmail.com".into(),
            phone: "0899123456".into(),
            reasons: vec!["inconnu".into()],
            message: "voir https://spam.example".into(),
            consent: false,
        };
        let fields: Vec<&str> = raw
            .parse()
            .unwrap_err()
            .iter()
            .map(|(f, _)| f.name())
            .collect();
        assert_eq!(
            fields,
            vec![
                "type",
                "firstname",
                "lastname",
                "email",
                "phone",
                "reasons",
                "message",
                "consent"
            ]
        );
        let mut none = valid();
        none.reasons.clear();
        let problems = none.parse().unwrap_err();
        assert_eq!(
            problems,
            vec![(Field::Reasons, "cochez au moins un motif".to_owned())]
        );
        let long = RawRequest {
            message: "a".repeat(3_001),
            ..valid()
        };
        assert_eq!(long.parse().unwrap_err()[0].0, Field::Message);
    }

    #[test]
    fn codes_round_trip() {
        for r in Referrer::ALL {
            assert_eq!(Referrer::from_stored(r.as_str()), Some(r));
        }
        assert_eq!(Requester::from_stored("parent"), Some(Requester::Parent));
        assert_eq!(reason_label("hebergement"), Some("Hébergement"));
        assert_eq!(reason_label("x"), None);
    }
}
