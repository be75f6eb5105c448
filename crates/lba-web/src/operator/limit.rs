//! Limits on operator login attempts, per client address and globally.
//!
//! Per address (an IPv6 address counts by its /64 prefix): the first
//! [`LoginLimits::free_failures`] wrong secrets are free, then every
//! failure locks the address out for a growing time (1 s, 2 s, 4 s…
//! capped at 15 minutes by default); a success clears its record, and so
//! does a quiet time as long as the longest lockout after the last
//! failure and its lockout. Globally:
//! more than [`LoginLimits::global_failures`] failures within
//! [`LoginLimits::global_window`], whatever the addresses, lock logins for
//! everyone (10 s, then 20 s… capped at 5 minutes while the flood goes on).
//! A locked-out attempt is refused before the secret is looked at, so the
//! right secret is refused too; it does not count as a failure.
//!
//! The counters live in memory, per node: with N nodes an attacker gets N
//! budgets. Behind a reverse proxy every client has the proxy's address,
//! so the per-address limit then acts as a second global one.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The thresholds and delays of [`LoginGuard`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoginLimits {
    /// Wrong secrets an address may send before it is locked out.
    pub free_failures: u32,
    /// First lockout of an address; each further failure doubles it.
    pub first_lockout: Duration,
    /// Longest lockout of an address.
    pub max_lockout: Duration,
    /// Failures from all addresses within `global_window` above which
    /// logins are locked for everyone.
    pub global_failures: u32,
    /// Window of the global count.
    pub global_window: Duration,
    /// First global lockout; each new flood doubles it.
    pub global_first_lockout: Duration,
    /// Longest global lockout.
    pub global_max_lockout: Duration,
}

impl Default for LoginLimits {
    fn default() -> Self {
        Self {
            free_failures: 5,
            first_lockout: Duration::from_secs(1),
            max_lockout: Duration::from_secs(15 * 60),
            global_failures: 100,
            global_window: Duration::from_secs(60),
            global_first_lockout: Duration::from_secs(10),
            global_max_lockout: Duration::from_secs(5 * 60),
        }
    }
}

/// What the guard decided about one login attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Attempt {
    /// The secret was right: the address's record is cleared.
    Granted,
    /// The secret was wrong (counted).
    Wrong,
    /// Locked out: the secret was not even checked.
    Locked {
        /// How long until an attempt is looked at again.
        retry_after: Duration,
        /// Whether the lockout is the global one.
        global: bool,
    },
}

/// The failures of one address.
#[derive(Clone, Copy, Debug)]
struct Client {
    failures: u32,
    last_failure: Instant,
    locked_until: Option<Instant>,
}

/// The failures of every address together.
#[derive(Clone, Copy, Debug)]
struct Global {
    window_start: Instant,
    failures: u32,
    /// Floods in a row: the next global lockout is `first × 2^strikes`.
    strikes: u32,
    /// Whether the current window triggered a lockout.
    triggered: bool,
    locked_until: Option<Instant>,
}

#[derive(Debug)]
struct Counters {
    clients: HashMap<Option<IpAddr>, Client>,
    global: Global,
}

/// The time source of a guard.
type Clock = Arc<dyn Fn() -> Instant + Send + Sync>;

/// Address records kept at most before the forgotten ones are pruned.
const MAX_CLIENTS: usize = 10_000;

/// Counts failed operator logins and locks out (see the module header).
/// Cheap to clone: clones share their counters.
#[derive(Clone)]
pub struct LoginGuard {
    limits: LoginLimits,
    clock: Clock,
    counters: Arc<Mutex<Counters>>,
}

impl std::fmt::Debug for LoginGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginGuard")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl Default for LoginGuard {
    fn default() -> Self {
        Self::new(LoginLimits::default())
    }
}

/// `first × 2^n`, at most `max`.
fn backoff(first: Duration, n: u32, max: Duration) -> Duration {
    first.saturating_mul(2_u32.saturating_pow(n)).min(max)
}

/// The key of an address: IPv4 as is, IPv6 by its /64 prefix (one
/// customer's network), unknown addresses together.
fn client_key(ip: Option<IpAddr>) -> Option<IpAddr> {
    match ip? {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => Some(IpAddr::V4(v4)),
            None => {
                let prefix = u128::from(v6) & !((1_u128 << 64) - 1);
                Some(IpAddr::V6(prefix.into()))
            }
        },
        v4 @ IpAddr::V4(_) => Some(v4),
    }
}

impl LoginGuard {
    /// A guard with `limits` on the system clock.
    #[must_use]
    pub fn new(limits: LoginLimits) -> Self {
        Self::with_clock(limits, Instant::now)
    }

