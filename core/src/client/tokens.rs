//! access_token and jsapi_ticket caching: one upstream fetch per token
//! generation, however many threads — and, with a shared store, however
//! many processes and hosts — ask.
//!
//! * single-flight: one thread fetches, the others wait and then read the
//!   cache (re-checked after taking the lock, so waiters never fetch again);
//! * across processes, the store's refresh lock ([`TokenStore::try_lock`]):
//!   the holder fetches, the others re-read the store until the token is
//!   there; the lock expires, so a holder that dies never blocks the fleet;
//! * early refresh: inside the refresh margin (80-100 % of it, drawn per
//!   process, so a fleet does not reach it at once) one thread — one
//!   process, with a locking store — refreshes while the others keep using
//!   the still-valid token;
//! * invalid-token feedback (40001/42001/40014) is coalesced by token: only a
//!   report about the token currently cached drops it;
//! * a store that fails (Redis down) is never a checkout error while a
//!   valid token is at hand: the process keeps its own copy, single-flight,
//!   reports it once (a `token_store_down` event, [`crate::events`]), and
//!   uses the store again once it answers.
//!
//! Entries live in a [`TokenStore`], in memory by default, in files
//! ([`crate::FileStore`]), in Redis ([`crate::RedisStore`]) or supplied by
//! the host application (e.g. Django's cache). Only tokens are stored —
//! never the app secret or the API key.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::events::Level;

/// What [`TokenStore::try_lock`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockOutcome {
    /// The lock is ours until we release it or it expires.
    Taken,
    /// Another process holds it: re-read the store a little later.
    Held,
    /// This store cannot lock across processes (refreshes are per process).
    Unsupported,
}

/// Where cached tokens live. Implementations must be safe to call from many
/// threads; values are opaque strings.
///
/// A store shared by several processes should also lock: with
/// [`TokenStore::try_lock`] and [`TokenStore::unlock`], one process of the
/// fleet refreshes a token and the others wait for it in the store.
///
/// ```
/// use std::time::Duration;
/// use wxpay::{MemoryStore, TokenStore};
/// let store = MemoryStore::default();
/// store.set("k", "v", Duration::from_secs(60)).unwrap();
/// assert_eq!(store.get("k").unwrap().as_deref(), Some("v"));
/// ```
pub trait TokenStore: Send + Sync {
    /// The value stored under `key`, if any.
    fn get(&self, key: &str) -> Result<Option<String>>;
    /// Stores `value` under `key` for `ttl`.
    fn set(&self, key: &str, value: &str, ttl: Duration) -> Result<()>;
    /// Takes the refresh lock `key` for `owner`, for at most `ttl` (so a
    /// holder that dies never blocks the others). The default cannot lock.
    fn try_lock(&self, key: &str, owner: &str, ttl: Duration) -> Result<LockOutcome> {
        let _ = (key, owner, ttl);
        Ok(LockOutcome::Unsupported)
    }
    /// What the store is, for [`crate::Client::token_store_health`]:
    /// `memory`, `file`, `redis`, or `host` (the application's own object,
    /// the default).
    fn kind(&self) -> &'static str {
        "host"
    }
    /// Releases `key` if `owner` still holds it (after an expiry another
    /// process may hold it now, and its lock must stay).
    fn unlock(&self, key: &str, owner: &str) -> Result<()> {
        let _ = (key, owner);
        Ok(())
    }
}

/// The default store: a map in this process.
#[derive(Debug, Default)]
pub struct MemoryStore {
    map: Mutex<HashMap<String, String>>,
}

impl TokenStore for MemoryStore {
    fn kind(&self) -> &'static str {
        "memory"
    }
    fn get(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .map
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(key)
            .cloned())
    }

    fn set(&self, key: &str, value: &str, _ttl: Duration) -> Result<()> {
        // Entries carry their own expiry, so the map needs no timer.
        self.map
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key.to_owned(), value.to_owned());
        Ok(())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct Entry {
    token: String,
    obtained_at: u64,
    expires_at: u64,
}

/// A freshly fetched token and its lifetime in seconds.
pub(crate) struct Fetched {
    pub token: String,
    pub expires_in: u64,
}

/// How often a process waiting for another's refresh re-reads the store.
const LOCK_POLL: Duration = Duration::from_millis(50);

