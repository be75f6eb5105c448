//! Pure rules of the campaigns to the cohort of young people with
//! apprenticeship wishes: who is targeted ([`segment`]), who is in which
//! arm ([`arms`], [`power`]), when an SMS may leave ([`holidays`],
//! [`window`]), how long it is ([`sms`]), what it says ([`template`]) and
//! how often a person may be reached ([`cap`]), and the named states of a
//! campaign and its messages ([`status`]).
//!
//! No IO and no async: the store and the sender call these functions.

pub mod academies;
pub mod arms;
pub mod cap;
pub mod estimate;
pub mod holidays;
pub mod impact;
pub mod links;
pub mod outcome;
pub mod person;
pub mod power;
pub mod register;
pub mod segment;
pub mod simulate;
pub mod sms;
pub mod spec;
pub mod status;
pub mod template;
pub mod window;

pub use person::{Person, Source, Wish, WishKind, WishStatus};
pub use spec::{ArmSpec, CampaignSpec, Sending, SpecError};
pub use status::{CampaignStatus, EventKind, MessageStatus, SuppressionReason};
