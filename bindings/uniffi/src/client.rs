//! `NativeClient`: one core client, every operation by name with JSON
//! arguments and a JSON result, exactly as the Node addon calls it.

use std::sync::Arc;

use wxpay::{Client, ClientOptions, Operation, Outcome};

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
    inner: Client,
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
        let mut config = ClientOptions::from_json(&options_json)?.into_config()?;
        if let Some(store) = store {
            config.token_store = Some(Arc::new(ForeignStore(store)));
        }
        Ok(Arc::new(NativeClient {
            inner: Client::new(config)?,
        }))
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
        let mut outcome = self
            .inner
            .run(Operation::with_body_json(&op, body, &args_json)?)?;
        let error = match &mut outcome {
            Outcome::NotifyDecision(d) => d.error.take(),
            _ => None,
        };
        Ok(BodyOutcome {
            json: outcome.to_json()?,
            error: error.as_ref().map(ErrorInfo::from),
        })
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
