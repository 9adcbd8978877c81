//! access_token and jsapi_ticket caching: one upstream fetch per token
//! generation, however many threads ask.
//!
//! * single-flight: one thread fetches, the others wait and then read the
//!   cache (re-checked after taking the lock, so waiters never fetch again);
//! * early refresh: inside the refresh margin one thread refreshes while the
//!   others keep using the still-valid token;
//! * invalid-token feedback (40001/42001/40014) is coalesced by token: only a
//!   report about the token currently cached drops it.
//!
//! Entries live in a [`TokenStore`], in memory by default or supplied by the
//! host application (e.g. Django's cache) so a fleet shares one token. Only
//! tokens are stored — never the app secret or the API key.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::error::{Error, Result};

/// Where cached tokens live. Implementations must be safe to call from many
/// threads; values are opaque strings.
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
}

/// The default store: a map in this process.
#[derive(Debug, Default)]
pub struct MemoryStore {
    map: Mutex<HashMap<String, String>>,
}

impl TokenStore for MemoryStore {
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

/// One cached token kind for one appid.
pub(crate) struct TokenCache {
    key: String,
    store: Arc<dyn TokenStore>,
    clock: Arc<dyn Clock>,
    margin: Duration,
    refresh: Mutex<()>,
}

impl TokenCache {
    pub fn new(
        key: String,
        store: Arc<dyn TokenStore>,
        clock: Arc<dyn Clock>,
        margin: Duration,
    ) -> Self {
        TokenCache {
            key,
            store,
            clock,
            margin,
            refresh: Mutex::new(()),
        }
    }

    /// A valid cached entry; anything unreadable, expired or absent is a miss.
    fn read(&self) -> Result<Option<Entry>> {
        let raw = self.store.get(&self.key).map_err(|e| match e {
            Error::Cache { .. } => e,
            other => Error::Cache {
                message: format!("token store get failed: {other}"),
            },
        })?;
        let entry = raw.and_then(|s| serde_json::from_str::<Entry>(&s).ok());
        Ok(entry.filter(|e| !e.token.is_empty() && e.expires_at > self.clock.now_unix()))
    }

    fn margin_for(&self, e: &Entry) -> u64 {
        let lifetime = e.expires_at.saturating_sub(e.obtained_at);
        self.margin.as_secs().min(lifetime / 5)
    }

    fn write(&self, f: &Fetched) -> Result<Entry> {
        let now = self.clock.now_unix();
        let entry = Entry {
            token: f.token.clone(),
            obtained_at: now,
            expires_at: now + f.expires_in,
        };
        let json = serde_json::to_string(&entry).map_err(|e| Error::Cache {
            message: e.to_string(),
        })?;
        self.store
            .set(&self.key, &json, Duration::from_secs(f.expires_in.max(1)))
            .map_err(|e| match e {
                Error::Cache { .. } => e,
                other => Error::Cache {
                    message: format!("token store set failed: {other}"),
                },
            })?;
        Ok(entry)
    }

    /// The current token, fetching one with `fetch` when needed.
    pub fn get(&self, fetch: impl Fn() -> Result<Fetched>) -> Result<String> {
        let now = self.clock.now_unix();
        if let Some(e) = self.read()? {
            if e.expires_at - now > self.margin_for(&e) {
                return Ok(e.token);
            }
            // Inside the margin: one thread refreshes, the rest keep the old one.
            let Ok(_guard) = self.refresh.try_lock() else {
                return Ok(e.token);
            };
            return match self.read()? {
                Some(fresh) if fresh != e => Ok(fresh.token),
                _ => match fetch() {
                    Ok(f) => Ok(self.write(&f)?.token),
                    // The old token is still valid: serve it, try again later.
                    Err(_) => Ok(e.token),
                },
            };
        }
        let _guard = self.refresh.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(e) = self.read()? {
            return Ok(e.token);
        }
        let f = fetch()?;
        Ok(self.write(&f)?.token)
    }

    /// WeChat said `token` is no longer valid: drop it, unless another
    /// thread already replaced it.
    pub fn invalidate(&self, token: &str) -> Result<()> {
        let _guard = self.refresh.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(e) = self.read()? {
            if e.token == token {
                let dead = Entry {
                    token: String::new(),
                    obtained_at: 0,
                    expires_at: 0,
                };
                let json = serde_json::to_string(&dead).map_err(|e| Error::Cache {
                    message: e.to_string(),
                })?;
                self.store.set(&self.key, &json, Duration::from_secs(1))?;
            }
        }
        Ok(())
    }
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
