//! One import run: locate and check each record, write in batches, close what
//! the data no longer has.

use super::*;

/// A place known from the referentials.
#[derive(Clone)]
struct KnownCommune {
    insee: InseeCode,
    name: String,
    point: GeoPoint,
}

/// The state of one import.
pub(super) struct Run<'a> {
    store: &'a Store,
    classifier: Option<&'a dyn RomeClassifier>,
    pub(super) report: OffersReport,
    romes: HashSet<CodeRome>,
    /// (ROME, normalised appellation label) → OGR code.
    appellations: HashMap<(CodeRome, String), i64>,
    communes: HashMap<InseeCode, KnownCommune>,
    /// Postal code → its most populated commune.
    postal: HashMap<PostalCode, KnownCommune>,
    pub(super) departements: Vec<String>,
    /// Ids seen, with their line.
    seen: HashMap<String, u64>,
    /// Ids of the offers kept (stored or unchanged).
    kept: HashSet<String>,
    batch: Vec<Offer>,
}

impl<'a> Run<'a> {
    pub(super) async fn new(
        store: &'a Store,
        classifier: Option<&'a dyn RomeClassifier>,
        source: String,
        full: bool,
    ) -> Result<Self, OffersError> {
        let refs = store.referential_data().await?;
        let mut communes: HashMap<InseeCode, KnownCommune> = HashMap::new();
        // Postal code → the commune to place it at: an arrondissement
        // (more precise than its city), else the most populated commune.
        let mut postal: HashMap<PostalCode, ((bool, i64), KnownCommune)> = HashMap::new();
        for c in &refs.communes {
            let point = c.point.or_else(|| {
                let parent = c.parent.as_ref()?;
                refs.communes
                    .iter()
                    .find(|p| &p.insee == parent)
                    .and_then(|p| p.point)
            });
            let Some(point) = point else { continue };
            let known = KnownCommune {
                insee: c.insee.clone(),
                name: c.name.clone(),
                point,
            };
            for code in &c.postal_codes {
                let rank = (c.arrondissement, c.population);
                if postal.get(code).is_none_or(|(best, _)| rank > *best) {
                    postal.insert(code.clone(), (rank, known.clone()));
                }
            }
            communes.insert(c.insee.clone(), known);
        }
        Ok(Self {
            store,
            classifier,
            report: OffersReport {
                source,
                full,
                ..OffersReport::default()
            },
            romes: refs.romes.iter().map(|r| r.code.clone()).collect(),
            appellations: refs
                .appellations
                .iter()
                .map(|a| ((a.rome.clone(), normalize(&a.label)), a.ogr))
                .collect(),
            communes,
            postal: postal.into_iter().map(|(k, (_, c))| (k, c)).collect(),
            departements: refs.departements.keys().cloned().collect(),
            seen: HashMap::new(),
            kept: HashSet::new(),
            batch: Vec::with_capacity(BATCH),
        })
    }

    fn reject(&mut self, record: &FtOffer, field: &str, reason: String) {
        self.report.reject(Rejected {
            line: record.line,
            field: field.to_owned(),
            reason,
        });
    }

    pub(super) async fn accept(&mut self, record: FtOffer) -> Result<(), OffersError> {
        if let Some(first) = self.seen.get(&record.id) {
            let reason = format!("identifiant en double (déjà vu en {first})");
            self.reject(&record, ID_FIELD, reason);
            return Ok(());
        }
        self.seen.insert(record.id.clone(), record.line);
        let rome = match &record.rome {
            Some(rome) if self.romes.contains(rome) => rome.clone(),
            Some(rome) => {
                let reason = format!("code ROME « {rome} » absent du référentiel ROME 4.0");
                self.reject(&record, ROME_FIELD, reason);
                return Ok(());
            }
            None => match self
                .classifier
                .and_then(|c| c.classify(&record.title))
                .filter(|r| self.romes.contains(r))
            {
                Some(rome) => {
                    self.report.rome_from_title += 1;
                    rome
                }
                None => {
                    let reason = "code ROME manquant (et non déduit de l'intitulé)".to_owned();
                    self.reject(&record, ROME_FIELD, reason);
                    return Ok(());
                }
            },
        };
        let commune = record
            .commune
            .as_ref()
            .and_then(|c| self.communes.get(c))
            .or_else(|| record.postal_code.as_ref().and_then(|p| self.postal.get(p)))
            .cloned();
        let point = match (record.point, &commune) {
            (Some(point), _) => point,
            (None, Some(commune)) => {
                self.report.located_by_commune += 1;
                commune.point
            }
            (None, None) => {
                let reason = match (&record.commune, &record.postal_code) {
                    (None, None) => "pas de coordonnées, ni commune ni code postal".to_owned(),
                    (commune, postal) => format!(
                        "pas de coordonnées et commune {} / code postal {} inconnus des référentiels",
                        commune.as_ref().map_or("-", |c| c.as_str()),
                        postal.as_ref().map_or("-", |c| c.as_str())
                    ),
                };
                self.reject(&record, PLACE_FIELD, reason);
                return Ok(());
            }
        };
        let Some(published_at) = record.created_at.or(record.updated_at) else {
            self.reject(&record, "dateCreation", "valeur manquante".to_owned());
            return Ok(());
        };
        let refreshed = record.updated_at.unwrap_or(published_at);
        let expires_at = refreshed + TimeDelta::days(VALIDITY_DAYS);
        let appellation_ogr = record.appellation_label.as_deref().and_then(|label| {
            self.appellations
                .get(&(rome.clone(), normalize(label)))
                .copied()
        });
        let offer = offer(
            record,
            rome,
            appellation_ogr,
            point,
            commune,
            published_at,
            expires_at,
        );
        self.kept.insert(offer.id.clone());
        self.batch.push(offer);
        if self.batch.len() >= BATCH {
            self.flush().await?;
        }
        Ok(())
    }

