//! The pure functions: no I/O, thread-safe.

use std::ffi::c_char;

use wxpay::{ApiKey, SignType};

use crate::guard::{bytes, c_string, json, optional_text, out, run, text};

/// Signs `params_json` (a JSON object of strings) with `api_key` and
/// `sign_type` ("MD5" or "HMAC-SHA256"; NULL for the default, HMAC-SHA256).
/// On success `*out_sign` receives the upper-case hex signature.
///
/// # Safety
/// `params_json` and `api_key` must be NULL or NUL-terminated strings,
/// `sign_type` NULL or one, and `out_sign` NULL or writable. `*out_sign`
/// is the caller's: free it with wxpay_string_free().
#[no_mangle]
pub unsafe extern "C" fn wxpay_sign(
    params_json: *const c_char,
    api_key: *const c_char,
    sign_type: *const c_char,
    out_sign: *mut *mut c_char,
) -> i32 {
    run(|| {
        // SAFETY: the header documents each pointer as NULL or valid.
        let (slot, params, key, st) = unsafe {
            (
                out(out_sign, "out_sign")?,
                text(params_json, "params_json")?,
                text(api_key, "api_key")?,
                optional_text(sign_type, "sign_type")?,
            )
        };
        let key = ApiKey::new(key)?;
        let signature = wxpay::sign_json(params, &key, SignType::parse_or_default(st)?)?;
        *slot = c_string(signature)?;
        Ok(())
    })
}

/// Verifies the `sign` field of `params_json` with the pinned `sign_type`
/// (NULL: HMAC-SHA256). `*out_valid` is true when it matches, false when it
/// is missing, wrong or of another sign type; other problems (bad key, bad
/// JSON) are errors.
///
/// # Safety
/// As wxpay_sign(); `out_valid` must be NULL or point to a writable bool.
#[no_mangle]
pub unsafe extern "C" fn wxpay_verify(
    params_json: *const c_char,
    api_key: *const c_char,
    sign_type: *const c_char,
    out_valid: *mut bool,
) -> i32 {
    run(|| {
        // SAFETY: the header documents each pointer as NULL or valid.
        let (slot, params, key, st) = unsafe {
            (
                out(out_valid, "out_valid")?,
                text(params_json, "params_json")?,
                text(api_key, "api_key")?,
                optional_text(sign_type, "sign_type")?,
            )
        };
        let params = wxpay::params_from_json(params)?;
        let key = ApiKey::new(key)?;
        *slot = wxpay::signature_matches(&params, &key, SignType::parse_or_default(st)?)?;
        Ok(())
    })
}

/// The JS-SDK `wx.config` signature (lower-case hex SHA-1); the url's
/// `#fragment` is not signed.
///
/// # Safety
/// The strings must be NULL or NUL-terminated; `out_signature` NULL or
/// writable. Free `*out_signature` with wxpay_string_free().
#[no_mangle]
pub unsafe extern "C" fn wxpay_jssdk_signature(
    jsapi_ticket: *const c_char,
    noncestr: *const c_char,
    timestamp: u64,
    url: *const c_char,
    out_signature: *mut *mut c_char,
) -> i32 {
    run(|| {
        // SAFETY: the header documents each pointer as NULL or valid.
        let (slot, ticket, nonce, url) = unsafe {
            (
                out(out_signature, "out_signature")?,
                text(jsapi_ticket, "jsapi_ticket")?,
                text(noncestr, "noncestr")?,
                text(url, "url")?,
            )
        };
        *slot = c_string(wxpay::jssdk_signature(ticket, nonce, timestamp, url)?)?;
        Ok(())
    })
}

/// Writes `params_json` (a JSON object of strings) as WeChat XML.
///
/// # Safety
/// `params_json` must be NULL or NUL-terminated; `out_xml` NULL or
/// writable. Free `*out_xml` with wxpay_string_free().
#[no_mangle]
pub unsafe extern "C" fn wxpay_to_xml(
    params_json: *const c_char,
    out_xml: *mut *mut c_char,
) -> i32 {
    run(|| {
        // SAFETY: the header documents each pointer as NULL or valid.
        let (slot, params) =
            unsafe { (out(out_xml, "out_xml")?, text(params_json, "params_json")?) };
        *slot = c_string(wxpay::to_xml(&wxpay::params_from_json(params)?)?)?;
        Ok(())
    })
}

/// Reads WeChat XML (`len` bytes at `data`, which need not be
/// NUL-terminated and may hold any bytes) into a JSON object of strings.
/// DOCTYPEs, nesting, duplicates and oversize bodies give WXPAY_E_XML.
///
/// # Safety
/// `data` must point to `len` readable bytes (or be NULL with `len` 0);
/// `out_json` NULL or writable. Free `*out_json` with wxpay_string_free().
#[no_mangle]
pub unsafe extern "C" fn wxpay_from_xml(
    data: *const c_char,
    len: usize,
    out_json: *mut *mut c_char,
) -> i32 {
    run(|| {
        // SAFETY: the header documents `data` as `len` readable bytes.
        let (slot, body) =
            unsafe { (out(out_json, "out_json")?, bytes(data.cast(), len, "data")?) };
        *slot = json(&wxpay::from_xml(body)?)?;
        Ok(())
    })
}

/// Decrypts a refund notification's `req_info` with the merchant's API key;
/// `*out_json` is the decrypted fields as a JSON object.
///
/// # Safety
/// The strings must be NULL or NUL-terminated; `out_json` NULL or
/// writable. Free `*out_json` with wxpay_string_free().
#[no_mangle]
pub unsafe extern "C" fn wxpay_decrypt_req_info(
    req_info: *const c_char,
    api_key: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    run(|| {
        // SAFETY: the header documents each pointer as NULL or valid.
        let (slot, info, key) = unsafe {
            (
                out(out_json, "out_json")?,
                text(req_info, "req_info")?,
                text(api_key, "api_key")?,
            )
        };
        *slot = json(&wxpay::decrypt_req_info(info, &ApiKey::new(key)?)?)?;
        Ok(())
    })
}

/// The exact reply that acknowledges a notification.
///
/// # Safety
/// `out_xml` must be NULL or writable. Free `*out_xml` with
/// wxpay_string_free().
#[no_mangle]
pub unsafe extern "C" fn wxpay_notify_ack(out_xml: *mut *mut c_char) -> i32 {
    run(|| {
        // SAFETY: the header documents `out_xml` as NULL or writable.
        let slot = unsafe { out(out_xml, "out_xml")? };
        *slot = c_string(wxpay::notify_ack().to_owned())?;
        Ok(())
    })
}

/// A FAIL reply to a notification (WeChat will send it again later).
///
/// # Safety
/// `message` must be NULL or NUL-terminated; `out_xml` NULL or writable.
/// Free `*out_xml` with wxpay_string_free().
#[no_mangle]
pub unsafe extern "C" fn wxpay_notify_fail(
    message: *const c_char,
    out_xml: *mut *mut c_char,
) -> i32 {
    run(|| {
        // SAFETY: the header documents each pointer as NULL or valid.
        let (slot, message) = unsafe { (out(out_xml, "out_xml")?, text(message, "message")?) };
        *slot = c_string(wxpay::notify_fail(message))?;
        Ok(())
    })
}
