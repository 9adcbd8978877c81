//! The byte lane: JNI natives on `io.wxpay.Lane` that carry one call's
//! bytes in and one reply out.
//!
//! uniffi's Kotlin reaches Rust through JNA, which builds several
//! `Structure`s (each with its own tracked native `Memory`) for every call
//! and every string argument; measured in `make bench`, that cost tens of
//! microseconds a call, far more than the work itself. The lane passes Java
//! byte arrays straight through JNI instead, so a call costs what the core
//! does. The objects and callbacks (the client's life, the application's
//! token store) stay with uniffi; the lane finds a client by its lane id.
//!
//! Text arguments cross as JSON text (a JSON string, or the JSON object of
//! a field map), so a lone surrogate from Java is refused by the JSON reader
//! here instead of being replaced on the way. A reply is one tag byte and
//! its payload:
//!
//! * `T` and UTF-8 text (a signature, an XML body),
//! * `J` and JSON (an operation's result, parsed fields),
//! * `B` and `{"json": result, "error": details or null}` (an operation on
//!   a message body, whose refusal is an answer, not a failure),
//! * `E` and the core's error details (`Error::details`).
//!
//! A panic is caught and answered as an `Internal` error; nothing unwinds
//! into the JVM.
//!
//! The JVM finds these natives by their symbol names, so they are
//! `#[no_mangle]`, which the `unsafe_code` lint counts: this module is the
//! one place outside bindings/c allowed it. It holds no `unsafe` block.

#![allow(
    unsafe_code,
    reason = "JNI natives must be #[no_mangle]; no unsafe block"
)]

use std::panic::{catch_unwind, AssertUnwindSafe};

use jni::objects::{JByteArray, JClass};
use jni::sys::{jboolean, jbyteArray, jlong};
use jni::JNIEnv;

use crate::client::{by_lane_id, run_body};
use crate::pure;

/// What a lane call gives before it is tagged.
enum Reply {
    Text(String),
    Json(String),
    Body(String, Option<wxpay::Error>),
}

/// A failure to read the arguments from the JVM (a Java exception is then
/// pending), kept apart from the core's errors, which are answers.
struct JvmFailed;

/// The bytes of a Java array; null only where the lane allows it.
fn bytes(env: &JNIEnv<'_>, array: &JByteArray<'_>) -> Result<Vec<u8>, JvmFailed> {
    env.convert_byte_array(array).map_err(|_| JvmFailed)
}

fn optional_bytes(env: &JNIEnv<'_>, array: &JByteArray<'_>) -> Result<Option<Vec<u8>>, JvmFailed> {
    if array.is_null() {
        Ok(None)
    } else {
        bytes(env, array).map(Some)
    }
}

/// A text argument, sent as a JSON string.
fn text(raw: &[u8], field: &str) -> wxpay::Result<String> {
    serde_json::from_slice(raw)
        .map_err(|_| wxpay::Error::invalid(field, "must be valid Unicode text"))
}

/// A field map or other JSON argument, checked as UTF-8 here and read by
/// the core.
fn json(raw: Vec<u8>, field: &str) -> wxpay::Result<String> {
    String::from_utf8(raw).map_err(|_| wxpay::Error::invalid(field, "must be UTF-8 JSON"))
}

fn tagged(tag: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 1);
    out.push(tag);
    out.extend_from_slice(payload);
    out
}

fn error_reply(e: &wxpay::Error) -> Vec<u8> {
    tagged(b'E', e.details().to_string().as_bytes())
}

/// What one lane call came to, before it becomes a Java array.
type Outcome = std::thread::Result<Result<wxpay::Result<Reply>, JvmFailed>>;

