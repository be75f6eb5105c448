//! Signing in to the pro space in tests, through the real flow: the
//! account, a link asked with `lba_app::pro::auth::request_link` (as the
//! form does), signed with the tests' link key as the worker signs the
//! email's link; the caller opens it. And an application arriving, as the
//! form submits it and the worker delivers it.

use chrono::{TimeDelta, Utc};
use lba_app::lba_notify::LinkKey;
use lba_core::pro::Role;
use lba_store::Store;

/// The link key of the tests' `ApplyState` (`fixture::test_apply`).
pub fn key() -> LinkKey {
    LinkKey::new(b"test key")
}

/// The path of a fresh sign-in link of `email` (an active account).
pub async fn link_of(store: &Store, email: &str) -> String {
    let now = Utc::now();
    let id = lba_app::pro::auth::request_link(store, email, None, now)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no link mailed to {email}: no active account"));
    lba_app::pro::auth::sign_in_path(&key(), &id, now + TimeDelta::minutes(15))
}

/// Creates the account (`role`) when missing, then [`link_of`].
pub async fn link_for(store: &Store, email: &str, role: Role, opco: Option<&str>) -> String {
    lba_app::pro::auth::create_account(
        store,
        email,
        role,
        "Prénom",
        "Nom",
        opco,
        "test",
        Utc::now(),
    )
    .await
    .unwrap();
    link_of(store, email).await
}

/// The sign-in link of the tests' administrator.
pub async fn admin_link(store: &Store) -> String {
    link_for(store, "admin@exemple.fr", Role::Admin, None).await
}

/// The PDF every test application carries.
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

/// Léa's application to `target`, submitted and delivered (the worker
/// marks it so once the recruiter's email is sent); its id.
pub async fn delivered_application(store: &Store, target: lba_app::apply::Target) -> String {
    let config = lba_app::apply::ApplyConfig {
        limits: lba_app::apply::ApplyLimits::default(),
        key: key(),
    };
    let input = lba_app::apply::ApplicationInput {
        first_name: "Léa".into(),
        last_name: "Martin".into(),
        email: "lea.martin@example.fr".into(),
        phone: "06 12 34 56 78".into(),
        message: "Bonjour, je suis motivée.".into(),
        cv_name: "cv lea.pdf".into(),
        cv_bytes: PDF.to_vec(),
        caller: None,
        ip: None,
    };
    let id = lba_app::apply::submit(store, &config, &target, input, Utc::now())
        .await
        .unwrap();
    store.mark_delivered(&id, Utc::now()).await.unwrap();
    id
}
