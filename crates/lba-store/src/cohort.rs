//! The cohort: people and their wishes. Re-importing a newer export
//! replaces a person's row and all their wishes in one transaction, so a
//! wish that left the export leaves the store and nothing is duplicated.

use std::collections::HashSet;

use chrono::{NaiveDate, Utc};
use futures_util::TryStreamExt;
use lba_campaign::{Person, Source, Wish, WishKind, WishStatus};
use lba_core::geo::GeoPoint;

use sqlx::Transaction;

use crate::backend::{in_tx, with_pool};
use crate::batch::insert;
use crate::portable::{Portable, PushValue as _};
use crate::{Store, StoreError};

/// Ids per `IN (…)` list.
const IDS_PER_QUERY: usize = 1_000;

const PERSON_COLUMNS: [&str; 20] = [
    "id",
    "source",
    "candidate_id",
    "first_name",
    "last_name",
    "birth_date",
    "email",
    "mobile",
    "parent_email",
    "parent_mobile",
    "postal_code",
    "commune_insee",
    "departement",
    "region",
    "lat",
    "lon",
    "school_uai",
    "class",
    "apprenticeship_only",
    // Written, not read back: last, so that reads take the others.
    "updated_at",
];

const WISH_COLUMNS: [&str; 14] = [
    "person_id",
    "wish_key",
    "position",
    "course_key",
    "parcoursup_id",
    "cfa_uai",
    "cfa_siret",
    "cfd",
    "formation_id",
    "linked_cfa_uai",
    "level",
    "kind",
    "status",
    "contract_signed",
];

fn person_columns() -> &'static [&'static str] {
    &PERSON_COLUMNS
}

fn wish_columns() -> &'static [&'static str] {
    &WISH_COLUMNS
}

/// A stored course as the cohort import links wishes to it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct FormationLink {
    /// Course id (`cle_ministere_educatif`).
    pub id: String,
    /// CFA UAI.
    pub cfa_uai: Option<String>,
    /// CFA SIRET.
    pub cfa_siret: Option<String>,
    /// Diploma code.
    pub cfd: Option<String>,
    /// Level.
    pub level: Option<i64>,
}

/// What a cohort write did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct CohortWrite {
    /// New people.
    pub created: u64,
    /// People already stored (row and wishes replaced).
    pub updated: u64,
    /// Wishes written.
    pub wishes: u64,
}

async fn write_people<DB: Portable>(
    tx: &mut Transaction<'_, DB>,
    people: &[Person],
) -> Result<u64, StoreError> {
    let now = Utc::now();
    insert(
        tx,
        "cohort_people",
        person_columns(),
        &["id"],
        people,
        |b, p| {
            b.push_value(p.id.as_str())
                .push_value(p.source.as_str())
                .push_value(p.candidate_id.as_str())
                .push_value(p.first_name.as_str())
                .push_value(p.last_name.as_str())
                .push_value(p.birth_date)
                .push_value(p.email.as_ref().map(|e| e.as_str()))
                .push_value(p.mobile.as_ref().map(|m| m.e164()))
                .push_value(p.parent_email.as_ref().map(|e| e.as_str()))
                .push_value(p.parent_mobile.as_ref().map(|m| m.e164()))
                .push_value(p.postal_code.as_deref())
                .push_value(p.commune_insee.as_deref())
                .push_value(p.departement.as_deref())
                .push_value(p.region.as_deref())
                .push_value(p.home.map(|h| h.lat()))
                .push_value(p.home.map(|h| h.lon()))
                .push_value(p.school_uai.as_deref())
                .push_value(p.class.as_deref())
                .push_value(p.apprenticeship_only)
                .push_value(now);
        },
    )
    .await?;
    for chunk in people.chunks(IDS_PER_QUERY) {
        let mut query =
            sqlx::QueryBuilder::<DB>::new("DELETE FROM cohort_wishes WHERE person_id IN (");
        let mut list = query.separated(", ");
        for p in chunk {
            list.push_value(p.id.as_str());
        }
        query.push(")");
        DB::execute_builder(tx, &mut query).await?;
    }
    let wishes: Vec<(&str, &Wish)> = people
        .iter()
        .flat_map(|p| p.wishes.iter().map(move |w| (p.id.as_str(), w)))
        .collect();
    Ok(insert(
        tx,
        "cohort_wishes",
        wish_columns(),
        &[],
        &wishes,
        |b, (id, w)| {
            b.push_value(*id)
                .push_value(w.key.as_str())
                .push_value(i64::from(w.position))
                .push_value(w.course_key.as_deref())
                .push_value(w.parcoursup_id.as_deref())
                .push_value(w.cfa_uai.as_deref())
                .push_value(w.cfa_siret.as_deref())
                .push_value(w.cfd.as_deref())
                .push_value(w.formation_id.as_deref())
                .push_value(w.linked_cfa_uai.as_deref())
                .push_value(w.level.map(i64::from))
                .push_value(w.kind.as_str())
                .push_value(w.status.as_str())
                .push_value(w.contract_signed);
        },
    )
    .await?)
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: String,
    source: String,
    candidate_id: String,
    first_name: String,
    last_name: String,
    birth_date: Option<NaiveDate>,
    email: Option<String>,
    mobile: Option<String>,
    parent_email: Option<String>,
    parent_mobile: Option<String>,
    postal_code: Option<String>,
    commune_insee: Option<String>,
    departement: Option<String>,
    region: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    school_uai: Option<String>,
    class: Option<String>,
    apprenticeship_only: bool,
}

