//! The emails of the pro space (issue 19), sent through the outbox: the
//! sign-in link (15 minutes, single use) and the reminders of an offer
//! about to expire (D-7 and D-1) with their one-click links to extend or
//! close it. Professionals are written to with « vous ».

use chrono::{DateTime, TimeDelta, Utc};
use lba_store::StoreError;
use lba_store::outbox::{Job, JobKind, NewJob};
use lba_store::pro::ProOffer;

use crate::appointment::{Parts, render};
use crate::email::{EmailContext, EmailError, Rendered};
use crate::links::{self, OFFER_LINK_GRACE};
use crate::worker::{Outcome, Worker};

/// The JSON parameters of a pro job: the sign-in link's id, or the offer
/// and the expiry the reminder is about (no personal data).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Payload {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<String>,
    /// Epoch milliseconds of the expiry a reminder was queued for: after
    /// an extension the old reminders are skipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
    /// The CFA an offer was handed to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cfa: Option<String>,
    /// The OPCO account of a digest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

fn new_job(kind: JobKind, key: &str, payload: &Payload, not_before: DateTime<Utc>) -> NewJob {
    NewJob {
        id: uuid::Uuid::new_v4().simple().to_string(),
        kind: kind.as_str().to_owned(),
        payload: serde_json::to_string(payload).unwrap_or_else(|_| "{}".to_owned()),
        subject: key.to_owned(),
        dedupe_key: kind.key(key),
        not_before_ms: not_before.timestamp_millis(),
    }
}

/// The job that mails sign-in link `link` now.
#[must_use]
pub fn sign_in_job(link: &str, now: DateTime<Utc>) -> NewJob {
    let payload = Payload {
        link: Some(link.to_owned()),
        offer: None,
        expires_at: None,
        cfa: None,
        user: None,
    };
    new_job(JobKind::ProSignInLink, link, &payload, now)
}

/// The two reminders (7 days and 1 day before) of offer `offer` expiring
/// at `expires_at`; one pair per expiry, so an extension queues a new pair.
#[must_use]
pub fn reminder_jobs(offer: &str, expires_at: DateTime<Utc>) -> Vec<NewJob> {
    [7, 1]
        .into_iter()
        .map(|days| {
            let payload = Payload {
                link: None,
                offer: Some(offer.to_owned()),
                expires_at: Some(expires_at.timestamp_millis()),
                cfa: None,
                user: None,
            };
            new_job(
                JobKind::ProOfferReminder,
                &format!("{offer}:{}:j-{days}", expires_at.timestamp_millis()),
                &payload,
                expires_at - TimeDelta::days(days),
            )
        })
        .collect()
}

/// The email to CFA `uai` about offer `offer`.
#[must_use]
pub fn delegation_job(offer: &str, uai: &str, now: DateTime<Utc>) -> NewJob {
    let payload = Payload {
        link: None,
        offer: Some(offer.to_owned()),
        expires_at: None,
        cfa: Some(uai.to_owned()),
        user: None,
    };
    new_job(
        JobKind::ProDelegation,
        &format!("{offer}:{uai}"),
        &payload,
        now,
    )
}

/// The recruiter's recap of the CFAs an offer was just handed to.
#[must_use]
pub fn delegation_recap_job(offer: &str, now: DateTime<Utc>) -> NewJob {
    let payload = Payload {
        link: None,
        offer: Some(offer.to_owned()),
        expires_at: None,
        cfa: None,
        user: None,
    };
    let key = format!("{offer}:{}", now.timestamp_millis());
    new_job(JobKind::ProDelegationRecap, &key, &payload, now)
}

/// The digest of OPCO account `user` for Paris date `day` (one per day).
#[must_use]
pub fn opco_digest_job(user: &str, day: chrono::NaiveDate, now: DateTime<Utc>) -> NewJob {
    let payload = Payload {
        link: None,
        offer: None,
        expires_at: None,
        cfa: None,
        user: Some(user.to_owned()),
    };
    new_job(
        JobKind::ProOpcoDigest,
        &format!("{user}:{day}"),
        &payload,
        now,
    )
}

