//! The functions without a client: signing, XML, the JS-SDK signature and
//! the notification helpers. Field maps cross as JSON text (an object of
//! strings), read by the same core reader the other bindings use. Each is
//! written once, returning the core's result; the uniffi exports below and
//! the byte lane (`lane.rs`) both call it.

use wxpay::{ApiKey, SignType};

use crate::errors::NativeResult;

fn key_and_type(key: &str, sign_type: Option<&str>) -> wxpay::Result<(ApiKey, SignType)> {
    Ok((ApiKey::new(key)?, SignType::parse_or_default(sign_type)?))
}

pub(crate) fn sign_json(
    params_json: &str,
    key: &str,
    sign_type: Option<&str>,
) -> wxpay::Result<String> {
    let (key, sign_type) = key_and_type(key, sign_type)?;
    wxpay::sign_json(params_json, &key, sign_type)
}

pub(crate) fn verify_json(
    params_json: &str,
    key: &str,
    sign_type: Option<&str>,
) -> wxpay::Result<bool> {
    let params = wxpay::params_from_json(params_json)?;
    let (key, sign_type) = key_and_type(key, sign_type)?;
    wxpay::signature_matches(&params, &key, sign_type)
}

pub(crate) fn to_xml_json(params_json: &str) -> wxpay::Result<String> {
    wxpay::to_xml(&wxpay::params_from_json(params_json)?)
}

pub(crate) fn to_signed_xml_json(
    params_json: &str,
    key: &str,
    sign_type: Option<&str>,
) -> wxpay::Result<String> {
    let params = wxpay::params_from_json(params_json)?;
    let (key, sign_type) = key_and_type(key, sign_type)?;
    wxpay::to_signed_xml(&params, &key, sign_type)
}

pub(crate) fn from_xml_json(data: &[u8]) -> wxpay::Result<String> {
    let fields = wxpay::from_xml(data)?;
    serde_json::to_string(&fields)
        .map_err(|e| wxpay::Error::internal(format!("cannot write the result as JSON: {e}")))
}

pub(crate) fn jssdk_signature_of(
    jsapi_ticket: &str,
    noncestr: &str,
    timestamp: i64,
    url: &str,
) -> wxpay::Result<String> {
    let ts = u64::try_from(timestamp)
        .map_err(|_| wxpay::Error::invalid("timestamp", "must be Unix seconds"))?;
    wxpay::jssdk_signature(jsapi_ticket, noncestr, ts, url)
}

pub(crate) fn decrypt_req_info_json(req_info: &str, api_key: &str) -> wxpay::Result<String> {
    let key = ApiKey::new(api_key)?;
    let info = wxpay::decrypt_req_info(req_info, &key)?;
    serde_json::to_string(&info)
        .map_err(|e| wxpay::Error::internal(format!("cannot write the result as JSON: {e}")))
}

/// The signature of the fields in `params_json` (`sign` itself left out).
/// `sign_type`: `MD5` or `HMAC-SHA256`; absent, the core's default.
#[uniffi::export]
pub fn sign(params_json: String, key: String, sign_type: Option<String>) -> NativeResult<String> {
    Ok(sign_json(&params_json, &key, sign_type.as_deref())?)
}

/// Whether `params_json` carries the right `sign` for `key`.
#[uniffi::export]
pub fn verify(params_json: String, key: String, sign_type: Option<String>) -> NativeResult<bool> {
    Ok(verify_json(&params_json, &key, sign_type.as_deref())?)
}

/// The `<xml>` body for the fields, unsigned.
#[uniffi::export]
pub fn to_xml(params_json: String) -> NativeResult<String> {
    Ok(to_xml_json(&params_json)?)
}

/// The `<xml>` body for the fields with `sign` added.
#[uniffi::export]
pub fn to_signed_xml(
    params_json: String,
    key: String,
    sign_type: Option<String>,
) -> NativeResult<String> {
    Ok(to_signed_xml_json(
        &params_json,
        &key,
        sign_type.as_deref(),
    )?)
}

/// The fields of a WeChat `<xml>` message as a JSON object (a DOCTYPE, an
/// entity or nesting is refused before anything is read).
#[uniffi::export]
pub fn from_xml(data: Vec<u8>) -> NativeResult<String> {
    Ok(from_xml_json(&data)?)
}

/// The `wx.config` signature of a page.
#[uniffi::export]
pub fn jssdk_signature(
    jsapi_ticket: String,
    noncestr: String,
    timestamp: i64,
    url: String,
) -> NativeResult<String> {
    Ok(jssdk_signature_of(
        &jsapi_ticket,
        &noncestr,
        timestamp,
        &url,
    )?)
}

/// A refund notification's `req_info`, decrypted, as a JSON object.
#[uniffi::export]
pub fn decrypt_req_info(req_info: String, api_key: String) -> NativeResult<String> {
    Ok(decrypt_req_info_json(&req_info, &api_key)?)
}

/// The body that tells WeChat a notification was taken.
#[uniffi::export]
pub fn notify_ack() -> String {
    wxpay::notify_ack().to_owned()
}

/// The body that tells WeChat to send the notification again.
#[uniffi::export]
pub fn notify_fail(message: String) -> String {
    wxpay::notify_fail(&message)
}