#[derive(sqlx::FromRow)]
struct WishRow {
    person_id: String,
    wish_key: String,
    position: i64,
    course_key: Option<String>,
    parcoursup_id: Option<String>,
    cfa_uai: Option<String>,
    cfa_siret: Option<String>,
    cfd: Option<String>,
    formation_id: Option<String>,
    linked_cfa_uai: Option<String>,
    level: Option<i64>,
    kind: String,
    status: String,
    contract_signed: bool,
}

fn corrupt(key: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        table: "cohort_people",
        key: key.to_owned(),
        detail: detail.to_string(),
    }
}

impl PersonRow {
    fn into_domain(self) -> Result<Person, StoreError> {
        let id = self.id;
        let contact = |v: Option<String>| v.filter(|s| !s.is_empty());
        let home = match (self.lat, self.lon) {
            (Some(lat), Some(lon)) => Some(GeoPoint::new(lat, lon).map_err(|e| corrupt(&id, e))?),
            _ => None,
        };
        Ok(Person {
            source: Source::from_stored(&self.source)
                .ok_or_else(|| corrupt(&id, format!("source « {} »", self.source)))?,
            candidate_id: self.candidate_id,
            first_name: self.first_name,
            last_name: self.last_name,
            birth_date: self.birth_date,
            email: contact(self.email)
                .map(|e| lba_core::Email::parse(&e).map_err(|e| corrupt(&id, e)))
                .transpose()?,
            mobile: contact(self.mobile)
                .map(|e| lba_core::PhoneNumber::parse(&e).map_err(|e| corrupt(&id, e)))
                .transpose()?,
            parent_email: contact(self.parent_email)
                .map(|e| lba_core::Email::parse(&e).map_err(|e| corrupt(&id, e)))
                .transpose()?,
            parent_mobile: contact(self.parent_mobile)
                .map(|e| lba_core::PhoneNumber::parse(&e).map_err(|e| corrupt(&id, e)))
                .transpose()?,
            postal_code: self.postal_code,
            commune_insee: self.commune_insee,
            departement: self.departement,
            region: self.region,
            home,
            school_uai: self.school_uai,
            class: self.class,
            apprenticeship_only: self.apprenticeship_only,
            wishes: Vec::new(),
            id,
        })
    }
}

impl WishRow {
    fn into_domain(self) -> Result<(String, Wish), StoreError> {
        let person = self.person_id;
        Ok((
            person.clone(),
            Wish {
                key: self.wish_key,
                position: u32::try_from(self.position).map_err(|e| corrupt(&person, e))?,
                course_key: self.course_key,
                parcoursup_id: self.parcoursup_id,
                cfa_uai: self.cfa_uai,
                cfa_siret: self.cfa_siret,
                cfd: self.cfd,
                formation_id: self.formation_id,
                linked_cfa_uai: self.linked_cfa_uai,
                level: self.level.and_then(|l| u8::try_from(l).ok()),
                kind: WishKind::from_stored(&self.kind)
                    .ok_or_else(|| corrupt(&person, format!("type de vœu « {} »", self.kind)))?,
                status: WishStatus::from_stored(&self.status)
                    .ok_or_else(|| corrupt(&person, format!("statut « {} »", self.status)))?,
                contract_signed: self.contract_signed,
            },
        ))
    }
}

