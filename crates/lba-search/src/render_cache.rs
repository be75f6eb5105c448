//! Rendered bytes of the documents of one kind, kept once rendered: the
//! API writes a search result by copying its document's JSON and the
//! distance, instead of building and serialising the record again for every
//! response.
//!
//! Documents are rendered lazily, on their first appearance in a response,
//! so the memory follows what is asked for (the places and métiers people
//! search) rather than the whole country, and start-up pays nothing. The
//! total is bounded: past `budget` bytes, documents not yet kept are rendered
//! for each response as before (correct, only slower).

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// One document's rendering: `bytes`, with the per-result value (the
/// distance) to be written in place of `bytes[hole..hole + hole_len]`.
#[derive(Debug)]
pub struct Rendered {
    bytes: Box<[u8]>,
    hole: u32,
    hole_len: u32,
}

impl Rendered {
    /// `bytes` whose range `hole..hole + hole_len` is replaced by the
    /// per-result value when written ([`Rendered::write`]); `None` when the
    /// range is outside `bytes`.
    pub fn new(bytes: Vec<u8>, hole: usize, hole_len: usize) -> Option<Self> {
        let end = hole.checked_add(hole_len)?;
        (end <= bytes.len()).then_some(())?;
        Some(Self {
            bytes: bytes.into_boxed_slice(),
            hole: u32::try_from(hole).ok()?,
            hole_len: u32::try_from(hole_len).ok()?,
        })
    }

    /// Appends the bytes to `out` as kept (the hole's own bytes in it).
    pub fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.bytes);
    }

    /// Appends the bytes to `out`, with the hole's bytes replaced by what
    /// `fill` writes.
    pub fn write_filled(&self, out: &mut Vec<u8>, fill: impl FnOnce(&mut Vec<u8>)) {
        let (hole, end) = (self.hole as usize, (self.hole + self.hole_len) as usize);
        out.extend_from_slice(&self.bytes[..hole]);
        fill(out);
        out.extend_from_slice(&self.bytes[end..]);
    }

    /// The number of bytes held.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Nothing held.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

/// The renderings of the documents of one kind, by document number, within
/// a byte budget.
#[derive(Debug)]
pub struct RenderCache {
    /// Boxed, so that an empty slot (most of them, always) takes 16 bytes
    /// instead of 32: 20 MB less for a million companies.
    slots: Box<[OnceLock<Box<Rendered>>]>,
    used: AtomicUsize,
    budget: usize,
}

/// The default budget of one kind's renderings: 48 MiB, about 60,000
/// companies of the v1 API.
pub const DEFAULT_BUDGET: usize = 48 << 20;

impl RenderCache {
    /// An empty cache for `len` documents that keeps at most `budget` bytes.
    pub fn new(len: usize, budget: usize) -> Self {
        Self {
            slots: (0..len).map(|_| OnceLock::new()).collect(),
            used: AtomicUsize::new(0),
            budget,
        }
    }

    /// Calls `with` on document `doc`'s rendering: the kept one, or `render`'s
    /// (kept when the budget allows it). A document without a number, or
    /// outside the cache, is rendered and not kept.
    ///
    /// # Errors
    /// `render`'s error (nothing is kept).
    pub fn with<R, E>(
        &self,
        doc: Option<u32>,
        render: impl FnOnce() -> Result<Rendered, E>,
        with: impl FnOnce(&Rendered) -> R,
    ) -> Result<R, E> {
        let Some(slot) = doc.and_then(|d| self.slots.get(d as usize)) else {
            return Ok(with(&render()?));
        };
        if let Some(kept) = slot.get() {
            return Ok(with(kept));
        }
        let fresh = render()?;
        let size = fresh.len();
        // Reserve the bytes first, so that concurrent renderings cannot
        // overshoot the budget together.
        let reserved = self
            .used
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |used| {
                used.checked_add(size).filter(|&total| total <= self.budget)
            })
            .is_ok();
        if !reserved {
            return Ok(with(&fresh));
        }
        let mut stored = false;
        let kept = slot.get_or_init(|| {
            stored = true;
            Box::new(fresh)
        });
        if !stored {
            // Another request kept its rendering first: give the bytes back.
            self.used.fetch_sub(size, Ordering::Relaxed);
        }
        Ok(with(kept))
    }

    /// The bytes kept so far.
    pub fn used(&self) -> usize {
        self.used.load(Ordering::Relaxed)
    }

    /// The number of documents kept so far.
    pub fn kept(&self) -> usize {
        self.slots.iter().filter(|s| s.get().is_some()).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(text: &str) -> Rendered {
        let hole = text.find("null").unwrap_or(text.len());
        Rendered::new(text.as_bytes().to_vec(), hole, 4).expect("the text holds null")
    }

    fn written(r: &Rendered, fill: Option<&str>) -> String {
        let mut out = Vec::new();
        match fill {
            None => r.write(&mut out),
            Some(v) => r.write_filled(&mut out, |o| o.extend_from_slice(v.as_bytes())),
        }
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn the_hole_is_filled_or_left() {
        let r = rendered(r#"{"d":null,"x":1}"#);
        assert_eq!(written(&r, Some("12.5")), r#"{"d":12.5,"x":1}"#);
        assert_eq!(written(&r, None), r#"{"d":null,"x":1}"#);
        assert!(Rendered::new(b"abc".to_vec(), 2, 2).is_none());
    }

    #[test]
    fn kept_once_and_within_the_budget() {
        let cache = RenderCache::new(3, 40);
        let calls = std::cell::Cell::new(0);
        let render = |text: &'static str| {
            calls.set(calls.get() + 1);
            Ok::<_, ()>(rendered(text))
        };
        let a = r#"{"a":null,"pad":"0123456789"}"#; // 29 bytes
        assert_eq!(cache.with(Some(0), || render(a), |r| r.len()), Ok(a.len()));
        assert_eq!(cache.with(Some(0), || render(a), |r| r.len()), Ok(a.len()));
        assert_eq!(calls.get(), 1, "the second use reads the kept rendering");
        assert_eq!((cache.used(), cache.kept()), (a.len(), 1));
        // Over the budget: rendered for each use, never kept.
        assert_eq!(cache.with(Some(1), || render(a), |_| ()), Ok(()));
        assert_eq!(cache.with(Some(1), || render(a), |_| ()), Ok(()));
        assert_eq!(calls.get(), 3);
        assert_eq!((cache.used(), cache.kept()), (a.len(), 1));
        // Outside the cache: rendered, not kept.
        assert_eq!(cache.with(Some(7), || render(a), |_| ()), Ok(()));
        assert_eq!(cache.with(None, || render(a), |_| ()), Ok(()));
        assert_eq!(calls.get(), 5);
        assert_eq!(cache.kept(), 1);
        // A failed rendering keeps nothing.
        assert_eq!(
            cache.with(Some(2), || Err::<Rendered, _>("no"), |_| ()),
            Err("no")
        );
        assert_eq!((cache.used(), cache.kept()), (a.len(), 1));
    }
}
