//! The native half of the `wxpay` npm package: conversions only. Each call
//! moves one string (or one Buffer) in and one string out, and every
//! client operation goes through the core's one dispatch path
//! ([`wxpay::Operation`]). Failures are thrown as `WxPayError` objects built
//! here, from the core's error, with the class index.js registers.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use napi::bindgen_prelude::{AsyncTask, Buffer};
use napi::threadsafe_function::{
    ErrorStrategy, ThreadSafeCallContext, ThreadsafeFunction, ThreadsafeFunctionCallMode,
};
use napi::{Env, Error, JsFunction, JsObject, JsString, JsUnknown, Ref, Task};
use napi_derive::napi;
use wxpay::{ApiKey, Client, ClientOptions, Operation, Outcome, SignType};

/// The `WxPayError` class index.js registers, per JS environment (each
/// worker thread loads the addon again).
struct ErrorClass(Ref<()>);

/// Registers the class failures are thrown as. index.js calls it once.
#[napi]
pub fn set_error_class(env: Env, class: JsFunction) -> napi::Result<()> {
    let reference = env.create_reference(class)?;
    env.set_instance_data(ErrorClass(reference), (), |mut ctx| {
        let _ = ctx.value.0.unref(ctx.env);
    })
}

/// The core's error as a `WxPayError` instance, its fields camelCased.
fn wxpay_error(env: &Env, e: &wxpay::Error) -> napi::Result<JsUnknown> {
    let class = env
        .get_instance_data::<ErrorClass>()?
        .ok_or_else(|| Error::from_reason("wxpay: the error class is not registered"))?;
    let constructor: JsFunction = env.get_reference_value(&class.0)?;
    let mut fields: JsObject = env.create_object()?;
    fields.set_named_property("message", env.create_string(&e.to_string())?)?;
    fields.set_named_property("code", env.create_string(e.kind().code())?)?;
    fields.set_named_property("kind", env.create_string(e.kind().as_str())?)?;
    fields.set_named_property("retryable", env.get_boolean(e.retryable())?)?;
    if let Some(reason) = e.reason() {
        fields.set_named_property("reason", env.create_string(reason)?)?;
    }
    if let Some(field) = e.field() {
        fields.set_named_property("field", env.create_string(field)?)?;
    }
    match e {
        wxpay::Error::Business {
            err_code,
            err_code_des,
            ..
        } => {
            fields.set_named_property("errCode", env.create_string(err_code)?)?;
            fields.set_named_property("errCodeDes", env.create_string(err_code_des)?)?;
        }
        wxpay::Error::Protocol {
            return_msg: Some(msg),
            ..
        } => {
            fields.set_named_property("returnMsg", env.create_string(msg)?)?;
        }
        wxpay::Error::MpApi {
            errcode, errmsg, ..
        } => {
            fields.set_named_property("errcode", env.create_int64(*errcode)?)?;
            fields.set_named_property("errmsg", env.create_string(errmsg)?)?;
        }
        wxpay::Error::Mismatch {
            expected, actual, ..
        } => {
            fields.set_named_property("expected", env.create_string(expected)?)?;
            fields.set_named_property("actual", env.create_string(actual)?)?;
        }
        _ => {}
    }
    Ok(constructor.new_instance(&[fields])?.into_unknown())
}

/// A core error, to throw or reject with.
fn js_err(env: &Env, e: wxpay::Error) -> Error {
    match wxpay_error(env, &e) {
        Ok(object) => Error::from(object),
        Err(failure) => failure,
    }
}

trait OrJs<T> {
    fn js(self, env: &Env) -> napi::Result<T>;
}

