//! The bodies of `/api/v1/jobs` and `/api/v1/jobsEtFormations`, written from
//! each record's kept rendering ([`lba_search::render_cache`]).
//!
//! A company or an offer is the same JSON in every response but for its
//! distance to the search centre. Its record is rendered once, through the
//! same DTO as before ([`LbaCompany`], [`PeJob`], [`LbaJob`],
//! [`PartnerJob`]) with no distance, and later responses copy those bytes
//! with the distance written in place of its `null`. The DTOs stay the
//! definition of the documents (and of the OpenAPI schema): the tests below
//! check that this writer gives the same bytes as serialising
//! [`Jobs`](super::responses::Jobs) and
//! [`JobsEtFormations`](super::responses::JobsEtFormations).
//!
//! Courses are serialised for each response as before: they are fewer, and
//! a course's rendering also depends on the nearest-courses fallback.

use std::sync::Arc;

use lba_app::search_request::Sources;
use lba_core::opportunity::{Offer, OfferOrigin};
use lba_search::render_cache::{RenderCache, Rendered};
use lba_search::{Hit, Index, SearchResults};
use serde::Serialize;

use super::common::round_km;
use super::company::LbaCompany;
use super::formation::Formation;
use super::job::{LbaJob, PartnerJob, PeJob};
use super::responses::Results;

/// Where a record's distance is: the first `"distance"` key of its JSON (the
/// place's; keys cannot occur unescaped inside strings).
const DISTANCE: &[u8] = b"\"distance\":null";

/// The body of `/api/v1/jobs`, the same bytes as serialising
/// [`Jobs::new`](super::responses::Jobs::new).
pub(crate) fn jobs(
    index: &Index,
    results: &SearchResults,
    sources: Sources,
) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::with_capacity(capacity(results));
    write_jobs(&mut out, index, results, sources)?;
    Ok(out)
}

/// The body of `/api/v1/jobsEtFormations`, the same bytes as serialising
/// [`JobsEtFormations::new`](super::responses::JobsEtFormations::new).
pub(crate) fn jobs_et_formations(
    index: &Index,
    results: &SearchResults,
    sources: Sources,
) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::with_capacity(capacity(results));
    out.extend_from_slice(b"{\"formations\":");
    if sources.formations {
        serde_json::to_writer(
            &mut out,
            &Results::of(&results.formations, Formation::from_hit),
        )?;
    } else {
        out.extend_from_slice(b"null");
    }
    out.extend_from_slice(b",\"jobs\":");
    if sources.offers() || sources.companies {
        write_jobs(&mut out, index, results, sources)?;
    } else {
        out.extend_from_slice(b"null");
    }
    out.push(b'}');
    Ok(out)
}

/// A first guess of the body's size (about 800 bytes per record).
fn capacity(results: &SearchResults) -> usize {
    256 + 800 * (results.companies.len() + results.offers.len() + results.formations.len())
}

fn write_jobs(
    out: &mut Vec<u8>,
    index: &Index,
    results: &SearchResults,
    sources: Sources,
) -> Result<(), serde_json::Error> {
    let offers = &index.offers.rendered;
    out.extend_from_slice(b"{\"peJobs\":");
    let pe_jobs = by_origin(results, OfferOrigin::FranceTravail);
    optional(out, sources.pe_jobs, |out| {
        list(out, offers, pe_jobs, PeJob::from_hit)
    })?;
    out.extend_from_slice(b",\"matchas\":");
    let matchas = by_origin(results, OfferOrigin::Platform);
    optional(out, sources.matchas, |out| {
        list(out, offers, matchas, LbaJob::from_hit)
    })?;
    out.extend_from_slice(b",\"lbaCompanies\":");
    optional(out, sources.companies, |out| {
        list(
            out,
            &index.companies.rendered,
            results.companies.iter(),
            LbaCompany::from_hit,
        )
    })?;
    out.extend_from_slice(b",\"partnerJobs\":");
    let partner_jobs = by_origin(results, OfferOrigin::Partner);
    optional(out, sources.partner_jobs, |out| {
        list(out, offers, partner_jobs, PartnerJob::from_hit)
    })?;
    out.extend_from_slice(b",\"lbbCompanies\":null}");
    Ok(())
}

fn by_origin(results: &SearchResults, origin: OfferOrigin) -> impl Iterator<Item = &Hit<Offer>> {
    results
        .offers
        .iter()
        .filter(move |hit| hit.item.origin == origin)
}

/// `write`'s output, or `null` when not `asked`.
fn optional(
    out: &mut Vec<u8>,
    asked: bool,
    write: impl FnOnce(&mut Vec<u8>) -> Result<(), serde_json::Error>,
) -> Result<(), serde_json::Error> {
    if asked {
        write(out)
    } else {
        out.extend_from_slice(b"null");
        Ok(())
    }
}

/// `{"results":[…]}` of `hits`, each from its kept rendering.
fn list<'a, T: 'a, D: Serialize>(
    out: &mut Vec<u8>,
    cache: &RenderCache,
    hits: impl Iterator<Item = &'a Hit<T>>,
    dto: fn(&Hit<T>) -> D,
) -> Result<(), serde_json::Error> {
    out.extend_from_slice(b"{\"results\":[");
    for (i, hit) in hits.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let distance = hit.distance_km.map(round_km);
        cache.with(
            hit.doc,
            || render(hit, dto),
            |rendered| match distance {
                Some(km) => rendered.write_filled(out, |out| write_km(out, km)),
                None => rendered.write(out),
            },
        )?;
    }
    out.extend_from_slice(b"]}");
    Ok(())
}

/// A distance as serde_json writes an `f64` (ryu's shortest form, `.0` for
/// whole numbers).
fn write_km(out: &mut Vec<u8>, km: f64) {
    if km.is_finite() {
        let mut buffer = ryu::Buffer::new();
        out.extend_from_slice(buffer.format_finite(km).as_bytes());
    } else {
        out.extend_from_slice(b"null");
    }
}

/// The record of `hit` without a distance, and where its distance goes.
fn render<T, D: Serialize>(
    hit: &Hit<T>,
    dto: fn(&Hit<T>) -> D,
) -> Result<Rendered, serde_json::Error> {
    let bare = Hit {
        item: Arc::clone(&hit.item),
        distance_km: None,
        outside_radius: hit.outside_radius,
        doc: hit.doc,
    };
    let bytes = serde_json::to_vec(&dto(&bare))?;
    let hole = bytes
        .windows(DISTANCE.len())
        .position(|w| w == DISTANCE)
        .map(|at| at + DISTANCE.len() - b"null".len())
        .ok_or_else(|| failure("a record without a distance"))?;
    Rendered::new(bytes, hole, b"null".len()).ok_or_else(|| failure("a record over 4 GB"))
}

/// A rendering that cannot be kept (a bug of the DTOs: the tests render
/// every kind).
fn failure(what: &str) -> serde_json::Error {
    serde_json::Error::io(std::io::Error::other(what.to_owned()))
}

#[cfg(test)]
#[path = "body_tests.rs"]
mod tests;