    /// Writes the new and changed offers of the batch.
    async fn flush(&mut self) -> Result<(), OffersError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        let ids: Vec<String> = batch.iter().map(|o| o.id.clone()).collect();
        // One read for the whole batch to tell unchanged from updated.
        let stored: HashMap<String, Offer> = self
            .store
            .offers_by_ids(&ids)
            .await?
            .into_iter()
            .map(|o| (o.id.clone(), o))
            .collect();
        let mut changed = Vec::with_capacity(batch.len());
        for offer in batch {
            match stored.get(&offer.id) {
                None => {
                    self.report.created += 1;
                    changed.push(offer);
                }
                Some(old) if *old == offer => self.report.unchanged += 1,
                Some(_) => {
                    self.report.updated += 1;
                    changed.push(offer);
                }
            }
        }
        if !changed.is_empty() {
            self.store.upsert_offers(&changed).await?;
        }
        Ok(())
    }

    /// Last batch, then (full import) closes the vanished offers: all of
    /// them, or those of the `scope` départements.
    pub(super) async fn finish(
        mut self,
        scope: Option<HashSet<String>>,
        clock: Instant,
        progress: &dyn Progress,
    ) -> Result<OffersReport, OffersError> {
        self.flush().await?;
        if self.report.full && self.kept.is_empty() {
            self.report.full_refused = Some(
                "aucune offre valide dans les données : les offres France Travail existantes restent ouvertes"
                    .to_owned(),
            );
        } else if self.report.full {
            let gone: Vec<String> = self
                .store
                .active_france_travail_offers()
                .await?
                .into_iter()
                .filter(|o| !self.kept.contains(&o.id))
                .filter(|o| {
                    scope.as_ref().is_none_or(|scope| {
                        departement_of(o.commune_insee.as_deref(), o.postal_code.as_deref())
                            .is_some_and(|d| scope.contains(&d))
                    })
                })
                .map(|o| o.id)
                .collect();
            self.report.closed = self.store.close_france_travail_offers(&gone).await?;
        }
        progress.finish();
        self.report.duration_ms = u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX);
        Ok(self.report)
    }
}

/// The stored offer of a checked, located record.
fn offer(
    record: FtOffer,
    rome: CodeRome,
    appellation_ogr: Option<i64>,
    point: GeoPoint,
    commune: Option<KnownCommune>,
    published_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Offer {
    let city = commune
        .as_ref()
        .map(|c| c.name.clone())
        .or_else(|| record.city_label().map(str::to_owned))
        .unwrap_or_default();
    let apply_url = record
        .url
        .clone()
        .unwrap_or_else(|| format!("{DETAIL_URL}{}", record.id));
    Offer {
        id: format!("{ID_PREFIX}{}", record.id),
        is_demo: false,
        origin: OfferOrigin::FranceTravail,
        status: OfferStatus::Active,
        title: record.title,
        appellation_ogr,
        rome,
        description: record.description.unwrap_or_default(),
        contract_types: vec![record.contract],
        level: None,
        start_date: None,
        duration_months: None,
        company_siret: record.company_siret,
        company_name: record.company_name.unwrap_or_default().into(),
        company_naf: None,
        company_headcount: None,
        place: Place {
            address: record.place_label.unwrap_or_default().into(),
            postal_code: record.postal_code,
            commune_insee: record.commune.or(commune.map(|c| c.insee)),
            city: city.into(),
            point,
        },
        published_at,
        expires_at,
        apply_url: Some(apply_url),
    }
}