/// To an OPCO: the companies waiting for its validation.
pub fn opco_digest(
    ctx: &EmailContext,
    companies: &[lba_store::pro::ProCompany],
) -> Result<Rendered, EmailError> {
    render(
        ctx,
        &Parts {
            subject: format!("{} entreprise(s) attendent votre validation", companies.len()),
            footer: FOOTER,
            heading: "Des entreprises attendent votre validation".to_owned(),
            paragraphs: vec![
                "Bonjour,".to_owned(),
                "Ces entreprises rattachées à votre OPCO ont créé leur compte : leurs offres seront \
                 visibles des jeunes dès que vous les aurez validées."
                    .to_owned(),
            ],
            details: companies
                .iter()
                .map(|c| (c.siret.clone(), format!("{}, {}", c.name, c.city)))
                .collect(),
            quote: None,
            buttons: vec![(
                "Valider les entreprises".to_owned(),
                format!("{}/pro/entreprises", ctx.public_url),
            )],
        },
    )
}

const FOOTER: &str = "Vous recevez cet e-mail car vous avez un compte professionnel sur \
    La bonne alternance.";

/// The sign-in email.
pub fn sign_in(ctx: &EmailContext, url: &str) -> Result<Rendered, EmailError> {
    render(
        ctx,
        &Parts {
            subject: "Votre lien de connexion à La bonne alternance".to_owned(),
            footer: "Vous recevez cet e-mail car quelqu'un a demandé à se connecter à l'espace \
                     professionnel de La bonne alternance avec votre adresse.",
            heading: "Connexion à votre espace".to_owned(),
            paragraphs: vec![
                "Bonjour,".to_owned(),
                "Cliquez sur le bouton ci-dessous pour vous connecter. Le lien marche une seule \
                 fois, pendant 15 minutes."
                    .to_owned(),
                "Vous n'avez rien demandé ? Ignorez cet e-mail : personne ne peut se connecter \
                 sans ce lien."
                    .to_owned(),
            ],
            details: vec![],
            quote: None,
            buttons: vec![("Me connecter".to_owned(), url.to_owned())],
        },
    )
}

/// The reminder of an offer expiring in `days` days, with its one-click
/// links (`(label, url)`: extend, filled, cancelled).
pub fn offer_reminder(
    ctx: &EmailContext,
    offer: &ProOffer,
    days: i64,
    buttons: Vec<(String, String)>,
) -> Result<Rendered, EmailError> {
    let when = if days <= 1 {
        "demain".to_owned()
    } else {
        format!("dans {days} jours")
    };
    render(
        ctx,
        &Parts {
            subject: format!("Votre offre « {} » expire {when}", offer.title),
            footer: FOOTER,
            heading: format!("Votre offre expire {when}"),
            paragraphs: vec![
                "Bonjour,".to_owned(),
                format!(
                    "Votre offre « {} » à {} ne sera plus visible des candidats {when}.",
                    offer.title, offer.city
                ),
                "Toujours à la recherche d'un alternant ? Prolongez-la de deux mois. Le poste est \
                 pourvu ou n'existe plus ? Dites-le nous en un clic : les jeunes ne postuleront \
                 plus pour rien."
                    .to_owned(),
            ],
            details: vec![(
                "Candidatures reçues".to_owned(),
                offer.applications.to_string(),
            )],
            quote: None,
            buttons,
        },
    )
}