impl Store {
    /// Writes `people` (rows and all their wishes) in one transaction.
    pub async fn upsert_people(&self, people: &[Person]) -> Result<CohortWrite, StoreError> {
        let ids: Vec<&str> = people.iter().map(|p| p.id.as_str()).collect();
        let known = self.known_people(&ids).await?;
        let mut write = CohortWrite::default();
        for p in people {
            if known.contains(&p.id) {
                write.updated += 1;
            } else {
                write.created += 1;
            }
        }
        write.wishes = in_tx!(self, |tx| write_people(&mut tx, people).await?);
        Ok(write)
    }

    /// The ids among `ids` already stored.
    async fn known_people(&self, ids: &[&str]) -> Result<HashSet<String>, StoreError> {
        let mut out = HashSet::new();
        for chunk in ids.chunks(IDS_PER_QUERY) {
            let rows: Vec<String> = with_pool!(self, |pool| {
                let mut query =
                    sqlx::QueryBuilder::new("SELECT id FROM cohort_people WHERE id IN (");
                let mut list = query.separated(", ");
                for id in chunk {
                    list.push_bind(*id);
                }
                query.push(")");
                query.build_query_scalar().fetch_all(pool).await
            })?;
            out.extend(rows);
        }
        Ok(out)
    }

    /// Every person of the cohort with their wishes, by id.
    pub async fn cohort(&self) -> Result<Vec<Person>, StoreError> {
        self.load_people("", None).await
    }

    /// One person with their wishes.
    pub async fn cohort_person(&self, id: &str) -> Result<Option<Person>, StoreError> {
        Ok(self.load_people("WHERE id = $1", Some(id)).await?.pop())
    }

    async fn load_people(
        &self,
        filter: &str,
        key: Option<&str>,
    ) -> Result<Vec<Person>, StoreError> {
        let people_sql = format!(
            "SELECT {} FROM cohort_people {filter} ORDER BY id",
            person_columns()[..person_columns().len() - 1].join(", ")
        );
        let wish_filter = filter.replace("id =", "person_id =");
        let wish_sql = format!(
            "SELECT {} FROM cohort_wishes {wish_filter} ORDER BY person_id, position, wish_key",
            wish_columns().join(", ")
        );
        let rows: Vec<PersonRow> = with_pool!(self, |pool| {
            let mut query = sqlx::query_as(&people_sql);
            if let Some(key) = key {
                query = query.bind(key);
            }
            query.fetch(pool).try_collect().await
        })?;
        let wishes: Vec<WishRow> = with_pool!(self, |pool| {
            let mut query = sqlx::query_as(&wish_sql);
            if let Some(key) = key {
                query = query.bind(key);
            }
            query.fetch(pool).try_collect().await
        })?;
        let mut people = rows
            .into_iter()
            .map(PersonRow::into_domain)
            .collect::<Result<Vec<_>, _>>()?;
        // Both lists are ordered by person id: one merge pass.
        let mut at = 0;
        for row in wishes {
            let (person, wish) = row.into_domain()?;
            while people.get(at).is_some_and(|p| p.id < person) {
                at += 1;
            }
            if let Some(p) = people.get_mut(at).filter(|p| p.id == person) {
                p.wishes.push(wish);
            }
        }
        Ok(people)
    }

    /// Every stored course, as wishes are linked to them.
    pub async fn formation_links(&self) -> Result<Vec<FormationLink>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as("SELECT id, cfa_uai, cfa_siret, cfd, level FROM formations")
                .fetch_all(pool)
                .await
        })?)
    }

    /// How many people the cohort holds.
    pub async fn cohort_size(&self) -> Result<i64, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM cohort_people")
                .fetch_one(pool)
                .await
        })?)
    }
}