    /// A guard with `limits` whose time is `clock` (tests move it by hand).
    #[must_use]
    pub fn with_clock(
        limits: LoginLimits,
        clock: impl Fn() -> Instant + Send + Sync + 'static,
    ) -> Self {
        let now = clock();
        Self {
            limits,
            clock: Arc::new(clock),
            counters: Arc::new(Mutex::new(Counters {
                clients: HashMap::new(),
                global: Global {
                    window_start: now,
                    failures: 0,
                    strikes: 0,
                    triggered: false,
                    locked_until: None,
                },
            })),
        }
    }

    /// One login attempt from `ip`: `check` (the secret comparison) runs
    /// only when neither the address nor the site is locked out, under the
    /// guard's lock (concurrent attempts cannot slip between the check and
    /// the count).
    pub(crate) fn attempt(&self, ip: Option<IpAddr>, check: impl FnOnce() -> bool) -> Attempt {
        let now = (self.clock)();
        // A panic elsewhere while holding the lock leaves consistent
        // counters (every update is a plain assignment): keep using them.
        let mut counters = self.counters.lock().unwrap_or_else(PoisonError::into_inner);
        let Counters { clients, global } = &mut *counters;
        if let Some(until) = global.locked_until.filter(|u| *u > now) {
            return Attempt::Locked {
                retry_after: until - now,
                global: true,
            };
        }
        let key = client_key(ip);
        if let Some(until) = clients
            .get(&key)
            .and_then(|c| c.locked_until)
            .filter(|u| *u > now)
        {
            return Attempt::Locked {
                retry_after: until - now,
                global: false,
            };
        }
        if check() {
            clients.remove(&key);
            return Attempt::Granted;
        }
        self.count_client(clients, key, now);
        self.count_global(global, now);
        Attempt::Wrong
    }

    /// Whether `client` can be forgotten at `now`: quiet for longer than
    /// the longest lockout since its last failure and since the end of its
    /// lockout (an address that retries as soon as each lockout ends stays
    /// at the longest one).
    fn forgotten(&self, client: &Client, now: Instant) -> bool {
        let quiet_since = client
            .locked_until
            .map_or(client.last_failure, |u| u.max(client.last_failure));
        now.saturating_duration_since(quiet_since) > self.limits.max_lockout
    }

    fn count_client(
        &self,
        clients: &mut HashMap<Option<IpAddr>, Client>,
        key: Option<IpAddr>,
        now: Instant,
    ) {
        if clients.len() >= MAX_CLIENTS {
            clients.retain(|_, c| !self.forgotten(c, now));
        }
        let fresh = Client {
            failures: 0,
            last_failure: now,
            locked_until: None,
        };
        let client = clients.entry(key).or_insert(fresh);
        if self.forgotten(client, now) {
            *client = fresh;
        }
        client.failures = client.failures.saturating_add(1);
        client.last_failure = now;
        let limits = &self.limits;
        if let Some(n) = client.failures.checked_sub(limits.free_failures) {
            client.locked_until = Some(now + backoff(limits.first_lockout, n, limits.max_lockout));
        }
    }

