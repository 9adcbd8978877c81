//! The functions with no client: signing, verifying, the XML, the JS-SDK
//! signature, refund notifications, the notify replies. Each runs under
//! the panic guard (`errors.rs`).

use napi::bindgen_prelude::Buffer;
use napi::{Env, Error, JsString};
use napi_derive::napi;
use wxpay::{ApiKey, SignType};

use crate::errors::{guard, OrJs};

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
        guard(&env, || {
            Ok(NativeSigner {
                key: ApiKey::new(&key).js(&env)?,
                sign_type: SignType::parse_or_default(sign_type.as_deref()).js(&env)?,
            })
        })
    }

    #[napi]
    pub fn sign(&self, env: Env, params_json: String) -> napi::Result<String> {
        guard(&env, || {
            wxpay::sign_json(&params_json, &self.key, self.sign_type).js(&env)
        })
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
        guard(&env, || {
            self.with_scratch(&env, scratch, len, count, wxpay::sign_pairs)
        })
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
        guard(&env, || {
            self.with_scratch(&env, scratch, len, count, wxpay::to_signed_xml_pairs)
        })
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
pub(crate) fn ascii_json<T: serde::Serialize>(env: &Env, value: &T) -> napi::Result<JsString> {
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
pub(crate) fn nul_joined(fields: &[(&str, &str)]) -> napi::Result<String> {
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
pub fn pay_param_names(env: Env) -> napi::Result<String> {
    guard(&env, || {
        Ok(serde_json::json!({
            "bridge": wxpay::BridgePayParams::NAMES,
            "jssdk": wxpay::JssdkPayParams::NAMES,
            "app": wxpay::AppPayParams::NAMES,
        })
        .to_string())
    })
}

#[napi]
pub fn verify(
    env: Env,
    params_json: String,
    key: String,
    sign_type: Option<String>,
) -> napi::Result<bool> {
    guard(&env, || {
        let params = wxpay::params_from_json(&params_json).js(&env)?;
        let key = ApiKey::new(&key).js(&env)?;
        let sign_type = SignType::parse_or_default(sign_type.as_deref()).js(&env)?;
        wxpay::signature_matches(&params, &key, sign_type).js(&env)
    })
}

#[napi]
pub fn to_xml(env: Env, params_json: String) -> napi::Result<String> {
    guard(&env, || {
        wxpay::to_xml(&wxpay::params_from_json(&params_json).js(&env)?).js(&env)
    })
}

#[napi]
pub fn to_signed_xml(
    env: Env,
    params_json: String,
    key: String,
    sign_type: Option<String>,
) -> napi::Result<String> {
    guard(&env, || {
        let params = wxpay::params_from_json(&params_json).js(&env)?;
        let key = ApiKey::new(&key).js(&env)?;
        let sign_type = SignType::parse_or_default(sign_type.as_deref()).js(&env)?;
        wxpay::to_signed_xml(&params, &key, sign_type).js(&env)
    })
}

/// A core value as JSON text.
fn json<T: serde::Serialize>(env: &Env, value: &T) -> napi::Result<String> {
    serde_json::to_string(value)
        .map_err(|e| wxpay::Error::internal(format!("cannot write the result as JSON: {e}")))
        .js(env)
}

#[napi]
pub fn from_xml(env: Env, data: Buffer) -> napi::Result<JsString> {
    guard(&env, || ascii_json(&env, &wxpay::from_xml(&data).js(&env)?))
}

#[napi]
pub fn jssdk_signature(
    env: Env,
    jsapi_ticket: String,
    noncestr: String,
    timestamp: i64,
    url: String,
) -> napi::Result<String> {
    guard(&env, || {
        let ts = u64::try_from(timestamp)
            .map_err(|_| wxpay::Error::invalid("timestamp", "must be Unix seconds"))
            .js(&env)?;
        wxpay::jssdk_signature(&jsapi_ticket, &noncestr, ts, &url).js(&env)
    })
}

#[napi]
pub fn decrypt_req_info(env: Env, req_info: String, api_key: String) -> napi::Result<String> {
    guard(&env, || {
        let key = ApiKey::new(&api_key).js(&env)?;
        json(&env, &wxpay::decrypt_req_info(&req_info, &key).js(&env)?)
    })
}

#[napi]
pub fn notify_ack(env: Env) -> napi::Result<String> {
    guard(&env, || Ok(wxpay::notify_ack().to_owned()))
}

#[napi]
pub fn notify_fail(env: Env, message: String) -> napi::Result<String> {
    guard(&env, || Ok(wxpay::notify_fail(&message)))
}
