//! Progress reporting for long use cases, drawn by the CLI (a bar on a
//! terminal) and silent elsewhere.

/// Receives progress events. Implementations must be cheap: `advance` is
/// called once per row.
pub trait Progress: Send + Sync {
    /// A new stage starts (`total` rows when known).
    fn stage(&self, name: &str, total: Option<u64>);
    /// `n` more rows of the current stage are done.
    fn advance(&self, n: u64);
    /// Everything is done.
    fn finish(&self);
}

/// Reports nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn stage(&self, _name: &str, _total: Option<u64>) {}
    fn advance(&self, _n: u64) {}
    fn finish(&self) {}
}
