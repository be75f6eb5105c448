//! The kinds of outbox jobs (`crate::outbox`): one per thing the worker
//! sends, stored by name.

/// What a job sends: every kind of outbox job, stored as [`JobKind::as_str`].
/// The worker (`lba-notify`) has one handler per kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobKind {
    /// The application with its CV, to the recruiter.
    RecruiterApplication,
    /// "Your application was sent", to the candidate.
    CandidateConfirmation,
    /// "Your application could not be sent", to the candidate.
    CandidateFailure,
    /// The recruiter's answer, to the candidate.
    CandidateAnswer,
    /// One campaign message (`lba_store::campaign_delivery`), by email or SMS.
    CampaignMessage,
    /// A contact request, to the CFA (`lba_store::appointments`).
    CfaAppointment,
    /// "Your request was sent", to whoever asked.
    AppointmentConfirmation,
    /// The CFA's answer, to whoever asked.
    AppointmentAnswer,
    /// No answer after 3 working days: a reminder to the CFA.
    CfaAppointmentReminder,
    /// No answer after 10 working days: whoever asked is told, with other
    /// CFAs nearby.
    AppointmentNoAnswer,
    /// The CFA's address refused the request: whoever asked is told at once.
    AppointmentUndeliverable,
    /// A sign-in link of the pro space (`lba_store::pro`).
    ProSignInLink,
    /// An offer expires in 7 days, or tomorrow: extend or close it.
    ProOfferReminder,
    /// A CFA a recruiter chose receives the offer and the company's details.
    ProDelegation,
    /// The recruiter's recap of the CFAs contacted.
    ProDelegationRecap,
    /// An OPCO's digest of the companies waiting for its validation.
    ProOpcoDigest,
}

impl JobKind {
    /// Every kind.
    pub const ALL: [Self; 16] = [
        Self::RecruiterApplication,
        Self::CandidateConfirmation,
        Self::CandidateFailure,
        Self::CandidateAnswer,
        Self::CampaignMessage,
        Self::CfaAppointment,
        Self::AppointmentConfirmation,
        Self::AppointmentAnswer,
        Self::CfaAppointmentReminder,
        Self::AppointmentNoAnswer,
        Self::AppointmentUndeliverable,
        Self::ProSignInLink,
        Self::ProOfferReminder,
        Self::ProDelegation,
        Self::ProDelegationRecap,
        Self::ProOpcoDigest,
    ];

    /// Stable name stored in the outbox.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::RecruiterApplication => "recruiter_application",
            Self::CandidateConfirmation => "candidate_confirmation",
            Self::CandidateFailure => "candidate_failure",
            Self::CandidateAnswer => "candidate_answer",
            Self::CampaignMessage => "campaign_message",
            Self::CfaAppointment => "cfa_appointment",
            Self::AppointmentConfirmation => "appointment_confirmation",
            Self::AppointmentAnswer => "appointment_answer",
            Self::CfaAppointmentReminder => "cfa_appointment_reminder",
            Self::AppointmentNoAnswer => "appointment_no_answer",
            Self::AppointmentUndeliverable => "appointment_undeliverable",
            Self::ProSignInLink => "pro_sign_in_link",
            Self::ProOfferReminder => "pro_offer_reminder",
            Self::ProDelegation => "pro_delegation",
            Self::ProDelegationRecap => "pro_delegation_recap",
            Self::ProOpcoDigest => "pro_opco_digest",
        }
    }

    /// Parses a stored name.
    #[must_use]
    pub fn from_stored(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// A job of the pro space (`lba_notify::pro` sends it).
    #[must_use]
    pub const fn is_pro_space(self) -> bool {
        matches!(
            self,
            Self::ProSignInLink
                | Self::ProOfferReminder
                | Self::ProDelegation
                | Self::ProDelegationRecap
                | Self::ProOpcoDigest
        )
    }

    /// The dedupe key of this kind of job about `subject` (an application,
    /// a campaign message).
    #[must_use]
    pub fn key(self, subject: &str) -> String {
        format!("{}:{subject}", self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::JobKind;

    #[test]
    fn every_kind_round_trips_and_the_pro_space_ones_are_named_so() {
        for kind in JobKind::ALL {
            assert_eq!(JobKind::from_stored(kind.as_str()), Some(kind));
            assert_eq!(
                kind.is_pro_space(),
                kind.as_str().starts_with("pro_"),
                "{kind:?}"
            );
        }
        assert_eq!(JobKind::from_stored("nope"), None);
    }
}
