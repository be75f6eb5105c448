use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use chrono::{NaiveDate, TimeDelta, Utc};
use lba_app::NoProgress;
use lba_app::demo::{self, DemoConfig, Scale};
use lba_app::import_referentials;
use lba_core::geo::GeoPoint;
use lba_core::ids::{CodeRome, Siret};
use lba_core::opportunity::{
    Company, ContractType, Formation, Offer, OfferOrigin, OfferStatus, Place, RomeScore,
};
use lba_core::referential::ReferentialData;
use lba_data::DataDir;
use lba_store::Store;
use lba_store::testing::TestDb;

fn shared_data() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"))
}

async fn with_referentials(store: &Store) -> ReferentialData {
    let dir = DataDir::resolve(Some(&shared_data())).unwrap();
    import_referentials(store, &dir, &NoProgress).await.unwrap();
    store.referential_data().await.unwrap()
}

fn config(seed: u64) -> DemoConfig {
    DemoConfig {
        scale: Scale::Local,
        seed,
        reference_date: NaiveDate::from_ymd_opt(2025, 3, 15).unwrap(),
    }
}

#[tokio::test]
async fn the_same_seed_and_date_give_the_same_set_and_another_seed_another() {
    let db = TestDb::sqlite().await;
    let data = with_referentials(&db.store).await;
    let first = demo::build(&data, &config(1)).unwrap();
    let again = demo::build(&data, &config(1)).unwrap();
    assert!(first == again, "same seed, same records");
    let other = demo::build(&data, &config(2)).unwrap();
    assert_ne!(first.formations, other.formations);
    assert_ne!(first.offers, other.offers);
    assert_ne!(first.companies, other.companies);
    // Ids do not depend on the seed: a new generation replaces the old one.
    assert_eq!(first.offers[0].id, other.offers[0].id);

    // Chunks generated on their own equal the whole set.
    let generator = demo::Generator::new(&data, &config(1)).unwrap();
    assert_eq!(generator.companies(100..200), first.companies[100..200]);
    assert_eq!(generator.offers(5000..6000), first.offers[5000..6000]);

    // Another reference date moves the dates.
    let later = DemoConfig {
        reference_date: NaiveDate::from_ymd_opt(2026, 3, 15).unwrap(),
        ..config(1)
    };
    let later = demo::build(&data, &later).unwrap();
    assert_eq!(later.companies, first.companies);
    assert_ne!(later.offers, first.offers);
    assert_eq!(
        later.formations[0].sessions[0]
            .start
            .format("%Y")
            .to_string(),
        "2026"
    );
}

#[tokio::test]
async fn a_local_generation_is_realistic_and_clear_removes_only_demo_records() {
    for db in TestDb::all().await {
        let backend = db.backend();
        let data = with_referentials(&db.store).await;
        let (formation, offer, company) = hand_made(&data);
        db.store.upsert_formations(&[formation]).await.unwrap();
        db.store.upsert_companies(&[company]).await.unwrap();
        db.store.upsert_offers(&[offer]).await.unwrap();

        let config = config(7);
        let report = demo::generate(&db.store, &config, &NoProgress)
            .await
            .unwrap();
        assert_eq!(
            (
                report.written.formations,
                report.written.offers,
                report.written.companies
            ),
            (3000, 6000, 20000),
            "{backend:?}"
        );
        let counts = db.store.counts().await.unwrap();
        assert_eq!(
            (counts.formations, counts.offers, counts.companies),
            (3001, 6001, 20001)
        );
        check_formations(&data, &db.store.formations().await.unwrap());
        let companies = db.store.companies().await.unwrap();
        check_companies(&companies);
        check_offers(
            &data,
            &companies,
            &db.store.offers().await.unwrap(),
            &config,
        );

        // Generating again replaces the demo set instead of adding to it.
        let again = demo::generate(&db.store, &config, &NoProgress)
            .await
            .unwrap();
        assert_eq!(again.removed, report.written);
        assert_eq!(db.store.counts().await.unwrap(), counts);

        let removed = demo::clear(&db.store).await.unwrap();
        assert_eq!(removed.records, report.written);
        assert_eq!(removed.establishments, 0);
        let counts = db.store.counts().await.unwrap();
        assert_eq!(
            (counts.formations, counts.offers, counts.companies),
            (1, 1, 1)
        );
        assert!(!db.store.formations().await.unwrap()[0].is_demo);
        assert!(!db.store.offers().await.unwrap()[0].is_demo);
        assert!(!db.store.companies().await.unwrap()[0].is_demo);
        db.cleanup().await;
    }
}