/// The tagged reply for an outcome; `None` when the JVM itself failed.
fn encode(outcome: Outcome) -> Option<Vec<u8>> {
    Some(match outcome {
        Err(_) => error_reply(&wxpay::Error::internal(
            "a panic in wxpay was caught at the JVM lane",
        )),
        Ok(Err(JvmFailed)) => return None,
        Ok(Ok(Err(e))) => error_reply(&e),
        Ok(Ok(Ok(Reply::Text(t)))) => tagged(b'T', t.as_bytes()),
        Ok(Ok(Ok(Reply::Json(j)))) => tagged(b'J', j.as_bytes()),
        Ok(Ok(Ok(Reply::Body(result, refusal)))) => {
            let refusal = refusal.map_or_else(|| "null".to_owned(), |e| e.details().to_string());
            tagged(
                b'B',
                format!("{{\"json\":{result},\"error\":{refusal}}}").as_bytes(),
            )
        }
    })
}

/// Runs `work` with the JVM's arguments, catching panics, and returns the
/// tagged reply as a new Java array (null, with a Java exception pending,
/// only when the JVM itself failed).
fn answer<'l>(
    env: &mut JNIEnv<'l>,
    work: impl FnOnce(&JNIEnv<'l>) -> Result<wxpay::Result<Reply>, JvmFailed>,
) -> jbyteArray {
    let Some(reply) = encode(catch_unwind(AssertUnwindSafe(|| work(env)))) else {
        // Usually the JVM's own exception is pending; if not (a null where
        // the lane needs an array), say so rather than return a null the
        // Kotlin side does not expect.
        if !env.exception_check().unwrap_or(true) {
            let _ = env.throw_new(
                "java/lang/IllegalStateException",
                "wxpay: the lane could not read its arguments",
            );
        }
        return std::ptr::null_mut();
    };
    match env.byte_array_from_slice(&reply) {
        Ok(array) => array.into_raw(),
        // The JVM could not allocate the array; its OutOfMemoryError is pending.
        Err(_) => std::ptr::null_mut(),
    }
}

/// `Lane.call(client, op, args)`: operation `op` of a client with its
/// arguments as JSON; `J` and the result.
#[no_mangle]
pub extern "system" fn Java_io_wxpay_Lane_call<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    client: jlong,
    op: JByteArray<'l>,
    args: JByteArray<'l>,
) -> jbyteArray {
    answer(&mut env, |env| {
        let (op, args) = (bytes(env, &op)?, bytes(env, &args)?);
        Ok((|| {
            let op = json(op, "op")?;
            let client = by_lane_id(client)?;
            Ok(Reply::Json(client.call_json(&op, &json(args, "args")?)?))
        })())
    })
}

/// `Lane.knows(client)`: whether the lane finds this client, i.e. whether
/// uniffi and the lane share one loaded copy of the library.
#[no_mangle]
pub extern "system" fn Java_io_wxpay_Lane_knows<'l>(
    _env: JNIEnv<'l>,
    _class: JClass<'l>,
    client: jlong,
) -> jboolean {
    jboolean::from(by_lane_id(client).is_ok())
}

/// `Lane.callBody(client, op, body, args)`: an operation on a message body
/// (the notifications); `B` and the result with any refusal.
#[no_mangle]
pub extern "system" fn Java_io_wxpay_Lane_callBody<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    client: jlong,
    op: JByteArray<'l>,
    body: JByteArray<'l>,
    args: JByteArray<'l>,
) -> jbyteArray {
    answer(&mut env, |env| {
        let (op, body, args) = (bytes(env, &op)?, bytes(env, &body)?, bytes(env, &args)?);
        Ok((|| {
            let op = json(op, "op")?;
            let client = by_lane_id(client)?;
            let (result, refusal) = run_body(&client, &op, body, &json(args, "args")?)?;
            Ok(Reply::Body(result, refusal))
        })())
    })
}

/// `Lane.callV3(client, op, args)`: v3 operation `op` of a v3 client with
/// its arguments as JSON; `J` and the result.
#[no_mangle]
pub extern "system" fn Java_io_wxpay_Lane_callV3<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    client: jlong,
    op: JByteArray<'l>,
    args: JByteArray<'l>,
) -> jbyteArray {
    answer(&mut env, |env| {
        let (op, args) = (bytes(env, &op)?, bytes(env, &args)?);
        Ok((|| {
            let op = json(op, "op")?;
            let client = crate::client_v3::by_lane_id(client)?;
            Ok(Reply::Json(client.call_json(&op, &json(args, "args")?)?))
        })())
    })
}

