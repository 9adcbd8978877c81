//! `NativeClient`: one core client, every operation by name with JSON
//! arguments and a JSON result, exactly as the Node addon calls it.
//!
//! Each client is also listed under a number, its lane id, so the byte lane
//! (`lane.rs`) reaches the same client without a uniffi call per operation.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

use wxpay::{Client, Operation, Outcome};

use crate::errors::{ErrorInfo, NativeResult};
use crate::store::{ForeignStore, TokenStore};

/// What an operation on a message body gave: the result as JSON and, for a
/// refused notification, why (which JSON cannot carry as an error).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BodyOutcome {
    /// The result as JSON text.
    pub json: String,
    /// Why a notification was refused, when it was.
    pub error: Option<ErrorInfo>,
}

/// WeChat Pay for one merchant; safe to share between threads.
#[derive(uniffi::Object)]
pub struct NativeClient {
    inner: Arc<Client>,
    lane_id: i64,
}

/// The live clients by lane id; a client leaves when its `NativeClient` is
/// dropped (closed on the JVM), so a closed client's id finds nothing.
fn registry() -> &'static RwLock<HashMap<i64, Arc<Client>>> {
    static CLIENTS: OnceLock<RwLock<HashMap<i64, Arc<Client>>>> = OnceLock::new();
    CLIENTS.get_or_init(Default::default)
}

/// The client listed under `id`, while it is open.
pub(crate) fn by_lane_id(id: i64) -> wxpay::Result<Arc<Client>> {
    // A poisoned lock only means a panic elsewhere; the map itself is whole.
    let clients = registry().read().unwrap_or_else(|e| e.into_inner());
    clients
        .get(&id)
        .cloned()
        .ok_or_else(|| wxpay::Error::invalid("client", "is closed"))
}

/// Runs `op` on a message body: the result as JSON and, for a refused
/// notification, why.
pub(crate) fn run_body(
    client: &Client,
    op: &str,
    body: Vec<u8>,
    args_json: &str,
) -> wxpay::Result<(String, Option<wxpay::Error>)> {
    let mut outcome = client.run(Operation::with_body_json(op, body, args_json)?)?;
    let error = match &mut outcome {
        Outcome::NotifyDecision(d) => d.error.take(),
        _ => None,
    };
    Ok((outcome.to_json()?, error))
}

impl Drop for NativeClient {
    fn drop(&mut self) {
        let mut clients = registry().write().unwrap_or_else(|e| e.into_inner());
        clients.remove(&self.lane_id);
    }
}

#[uniffi::export]
impl NativeClient {
    /// A client from the options every binding takes (JSON object:
    /// `appid`, `mch_id`, `api_key`, …, `token_store` as a URL), with an
    /// optional store implemented on the JVM.
    #[uniffi::constructor]
    pub fn new(
        options_json: String,
        store: Option<Arc<dyn TokenStore>>,
    ) -> NativeResult<Arc<Self>> {
        let store = store.map(|s| Arc::new(ForeignStore(s)) as Arc<dyn wxpay::TokenStore>);
        static NEXT_ID: AtomicI64 = AtomicI64::new(1);
        let inner = Arc::new(Client::from_options_json(&options_json, store)?);
        // From now on events wait for the Kotlin layer to take them.
        wxpay::events::queue_events(true);
        let lane_id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let mut clients = registry().write().unwrap_or_else(|e| e.into_inner());
        clients.insert(lane_id, inner.clone());
        Ok(Arc::new(NativeClient { inner, lane_id }))
    }

    /// Runs operation `op` (arguments as JSON: an object, an array of
    /// positional ones, or one value); the result as JSON.
    pub fn call(&self, op: String, args_json: String) -> NativeResult<String> {
        Ok(self.inner.call_json(&op, &args_json)?)
    }

    /// Runs `op` whose first argument is a message body (the
    /// notifications).
    pub fn call_body(
        &self,
        op: String,
        body: Vec<u8>,
        args_json: String,
    ) -> NativeResult<BodyOutcome> {
        let (json, error) = run_body(&self.inner, &op, body, &args_json)?;
        Ok(BodyOutcome {
            json,
            error: error.as_ref().map(ErrorInfo::from),
        })
    }

    /// The number the byte lane knows this client by.
    pub fn lane_id(&self) -> i64 {
        self.lane_id
    }

    /// The merchant's appid.
    pub fn appid(&self) -> String {
        self.inner.config().appid.clone()
    }

    /// The merchant's mch_id.
    pub fn mch_id(&self) -> String {
        self.inner.config().mch_id.clone()
    }
}
