//! A token store written in JavaScript (async `get` / `set`, and `add` /
//! `delete` for the fleet's refresh lock), as the core's `TokenStore`.
//!
//! The core asks from a wxpay worker thread (`pool.rs`), never from the
//! main thread, so the worker can wait while the event loop runs the
//! store's promise; the request goes over a threadsafe function and the
//! reply comes back through `storeReply`.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use napi::threadsafe_function::{
    ErrorStrategy, ThreadSafeCallContext, ThreadsafeFunction, ThreadsafeFunctionCallMode,
};
use napi::{Env, JsFunction, JsUnknown};
use napi_derive::napi;

use crate::errors::{guard, panicked, wxpay_error};

/// Replies from the JS token store, by request id.
fn pending() -> &'static Mutex<HashMap<u32, mpsc::Sender<String>>> {
    static PENDING: OnceLock<Mutex<HashMap<u32, mpsc::Sender<String>>>> = OnceLock::new();
    PENDING.get_or_init(|| Mutex::new(HashMap::new()))
}

static NEXT_REQUEST: AtomicU32 = AtomicU32::new(1);

/// One request to the JS store: its id (for the reply) and its JSON.
pub(crate) struct StoreRequest {
    id: u32,
    json: String,
}

/// The JS store behind a threadsafe function.
pub(crate) struct JsTokenStore {
    call: ThreadsafeFunction<StoreRequest, ErrorStrategy::Fatal>,
}

/// Answers a pending request with `reply_json`, if it is still waiting.
fn reply(id: u32, reply_json: String) {
    if let Some(tx) = pending()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&id)
    {
        let _ = tx.send(reply_json);
    }
}

/// The arguments a threadsafe function hands to JavaScript, made by
/// `args` on the main thread. A panic there must not unwind into Node: the
/// JS function gets the `Internal` error instead (the store bridge ignores
/// anything but a request), and `on_panic` runs first.
pub(crate) fn callback_args(
    env: &Env,
    args: impl FnOnce() -> napi::Result<Vec<JsUnknown>>,
    on_panic: impl FnOnce(),
) -> napi::Result<Vec<JsUnknown>> {
    match catch_unwind(AssertUnwindSafe(args)) {
        Ok(args) => args,
        Err(payload) => {
            on_panic();
            Ok(vec![wxpay_error(env, &panicked(payload))?])
        }
    }
}

impl JsTokenStore {
    /// Wraps the store bridge index.js made (`storeBridge`).
    pub(crate) fn new(env: &Env, bridge: JsFunction) -> napi::Result<Self> {
        let mut call: ThreadsafeFunction<StoreRequest, ErrorStrategy::Fatal> = bridge
            .create_threadsafe_function(0, |ctx: ThreadSafeCallContext<StoreRequest>| {
                let StoreRequest { id, json } = ctx.value;
                // A request that cannot reach the store fails now, not
                // after the store's timeout.
                let fail = move || reply(id, r#"{"error":"Internal"}"#.to_owned());
                callback_args(
                    &ctx.env,
                    || Ok(vec![ctx.env.create_string(&json)?.into_unknown()]),
                    fail,
                )
            })?;
        // The store must not keep the process alive on its own.
        call.unref(env)?;
        Ok(JsTokenStore { call })
    }

    fn request(&self, request: serde_json::Value) -> wxpay::Result<serde_json::Value> {
        let id = NEXT_REQUEST.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::channel();
        pending()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, tx);
        let mut request = request;
        request["id"] = id.into();
        self.call.call(
            StoreRequest {
                id,
                json: request.to_string(),
            },
            ThreadsafeFunctionCallMode::NonBlocking,
        );
        let reply = rx.recv_timeout(Duration::from_secs(5));
        pending()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&id);
        let reply = reply.map_err(|_| wxpay::Error::Cache {
            message: "the token store did not answer within 5 s".into(),
        })?;
        let value: serde_json::Value =
            serde_json::from_str(&reply).map_err(|_| wxpay::Error::Cache {
                message: "the token store's reply was unreadable".into(),
            })?;
        if let Some(e) = value.get("error") {
            return Err(wxpay::Error::Cache {
                message: format!("token store failed: {}", e.as_str().unwrap_or("error")),
            });
        }
        Ok(value
            .get("value")
            .cloned()
            .unwrap_or(serde_json::Value::Null))
    }
}

impl wxpay::TokenStore for JsTokenStore {
    fn get(&self, key: &str) -> wxpay::Result<Option<String>> {
        Ok(self
            .request(serde_json::json!({ "op": "get", "key": key }))?
            .as_str()
            .map(str::to_owned))
    }

    fn set(&self, key: &str, value: &str, ttl: Duration) -> wxpay::Result<()> {
        self.request(serde_json::json!({ "op": "set", "key": key, "value": value, "ttl": ttl.as_secs().max(1) }))?;
        Ok(())
    }

    /// The store's atomic `add(key, value, ttl)`, when it has one (index.js
    /// answers `null` when it has not).
    fn try_lock(&self, key: &str, owner: &str, ttl: Duration) -> wxpay::Result<wxpay::LockOutcome> {
        let added = self.request(
            serde_json::json!({ "op": "add", "key": key, "value": owner, "ttl": ttl.as_secs().max(1) }),
        )?;
        Ok(match added.as_bool() {
            Some(true) => wxpay::LockOutcome::Taken,
            Some(false) => wxpay::LockOutcome::Held,
            None => wxpay::LockOutcome::Unsupported,
        })
    }

    fn unlock(&self, key: &str, owner: &str) -> wxpay::Result<()> {
        self.request(serde_json::json!({ "op": "unlock", "key": key, "value": owner }))?;
        Ok(())
    }
}

/// Completes a token-store request (called by index.js when the store's
/// promise settles).
#[napi]
pub fn store_reply(env: Env, id: u32, reply_json: String) -> napi::Result<()> {
    guard(&env, || {
        reply(id, reply_json);
        Ok(())
    })
}
