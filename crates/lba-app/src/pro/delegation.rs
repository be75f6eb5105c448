//! A recruiter hands an offer to CFAs: the CFAs that teach the offer's
//! métier within 30 km (courses of the search index) and take contact
//! requests get an email with a signed link to the company's details and
//! the offer; the recruiter gets a recap. A CFA already handed the offer
//! gets nothing more.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use lba_core::Radius;
use lba_core::appointment::Referrer;
use lba_core::pro::Role;
use lba_notify::links;
use lba_notify::{LinkKey, Signature};
use lba_search::{KindSet, RomeFilter, SearchQuery};
use lba_store::Store;
use lba_store::pro::{Delegation, ProOffer, ProUser};

use super::{Pro, ProError, ms};
use crate::Search;
use crate::appointments::{Eligibility, eligibility};

/// How far a CFA may be from the offer.
pub const DELEGATION_RADIUS_KM: u16 = 30;

/// A CFA the offer can be handed to.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// UAI.
    pub uai: String,
    /// Name.
    pub name: String,
    /// Distance of its nearest course teaching the métier, km.
    pub distance_km: f64,
    /// Its courses teaching the métier within the radius.
    pub courses: usize,
    /// Where its email goes (its contact-request address).
    pub email: String,
    /// Already handed this offer.
    pub already: bool,
}

async fn own_offer(store: &Store, pro: &Pro, id: &str) -> Result<ProOffer, ProError> {
    let (offer, _) = super::offers::get(store, pro, id).await?;
    if pro.role != Role::Recruiter {
        return Err(ProError::NotFound);
    }
    Ok(offer)
}

/// The CFAs offer `id` of `pro` can be handed to, nearest first.
///
/// # Errors
/// Not their offer; the database failed.
pub async fn candidates(
    store: &Store,
    search: &Search,
    pro: &Pro,
    id: &str,
) -> Result<Vec<Candidate>, ProError> {
    own_offer(store, pro, id).await?;
    let Some(offer) = store.offer(id).await? else {
        return Err(ProError::NotFound);
    };
    let Ok(romes) = RomeFilter::codes(vec![offer.rome.clone()]) else {
        return Ok(Vec::new());
    };
    let mut query = SearchQuery::new(romes, Some(offer.place.point));
    query.radius = Radius::new(DELEGATION_RADIUS_KM).unwrap_or_default();
    query.kinds = KindSet {
        formations: true,
        offers: false,
        companies: false,
    };
    let index = search.snapshot();
    let hits = index.search(&query).formations;
    let done: Vec<String> = store
        .delegations_of_offer(id)
        .await?
        .into_iter()
        .map(|d| d.cfa_uai)
        .collect();
    let mut by_cfa: BTreeMap<String, Candidate> = BTreeMap::new();
    for hit in hits.into_iter().filter(|h| !h.outside_radius) {
        let Some(uai) = hit.item.cfa_uai.as_ref().map(|u| u.as_str().to_owned()) else {
            continue;
        };
        let distance = hit.distance_km.unwrap_or(0.0);
        if let Some(c) = by_cfa.get_mut(&uai) {
            c.courses += 1;
            c.distance_km = c.distance_km.min(distance);
            continue;
        }
        let Eligibility::Accepts(email) = eligibility(store, &hit.item, Referrer::Lba).await?
        else {
            continue;
        };
        by_cfa.insert(
            uai.clone(),
            Candidate {
                already: done.contains(&uai),
                name: hit.item.cfa_name.clone(),
                uai,
                distance_km: distance,
                courses: 1,
                email,
            },
        );
    }
    let mut list: Vec<Candidate> = by_cfa.into_values().collect();
    list.sort_by(|a, b| {
        a.distance_km
            .total_cmp(&b.distance_km)
            .then(a.uai.cmp(&b.uai))
    });
    Ok(list)
}

/// Hands offer `id` to the chosen CFAs among its candidates; how many were
/// newly handed it (unknown or already handed ones are ignored).
///
/// # Errors
/// Not their offer, or not active; the database failed.
pub async fn delegate(
    store: &Store,
    search: &Search,
    pro: &Pro,
    id: &str,
    chosen: &[String],
    now: DateTime<Utc>,
) -> Result<usize, ProError> {
    let offer = own_offer(store, pro, id).await?;
    if offer.status != "active" {
        return Err(ProError::Refused(
            "Seule une offre active peut être transmise aux CFA.".to_owned(),
        ));
    }
    let rows: Vec<(Delegation, lba_store::outbox::NewJob)> = candidates(store, search, pro, id)
        .await?
        .into_iter()
        .filter(|c| !c.already && chosen.contains(&c.uai))
        .map(|c| {
            let job = lba_notify::pro::delegation_job(id, &c.uai, now);
            let d = Delegation {
                offer_id: id.to_owned(),
                cfa_uai: c.uai,
                cfa_name: c.name,
                email: c.email,
                created_at: ms(now),
            };
            (d, job)
        })
        .collect();
    let recap = lba_notify::pro::delegation_recap_job(id, now);
    Ok(store.insert_delegations(&rows, &recap).await?.len())
}

/// What the CFA's signed link shows: the offer and the company's contact.
///
/// # Errors
/// [`ProError::Refused`] with the French reason (modified or expired link);
/// not found.
pub async fn for_cfa(
    store: &Store,
    key: &LinkKey,
    offer_id: &str,
    uai: &str,
    signature: &Signature,
    now: DateTime<Utc>,
) -> Result<(ProOffer, Option<ProUser>), ProError> {
    key.verify(&links::delegation_message(offer_id, uai), signature, now)
        .map_err(|e| ProError::Refused(format!("Désolé, {e}.")))?;
    let offer = store.pro_offer(offer_id).await?.ok_or(ProError::NotFound)?;
    let recruiter = store.company_recruiter(&offer.company_siret).await?;
    Ok((offer, recruiter))
}