/// To a CFA: a company hands it an offer to fill.
pub fn delegation(
    ctx: &EmailContext,
    offer: &ProOffer,
    recruiter: Option<&lba_store::pro::ProUser>,
    url: &str,
) -> Result<Rendered, EmailError> {
    let mut details = vec![
        (
            "Entreprise".to_owned(),
            format!("{}, {}", offer.company_name, offer.city),
        ),
        ("Postes".to_owned(), offer.positions.to_string()),
    ];
    if let Some(r) = recruiter {
        details.push((
            "Contact".to_owned(),
            format!("{} {} – {}", r.first_name, r.last_name, r.email),
        ));
    }
    render(
        ctx,
        &Parts {
            subject: format!(
                "{} vous confie son offre « {} »",
                offer.company_name, offer.title
            ),
            footer: "Vous recevez cet e-mail car une entreprise vous a choisi sur La bonne \
                     alternance pour l'aider à recruter un alternant.",
            heading: "Une entreprise cherche un alternant près de chez vous".to_owned(),
            paragraphs: vec![
                "Bonjour,".to_owned(),
                format!(
                    "{} recrute en alternance pour le poste « {} » et a choisi votre CFA, qui forme \
                     à ce métier à moins de 30 km. Proposez-lui vos apprentis ou vos candidats !",
                    offer.company_name, offer.title
                ),
            ],
            details,
            quote: None,
            buttons: vec![("Voir l'offre et l'entreprise".to_owned(), url.to_owned())],
        },
    )
}

/// To the recruiter: the CFAs their offer was handed to.
pub fn delegation_recap(
    ctx: &EmailContext,
    offer: &ProOffer,
    cfas: &[String],
) -> Result<Rendered, EmailError> {
    render(
        ctx,
        &Parts {
            subject: format!(
                "Votre offre « {} » a été transmise à {} CFA",
                offer.title,
                cfas.len()
            ),
            footer: FOOTER,
            heading: "Offre transmise aux CFA".to_owned(),
            paragraphs: vec![
                "Bonjour,".to_owned(),
                "Ces CFA ont reçu votre offre et vos coordonnées : ils vous contacteront s'ils ont \
                 des candidats."
                    .to_owned(),
            ],
            details: cfas.iter().map(|c| ("CFA".to_owned(), c.clone())).collect(),
            quote: None,
            buttons: vec![(
                "Voir mon offre".to_owned(),
                format!("{}/pro/offres/{}", ctx.public_url, offer.id),
            )],
        },
    )
}