/// `Lane.callV3Body(client, op, body, args)`: a v3 operation on a
/// notification's raw body, its headers in `args`; `J` and the result.
#[no_mangle]
pub extern "system" fn Java_io_wxpay_Lane_callV3Body<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    client: jlong,
    op: JByteArray<'l>,
    body: JByteArray<'l>,
    args: JByteArray<'l>,
) -> jbyteArray {
    answer(&mut env, |env| {
        let (op, body, args) = (bytes(env, &op)?, bytes(env, &body)?, bytes(env, &args)?);
        Ok((|| {
            let op = json(op, "op")?;
            let client = crate::client_v3::by_lane_id(client)?;
            Ok(Reply::Json(client.call_with_body(
                &op,
                body,
                &json(args, "args")?,
            )?))
        })())
    })
}

/// The arguments of the signing functions: fields, key, sign type.
type SignArgs = (String, String, Option<String>);

fn sign_args(
    env: &JNIEnv<'_>,
    params: &JByteArray<'_>,
    key: &JByteArray<'_>,
    sign_type: &JByteArray<'_>,
) -> Result<wxpay::Result<SignArgs>, JvmFailed> {
    let (params, key, sign_type) = (
        bytes(env, params)?,
        bytes(env, key)?,
        optional_bytes(env, sign_type)?,
    );
    Ok((|| {
        let sign_type = sign_type.map(|t| text(&t, "sign_type")).transpose()?;
        Ok((json(params, "params")?, text(&key, "key")?, sign_type))
    })())
}

/// The natives that take fields, a key and a sign type; they differ only
/// in the core function they run and the reply it makes.
macro_rules! signing_native {
    ($(#[$doc:meta])* $name:ident, $run:expr) => {
        $(#[$doc])*
        #[no_mangle]
        pub extern "system" fn $name<'l>(
            mut env: JNIEnv<'l>,
            _class: JClass<'l>,
            params: JByteArray<'l>,
            key: JByteArray<'l>,
            sign_type: JByteArray<'l>,
        ) -> jbyteArray {
            let run: fn(&str, &str, Option<&str>) -> wxpay::Result<Reply> = $run;
            answer(&mut env, |env| {
                Ok(sign_args(env, &params, &key, &sign_type)?
                    .and_then(|(p, k, t)| run(&p, &k, t.as_deref())))
            })
        }
    };
}

signing_native!(
    /// `Lane.sign(params, key, signType)`: `T` and the signature.
    Java_io_wxpay_Lane_sign,
    |p, k, t| pure::sign_json(p, k, t).map(Reply::Text)
);

signing_native!(
    /// `Lane.verify(params, key, signType)`: `J` and `true` or `false`.
    Java_io_wxpay_Lane_verify,
    |p, k, t| pure::verify_json(p, k, t).map(|ok| Reply::Json(ok.to_string()))
);

signing_native!(
    /// `Lane.toSignedXml(params, key, signType)`: `T` and the signed body.
    Java_io_wxpay_Lane_toSignedXml,
    |p, k, t| pure::to_signed_xml_json(p, k, t).map(Reply::Text)
);

/// `Lane.toXml(params)`: `T` and the unsigned body.
#[no_mangle]
pub extern "system" fn Java_io_wxpay_Lane_toXml<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    params: JByteArray<'l>,
) -> jbyteArray {
    answer(&mut env, |env| {
        let params = bytes(env, &params)?;
        Ok(json(params, "params")
            .and_then(|p| pure::to_xml_json(&p))
            .map(Reply::Text))
    })
}

/// `Lane.fromXml(body)`: `J` and the fields (a DOCTYPE refused unread).
#[no_mangle]
pub extern "system" fn Java_io_wxpay_Lane_fromXml<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    body: JByteArray<'l>,
) -> jbyteArray {
    answer(&mut env, |env| {
        let body = bytes(env, &body)?;
        Ok(pure::from_xml_json(&body).map(Reply::Json))
    })
}

