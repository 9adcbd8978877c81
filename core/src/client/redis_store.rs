//! Tokens in Redis, shared by every process of every host of a fleet, with
//! the refresh lock as `SET key owner NX PX ttl` and an owner-checked
//! release, so exactly one process fetches each token generation.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::client::{LockOutcome, TokenStore};
use crate::error::{Error, Result};

/// Deletes the lock only if `owner` still holds it: after an expiry another
/// process may hold it, and its lock must stay.
const RELEASE: &str =
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/// How long one Redis call may take before the store counts as down.
const TIMEOUT: Duration = Duration::from_secs(1);

/// After a failure, how long to answer "down" at once rather than wait on a
/// connection attempt in every call.
const RETRY_AFTER: Duration = Duration::from_millis(500);

/// A [`TokenStore`] in Redis, configured by URL (`redis://host:port/db`,
/// with `redis://:password@host` when Redis asks for one). Keys are wxpay's
/// own, namespaced by appid (`wxpay:{appid}:access_token`), so merchants can
/// share one Redis; only tokens are written, never a secret.
///
/// When Redis does not answer, calls fail fast with a `Cache` error; the
/// token cache then serves its own copy (see [`TokenStore`]), and uses Redis
/// again once it answers.
///
/// ```
/// let store = wxpay::RedisStore::new("redis://127.0.0.1:6379/0").unwrap();
/// assert!(wxpay::RedisStore::new("http://127.0.0.1:6379").is_err());
/// # drop(store);
/// ```
pub struct RedisStore {
    client: redis::Client,
    connection: Mutex<Option<redis::Connection>>,
    down_until: Mutex<Option<Instant>>,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold a password.
        f.debug_struct("RedisStore").finish_non_exhaustive()
    }
}

fn failed(what: &str, e: &redis::RedisError) -> Error {
    // The kind and category only: a Redis error can quote the URL.
    Error::Cache {
        message: format!("redis: {what}: {:?} ({})", e.kind(), e.category()),
    }
}

impl RedisStore {
    /// A store for the Redis at `url`; nothing is connected until the
    /// first call, so a Redis that is down when the client is built is no
    /// error.
    pub fn new(url: &str) -> Result<Self> {
        if !(url.starts_with("redis://")
            || url.starts_with("redis+unix://")
            || url.starts_with("unix://"))
        {
            return Err(Error::config(
                "token_store must be a redis:// URL (or a store object in Python and Node)",
            ));
        }
        let client = redis::Client::open(url)
            .map_err(|_| Error::config("token_store is not a Redis URL wxpay can read"))?;
        Ok(RedisStore {
            client,
            connection: Mutex::new(None),
            down_until: Mutex::new(None),
        })
    }

    fn call<T>(
        &self,
        what: &str,
        f: impl FnOnce(&mut redis::Connection) -> redis::RedisResult<T>,
    ) -> Result<T> {
        let mut down = self.down_until.lock().unwrap_or_else(|p| p.into_inner());
        if down.is_some_and(|until| Instant::now() < until) {
            return Err(Error::Cache {
                message: format!("redis: {what}: not answering (trying again shortly)"),
            });
        }
        let mut slot = self.connection.lock().unwrap_or_else(|p| p.into_inner());
        let result = match slot.as_mut() {
            Some(c) => f(c),
            None => match self.client.get_connection_with_timeout(TIMEOUT) {
                Ok(mut c) => {
                    let _ = c.set_read_timeout(Some(TIMEOUT));
                    let _ = c.set_write_timeout(Some(TIMEOUT));
                    let r = f(&mut c);
                    *slot = Some(c);
                    r
                }
                Err(e) => {
                    *down = Some(Instant::now() + RETRY_AFTER);
                    return Err(failed(what, &e));
                }
            },
        };
        result.map_err(|e| {
            // A broken connection is made again on the next call.
            *slot = None;
            if e.is_io_error() || e.is_timeout() || e.is_connection_dropped() {
                *down = Some(Instant::now() + RETRY_AFTER);
            }
            failed(what, &e)
        })
    }
}

impl TokenStore for RedisStore {
    fn kind(&self) -> &'static str {
        "redis"
    }

    fn get(&self, key: &str) -> Result<Option<String>> {
        self.call("get", |c| redis::cmd("GET").arg(key).query(c))
    }

    fn set(&self, key: &str, value: &str, ttl: Duration) -> Result<()> {
        let ms = ttl.as_millis().max(1) as u64;
        self.call("set", |c| {
            redis::cmd("SET")
                .arg(key)
                .arg(value)
                .arg("PX")
                .arg(ms)
                .query::<()>(c)
        })
    }

    fn try_lock(&self, key: &str, owner: &str, ttl: Duration) -> Result<LockOutcome> {
        let ms = ttl.as_millis().max(1) as u64;
        let set: Option<String> = self.call("lock", |c| {
            redis::cmd("SET")
                .arg(key)
                .arg(owner)
                .arg("NX")
                .arg("PX")
                .arg(ms)
                .query(c)
        })?;
        Ok(if set.is_some() {
            LockOutcome::Taken
        } else {
            LockOutcome::Held
        })
    }

    fn unlock(&self, key: &str, owner: &str) -> Result<()> {
        self.call("unlock", |c| {
            redis::cmd("EVAL")
                .arg(RELEASE)
                .arg(1)
                .arg(key)
                .arg(owner)
                .query::<i64>(c)
        })
        .map(drop)
    }
}
