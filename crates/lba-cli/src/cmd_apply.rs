//! Wiring of applications and email delivery: the mailer (SMTP or `.eml`
//! folder), the link key, the web apply state, and `lba worker`.

use std::time::Duration;

use anyhow::Context;
use chrono::TimeDelta;
use lba_app::lba_notify::{
    EmailContext, LinkKey, Mailer, SmsGateway, SmsSettings, SmtpSettings, Worker, WorkerConfig,
};
use lba_store::Store;

use crate::config::NotifyArgs;

/// The link key: configured, or generated once and kept in the database.
pub async fn link_key(store: &Store, args: &NotifyArgs) -> anyhow::Result<LinkKey> {
    Ok(lba_app::apply::link_key(store, args.link_secret.as_deref()).await?)
}

/// The state of the application routes of `lba serve`.
pub fn apply_state(key: LinkKey, rate_limit: u32) -> lba_web::ApplyState {
    lba_web::ApplyState::new(
        lba_app::apply::ApplyConfig {
            limits: lba_app::apply::ApplyLimits::default(),
            key,
        },
        lba_web::RateLimit {
            max: rate_limit,
            window: Duration::from_secs(60),
        },
    )
}

/// The worker described by `args`.
pub fn worker(store: &Store, args: &NotifyArgs, key: LinkKey) -> anyhow::Result<Worker> {
    let mailer = match &args.smtp_url {
        Some(url) if !url.is_empty() => {
            let settings = SmtpSettings::parse(url)?;
            tracing::info!(host = %settings.host, port = settings.port, tls = ?settings.tls, "emails go to the SMTP server");
            Mailer::smtp_pooled(&settings, u32::from(args.worker_concurrency.max(1)))?
        }
        _ => {
            tracing::info!(dir = %args.mail_dir.display(), "no SMTP server: emails are written as .eml files");
            Mailer::file(&args.mail_dir)
        }
    };
    let from = args
        .mail_from
        .parse()
        .with_context(|| format!("LBA_MAIL_FROM invalide : {}", args.mail_from))?;
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "lba".to_owned());
    Ok(Worker::new(
        store.clone(),
        mailer,
        WorkerConfig {
            worker_id: format!("{host}-{}", std::process::id()),
            lease: TimeDelta::seconds(args.worker_lease_secs.max(1)),
            batch: args.worker_batch.max(1),
            concurrency: usize::from(args.worker_concurrency.max(1)),
            max_attempts: args.mail_max_attempts.max(1),
            backoff: TimeDelta::seconds(args.mail_retry_secs.max(0)),
            poll: Duration::from_millis(args.worker_poll_ms.max(10)),
            clamav: args.clamav_addr.clone().filter(|a| !a.is_empty()),
            email: EmailContext {
                from,
                public_url: args.public_url.trim_end_matches('/').to_owned(),
                contact: args.mail_contact.clone(),
            },
            key,
        },
    )
    .with_sms(sms_gateway(args)?))
}

/// The SMS gateway of campaigns, when LBA_SMS_API_URL and LBA_SMS_API_KEY
/// are both set.
pub fn sms_gateway(args: &NotifyArgs) -> anyhow::Result<Option<SmsGateway>> {
    let url = args.sms_api_url.as_deref().filter(|u| !u.trim().is_empty());
    let key = args.sms_api_key.as_deref().filter(|k| !k.trim().is_empty());
    match (url, key) {
        (None, None) => {
            tracing::info!("no SMS gateway (LBA_SMS_API_URL): campaign SMS wait until one is set");
            Ok(None)
        }
        (Some(_), None) => anyhow::bail!("LBA_SMS_API_KEY manquant (LBA_SMS_API_URL est défini)"),
        (None, Some(_)) => anyhow::bail!("LBA_SMS_API_URL manquant (LBA_SMS_API_KEY est défini)"),
        (Some(url), Some(key)) => {
            let gateway = SmsGateway::new(SmsSettings {
                base_url: url.to_owned(),
                api_key: key.to_owned(),
                sender: args.sms_sender.clone(),
            })?;
            tracing::info!(url = %gateway.settings().base_url, "campaign SMS go to the gateway");
            Ok(Some(gateway))
        }
    }
}
