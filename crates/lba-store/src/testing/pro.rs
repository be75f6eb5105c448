//! Records of the pro space for tests and benchmarks: one bakery of Lyon
//! ([`SIRET`]), its accounts and its offers. Each builder gives a complete
//! value; a test changes what it checks with struct-update syntax
//! (`ProUser { opco: None, ..user(…) }`).

#![expect(
    clippy::expect_used,
    reason = "fixed test values, all valid: a failure is a bug of this module"
)]

use chrono::{DateTime, Utc};
use lba_core::geo::GeoPoint;
use lba_core::ids::{CodeRome, Siret};
use lba_core::opportunity::{ContractType, Offer, OfferOrigin, OfferStatus, Place};

use crate::pro::{NewProCompany, NewProOffer, ProUser};

/// The bakery's SIRET (valid: Luhn).
pub const SIRET: &str = "51234567800001";
/// The bakery's name.
pub const COMPANY_NAME: &str = "BOULANGERIE DU PARC";

/// Where the bakery is.
#[must_use]
pub fn bakery_place() -> Place {
    Place {
        address: "6 quai Saint-Vincent".into(),
        postal_code: None,
        commune_insee: None,
        city: "Lyon".into(),
        point: GeoPoint::new(45.768, 4.829).expect("a point of Lyon"),
    }
}

/// The bakery's company account in `status`, created at `created_at`
/// (epoch milliseconds), attached to OPCO EP.
#[must_use]
pub fn company(status: &str, created_at: i64) -> NewProCompany {
    NewProCompany {
        siret: SIRET.into(),
        name: COMPANY_NAME.into(),
        address: "6 quai Saint-Vincent".into(),
        postal_code: Some("69001".into()),
        commune_insee: Some("69381".into()),
        city: "Lyon".into(),
        lat: 45.768,
        lon: 4.829,
        naf_code: Some("1071C".into()),
        opco: Some("OPCO EP".into()),
        status: status.into(),
        decided_by: None,
        decided_at: None,
        created_at,
    }
}

/// An active account with `role`, of no company, CFA or OPCO, created at
/// `created_at` (epoch milliseconds).
#[must_use]
pub fn user(id: &str, email: &str, role: &str, created_at: i64) -> ProUser {
    ProUser {
        id: id.into(),
        email: email.into(),
        role: role.into(),
        first_name: "Marie".into(),
        last_name: "Durand".into(),
        phone: None,
        company_siret: None,
        cfa_uai: None,
        opco: None,
        status: "active".into(),
        created_at,
        last_sign_in_at: None,
    }
}

/// The bakery's recruiter `id` at `email`.
#[must_use]
pub fn recruiter(id: &str, email: &str, created_at: i64) -> ProUser {
    ProUser {
        company_siret: Some(SIRET.into()),
        ..user(id, email, "recruteur", created_at)
    }
}

/// An apprentice baker offer of the bakery (ROME D1102), posted on the
/// platform.
#[must_use]
pub fn offer(
    id: &str,
    status: OfferStatus,
    published_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Offer {
    Offer {
        id: id.into(),
        is_demo: false,
        origin: OfferOrigin::Platform,
        status,
        title: "Apprenti boulanger".into(),
        appellation_ogr: None,
        rome: CodeRome::parse("D1102").expect("a ROME code"),
        description: "Pétrissage, façonnage et cuisson du pain.".into(),
        contract_types: vec![ContractType::Apprentissage],
        level: None,
        start_date: None,
        duration_months: Some(24),
        company_siret: Some(Siret::parse(SIRET).expect("a valid SIRET")),
        company_name: COMPANY_NAME.into(),
        company_naf: None,
        company_headcount: None,
        place: bakery_place(),
        published_at,
        expires_at,
        apply_url: None,
    }
}

/// What the pro space keeps of an offer posted by `created_by` for the
/// bakery: one position, no questions.
#[must_use]
pub fn pro_offer(created_by: &str) -> NewProOffer {
    NewProOffer {
        company_siret: SIRET.into(),
        created_by: created_by.into(),
        on_behalf_of_cfa: None,
        rhythm: "2/1".into(),
        positions: 1,
        profile: String::new(),
        questions: "[]".into(),
    }
}
