//! Settings of the campaign routes: operator pages, tracked links,
//! unsubscribe and the delivery webhook. `Default` is a local setup with no
//! webhook secret (webhook closed).

/// Settings of the campaign routes; cheap to clone.
#[derive(Clone, Debug)]
pub struct OpsState {
    /// Base URL of the site as people see it (links in messages).
    pub public_url: String,
    /// Secret the delivery providers' webhook calls must carry; `None`
    /// refuses every call.
    pub webhook_secret: Option<String>,
    /// The learning modules (`/parcours`): the embedded content by
    /// default, `LBA_MODULES_DIR` when set.
    pub learning: lba_app::learning::Modules,
    /// Outlines of the départements and régions drawn under the results
    /// map (`/assets/geo/…`), from the data directory; `None`: no base
    /// layer (the markers alone).
    pub map_outlines: Option<std::sync::Arc<lba_app::map::MapOutlines>>,
}

impl Default for OpsState {
    fn default() -> Self {
        Self {
            public_url: "http://127.0.0.1:8080".to_owned(),
            webhook_secret: None,
            learning: lba_app::learning::embedded_modules(),
            map_outlines: None,
        }
    }
}