fn check_formations(data: &ReferentialData, all: &[Formation]) {
    let cfas: BTreeMap<&str, GeoPoint> = data
        .cfas
        .iter()
        .map(|c| (c.uai.as_str(), c.point))
        .collect();
    let romes: BTreeSet<&CodeRome> = data.romes.iter().map(|r| &r.code).collect();
    let demo: Vec<&Formation> = all.iter().filter(|f| f.is_demo).collect();
    assert_eq!(demo.len(), 3000);
    for f in &demo {
        assert!(f.id.starts_with("demo-f-"), "{}", f.id);
        let uai = f.cfa_uai.as_ref().unwrap().as_str();
        assert_eq!(cfas.get(uai), Some(&f.place.point), "{} at its CFA", f.id);
        assert!(!f.romes.is_empty() && f.romes.len() <= 3, "{}", f.id);
        assert!(f.romes.iter().all(|r| romes.contains(r)));
        assert!((3..=7).contains(&f.level.unwrap().get()), "{}", f.id);
        assert!(!f.sessions.is_empty());
        assert!(f.email.as_ref().unwrap().ends_with("@exemple.fr"));
    }
    let distinct_cfas: BTreeSet<_> = demo.iter().map(|f| &f.cfa_uai).collect();
    assert!(distinct_cfas.len() > 500, "{}", distinct_cfas.len());
    let distinct_diplomas: BTreeSet<_> = demo.iter().map(|f| &f.cfd).collect();
    assert!(
        distinct_diplomas.len() > 1000,
        "{}",
        distinct_diplomas.len()
    );
}

fn check_companies(all: &[Company]) {
    let demo: Vec<&Company> = all.iter().filter(|c| c.is_demo).collect();
    assert_eq!(demo.len(), 20000);
    let mut with_email = 0;
    for c in &demo {
        assert!(c.siret.as_str().starts_with("999"));
        assert!(Siret::parse(c.siret.as_str()).is_ok());
        assert!(!c.romes.is_empty() && c.romes.len() <= 4, "{}", c.siret);
        assert!(c.romes.iter().all(|r| (20..=100).contains(&r.score)));
        assert!(c.romes.windows(2).all(|w| w[0].score >= w[1].score));
        assert!(c.naf.is_some() && c.headcount.is_some());
        with_email += usize::from(c.email.is_some());
    }
    assert!((10_000..14_000).contains(&with_email), "{with_email}");
}

fn check_offers(data: &ReferentialData, companies: &[Company], all: &[Offer], config: &DemoConfig) {
    let by_siret: BTreeMap<&Siret, &Company> = companies.iter().map(|c| (&c.siret, c)).collect();
    let appellations: BTreeMap<i64, (&CodeRome, &str)> = data
        .appellations
        .iter()
        .map(|a| (a.ogr, (&a.rome, a.label.as_str())))
        .collect();
    let demo: Vec<&Offer> = all.iter().filter(|o| o.is_demo).collect();
    assert_eq!(demo.len(), 6000);
    let reference = demo::reference_instant(config.reference_date);
    let mut open = 0;
    let mut origins = BTreeMap::new();
    for o in &demo {
        assert!(o.id.starts_with("demo-o-"), "{}", o.id);
        let company = by_siret[o.company_siret.as_ref().unwrap()];
        assert!(company.romes.iter().any(|r| r.rome == o.rome), "{}", o.id);
        assert_eq!(company.place, o.place);
        let (rome, label) = appellations[&o.appellation_ogr.unwrap()];
        assert_eq!((rome, label), (&o.rome, o.title.as_str()), "{}", o.id);
        assert!(o.published_at < reference);
        assert!(o.published_at >= reference - TimeDelta::days(60));
        let lifetime = o.expires_at - o.published_at;
        assert!(lifetime >= TimeDelta::days(30) && lifetime <= TimeDelta::days(120));
        assert!(o.contract_types.contains(&ContractType::Apprentissage));
        assert!(!o.description.is_empty());
        assert_eq!(o.apply_url.is_some(), o.origin != OfferOrigin::Platform);
        if o.status == OfferStatus::Expired {
            assert!(o.expires_at <= reference);
        }
        open += usize::from(o.is_open(reference));
        *origins.entry(o.origin.as_str()).or_insert(0) += 1;
    }
    assert!(open > 4500, "most offers are open: {open}");
    assert!((2700..3300).contains(&origins["platform"]), "{origins:?}");
    assert!(
        (1800..2400).contains(&origins["france_travail"]),
        "{origins:?}"
    );
}