/// One cached token kind for one appid.
pub(crate) struct TokenCache {
    key: String,
    lock_key: String,
    store: Arc<dyn TokenStore>,
    clock: Arc<dyn Clock>,
    margin: Duration,
    /// How long the fleet's refresh lock lives: longer than one fetch may take.
    lock_ttl: Duration,
    refresh: Mutex<()>,
    /// This process's share of the refresh margin (80-100 %): processes
    /// that read one token do not all reach its margin at the same moment.
    margin_share: f64,
    /// This process's copy of the last entry, served when the store fails.
    local: Mutex<Option<Entry>>,
    store_down: AtomicBool,
    /// What the store's last failure said, for the health call.
    last_error: Mutex<Option<String>>,
    /// A failing store fails the call (`token_store_required`).
    required: bool,
    /// The client's counters (fetches, store failures).
    metrics: Arc<crate::client::metrics::Metrics>,
}

impl TokenCache {
    pub fn new(
        key: String,
        store: Arc<dyn TokenStore>,
        clock: Arc<dyn Clock>,
        margin: Duration,
        lock_ttl: Duration,
        required: bool,
        metrics: Arc<crate::client::metrics::Metrics>,
    ) -> Self {
        TokenCache {
            required,
            metrics,
            lock_key: format!("{key}:lock"),
            key,
            store,
            clock,
            margin,
            lock_ttl,
            refresh: Mutex::new(()),
            margin_share: 0.8 + 0.2 * crate::clock::random_fraction(),
            local: Mutex::new(None),
            store_down: AtomicBool::new(false),
            last_error: Mutex::new(None),
        }
    }

    /// What the store's failure said, while it is failing.
    pub fn store_error(&self) -> Option<String> {
        if !self.store_down.load(Ordering::Relaxed) {
            return None;
        }
        self.last_error
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// What this cache holds (`access_token`, `jsapi_ticket`): the last
    /// part of its key, which names no secret.
    fn kind(&self) -> &str {
        self.key.rsplit(':').next().unwrap_or_default()
    }

    /// The store this cache uses.
    pub fn store_kind(&self) -> &'static str {
        self.store.kind()
    }

    fn valid(&self, e: &Entry) -> bool {
        !e.token.is_empty() && e.expires_at > self.clock.now_unix()
    }

    /// A valid stored entry; anything unreadable, expired or absent is a
    /// miss. A store error is `Err` (the caller falls back to `local`).
    fn read(&self) -> Result<Option<Entry>> {
        let raw = self
            .store
            .get(&self.key)
            .map_err(|e| self.store_failed("get", e))?;
        self.store_answered();
        let entry = raw.and_then(|s| serde_json::from_str::<Entry>(&s).ok());
        let entry = entry.filter(|e| self.valid(e));
        if let Some(e) = &entry {
            *self.local.lock().unwrap_or_else(|p| p.into_inner()) = Some(e.clone());
        }
        Ok(entry)
    }

    /// The process's own copy, when still valid.
    fn local(&self) -> Option<Entry> {
        self.local
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .filter(|e| self.valid(e))
    }

    fn store_failed(&self, op: &str, e: Error) -> Error {
        let e = match e {
            Error::Cache { .. } => e,
            other => Error::Cache {
                message: format!("token store {op} failed: {other}"),
            },
        };
        self.metrics.token_store_failure();
        *self.last_error.lock().unwrap_or_else(|p| p.into_inner()) = Some(e.to_string());
        if !self.store_down.swap(true, Ordering::Relaxed) {
            crate::events::emit(
                Level::Warning,
                "token_store_down",
                format!("{e}; using this process's own token cache until the store answers"),
                &[("key", self.key.clone()), ("action", op.to_owned())],
            );
        }
        e
    }

    fn store_answered(&self) {
        if self.store_down.swap(false, Ordering::Relaxed) {
            crate::events::emit(
                Level::Info,
                "token_store_up",
                "the token store answers again; tokens are shared again",
                &[("key", self.key.clone())],
            );
        }
    }

    fn margin_for(&self, e: &Entry) -> u64 {
        let lifetime = e.expires_at.saturating_sub(e.obtained_at);
        let margin = (self.margin.as_secs() as f64 * self.margin_share) as u64;
        margin.min(lifetime / 5)
    }