impl<T> OrJs<T> for wxpay::Result<T> {
    fn js(self, env: &Env) -> napi::Result<T> {
        self.map_err(|e| js_err(env, e))
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
    /// `sign_type` absent: the core's default.
    #[napi(constructor)]
    pub fn new(env: Env, key: String, sign_type: Option<String>) -> napi::Result<Self> {
        Ok(NativeSigner {
            key: ApiKey::new(&key).js(&env)?,
            sign_type: SignType::parse_or_default(sign_type.as_deref()).js(&env)?,
        })
    }

    #[napi]
    pub fn sign(&self, env: Env, params_json: String) -> napi::Result<String> {
        wxpay::sign_json(&params_json, &self.key, self.sign_type).js(&env)
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
        env: Env,
        scratch: &[u8],
        len: u32,
        count: u32,
    ) -> napi::Result<Option<String>> {
        self.with_scratch(&env, scratch, len, count, wxpay::sign_pairs)
    }

    /// The signed request body for fields passed as in `sign_fields`
    /// (`null` in the same cases).
    #[napi]
    pub fn signed_xml_fields(
        &self,
        env: Env,
        scratch: &[u8],
        len: u32,
        count: u32,
    ) -> napi::Result<Option<String>> {
        self.with_scratch(&env, scratch, len, count, wxpay::to_signed_xml_pairs)
    }
}

/// A core function over borrowed pairs: `sign_pairs`, `to_signed_xml_pairs`.
type PairsFn = fn(Vec<(&str, &str)>, &ApiKey, SignType) -> wxpay::Result<String>;

impl NativeSigner {
    /// Runs `f` over the pairs in `scratch`; `None` when they do not read
    /// back exactly.
    fn with_scratch(
        &self,
        env: &Env,
        scratch: &[u8],
        len: u32,
        count: u32,
        f: PairsFn,
    ) -> napi::Result<Option<String>> {
        let Some(fields) = scratch_pairs(scratch, len, count) else {
            return Ok(None);
        };
        f(fields, &self.key, self.sign_type).js(env).map(Some)
    }
}

/// The `count` pairs written into `scratch` by index.js, or `None` when
/// they do not read back exactly (see `NativeSigner::sign_fields`).
fn scratch_pairs(scratch: &[u8], len: u32, count: u32) -> Option<Vec<(&str, &str)>> {
    let text = usize::try_from(len)
        .ok()
        .and_then(|len| scratch.get(..len))
        .and_then(|bytes| std::str::from_utf8(bytes).ok())?;
    // encodeInto writes U+FFFD for a lone surrogate; JSON refuses those.
    if text.contains('\u{FFFD}') {
        return None;
    }
    nul_pairs(text, count)
}

/// A result as JSON text in which every character beyond ASCII is written
/// as a `\\uXXXX` escape, handed to V8 as Latin-1. V8 then copies bytes
/// instead of decoding UTF-8 (Chinese text in `attach` or `body` would
/// otherwise make it build a two-byte string), and JSON.parse turns the
/// escapes back into the same characters.
fn ascii_json<T: serde::Serialize>(env: &Env, value: &T) -> napi::Result<JsString> {
    struct AsciiOnly;
    impl serde_json::ser::Formatter for AsciiOnly {
        fn write_string_fragment<W: ?Sized + std::io::Write>(
            &mut self,
            writer: &mut W,
            fragment: &str,
        ) -> std::io::Result<()> {
            let mut rest = fragment;
            while let Some(at) = rest.find(|c: char| !c.is_ascii()) {
                writer.write_all(&rest.as_bytes()[..at])?;
                let c = rest[at..].chars().next().unwrap_or('\u{FFFD}');
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(writer, "\\u{unit:04x}")?;
                }
                rest = &rest[at + c.len_utf8()..];
            }
            writer.write_all(rest.as_bytes())
        }
    }
    let mut out = Vec::with_capacity(1024);
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, AsciiOnly);
    value
        .serialize(&mut serializer)
        .map_err(|e| wxpay::Error::internal(format!("cannot write the result as JSON: {e}")))
        .js(env)?;
    env.create_string_latin1(&out)
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

/// The property names of each pay-params shape, from the core, as JSON:
/// `{"bridge": [...], "jssdk": [...], "app": [...]}`. index.js builds its
/// objects from these once at load, so the names exist only in the core.
#[napi]
pub fn pay_param_names() -> String {
    serde_json::json!({
        "bridge": wxpay::BridgePayParams::NAMES,
        "jssdk": wxpay::JssdkPayParams::NAMES,
        "app": wxpay::AppPayParams::NAMES,
    })
    .to_string()
}

#[napi]
pub fn verify(
    env: Env,
    params_json: String,
    key: String,
    sign_type: Option<String>,
) -> napi::Result<bool> {
    let params = wxpay::params_from_json(&params_json).js(&env)?;
    let key = ApiKey::new(&key).js(&env)?;
    let sign_type = SignType::parse_or_default(sign_type.as_deref()).js(&env)?;
    wxpay::signature_matches(&params, &key, sign_type).js(&env)
}

#[napi]
pub fn to_xml(env: Env, params_json: String) -> napi::Result<String> {
    wxpay::to_xml(&wxpay::params_from_json(&params_json).js(&env)?).js(&env)
}

#[napi]
pub fn to_signed_xml(
    env: Env,
    params_json: String,
    key: String,
    sign_type: Option<String>,
) -> napi::Result<String> {
    let params = wxpay::params_from_json(&params_json).js(&env)?;
    let key = ApiKey::new(&key).js(&env)?;
    let sign_type = SignType::parse_or_default(sign_type.as_deref()).js(&env)?;
    wxpay::to_signed_xml(&params, &key, sign_type).js(&env)
}

/// A core value as JSON text.
fn json<T: serde::Serialize>(env: &Env, value: &T) -> napi::Result<String> {
    serde_json::to_string(value)
        .map_err(|e| wxpay::Error::internal(format!("cannot write the result as JSON: {e}")))
        .js(env)
}