impl Worker {
    /// Sends one pro-space job.
    pub(crate) async fn process_pro(
        &self,
        job: &Job,
        kind: JobKind,
        now: DateTime<Utc>,
    ) -> Result<Outcome, StoreError> {
        let payload: Payload = match serde_json::from_str(&job.payload) {
            Ok(p) => p,
            Err(e) => return Ok(Outcome::Failed(format!("paramètres illisibles : {e}"))),
        };
        let ctx = &self.config.email;
        match (kind, payload) {
            (
                JobKind::ProSignInLink,
                Payload {
                    link: Some(link), ..
                },
            ) => {
                let Some(row) = self.store.sign_in_link(&link).await? else {
                    return Ok(Outcome::Skipped);
                };
                let Some(expires) = DateTime::from_timestamp_millis(row.expires_at) else {
                    return Ok(Outcome::Failed("expiration illisible".to_owned()));
                };
                // Too late to be of use: say nothing rather than send a
                // dead link.
                if row.used_at.is_some() || expires <= now {
                    return Ok(Outcome::Skipped);
                }
                let signature = self
                    .config
                    .key
                    .sign(&links::sign_in_message(&row.id), expires);
                let url = format!(
                    "{}{}",
                    ctx.public_url,
                    links::sign_in_path(&row.id, &signature)
                );
                Ok(self
                    .send(job, &row.email, None, sign_in(ctx, &url), None)
                    .await)
            }
            (
                JobKind::ProOfferReminder,
                Payload {
                    offer: Some(id),
                    expires_at: Some(for_expiry),
                    ..
                },
            ) => {
                let Some(offer) = self.store.pro_offer(&id).await? else {
                    return Ok(Outcome::Skipped);
                };
                // Closed, or extended since: this reminder is stale.
                if offer.status != "active" || offer.expires_at.timestamp_millis() != for_expiry {
                    return Ok(Outcome::Skipped);
                }
                let Some(to) = self.store.offer_contact(&id).await? else {
                    return Ok(Outcome::Skipped);
                };
                // Whole days left, rounded up: 168 h → 7, 24 h → 1 (« demain »).
                let days = ((offer.expires_at - now).num_hours() + 23)
                    .div_euclid(24)
                    .max(1);
                let buttons = [
                    ("Prolonger de 2 mois", "prolonger"),
                    ("Le poste est pourvu", "pourvue"),
                    ("Annuler l'offre", "annulee"),
                ]
                .into_iter()
                .map(|(label, action)| {
                    let signature = self.config.key.sign(
                        &links::offer_action_message(&id, action, for_expiry),
                        offer.expires_at + OFFER_LINK_GRACE,
                    );
                    (
                        label.to_owned(),
                        format!(
                            "{}{}",
                            ctx.public_url,
                            links::offer_action_path(&id, action, for_expiry, &signature)
                        ),
                    )
                })
                .collect();
                Ok(self
                    .send(
                        job,
                        &to,
                        None,
                        offer_reminder(ctx, &offer, days.min(7), buttons),
                        None,
                    )
                    .await)
            }
            (
                JobKind::ProDelegation,
                Payload {
                    offer: Some(id),
                    cfa: Some(uai),
                    ..
                },
            ) => {
                let Some(offer) = self.store.pro_offer(&id).await? else {
                    return Ok(Outcome::Skipped);
                };
                let delegations = self.store.delegations_of_offer(&id).await?;
                let Some(d) = delegations.iter().find(|d| d.cfa_uai == uai) else {
                    return Ok(Outcome::Skipped);
                };
                let Some(created) = DateTime::from_timestamp_millis(d.created_at) else {
                    return Ok(Outcome::Failed("date illisible".to_owned()));
                };
                let signature = self.config.key.sign(
                    &links::delegation_message(&id, &uai),
                    created + links::DELEGATION_LINK_VALIDITY,
                );
                let url = format!(
                    "{}{}",
                    ctx.public_url,
                    links::delegation_path(&id, &uai, &signature)
                );
                let recruiter = self.store.company_recruiter(&offer.company_siret).await?;
                let rendered = delegation(ctx, &offer, recruiter.as_ref(), &url);
                let reply_to = recruiter.as_ref().map(|r| r.email.as_str());
                Ok(self.send(job, &d.email, reply_to, rendered, None).await)
            }
            (
                JobKind::ProDelegationRecap,
                Payload {
                    offer: Some(id), ..
                },
            ) => {
                let Some(offer) = self.store.pro_offer(&id).await? else {
                    return Ok(Outcome::Skipped);
                };
                let Some(to) = self.store.offer_contact(&id).await? else {
                    return Ok(Outcome::Skipped);
                };
                let cfas: Vec<String> = self
                    .store
                    .delegations_of_offer(&id)
                    .await?
                    .into_iter()
                    .map(|d| d.cfa_name)
                    .collect();
                let rendered = delegation_recap(ctx, &offer, &cfas);
                Ok(self.send(job, &to, None, rendered, None).await)
            }
            (
                JobKind::ProOpcoDigest,
                Payload {
                    user: Some(user), ..
                },
            ) => {
                let Some(account) = self.store.pro_user(&user).await? else {
                    return Ok(Outcome::Skipped);
                };
                let pending = self
                    .store
                    .pro_companies(account.opco.as_deref(), Some("pending"))
                    .await?;
                // Validated meanwhile, or a disabled account: nothing to say.
                if pending.is_empty() || account.status != "active" || account.opco.is_none() {
                    return Ok(Outcome::Skipped);
                }
                let rendered = opco_digest(ctx, &pending);
                Ok(self.send(job, &account.email, None, rendered, None).await)
            }
            _ => Ok(Outcome::Failed(format!("tâche inattendue : {}", job.kind))),
        }
    }
}