    /// Fetches a token and keeps it: in the store when it answers, in this
    /// process always.
    fn fetch_and_write(&self, fetch: &impl Fn() -> Result<Fetched>) -> Result<String> {
        let f = fetch()?;
        self.metrics.token_fetch();
        crate::events::emit(
            crate::events::Level::Info,
            "token_refreshed",
            format!(
                "fetched a new {} from WeChat, valid {} s",
                self.kind(),
                f.expires_in
            ),
            &[
                ("token", self.kind().to_owned()),
                ("expires_in", f.expires_in.to_string()),
                ("store", self.store.kind().to_owned()),
            ],
        );
        let now = self.clock.now_unix();
        let entry = Entry {
            token: f.token,
            obtained_at: now,
            expires_at: now + f.expires_in,
        };
        *self.local.lock().unwrap_or_else(|p| p.into_inner()) = Some(entry.clone());
        let json = serde_json::to_string(&entry).map_err(|e| Error::Cache {
            message: e.to_string(),
        })?;
        // A store that fails now costs this process nothing: the token is
        // in hand, and the others fetch their own until the store is back.
        match self
            .store
            .set(&self.key, &json, Duration::from_secs(f.expires_in.max(1)))
        {
            Ok(()) => self.store_answered(),
            Err(e) if self.required => return Err(self.store_failed("set", e)),
            Err(e) => drop(self.store_failed("set", e)),
        }
        Ok(entry.token)
    }

    /// The current token, fetching one with `fetch` when needed.
    pub fn get(&self, fetch: impl Fn() -> Result<Fetched>) -> Result<String> {
        let now = self.clock.now_unix();
        let stored = match self.read() {
            Ok(stored) => stored,
            Err(e) if self.required => return Err(e),
            Err(_) => return self.get_without_store(&fetch),
        };
        if let Some(e) = stored {
            if e.expires_at - now > self.margin_for(&e) {
                return Ok(e.token);
            }
            // Inside the margin: one thread refreshes, the rest keep the old
            // one; across processes, whoever holds the store's lock.
            let Ok(_guard) = self.refresh.try_lock() else {
                return Ok(e.token);
            };
            let owner = random_owner();
            let locked = self.store.try_lock(&self.lock_key, &owner, self.lock_ttl);
            if !matches!(locked, Ok(LockOutcome::Taken | LockOutcome::Unsupported)) {
                return Ok(e.token);
            }
            let result = match self.read() {
                Ok(Some(fresh)) if fresh != e => Ok(fresh.token),
                // The old token is still valid: on failure serve it, try again later.
                _ => self.fetch_and_write(&fetch).or(Ok(e.token)),
            };
            self.release(&owner, locked);
            return result;
        }
        let _guard = self.refresh.lock().unwrap_or_else(|p| p.into_inner());
        self.get_for_the_fleet(&fetch)
    }

    /// A missing token, with this process's refresher role taken: the
    /// store's lock decides which process fetches; the others wait for the
    /// token to appear in the store.
    fn get_for_the_fleet(&self, fetch: &impl Fn() -> Result<Fetched>) -> Result<String> {
        // Longer than the lock lives: a holder that died leaves it to expire.
        let give_up = Instant::now() + self.lock_ttl * 2;
        loop {
            match self.read() {
                Ok(Some(e)) => return Ok(e.token),
                Ok(None) => {}
                Err(_) => {
                    return match self.local() {
                        Some(e) => Ok(e.token),
                        None => self.fetch_and_write(fetch),
                    }
                }
            }
            let owner = random_owner();
            match self.store.try_lock(&self.lock_key, &owner, self.lock_ttl) {
                Ok(LockOutcome::Unsupported) => return self.fetch_and_write(fetch),
                Ok(LockOutcome::Taken) => {
                    // Re-read under the lock: the previous holder may have
                    // written it just before releasing.
                    let result = match self.read() {
                        Ok(Some(e)) => Ok(e.token),
                        _ => self.fetch_and_write(fetch),
                    };
                    self.release(&owner, Ok(LockOutcome::Taken));
                    return result;
                }
                Ok(LockOutcome::Held) if Instant::now() < give_up => {
                    let jitter = 0.5 + crate::clock::random_fraction();
                    std::thread::sleep(LOCK_POLL.mul_f64(jitter));
                }
                // Waited past any holder's lock, or the store failed: fetch.
                Ok(LockOutcome::Held) | Err(_) => return self.fetch_and_write(fetch),
            }
        }
    }

    /// The store failed: this process's copy, or one fetch for all its threads.
    fn get_without_store(&self, fetch: &impl Fn() -> Result<Fetched>) -> Result<String> {
        if let Some(e) = self.local() {
            if e.expires_at - self.clock.now_unix() > self.margin_for(&e) {
                return Ok(e.token);
            }
        }
        let _guard = self.refresh.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(e) = self.local() {
            if e.expires_at - self.clock.now_unix() > self.margin_for(&e) {
                return Ok(e.token);
            }
            return self.fetch_and_write(fetch).or(Ok(e.token));
        }
        self.fetch_and_write(fetch)
    }

