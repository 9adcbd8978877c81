//! `NativeClientV3`: the core's API v3 client, every v3 operation by name
//! with JSON arguments and a JSON result (the core's v3 dispatch).

use std::sync::Arc;

use wxpay::ClientV3;

use crate::errors::NativeResult;

/// WeChat Pay API v3 for one merchant; safe to share between threads.
#[derive(uniffi::Object)]
pub struct NativeClientV3 {
    inner: ClientV3,
}

#[uniffi::export]
impl NativeClientV3 {
    /// A client from its options as JSON (`mchid`, `appid`,
    /// `merchant_serial`, `apiv3_key`, the keys as PEM text or paths, …).
    #[uniffi::constructor]
    pub fn new(options_json: String) -> NativeResult<Arc<Self>> {
        let inner = ClientV3::from_options_json(&options_json)?;
        wxpay::events::queue_events(true);
        Ok(Arc::new(NativeClientV3 { inner }))
    }

    /// Runs v3 operation `op` (arguments as JSON); the result as JSON.
    pub fn call(&self, op: String, args_json: String) -> NativeResult<String> {
        Ok(self.inner.call_json(&op, &args_json)?)
    }

    /// Runs `op` on a notification's raw body (its `headers` and other
    /// arguments in `args_json`); the result as JSON.
    pub fn call_body(&self, op: String, body: Vec<u8>, args_json: String) -> NativeResult<String> {
        Ok(self.inner.call_with_body(&op, body, &args_json)?)
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