#[napi]
pub fn from_xml(env: Env, data: Buffer) -> napi::Result<JsString> {
    ascii_json(&env, &wxpay::from_xml(&data).js(&env)?)
}

#[napi]
pub fn jssdk_signature(
    env: Env,
    jsapi_ticket: String,
    noncestr: String,
    timestamp: i64,
    url: String,
) -> napi::Result<String> {
    let ts = u64::try_from(timestamp)
        .map_err(|_| wxpay::Error::invalid("timestamp", "must be Unix seconds"))
        .js(&env)?;
    wxpay::jssdk_signature(&jsapi_ticket, &noncestr, ts, &url).js(&env)
}

#[napi]
pub fn decrypt_req_info(env: Env, req_info: String, api_key: String) -> napi::Result<String> {
    let key = ApiKey::new(&api_key).js(&env)?;
    json(&env, &wxpay::decrypt_req_info(&req_info, &key).js(&env)?)
}

#[napi]
pub fn notify_ack() -> String {
    wxpay::notify_ack().to_owned()
}

#[napi]
pub fn notify_fail(message: String) -> String {
    wxpay::notify_fail(&message)
}

/// One client operation on the libuv thread pool. Its arguments are read
/// there too; a failure becomes a `WxPayError` back on the main thread.
pub struct Call {
    client: Arc<Client>,
    op: String,
    args: String,
}

impl Task for Call {
    type Output = wxpay::Result<String>;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(self.client.call_json(&self.op, &self.args))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<String> {
        output.js(&env)
    }
}

/// An operation whose first argument is a message body, run on the thread
/// pool (the notify handler's decision waits on orderquery). Resolves to
/// `{ json, error }`: the result as JSON and, for a refused notification,
/// its reason as a `WxPayError` (which JSON cannot carry).
pub struct BodyCall {
    client: Arc<Client>,
    op: String,
    body: Vec<u8>,
    args: String,
}

impl Task for BodyCall {
    type Output = wxpay::Result<Outcome>;
    type JsValue = JsObject;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let body = std::mem::take(&mut self.body);
        Ok(Operation::with_body_json(&self.op, body, &self.args).and_then(|o| self.client.run(o)))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<JsObject> {
        let mut outcome = output.js(&env)?;
        let error = match &mut outcome {
            Outcome::NotifyDecision(d) => d.error.take(),
            _ => None,
        };
        let mut result = env.create_object()?;
        result.set_named_property("json", env.create_string(&outcome.to_json().js(&env)?)?)?;
        if let Some(e) = error {
            result.set_named_property("error", wxpay_error(&env, &e)?)?;
        }
        Ok(result)
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
            .and_then(ClientOptions::into_config)
            .js(&env)?;
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
            inner: Arc::new(Client::new(config).js(&env)?),
        })
    }

    /// Runs operation `op` (arguments as JSON: an object, an array of
    /// positional ones, or one value) off the main thread; resolves to the
    /// JSON result.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn call(&self, op: String, args: String) -> AsyncTask<Call> {
        AsyncTask::new(Call {
            client: self.inner.clone(),
            op,
            args,
        })
    }

    /// Runs `op` now (for operations without I/O).
    #[napi]
    pub fn call_sync(&self, env: Env, op: String, args: String) -> napi::Result<String> {
        self.inner.call_json(&op, &args).js(&env)
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
        let outcome = Operation::with_body_json(&op, body.to_vec(), &args)
            .and_then(|o| self.inner.run(o))
            .js(&env)?;
        ascii_json(&env, &outcome)
    }

    /// As `call_body`, off the main thread, for a body operation that waits
    /// on WeChat; resolves to the JSON result.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn call_body_async(&self, op: String, body: Buffer, args: String) -> AsyncTask<BodyCall> {
        AsyncTask::new(BodyCall {
            client: self.inner.clone(),
            op,
            body: body.to_vec(),
            args,
        })
    }

    /// Pay params without the generic dispatch, as `value\0value\0…` in the
    /// order of the core's JSON: these are made on every page view, and
    /// index.js puts the values into an object literal in a tenth of the
    /// time `JSON.parse` (or napi property by property) takes.
    #[napi]
    pub fn bridge_params(&self, env: Env, prepay_id: String) -> napi::Result<String> {
        nul_joined(&self.inner.jsapi_params(&prepay_id).js(&env)?.fields())
    }

    #[napi]
    pub fn jssdk_params(&self, env: Env, prepay_id: String) -> napi::Result<String> {
        nul_joined(&self.inner.jssdk_pay_params(&prepay_id).js(&env)?.fields())
    }

    #[napi]
    pub fn app_params(&self, env: Env, prepay_id: String) -> napi::Result<String> {
        nul_joined(&self.inner.app_pay_params(&prepay_id).js(&env)?.fields())
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
