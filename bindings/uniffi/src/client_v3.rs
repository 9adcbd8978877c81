//! `NativeClientV3`: the core's API v3 client. Its operations run by name
//! through the byte lane (`Lane.callV3`, `Lane.callV3Body` in
//! `crate::lane`), which finds the client by its lane id.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

use wxpay::ClientV3;

use crate::errors::NativeResult;

/// WeChat Pay API v3 for one merchant; safe to share between threads.
#[derive(uniffi::Object)]
pub struct NativeClientV3 {
    inner: Arc<ClientV3>,
    lane_id: i64,
}

/// The live v3 clients by lane id, as v2's (`crate::client`): a client
/// leaves when its `NativeClientV3` is dropped.
fn registry() -> &'static RwLock<HashMap<i64, Arc<ClientV3>>> {
    static CLIENTS: OnceLock<RwLock<HashMap<i64, Arc<ClientV3>>>> = OnceLock::new();
    CLIENTS.get_or_init(Default::default)
}

/// The v3 client listed under `id`, while it is open.
pub(crate) fn by_lane_id(id: i64) -> wxpay::Result<Arc<ClientV3>> {
    let clients = registry().read().unwrap_or_else(|e| e.into_inner());
    clients
        .get(&id)
        .cloned()
        .ok_or_else(|| wxpay::Error::invalid("client", "is closed"))
}

impl Drop for NativeClientV3 {
    fn drop(&mut self) {
        let mut clients = registry().write().unwrap_or_else(|e| e.into_inner());
        clients.remove(&self.lane_id);
    }
}

#[uniffi::export]
impl NativeClientV3 {
    /// A client from its options as JSON (`mchid`, `appid`,
    /// `merchant_serial`, `apiv3_key`, the keys as PEM text or paths, …).
    #[uniffi::constructor]
    pub fn new(options_json: String) -> NativeResult<Arc<Self>> {
        static NEXT_ID: AtomicI64 = AtomicI64::new(1);
        let inner = Arc::new(ClientV3::from_options_json(&options_json)?);
        wxpay::events::queue_events(true);
        let lane_id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let mut clients = registry().write().unwrap_or_else(|e| e.into_inner());
        clients.insert(lane_id, inner.clone());
        Ok(Arc::new(NativeClientV3 { inner, lane_id }))
    }

    /// The number the byte lane knows this client by.
    pub fn lane_id(&self) -> i64 {
        self.lane_id
    }

    /// The merchant number.
    pub fn mchid(&self) -> String {
        self.inner.config().mchid.clone()
    }

    /// The appid orders are for.
    pub fn appid(&self) -> String {
        self.inner.config().appid.clone()
    }
}
