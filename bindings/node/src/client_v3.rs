//! `NativeClientV3`: API v3's client made by the core's v3 entry point
//! (`ClientV3::from_options_json`), its operations run by name through the
//! core's v3 dispatch. Operations that may wait run on wxpay's own workers
//! and settle a promise; the others run now, under the panic guard.

use std::sync::Arc;

use napi::bindgen_prelude::Buffer;
use napi::{Env, JsObject};
use napi_derive::napi;
use wxpay::ClientV3;

use crate::errors::{guard, OrJs};
use crate::pool::promise;

#[napi]
pub struct NativeClientV3 {
    inner: Arc<ClientV3>,
}

#[napi]
impl NativeClientV3 {
    /// `options_json`: every option, key material as PEM text or paths.
    #[napi(constructor)]
    pub fn new(env: Env, options_json: String) -> napi::Result<Self> {
        guard(&env, || {
            let client = ClientV3::from_options_json(&options_json).js(&env)?;
            crate::events::queue();
            Ok(NativeClientV3 {
                inner: Arc::new(client),
            })
        })
    }

    /// Runs v3 operation `op` (arguments as JSON) on a wxpay worker;
    /// resolves to the JSON result.
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

    /// Runs `op` whose first argument is a notification body (a Buffer)
    /// on a wxpay worker: verifying may fetch WeChat's certificates.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn call_body(
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
                move || client.call_with_body(&op, body, &args),
                Box::new(|env, json: String| Ok(env.create_string(&json)?.into_unknown())),
            )
        })
    }

    /// Runs `op` on a notification body now when it cannot wait on WeChat
    /// (its key is held); `null` when it might, for `callBody`.
    #[napi]
    pub fn call_body_if_ready(
        &self,
        env: Env,
        op: String,
        body: Buffer,
        args: String,
    ) -> napi::Result<Option<String>> {
        guard(&env, || {
            self.inner
                .call_with_body_if_ready(&op, body.to_vec(), &args)
                .js(&env)
        })
    }

    #[napi(getter)]
    pub fn mchid(&self) -> String {
        self.inner.config().mchid.clone()
    }

    #[napi(getter)]
    pub fn appid(&self) -> String {
        self.inner.config().appid.clone()
    }
}
