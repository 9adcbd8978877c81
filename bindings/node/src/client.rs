//! `NativeClient`: a client made by the core's one entry point
//! (`Client::from_options_json`), its operations run by name through the
//! core's dispatch. Operations that may wait run on wxpay's own workers
//! (`pool.rs`) and settle a promise; the others run now, under the panic
//! guard.

use std::sync::Arc;

use napi::bindgen_prelude::Buffer;
use napi::{Env, JsFunction, JsObject, JsString};
use napi_derive::napi;
use wxpay::{Client, Operation, Outcome};

use crate::errors::{guard, wxpay_error, OrJs};
use crate::pool::promise;
use crate::pure::{ascii_json, nul_joined};
use crate::store::JsTokenStore;

#[napi]
pub struct NativeClient {
    inner: Arc<Client>,
}

#[napi]
impl NativeClient {
    /// `options_json`: every option but a store object; `store_bridge`:
    /// index.js's bridge to a token store written in JavaScript, if any.
    #[napi(constructor)]
    pub fn new(
        env: Env,
        options_json: String,
        store_bridge: Option<JsFunction>,
    ) -> napi::Result<Self> {
        guard(&env, || {
            let store = match store_bridge {
                Some(f) => {
                    Some(Arc::new(JsTokenStore::new(&env, f)?) as Arc<dyn wxpay::TokenStore>)
                }
                None => None,
            };
            let client = Client::from_options_json(&options_json, store).js(&env)?;
            crate::events::queue();
            Ok(NativeClient {
                inner: Arc::new(client),
            })
        })
    }

    /// Runs operation `op` (arguments as JSON: an object, an array of
    /// positional ones, or one value) on a wxpay worker; resolves to the
    /// JSON result.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn call(&self, env: Env, op: String, args: String) -> napi::Result<JsObject> {
        guard(&env, || {
            let client = self.inner.clone();
            promise(
                &env,
                move || client.call_json(&op, &args),
                Box::new(|env, json: String| Ok(env.create_string(&json)?.into_unknown())),
            )
        })
    }

    /// Runs `op` now (for operations without I/O).
    #[napi]
    pub fn call_sync(&self, env: Env, op: String, args: String) -> napi::Result<String> {
        guard(&env, || self.inner.call_json(&op, &args).js(&env))
    }

    /// Runs `op` whose first argument is a message body, given as a Buffer
    /// (the notifications; no I/O).
    #[napi]
    pub fn call_body(
        &self,
        env: Env,
        op: String,
        body: Buffer,
        args: String,
    ) -> napi::Result<JsString> {
        guard(&env, || {
            let outcome = Operation::with_body_json(&op, body.to_vec(), &args)
                .and_then(|o| self.inner.run(o))
                .js(&env)?;
            ascii_json(&env, &outcome)
        })
    }

    /// As `call_body`, on a wxpay worker, for a body operation that waits
    /// on WeChat. Resolves to `{ json, error }`: the result as JSON and,
    /// for a refused notification, its reason as a `WxPayError` (which JSON
    /// cannot carry).
    #[napi(ts_return_type = "Promise<{ json: string, error?: unknown }>")]
    pub fn call_body_async(
        &self,
        env: Env,
        op: String,
        body: Buffer,
        args: String,
    ) -> napi::Result<JsObject> {
        guard(&env, || {
            let client = self.inner.clone();
            let body = body.to_vec();
            promise(
                &env,
                move || Operation::with_body_json(&op, body, &args).and_then(|o| client.run(o)),
                Box::new(|env, mut outcome: Outcome| {
                    let error = match &mut outcome {
                        Outcome::NotifyDecision(d) => d.error.take(),
                        _ => None,
                    };
                    let mut result = env.create_object()?;
                    result.set_named_property(
                        "json",
                        env.create_string(&outcome.to_json().js(&env)?)?,
                    )?;
                    if let Some(e) = error {
                        result.set_named_property("error", wxpay_error(&env, &e)?)?;
                    }
                    Ok(result.into_unknown())
                }),
            )
        })
    }

    /// Pay params without the generic dispatch, as `value\0value\0…` in the
    /// order of the core's JSON: these are made on every page view, and
    /// index.js puts the values into an object literal in a tenth of the
    /// time `JSON.parse` (or napi property by property) takes.
    #[napi]
    pub fn bridge_params(&self, env: Env, prepay_id: String) -> napi::Result<String> {
        guard(&env, || {
            nul_joined(&self.inner.jsapi_params(&prepay_id).js(&env)?.fields())
        })
    }

    #[napi]
    pub fn jssdk_params(&self, env: Env, prepay_id: String) -> napi::Result<String> {
        guard(&env, || {
            nul_joined(&self.inner.jssdk_pay_params(&prepay_id).js(&env)?.fields())
        })
    }

    #[napi]
    pub fn app_params(&self, env: Env, prepay_id: String) -> napi::Result<String> {
        guard(&env, || {
            nul_joined(&self.inner.app_pay_params(&prepay_id).js(&env)?.fields())
        })
    }

    #[napi(getter)]
    pub fn appid(&self) -> String {
        self.inner.config().appid.clone()
    }

    #[napi(getter)]
    pub fn mch_id(&self) -> String {
        self.inner.config().mch_id.clone()
    }
}
