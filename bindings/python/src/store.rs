//! A token store supplied from Python: any object with `get(key)` and
//! `set(key, value, ttl_seconds)`, such as Django's cache. One that also
//! has an atomic `add(key, value, ttl_seconds)` (Django's cache on Redis or
//! Memcached) gives the fleet its refresh lock; `delete(key)` releases it
//! early.

use std::time::Duration;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use wxpay::{Error, LockOutcome, Result, TokenStore};

pub struct PyTokenStore {
    obj: Py<PyAny>,
}

impl PyTokenStore {
    pub fn new(obj: Py<PyAny>) -> Self {
        PyTokenStore { obj }
    }
}

fn cache_error(py: Python<'_>, op: &str, e: PyErr) -> Error {
    let kind = e
        .get_type(py)
        .name()
        .map(|n| n.to_string())
        .unwrap_or_default();
    Error::Cache {
        message: format!("token_store.{op} raised {kind}"),
    }
}

impl TokenStore for PyTokenStore {
    fn get(&self, key: &str) -> Result<Option<String>> {
        Python::with_gil(|py| {
            let value = self
                .obj
                .bind(py)
                .call_method1("get", (key,))
                .map_err(|e| cache_error(py, "get", e))?;
            if value.is_none() {
                return Ok(None);
            }
            if let Ok(s) = value.downcast::<PyString>() {
                return Ok(s.to_cow().ok().map(|c| c.into_owned()));
            }
            if let Ok(b) = value.downcast::<PyBytes>() {
                return Ok(std::str::from_utf8(b.as_bytes()).ok().map(str::to_owned));
            }
            // Anything else is not ours: a miss, refreshed under the lock.
            Ok(None)
        })
    }

    fn try_lock(&self, key: &str, owner: &str, ttl: Duration) -> Result<LockOutcome> {
        Python::with_gil(|py| {
            let store = self.obj.bind(py);
            if !store.hasattr("add").unwrap_or(false) {
                return Ok(LockOutcome::Unsupported);
            }
            // Django's cache rounds timeouts to seconds; at least one.
            let added = store
                .call_method1("add", (key, owner, ttl.as_secs().max(1)))
                .and_then(|r| r.is_truthy())
                .map_err(|e| cache_error(py, "add", e))?;
            Ok(if added {
                LockOutcome::Taken
            } else {
                LockOutcome::Held
            })
        })
    }

    fn unlock(&self, key: &str, owner: &str) -> Result<()> {
        Python::with_gil(|py| {
            let store = self.obj.bind(py);
            if !store.hasattr("delete").unwrap_or(false) {
                return Ok(()); // the lock expires on its own
            }
            // Only our own lock: after an expiry it may be another's now.
            let held = store
                .call_method1("get", (key,))
                .map_err(|e| cache_error(py, "get", e))?;
            let ours = held
                .downcast::<PyString>()
                .ok()
                .and_then(|s| s.to_str().ok().map(|s| s == owner))
                .unwrap_or(false);
            if ours {
                store
                    .call_method1("delete", (key,))
                    .map_err(|e| cache_error(py, "delete", e))?;
            }
            Ok(())
        })
    }

    fn set(&self, key: &str, value: &str, ttl: Duration) -> Result<()> {
        Python::with_gil(|py| {
            self.obj
                .bind(py)
                .call_method1("set", (key, value, ttl.as_secs().max(1)))
                .map(|_| ())
                .map_err(|e| cache_error(py, "set", e))
        })
    }
}