/// `Lane.jssdkSignature(ticket, noncestr, timestamp, url)`: `T` and the
/// `wx.config` signature.
#[no_mangle]
pub extern "system" fn Java_io_wxpay_Lane_jssdkSignature<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    ticket: JByteArray<'l>,
    noncestr: JByteArray<'l>,
    timestamp: jlong,
    url: JByteArray<'l>,
) -> jbyteArray {
    answer(&mut env, |env| {
        let (ticket, noncestr, url) = (
            bytes(env, &ticket)?,
            bytes(env, &noncestr)?,
            bytes(env, &url)?,
        );
        Ok((|| {
            let (ticket, noncestr, url) = (
                text(&ticket, "jsapi_ticket")?,
                text(&noncestr, "noncestr")?,
                text(&url, "url")?,
            );
            pure::jssdk_signature_of(&ticket, &noncestr, timestamp, &url).map(Reply::Text)
        })())
    })
}

/// `Lane.decryptReqInfo(reqInfo, apiKey)`: `J` and the refund's fields.
#[no_mangle]
pub extern "system" fn Java_io_wxpay_Lane_decryptReqInfo<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    req_info: JByteArray<'l>,
    api_key: JByteArray<'l>,
) -> jbyteArray {
    answer(&mut env, |env| {
        let (req_info, api_key) = (bytes(env, &req_info)?, bytes(env, &api_key)?);
        Ok((|| {
            let (req_info, api_key) = (text(&req_info, "req_info")?, text(&api_key, "api_key")?);
            pure::decrypt_req_info_json(&req_info, &api_key).map(Reply::Json)
        })())
    })
}

/// `Lane.notifyFail(message)`: `T` and the body asking WeChat to retry.
#[no_mangle]
pub extern "system" fn Java_io_wxpay_Lane_notifyFail<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    message: JByteArray<'l>,
) -> jbyteArray {
    answer(&mut env, |env| {
        let message = bytes(env, &message)?;
        Ok(text(&message, "message").map(|m| Reply::Text(wxpay::notify_fail(&m))))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload(reply: &[u8]) -> serde_json::Value {
        serde_json::from_slice(&reply[1..]).expect("a JSON payload")
    }

    #[test]
    fn a_panic_is_answered_as_an_internal_error() {
        let outcome: Outcome = catch_unwind(|| panic!("boom"));
        let reply = encode(outcome).expect("a reply");
        assert_eq!(reply[0], b'E');
        let d = payload(&reply);
        assert_eq!(
            (d["kind"].as_str(), d["code"].as_str()),
            (Some("Internal"), Some("WXPAY_INTERNAL"))
        );
        assert_eq!(d["retryable"], false);
    }

    #[test]
    fn each_reply_carries_its_tag() {
        let text = encode(Ok(Ok(Ok(Reply::Text("9A0A".into()))))).expect("a reply");
        assert_eq!(text, b"T9A0A");
        let json = encode(Ok(Ok(Ok(Reply::Json("true".into()))))).expect("a reply");
        assert_eq!(json, b"Jtrue");
        let refused = wxpay::from_xml(b"<!DOCTYPE x><xml/>").unwrap_err();
        let body = encode(Ok(Ok(Ok(Reply::Body(
            "{\"status\":\"refused\"}".into(),
            Some(refused),
        )))))
        .expect("a reply");
        assert_eq!(body[0], b'B');
        let d = payload(&body);
        assert_eq!(d["json"]["status"], "refused");
        assert_eq!(d["error"]["reason"], "Doctype");
        let error = encode(Ok(Ok(Err(wxpay::Error::invalid(
            "total_fee",
            "must be at least 1 fen",
        )))))
        .expect("a reply");
        assert_eq!(error[0], b'E');
        assert_eq!(payload(&error)["field"], "total_fee");
        assert!(encode(Ok(Err(JvmFailed))).is_none());
    }

    #[test]
    fn text_arguments_must_be_unicode() {
        assert_eq!(text(br#""tea""#, "key").unwrap(), "tea");
        // A lone surrogate, as Json.write escapes it, is refused by name.
        let e = text(br#""\udc00""#, "key").unwrap_err();
        assert_eq!(e.field(), Some("key"));
        assert!(json(vec![0xff, b'{'], "params").is_err());
    }
}
