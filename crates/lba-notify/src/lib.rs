//! Outgoing messages of La bonne alternance: emails rendered from
//! templates ([`email`]), sent over SMTP or written to a folder
//! ([`mailer`]), signed one-click links ([`links`]), the optional virus
//! scan of attachments ([`clamav`]) and the outbox worker that delivers
//! application emails ([`worker`], job kinds in [`jobs`]).
//!
//! Nothing here is called from a request: requests write outbox rows (in
//! the same transaction as what they are about) and the worker sends.

pub mod appointment;
pub mod campaign;
pub mod clamav;
pub mod email;
pub mod jobs;
pub mod links;
pub mod mailer;
pub mod pro;
pub mod sms;
pub mod smtp_pool;
pub mod worker;

pub use email::EmailContext;
pub use links::{LinkError, LinkKey, Signature, sign, verify};
pub use mailer::{Mailer, SendError, SmtpSettings, TlsMode};
pub use sms::{SmsGateway, SmsSettings};
pub use worker::{Worker, WorkerConfig};