    fn release(&self, owner: &str, locked: Result<LockOutcome>) {
        if let Ok(LockOutcome::Taken) = locked {
            // A failed release only delays the next refresher until expiry.
            let _ = self.store.unlock(&self.lock_key, owner);
        }
    }

    /// WeChat said `token` is no longer valid: drop it, unless another
    /// thread (or process) already replaced it.
    pub fn invalidate(&self, token: &str) -> Result<()> {
        let _guard = self.refresh.lock().unwrap_or_else(|p| p.into_inner());
        {
            let mut local = self.local.lock().unwrap_or_else(|p| p.into_inner());
            if local.as_ref().is_some_and(|e| e.token == token) {
                *local = None;
            }
        }
        if let Ok(Some(e)) = self.read() {
            if e.token == token {
                let dead = Entry {
                    token: String::new(),
                    obtained_at: 0,
                    expires_at: 0,
                };
                let json = serde_json::to_string(&dead).map_err(|e| Error::Cache {
                    message: e.to_string(),
                })?;
                if let Err(e) = self.store.set(&self.key, &json, Duration::from_secs(1)) {
                    drop(self.store_failed("set", e));
                }
            }
        }
        Ok(())
    }
}

/// A lock owner that no other process or call will pick.
fn random_owner() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::getrandom(&mut bytes).is_err() {
        // No entropy: the time and the process still tell owners apart.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        return format!("{}-{nanos}", std::process::id());
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn cache(store: Arc<dyn TokenStore>, now: u64) -> TokenCache {
        TokenCache::new(
            "k".into(),
            store,
            Arc::new(FixedClock::new(now, "n")),
            Duration::from_secs(300),
            Duration::from_secs(2),
            false,
            Arc::default(),
        )
    }

    #[test]
    fn many_threads_one_fetch() {
        let c = Arc::new(cache(Arc::new(MemoryStore::default()), 1000));
        let fetches = Arc::new(AtomicU32::new(0));
        let handles: Vec<_> = (0..32)
            .map(|_| {
                let (c, fetches) = (c.clone(), fetches.clone());
                std::thread::spawn(move || {
                    c.get(|| {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(50));
                        Ok(Fetched {
                            token: "T1".into(),
                            expires_in: 7200,
                        })
                    })
                    .unwrap()
                })
            })
            .collect();
        for h in handles {
            assert_eq!(h.join().unwrap(), "T1");
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn garbage_and_expired_entries_are_misses() {
        let store: Arc<dyn TokenStore> = Arc::new(MemoryStore::default());
        store.set("k", "not json", Duration::from_secs(1)).unwrap();
        let c = cache(store.clone(), 1000);
        assert_eq!(
            c.get(|| Ok(Fetched {
                token: "A".into(),
                expires_in: 10
            }))
            .unwrap(),
            "A"
        );
        let later = cache(store, 1011);
        assert_eq!(
            later
                .get(|| Ok(Fetched {
                    token: "B".into(),
                    expires_in: 10
                }))
                .unwrap(),
            "B"
        );
    }

    #[test]
    fn early_refresh_keeps_the_old_token_on_failure() {
        let store: Arc<dyn TokenStore> = Arc::new(MemoryStore::default());
        cache(store.clone(), 0)
            .get(|| {
                Ok(Fetched {
                    token: "A".into(),
                    expires_in: 7200,
                })
            })
            .unwrap();
        // 7000 s later: inside the 300 s margin.
        let c = cache(store.clone(), 7000);
        assert_eq!(
            c.get(|| Err(Error::Cache {
                message: "down".into()
            }))
            .unwrap(),
            "A"
        );
        assert_eq!(
            c.get(|| Ok(Fetched {
                token: "B".into(),
                expires_in: 7200
            }))
            .unwrap(),
            "B"
        );
    }

    #[test]
    fn invalidation_only_drops_the_reported_token() {
        let store: Arc<dyn TokenStore> = Arc::new(MemoryStore::default());
        let c = cache(store, 0);
        c.get(|| {
            Ok(Fetched {
                token: "A".into(),
                expires_in: 7200,
            })
        })
        .unwrap();
        c.invalidate("OLD").unwrap();
        assert_eq!(c.get(|| panic!("must not fetch")).unwrap(), "A");
        c.invalidate("A").unwrap();
        assert_eq!(
            c.get(|| Ok(Fetched {
                token: "B".into(),
                expires_in: 7200
            }))
            .unwrap(),
            "B"
        );
    }
}