/// One record of each kind that is not demo data.
fn hand_made(data: &ReferentialData) -> (Formation, Offer, Company) {
    let cfa = &data.cfas[0];
    let place = Place {
        address: "1 rue de la Paix".into(),
        postal_code: cfa.postal_code.clone(),
        commune_insee: cfa.commune_insee.clone(),
        city: cfa.city.as_str().into(),
        point: cfa.point,
    };
    let rome: CodeRome = "D1102".parse().unwrap();
    let siret: Siret = "73282932000074".parse().unwrap();
    let formation = Formation {
        id: "real-formation".into(),
        is_demo: false,
        title: "CAP Boulanger".into(),
        diploma_title: "BOULANGER (CAP)".into(),
        cfd: None,
        rncp: None,
        level: None,
        romes: vec![rome.clone()],
        cfa_uai: Some(cfa.uai.clone()),
        cfa_siret: None,
        cfa_name: cfa.name.clone(),
        place: place.clone(),
        sessions: vec![],
        duration_months: None,
        capacity: None,
        distance_learning: false,
        email: None,
        phone: None,
        onisep_url: None,
    };
    let now = Utc::now();
    let offer = Offer {
        id: "real-offer".into(),
        is_demo: false,
        origin: OfferOrigin::Platform,
        status: OfferStatus::Active,
        title: "Boulanger".into(),
        appellation_ogr: None,
        rome: rome.clone(),
        description: "Une offre".into(),
        contract_types: vec![ContractType::Apprentissage],
        level: None,
        start_date: None,
        duration_months: None,
        company_siret: Some(siret.clone()),
        company_name: "Boulangerie réelle".into(),
        company_naf: None,
        company_headcount: None,
        place: place.clone(),
        published_at: now,
        expires_at: now + TimeDelta::days(30),
        apply_url: None,
    };
    let company = Company {
        siret,
        is_demo: false,
        name: "Boulangerie réelle".into(),
        naf: None,
        headcount: None,
        place,
        romes: vec![RomeScore { rome, score: 80 }],
        email: None,
        phone: None,
        website: None,
    };
    (formation, offer, company)
}

/// The local demo's dense core: in each large city, for the common first
/// métiers of apprentices, companies and open offers near the centre — a
/// first search ("Boulanger" around Lyon) finds some.
#[tokio::test]
async fn the_local_demo_has_companies_and_open_offers_for_common_metiers_in_big_cities() {
    let db = TestDb::sqlite().await;
    let data = with_referentials(&db.store).await;
    let config = config(4);
    let set = demo::build(&data, &config).unwrap();
    // The totals do not change.
    assert_eq!(
        (set.formations.len(), set.offers.len(), set.companies.len()),
        (3000, 6000, 20000)
    );
    let now = demo::reference_instant(config.reference_date);
    let cities = [
        ("Lyon", 45.758, 4.835),
        ("Marseille", 43.296, 5.37),
        ("Lille", 50.63, 3.06),
        ("Rennes", 48.116, -1.688),
        ("Toulouse", 43.6, 1.433),
    ];
    let metiers = ["D1102", "G1602", "D1202", "I1604", "F1602", "M1805"];
    for (city, lat, lon) in cities {
        let centre = GeoPoint::new(lat, lon).unwrap();
        for code in metiers {
            let rome: CodeRome = code.parse().unwrap();
            let companies = set
                .companies
                .iter()
                .filter(|c| c.romes.iter().any(|r| r.rome == rome))
                .filter(|c| c.place.point.distance_km(&centre) < 10.0)
                .count();
            let offers = set
                .offers
                .iter()
                .filter(|o| o.rome == rome && o.status == OfferStatus::Active && o.expires_at > now)
                .filter(|o| o.place.point.distance_km(&centre) < 10.0)
                .count();
            assert!(companies >= 3, "{city} {code}: {companies} companies");
            assert!(offers >= 2, "{city} {code}: {offers} offers");
        }
    }
    // Every dense record is demo data like the rest.
    assert!(
        set.companies
            .iter()
            .all(|c| c.is_demo && c.siret.as_str().starts_with("999"))
    );
    assert!(set.offers.iter().all(|o| o.is_demo));
}
