//! The native half of the `wxpay` npm package. Each call moves one string
//! (or one Buffer) in and one string out; `index.js` does the JSON and turns
//! errors into `WxPayError`s. No protocol logic lives here.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use napi::bindgen_prelude::{AsyncTask, Buffer};
use napi::threadsafe_function::{
    ErrorStrategy, ThreadSafeCallContext, ThreadsafeFunction, ThreadsafeFunctionCallMode,
};
use napi::{Env, Error, JsFunction, Status, Task};
use napi_derive::napi;
use wxpay::{ApiKey, Client, ClientOptions, SignType};

/// A core error as a JS error whose message is `wxpay:` + its JSON details.
fn js_err(e: wxpay::Error) -> Error {
    Error::new(Status::GenericFailure, format!("wxpay:{}", e.details()))
}

trait OrJs<T> {
    fn js(self) -> napi::Result<T>;
}

impl<T> OrJs<T> for wxpay::Result<T> {
    fn js(self) -> napi::Result<T> {
        self.map_err(js_err)
    }
}

/// A key and sign type checked once, for signing many messages.
#[napi]
pub struct NativeSigner {
    key: ApiKey,
    sign_type: SignType,
}

#[napi]
impl NativeSigner {
    #[napi(constructor)]
    pub fn new(key: String, sign_type: String) -> napi::Result<Self> {
        Ok(NativeSigner {
            key: ApiKey::new(&key).js()?,
            sign_type: SignType::parse(&sign_type).js()?,
        })
    }

    #[napi]
    pub fn sign(&self, params_json: String) -> napi::Result<String> {
        wxpay::sign_json(&params_json, &self.key, self.sign_type).js()
    }

    /// Signs `count` fields written into the first `len` bytes of `scratch`
    /// as UTF-8 `name\0value\0` pairs. index.js builds that text with plain
    /// string concatenation and `TextEncoder.encodeInto`, which together cost
    /// half of `JSON.stringify` and a third of napi's own string transfer.
    /// Answers `null` when the text does not split into exactly `count`
    /// pairs (a NUL inside a value) or holds U+FFFD (perhaps a lone
    /// surrogate replaced by encodeInto): index.js then sends JSON instead,
    /// whose reader refuses lone surrogates, so nothing is ever guessed.
    #[napi]
    pub fn sign_fields(
        &self,
        scratch: &[u8],
        len: u32,
        count: u32,
    ) -> napi::Result<Option<String>> {
        let Some(text) = usize::try_from(len)
            .ok()
            .and_then(|len| scratch.get(..len))
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
        else {
            return Ok(None);
        };
        // encodeInto writes U+FFFD for a lone surrogate; JSON refuses those.
        if text.contains('\u{FFFD}') {
            return Ok(None);
        }
        let Some(fields) = nul_pairs(text, count) else {
            return Ok(None);
        };
        wxpay::sign_pairs(fields, &self.key, self.sign_type)
            .js()
            .map(Some)
    }
}

/// `count` pairs from `name\0value\0…`, or `None` unless the text holds
/// exactly that many.
fn nul_pairs(text: &str, count: u32) -> Option<Vec<(&str, &str)>> {
    let count = usize::try_from(count).ok()?;
    // Each pair takes at least two bytes, which bounds what a caller can ask for.
    if count > text.len() / 2 {
        return None;
    }
    let mut ends = memchr::memchr_iter(0, text.as_bytes());
    let mut start = 0;
    let mut piece = || {
        let end = ends.next()?;
        // A NUL is ASCII, so both ends are character boundaries.
        let s = text.get(start..end)?;
        start = end + 1;
        Some(s)
    };
    let mut fields = Vec::with_capacity(count);
    for _ in 0..count {
        fields.push((piece()?, piece()?));
    }
    // The last pair's NUL ends the text; another NUL means a value held one.
    (start == text.len()).then_some(fields)
}

/// `value\0value\0…` for pay params. The core allows only ASCII letters,
/// digits, `_`, `-` and `=` in them; a NUL would break the reading, so it
/// is an error rather than a guess.
fn nul_joined(fields: &[(&str, &str)]) -> napi::Result<String> {
    let mut out = String::with_capacity(160);
    for (_, value) in fields {
        if value.contains('\0') {
            return Err(Error::from_reason("pay params must not contain NUL"));
        }
        out.push_str(value);
        out.push('\0');
    }
    Ok(out)
}

#[napi]
pub fn verify(params_json: String, key: String, sign_type: String) -> napi::Result<bool> {
    let params = wxpay::params_from_json(&params_json).js()?;
    match wxpay::verify(
        &params,
        &ApiKey::new(&key).js()?,
        SignType::parse(&sign_type).js()?,
    ) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == wxpay::ErrorKind::Signature => Ok(false),
        Err(e) => Err(js_err(e)),
    }
}

