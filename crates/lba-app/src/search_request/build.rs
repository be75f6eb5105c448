//! The query builder: the parameters of a search as typed, checked against
//! the index snapshot, into a [`SearchQuery`]. The v1 routes (`formations`,
//! `jobs`, `jobsEtFormations`, `formationsParRegion`) and the search pages
//! build their queries here.

use std::sync::Arc;

use chrono::Utc;
use lba_core::ids::DepartementCode;
use lba_core::level::DiplomaLevel;
use lba_core::opportunity::{Formation, OfferOrigin};
use lba_search::{Index, KindSet, MAX_FORMATIONS, RomeFilter, SearchQuery, regions};

use super::params::{self, Sources};
use super::{Problems, WrongParameters, echo};

/// The search parameters as typed (trimmed, an empty value counting as
/// absent: see [`params::text`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct SearchRequest<'a> {
    /// ROME codes, comma-separated.
    pub romes: Option<&'a str>,
    /// A ROME domain (`F`, `I13`).
    pub rome_domain: Option<&'a str>,
    /// An RNCP code; `None` where the route does not take the parameter,
    /// `Some(None)` where it takes it and it is absent.
    pub rncp: Option<Option<&'a str>>,
    /// Latitude of the centre.
    pub latitude: Option<&'a str>,
    /// Longitude of the centre.
    pub longitude: Option<&'a str>,
    /// Radius in km.
    pub radius: Option<&'a str>,
    /// INSEE code of the commune at the centre.
    pub insee: Option<&'a str>,
    /// Diploma level.
    pub diploma: Option<&'a str>,
    /// v1 sources.
    pub sources: Option<&'a str>,
    /// Contract type of the offers.
    pub contract_type: Option<&'a str>,
    /// Order of the companies.
    pub company_sort: Option<&'a str>,
}

/// The search for courses (`/api/v1/formations`).
///
/// # Errors
/// Every wrong parameter.
pub fn formations(r: &SearchRequest<'_>, index: &Index) -> Result<SearchQuery, WrongParameters> {
    let mut p = Problems::default();
    let filter = params::metier_filter(&mut p, r.romes, r.rome_domain, None, index, true);
    let center = params::center(&mut p, r.latitude, r.longitude, r.radius, r.insee, index);
    let level = params::diploma(&mut p, r.diploma);
    let filter = p.finish_with(filter)?;
    let mut query = SearchQuery::new(filter, center.point);
    query.radius = center.radius;
    query.level = level;
    query.kinds = KindSet {
        formations: true,
        offers: false,
        companies: false,
    };
    Ok(query)
}

/// The search of `/api/v1/jobs` and `/api/v1/jobsEtFormations`, and the
/// sources to render. `with_formations` is false for `/api/v1/jobs`, which
/// never returns courses.
///
/// # Errors
/// Every wrong parameter.
pub fn jobs(
    r: &SearchRequest<'_>,
    index: &Index,
    with_formations: bool,
) -> Result<(SearchQuery, Sources), WrongParameters> {
    let mut p = Problems::default();
    let filter = params::metier_filter(&mut p, r.romes, r.rome_domain, r.rncp, index, true);
    let center = params::center(&mut p, r.latitude, r.longitude, r.radius, r.insee, index);
    let level = params::diploma(&mut p, r.diploma);
    let mut sources = params::sources(&mut p, r.sources);
    sources.formations &= with_formations;
    let contract = params::contract_type(&mut p, r.contract_type);
    let company_sort = params::company_sort(&mut p, r.company_sort);
    let filter = p.finish_with(filter)?;
    let mut query = SearchQuery::new(filter, center.point);
    query.radius = center.radius;
    query.level = level;
    query.contract = contract;
    query.company_sort = company_sort;
    query.kinds = KindSet {
        formations: sources.formations,
        offers: sources.offers(),
        companies: sources.companies,
    };
    query.origins = Some(
        [
            (sources.matchas, OfferOrigin::Platform),
            (sources.pe_jobs, OfferOrigin::FranceTravail),
            (sources.partner_jobs, OfferOrigin::Partner),
        ]
        .into_iter()
        .filter_map(|(wanted, origin)| wanted.then_some(origin))
        .collect(),
    );
    query.now = Utc::now();
    Ok((query, sources))
}

/// A search for courses in an area (`/api/v1/formationsParRegion`).
#[derive(Debug)]
pub struct RegionQuery {
    /// Métiers; all when `None`.
    pub filter: Option<RomeFilter>,
    /// Départements; France-wide when `None`.
    pub departements: Option<Vec<String>>,
    /// Diploma level.
    pub level: Option<DiplomaLevel>,
}

/// The search for courses in a région or a département (France-wide
/// without either, a métier then being required).
///
/// # Errors
/// Every wrong parameter.
pub fn region(
    region: Option<&str>,
    departement: Option<&str>,
    r: &SearchRequest<'_>,
    index: &Index,
) -> Result<RegionQuery, WrongParameters> {
    let mut p = Problems::default();
    let departements = match (region, departement) {
        (Some(_), Some(_)) => {
            p.add(
                "region, departement",
                "ces paramètres sont incompatibles : renseignez l'un ou l'autre",
            );
            None
        }
        (Some(region), None) => {
            let found = regions::departements_of(region)
                .map(|d| d.iter().map(|s| (*s).to_owned()).collect());
            if found.is_none() {
                p.add(
                    "region",
                    format!(
                        "code région inconnu « {} » : attendu un code INSEE de région (ex. 84, 11, 04)",
                        echo(region)
                    ),
                );
            }
            found
        }
        (None, Some(departement)) => p
            .check("departement", DepartementCode::parse(departement))
            .map(|d| vec![d.as_str().to_owned()]),
        (None, None) => None,
    };
    let area = region.is_some() || departement.is_some();
    let filter = params::metier_filter(&mut p, r.romes, r.rome_domain, None, index, !area);
    let level = params::diploma(&mut p, r.diploma);
    p.finish()?;
    Ok(RegionQuery {
        filter,
        departements,
        level,
    })
}

/// The courses matching `query`, by title, at most [`MAX_FORMATIONS`]. The
/// courses of an area come from the index's table per département, not
/// from a scan of every course.
pub fn courses_in_area(index: &Index, query: &RegionQuery) -> Vec<Arc<Formation>> {
    let wanted = |c: &Formation| {
        query
            .filter
            .as_ref()
            .is_none_or(|f| c.romes.iter().any(|r| f.matches(r)))
            && query.level.is_none_or(|l| c.level == Some(l))
    };
    let docs = &index.formations.docs;
    let mut found: Vec<Arc<Formation>> = match &query.departements {
        Some(departements) => departements
            .iter()
            .filter_map(|d| index.formations_by_departement.get(d))
            .flatten()
            .filter_map(|&i| docs.get(i))
            .filter(|c| wanted(c))
            .cloned()
            .collect(),
        None => docs.iter().filter(|c| wanted(c)).cloned().collect(),
    };
    found.sort_by(|a, b| a.title.cmp(&b.title).then_with(|| a.id.cmp(&b.id)));
    found.truncate(MAX_FORMATIONS);
    found
}