    fn count_global(&self, global: &mut Global, now: Instant) {
        let limits = &self.limits;
        if now.saturating_duration_since(global.window_start) >= limits.global_window {
            if !global.triggered {
                global.strikes = 0;
            }
            global.window_start = now;
            global.failures = 0;
            global.triggered = false;
        }
        global.failures = global.failures.saturating_add(1);
        if global.failures > limits.global_failures {
            let lockout = backoff(
                limits.global_first_lockout,
                global.strikes,
                limits.global_max_lockout,
            );
            global.locked_until = Some(now + lockout);
            global.strikes = global.strikes.saturating_add(1);
            global.triggered = true;
            global.window_start = now;
            global.failures = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU64, Ordering};

    use super::*;

    /// A guard on a clock the test moves, in milliseconds.
    fn guard(limits: LoginLimits) -> (LoginGuard, Arc<AtomicU64>) {
        let start = Instant::now();
        let ms = Arc::new(AtomicU64::new(0));
        let clock = ms.clone();
        let guard = LoginGuard::with_clock(limits, move || {
            start + Duration::from_millis(clock.load(Ordering::SeqCst))
        });
        (guard, ms)
    }

    fn ip(s: &str) -> Option<IpAddr> {
        s.parse().ok()
    }

    fn locked_for(a: Attempt) -> Option<Duration> {
        match a {
            Attempt::Locked { retry_after, .. } => Some(retry_after),
            _ => None,
        }
    }

    #[test]
    fn lockouts_double_up_to_the_cap_and_a_success_clears_them() {
        let limits = LoginLimits {
            max_lockout: Duration::from_secs(5),
            ..LoginLimits::default()
        };
        let (g, ms) = guard(limits);
        let a = ip("192.0.2.1");
        for _ in 0..4 {
            assert_eq!(g.attempt(a, || false), Attempt::Wrong);
        }
        // The fifth failure locks for 1 s; the next ones for 2, 4, 5, 5 s.
        let mut t = 0;
        for expected in [1, 2, 4, 5, 5] {
            assert_eq!(g.attempt(a, || false), Attempt::Wrong);
            let lock = locked_for(g.attempt(a, || true)).map(|d| d.as_secs());
            assert_eq!(lock, Some(expected));
            t += expected * 1000;
            ms.store(t, Ordering::SeqCst);
        }
        assert_eq!(g.attempt(a, || true), Attempt::Granted);
        for _ in 0..4 {
            assert_eq!(g.attempt(a, || false), Attempt::Wrong);
        }
        assert_eq!(g.attempt(a, || true), Attempt::Granted);
    }

    #[test]
    fn an_address_is_forgotten_only_after_a_quiet_time_past_its_lockout() {
        let limits = LoginLimits {
            max_lockout: Duration::from_secs(4),
            ..LoginLimits::default()
        };
        let (g, ms) = guard(limits);
        let a = ip("192.0.2.1");
        let mut t = 0;
        for _ in 0..8 {
            g.attempt(a, || false);
            t += 4_000;
            ms.store(t, Ordering::SeqCst);
        }
        // Retrying as each lockout ends keeps the longest one.
        assert_eq!(g.attempt(a, || false), Attempt::Wrong);
        assert_eq!(
            locked_for(g.attempt(a, || true)),
            Some(Duration::from_secs(4))
        );
        // Quiet for 4 s after the end of the lockout: still known.
        t += 8_000;
        ms.store(t, Ordering::SeqCst);
        assert_eq!(g.attempt(a, || false), Attempt::Wrong);
        assert!(locked_for(g.attempt(a, || true)).is_some());
        // Quiet for longer: forgotten, five free failures again.
        t += 8_001;
        ms.store(t, Ordering::SeqCst);
        for _ in 0..4 {
            assert_eq!(g.attempt(a, || false), Attempt::Wrong);
        }
        assert_eq!(g.attempt(a, || true), Attempt::Granted);
    }

    #[test]
    fn an_address_quiet_long_enough_is_forgotten() {
        let (g, ms) = guard(LoginLimits::default());
        let a = ip("192.0.2.1");
        for _ in 0..4 {
            g.attempt(a, || false);
        }
        ms.store(16 * 60 * 1000, Ordering::SeqCst);
        for _ in 0..4 {
            assert_eq!(g.attempt(a, || false), Attempt::Wrong);
        }
        assert_eq!(g.attempt(a, || true), Attempt::Granted);
    }

    #[test]
    fn ipv6_addresses_count_by_their_64_prefix() {
        let (g, _) = guard(LoginLimits::default());
        for i in 0..5 {
            g.attempt(ip(&format!("2001:db8:1:2::{i}")), || false);
        }
        let lock = g.attempt(ip("2001:db8:1:2:ffff::1"), || true);
        assert!(locked_for(lock).is_some(), "{lock:?}");
        assert_eq!(g.attempt(ip("2001:db8:1:3::1"), || true), Attempt::Granted);
        assert_eq!(
            client_key(ip("::ffff:192.0.2.1")),
            client_key(ip("192.0.2.1"))
        );
    }

    #[test]
    fn a_flood_locks_everyone_for_growing_times_then_calms_down() {
        let limits = LoginLimits {
            free_failures: 1000,
            global_failures: 3,
            ..LoginLimits::default()
        };
        let (g, ms) = guard(limits);
        let flood = |n: u32| {
            for i in 0..n {
                g.attempt(ip(&format!("198.51.100.{i}")), || false);
            }
        };
        flood(3);
        assert_eq!(g.attempt(ip("192.0.2.9"), || true), Attempt::Granted);
        flood(4);
        let lock = g.attempt(ip("192.0.2.9"), || true);
        assert_eq!(
            lock,
            Attempt::Locked {
                retry_after: Duration::from_secs(10),
                global: true
            }
        );
        ms.store(10_000, Ordering::SeqCst);
        flood(4);
        assert_eq!(
            locked_for(g.attempt(ip("192.0.2.9"), || true)),
            Some(Duration::from_secs(20))
        );
        // A quiet window, then a window under the threshold: the next
        // flood starts again at 10 s.
        ms.store(100_000, Ordering::SeqCst);
        flood(1);
        ms.store(200_000, Ordering::SeqCst);
        flood(4);
        assert_eq!(
            locked_for(g.attempt(ip("192.0.2.9"), || true)),
            Some(Duration::from_secs(10))
        );
    }

    #[test]
    fn backoff_saturates() {
        let max = Duration::from_secs(900);
        assert_eq!(backoff(Duration::from_secs(1), 0, max).as_secs(), 1);
        assert_eq!(backoff(Duration::from_secs(1), 3, max).as_secs(), 8);
        assert_eq!(backoff(Duration::from_secs(1), 40, max), max);
        assert_eq!(backoff(Duration::from_secs(1), u32::MAX, max), max);
    }
}