#[napi]
pub fn to_xml(params_json: String) -> napi::Result<String> {
    wxpay::to_xml(&wxpay::params_from_json(&params_json).js()?).js()
}

#[napi]
pub fn to_signed_xml(params_json: String, key: String, sign_type: String) -> napi::Result<String> {
    let params = wxpay::params_from_json(&params_json).js()?;
    wxpay::to_signed_xml(
        &params,
        &ApiKey::new(&key).js()?,
        SignType::parse(&sign_type).js()?,
    )
    .js()
}

#[napi]
pub fn from_xml(data: Buffer) -> napi::Result<String> {
    let fields = wxpay::from_xml(&data).js()?;
    serde_json::to_string(&fields).map_err(|e| Error::from_reason(e.to_string()))
}

#[napi]
pub fn jssdk_signature(
    jsapi_ticket: String,
    noncestr: String,
    timestamp: i64,
    url: String,
) -> napi::Result<String> {
    let ts = u64::try_from(timestamp).map_err(|_| {
        js_err(wxpay::Error::InvalidInput {
            field: "timestamp".into(),
            message: "must be Unix seconds".into(),
        })
    })?;
    wxpay::jssdk_signature(&jsapi_ticket, &noncestr, ts, &url).js()
}

#[napi]
pub fn decrypt_req_info(req_info: String, api_key: String) -> napi::Result<String> {
    let fields = wxpay::decrypt_req_info(&req_info, &ApiKey::new(&api_key).js()?).js()?;
    serde_json::to_string(&fields).map_err(|e| Error::from_reason(e.to_string()))
}

#[napi]
pub fn notify_ack() -> String {
    wxpay::notify_ack().to_owned()
}

#[napi]
pub fn notify_fail(message: String) -> String {
    wxpay::notify_fail(&message)
}

/// One client operation on the libuv thread pool.
pub struct Call {
    client: Arc<Client>,
    op: String,
    arg: String,
}

impl Task for Call {
    type Output = String;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<String> {
        self.client.call_json(&self.op, &self.arg).js()
    }

    fn resolve(&mut self, _env: Env, output: String) -> napi::Result<String> {
        Ok(output)
    }
}

/// Replies from the JS token store, by request id.
fn pending() -> &'static Mutex<HashMap<u32, mpsc::Sender<String>>> {
    static PENDING: OnceLock<Mutex<HashMap<u32, mpsc::Sender<String>>>> = OnceLock::new();
    PENDING.get_or_init(|| Mutex::new(HashMap::new()))
}

static NEXT_REQUEST: AtomicU32 = AtomicU32::new(1);

/// A token store implemented in JavaScript (async `get` / `set`). Token
/// reads happen on the thread pool, never on the main thread, so a worker
/// can wait here while the event loop runs the store's promise.
struct JsTokenStore {
    call: ThreadsafeFunction<String, ErrorStrategy::Fatal>,
}

impl JsTokenStore {
    fn request(&self, request: serde_json::Value) -> wxpay::Result<serde_json::Value> {
        let id = NEXT_REQUEST.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::channel();
        pending()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, tx);
        let mut request = request;
        request["id"] = id.into();
        self.call
            .call(request.to_string(), ThreadsafeFunctionCallMode::NonBlocking);
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
}

/// Completes a token-store request (called by index.js when the store's
/// promise settles).
#[napi]
pub fn store_reply(id: u32, reply_json: String) {
    if let Some(tx) = pending()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&id)
    {
        let _ = tx.send(reply_json);
    }
}

#[napi]
pub struct NativeClient {
    inner: Arc<Client>,
}

#[napi]
impl NativeClient {
    #[napi(constructor)]
    pub fn new(
        env: Env,
        options_json: String,
        store_call: Option<JsFunction>,
    ) -> napi::Result<Self> {
        let mut config = ClientOptions::from_json(&options_json)
            .js()?
            .into_config()
            .js()?;
        if let Some(f) = store_call {
            let mut call: ThreadsafeFunction<String, ErrorStrategy::Fatal> = f
                .create_threadsafe_function(0, |ctx: ThreadSafeCallContext<String>| {
                    Ok(vec![ctx.env.create_string(&ctx.value)?])
                })?;
            // The store must not keep the process alive on its own.
            call.unref(&env)?;
            config.token_store = Some(Arc::new(JsTokenStore { call }));
        }
        Ok(NativeClient {
            inner: Arc::new(Client::new(config).js()?),
        })
    }

