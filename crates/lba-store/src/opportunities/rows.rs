//! The stored rows of formations, offers and companies and their decoding
//! into domain records.

use super::*;

/// A row type that decodes on both backends into a domain record.
pub(crate) trait StoredRow:
    Send
    + Unpin
    + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
    + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
{
    type Domain;
    fn into_domain(self) -> Result<Self::Domain, StoreError>;
}

fn corrupt(table: &'static str, key: &str, detail: String) -> StoreError {
    StoreError::Corrupt {
        table,
        key: key.to_owned(),
        detail,
    }
}

/// Parses a stored value, naming the row on failure.
fn decode<T, E: std::fmt::Display>(
    table: &'static str,
    key: &str,
    result: Result<T, E>,
) -> Result<T, StoreError> {
    result.map_err(|e| corrupt(table, key, e.to_string()))
}

fn opt_parse<T: std::str::FromStr>(
    table: &'static str,
    key: &str,
    value: Option<String>,
) -> Result<Option<T>, StoreError>
where
    T::Err: std::fmt::Display,
{
    value
        .map(|v| decode(table, key, v.parse::<T>()))
        .transpose()
}

fn level(
    table: &'static str,
    key: &str,
    value: Option<i64>,
) -> Result<Option<DiplomaLevel>, StoreError> {
    value
        .map(|l| {
            decode(
                table,
                key,
                u8::try_from(l)
                    .map_err(|e| e.to_string())
                    .and_then(|l| DiplomaLevel::new(l).map_err(|e| e.to_string())),
            )
        })
        .transpose()
}

fn small<T: TryFrom<i64>>(
    table: &'static str,
    key: &str,
    value: Option<i64>,
) -> Result<Option<T>, StoreError>
where
    T::Error: std::fmt::Display,
{
    value
        .map(|v| decode(table, key, T::try_from(v)))
        .transpose()
}

/// The place columns shared by the three tables.
#[derive(sqlx::FromRow)]
struct PlaceColumns {
    address: String,
    postal_code: Option<String>,
    commune_insee: Option<String>,
    city: String,
    lat: f64,
    lon: f64,
}

impl PlaceColumns {
    fn into_domain(self, table: &'static str, key: &str) -> Result<Place, StoreError> {
        Ok(Place {
            postal_code: opt_parse(table, key, self.postal_code)?,
            commune_insee: opt_parse(table, key, self.commune_insee)?,
            point: decode(table, key, GeoPoint::new(self.lat, self.lon))?,
            address: self.address.into(),
            city: self.city.into(),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct FormationRow {
    id: String,
    is_demo: bool,
    title: String,
    diploma_title: String,
    cfd: Option<String>,
    rncp_code: Option<String>,
    level: Option<i64>,
    rome_codes: String,
    cfa_uai: Option<String>,
    cfa_siret: Option<String>,
    cfa_name: String,
    #[sqlx(flatten)]
    place: PlaceColumns,
    sessions: String,
    duration_months: Option<i64>,
    capacity: Option<i64>,
    distance_learning: bool,
    email: Option<String>,
    phone: Option<String>,
    onisep_url: Option<String>,
}

impl StoredRow for FormationRow {
    type Domain = Formation;

    fn into_domain(self) -> Result<Formation, StoreError> {
        const T: &str = "formation";
        let key = self.id.clone();
        let sessions: Vec<Session> = decode(T, &key, serde_json::from_str(&self.sessions))?;
        Ok(Formation {
            romes: self
                .rome_codes
                .split_whitespace()
                .map(|r| decode(T, &key, r.parse()))
                .collect::<Result<_, _>>()?,
            cfd: opt_parse(T, &key, self.cfd)?,
            rncp: opt_parse(T, &key, self.rncp_code)?,
            level: level(T, &key, self.level)?,
            cfa_uai: opt_parse(T, &key, self.cfa_uai)?,
            cfa_siret: opt_parse(T, &key, self.cfa_siret)?,
            place: self.place.into_domain(T, &key)?,
            sessions,
            duration_months: small(T, &key, self.duration_months)?,
            capacity: small(T, &key, self.capacity)?,
            id: self.id,
            is_demo: self.is_demo,
            title: self.title,
            diploma_title: self.diploma_title,
            cfa_name: self.cfa_name,
            distance_learning: self.distance_learning,
            email: self.email,
            phone: self.phone,
            onisep_url: self.onisep_url,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct OfferRow {
    id: String,
    is_demo: bool,
    origin: String,
    status: String,
    title: String,
    appellation_ogr: Option<i64>,
    rome_code: String,
    description: String,
    contract_types: String,
    level: Option<i64>,
    start_date: Option<NaiveDate>,
    duration_months: Option<i64>,
    company_siret: Option<String>,
    company_name: String,
    company_naf: Option<String>,
    company_headcount: Option<String>,
    #[sqlx(flatten)]
    place: PlaceColumns,
    published_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    apply_url: Option<String>,
}

impl StoredRow for OfferRow {
    type Domain = Offer;

    fn into_domain(self) -> Result<Offer, StoreError> {
        const T: &str = "offer";
        let key = self.id.clone();
        Ok(Offer {
            origin: OfferOrigin::from_stored(&self.origin)
                .ok_or_else(|| corrupt(T, &key, format!("origin {}", self.origin)))?,
            status: OfferStatus::from_stored(&self.status)
                .ok_or_else(|| corrupt(T, &key, format!("status {}", self.status)))?,
            rome: decode(T, &key, self.rome_code.parse())?,
            contract_types: self
                .contract_types
                .split(',')
                .filter(|s| !s.is_empty())
                .map(|s| {
                    ContractType::parse(s).ok_or_else(|| corrupt(T, &key, format!("contract {s}")))
                })
                .collect::<Result<_, _>>()?,
            level: level(T, &key, self.level)?,
            duration_months: small(T, &key, self.duration_months)?,
            company_siret: opt_parse(T, &key, self.company_siret)?,
            company_naf: opt_parse(T, &key, self.company_naf)?,
            place: self.place.into_domain(T, &key)?,
            id: self.id,
            is_demo: self.is_demo,
            title: self.title,
            appellation_ogr: self.appellation_ogr,
            description: self.description,
            start_date: self.start_date,
            company_name: self.company_name.into(),
            company_headcount: self.company_headcount.map(Into::into),
            published_at: self.published_at,
            expires_at: self.expires_at,
            apply_url: self.apply_url,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct CompanyRow {
    siret: String,
    is_demo: bool,
    name: String,
    naf_code: Option<String>,
    headcount: Option<String>,
    #[sqlx(flatten)]
    place: PlaceColumns,
    rome_scores: String,
    email: Option<String>,
    phone: Option<String>,
    website: Option<String>,
}

impl StoredRow for CompanyRow {
    type Domain = Company;

    fn into_domain(self) -> Result<Company, StoreError> {
        const T: &str = "company";
        let key = self.siret.clone();
        let romes = self
            .rome_scores
            .split_whitespace()
            .map(|pair| {
                let (rome, score) = pair.split_once(':').unwrap_or((pair, ""));
                Ok(RomeScore {
                    rome: decode(T, &key, rome.parse())?,
                    score: decode(T, &key, score.parse::<u8>())?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(Company {
            siret: decode(T, &key, self.siret.parse())?,
            naf: opt_parse(T, &key, self.naf_code)?,
            place: self.place.into_domain(T, &key)?,
            romes,
            is_demo: self.is_demo,
            name: self.name.into(),
            headcount: self.headcount.map(Into::into),
            email: self.email,
            phone: self.phone.map(Into::into),
            website: self.website,
        })
    }
}