    /// Runs `op` off the main thread; resolves to the JSON result.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn call(&self, op: String, arg: String) -> AsyncTask<Call> {
        AsyncTask::new(Call {
            client: self.inner.clone(),
            op,
            arg,
        })
    }

    /// Runs `op` now (for operations without I/O).
    #[napi]
    pub fn call_sync(&self, op: String, arg: String) -> napi::Result<String> {
        self.inner.call_json(&op, &arg).js()
    }

    /// Pay params without the generic dispatch, as `value\0value\0…` in the
    /// order of the core's JSON: these are made on every page view, and
    /// index.js puts the values into an object literal in a tenth of the
    /// time `JSON.parse` (or napi property by property) takes.
    #[napi]
    pub fn bridge_params(&self, prepay_id: String) -> napi::Result<String> {
        nul_joined(&self.inner.jsapi_params(&prepay_id).js()?.fields())
    }

    #[napi]
    pub fn jssdk_params(&self, prepay_id: String) -> napi::Result<String> {
        nul_joined(&self.inner.jssdk_pay_params(&prepay_id).js()?.fields())
    }

    #[napi]
    pub fn app_params(&self, prepay_id: String) -> napi::Result<String> {
        nul_joined(&self.inner.app_pay_params(&prepay_id).js()?.fields())
    }

    #[napi]
    pub fn verify_payment_notify(
        &self,
        body: Buffer,
        expected_total_fee: Option<i64>,
    ) -> napi::Result<String> {
        let fee = match expected_total_fee {
            None => None,
            Some(f) => Some(u64::try_from(f).map_err(|_| {
                js_err(wxpay::Error::InvalidInput {
                    field: "totalFee".into(),
                    message: "must be a positive number of fen".into(),
                })
            })?),
        };
        self.inner.verify_payment_notify_json(&body, fee).js()
    }

    #[napi]
    pub fn parse_refund_notify(&self, body: Buffer) -> napi::Result<String> {
        let notify = self.inner.parse_refund_notify(&body).js()?;
        serde_json::to_string(&notify).map_err(|e| Error::from_reason(e.to_string()))
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

/// wxpay-sim in this process, for a shop's tests (`wxpay/testing`).
#[napi]
pub struct NativeSimulator {
    sim: wxpay_sim::Simulator,
}

#[napi]
impl NativeSimulator {
    #[napi(constructor)]
    pub fn new(time_scale: f64, instant_bills: bool) -> napi::Result<Self> {
        if !time_scale.is_finite() || time_scale < 0.0 {
            return Err(Error::new(
                Status::InvalidArg,
                "timeScale must be a number >= 0".to_owned(),
            ));
        }
        let config = wxpay_sim::SimConfig {
            time_scale,
            ..Default::default()
        };
        let sim = wxpay_sim::Simulator::start_with(
            config,
            wxpay_sim::SimOptions { instant_bills },
            "127.0.0.1",
            0,
        )
        .map_err(|e| Error::from_reason(format!("cannot start the simulator: {e}")))?;
        Ok(NativeSimulator { sim })
    }

    #[napi(getter)]
    pub fn url(&self) -> String {
        self.sim.base_url()
    }

    /// Opens the HTTPS base URL (mutual TLS for /secapi/); returns it.
    #[napi]
    pub fn listen_tls(&self, host: String, port: u32) -> napi::Result<String> {
        let port = u16::try_from(port)
            .map_err(|_| Error::new(Status::InvalidArg, "port must be 0-65535".to_owned()))?;
        self.sim
            .listen_tls(&host, port)
            .map_err(|e| Error::from_reason(format!("cannot open HTTPS: {e}")))
    }

    /// `{ caPem, clientCertPem, clientKeyPem }` once HTTPS is open, else `null`.
    #[napi]
    pub fn tls_files_json(&self) -> String {
        let files = self.sim.tls_files().map(|f| {
            serde_json::json!({
                "caPem": f.ca_pem,
                "clientCertPem": f.client_cert_pem,
                "clientKeyPem": f.client_key_pem,
            })
        });
        serde_json::to_string(&files).unwrap_or_default()
    }

    #[napi]
    pub fn stats_json(&self) -> String {
        serde_json::to_string(&self.sim.stats()).unwrap_or_default()
    }

    #[napi]
    pub fn notifications_json(&self) -> String {
        serde_json::to_string(&self.sim.notifications()).unwrap_or_default()
    }

    #[napi]
    pub fn order_json(&self, out_trade_no: String) -> String {
        serde_json::to_string(&self.sim.order(&out_trade_no)).unwrap_or_default()
    }

    #[napi]
    pub fn add_fault(
        &self,
        path: String,
        kind: String,
        count: u32,
        delay_ms: u32,
    ) -> napi::Result<()> {
        let fault = wxpay_sim::Fault {
            path,
            kind,
            count,
            delay_ms: u64::from(delay_ms),
            status: None,
        };
        self.sim
            .add_fault(fault)
            .map_err(|why| Error::new(Status::InvalidArg, why))
    }

    #[napi]
    pub fn stop(&self) {
        self.sim.stop();
    }
}
