//! The C ABI of wxpay (`libwxpay`), described by `include/wxpay.h`.
//!
//! Each function converts its arguments, calls the core inside
//! [`guard::run`] and converts the result; no protocol logic lives here.

#![allow(non_camel_case_types)]
#![allow(clippy::missing_safety_doc)]

mod guard;

use std::ffi::{c_char, CString};

use guard::{bytes, c_string, json, optional_text, out, run, text, Failure};
use wxpay::{ApiKey, Client, ClientOptions, Scope, SignType};

/// Status codes returned by every fallible function.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum wxpay_status {
    /// Success.
    WXPAY_OK = 0,
    /// Bad or missing configuration (e.g. an API key that is not 32 bytes).
    WXPAY_E_CONFIG = 1,
    /// An argument breaks a documented rule.
    WXPAY_E_INVALID_INPUT = 2,
    /// Malformed or forbidden XML (DOCTYPE, too big, nested, duplicates…).
    WXPAY_E_XML = 3,
    /// Missing or wrong signature, or another sign type than the pinned one.
    WXPAY_E_SIGNATURE = 4,
    /// appid / mch_id / amount / order state differ from what was expected.
    WXPAY_E_MISMATCH = 5,
    /// WeChat answered return_code=FAIL, or a reply broke the protocol.
    WXPAY_E_PROTOCOL = 6,
    /// WeChat answered result_code=FAIL (see the err_code in the details).
    WXPAY_E_BUSINESS = 7,
    /// The MP platform answered errcode != 0.
    WXPAY_E_MP_API = 8,
    /// The request did not complete (connect, timeout, HTTP status, cut reply).
    WXPAY_E_TRANSPORT = 9,
    /// The token store failed.
    WXPAY_E_CACHE = 10,
    /// A required pointer argument was NULL.
    WXPAY_E_NULL = 11,
    /// A string argument was not valid UTF-8.
    WXPAY_E_UTF8 = 12,
    /// A bug in libwxpay (a caught panic); the process is unharmed.
    WXPAY_E_INTERNAL = 99,
}

/// An opaque client for one merchant and official account.
pub struct wxpay_client {
    inner: Client,
}

fn sign_type(s: &str) -> Result<SignType, Failure> {
    Ok(SignType::parse(s)?)
}

// ---------------------------------------------------------------------------
// Errors and memory

/// The message of the last failed call on this thread, or NULL when the
/// last call succeeded. The pointer stays valid until the next wxpay call
/// on this thread; do not free it. Never contains keys, secrets or tokens.
#[no_mangle]
pub extern "C" fn wxpay_last_error_message() -> *const c_char {
    guard::last_message()
}

/// The last failure on this thread as JSON (`status`, `kind`, `code`,
/// `message`, `retryable`, and `err_code` / `err_code_des` / `return_msg` /
/// `errcode` / `errmsg` / `reason` / `field` as they apply), or NULL. Same
/// lifetime as wxpay_last_error_message(); do not free it.
#[no_mangle]
pub extern "C" fn wxpay_last_error_details() -> *const c_char {
    guard::last_details()
}

/// Frees a string returned by libwxpay. NULL is ignored. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn wxpay_string_free(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: the caller passes a pointer this library returned from
        // CString::into_raw, exactly once.
        drop(unsafe { CString::from_raw(s) });
    }
}

/// The library version, e.g. "0.1.0". Static: do not free.
#[no_mangle]
pub extern "C" fn wxpay_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// For tests of the boundary: panics inside the guard and returns
/// WXPAY_E_INTERNAL, proving no panic escapes to the caller.
#[no_mangle]
pub extern "C" fn wxpay_selftest_panic() -> i32 {
    run(|| panic!("wxpay_selftest_panic"))
}

// ---------------------------------------------------------------------------
// Pure functions (no I/O; thread-safe)

/// Signs `params_json` (a JSON object of strings) with `api_key` and
/// `sign_type` ("MD5" or "HMAC-SHA256"). On success `*out_sign` receives the
/// upper-case hex signature, to free with wxpay_string_free().
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
                text(sign_type, "sign_type")?,
            )
        };
        let params = wxpay::params_from_json(params)?;
        let signature = wxpay::sign(&params, &ApiKey::new(key)?, self::sign_type(st)?)?;
        *slot = c_string(signature)?;
        Ok(())
    })
}

/// Verifies the `sign` field of `params_json` with the pinned `sign_type`.
/// `*out_valid` is true when it matches, false when it is missing, wrong or
/// of another sign type; other problems (bad key, bad JSON) are errors.
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
                text(sign_type, "sign_type")?,
            )
        };
        let params = wxpay::params_from_json(params)?;
        match wxpay::verify(&params, &ApiKey::new(key)?, self::sign_type(st)?) {
            Ok(()) => *slot = true,
            Err(e) if e.kind() == wxpay::ErrorKind::Signature => *slot = false,
            Err(e) => return Err(e.into()),
        }
        Ok(())
    })
}

/// The JS-SDK `wx.config` signature (lower-case hex SHA-1); the url's
/// `#fragment` is not signed. `*out` is freed with wxpay_string_free().
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
/// NUL-terminated and may hold any bytes) into a JSON object of strings. DOCTYPEs, nesting,
/// duplicates and oversize bodies give WXPAY_E_XML.
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

/// The exact reply that acknowledges a notification. Free with
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

// ---------------------------------------------------------------------------
// The client

/// Creates a client from a JSON config: `appid`, `mch_id`, `api_key` and the
/// optional `app_secret`, `notify_url`, `sign_type`, `base_url` (a
/// simulator), `pay_base_url`, `mp_base_url`, `open_base_url`, timeouts in
/// seconds (`connect_timeout`, `timeout`, `overall_timeout`), `retries`,
/// `cert_pem` + `key_pem` or `cert_p12_base64` (+ `cert_password`), and `ca_pem`
/// (roots to trust instead of the public ones: the simulator's HTTPS port), and
/// `token_dir` (a directory where every process on the host shares tokens — use
/// it when a client is made per request, as in PHP). Unknown names are refused. Free `*out_client` with wxpay_client_free(). A client
/// may be used from many threads at once.
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_new(
    config_json: *const c_char,
    out_client: *mut *mut wxpay_client,
) -> i32 {
    run(|| {
        // SAFETY: the header documents each pointer as NULL or valid.
        let (slot, config) = unsafe {
            (
                out(out_client, "out_client")?,
                text(config_json, "config_json")?,
            )
        };
        let config = ClientOptions::from_json(config)?.into_config()?;
        let client = Client::new(config)?;
        *slot = Box::into_raw(Box::new(wxpay_client { inner: client }));
        Ok(())
    })
}

/// Frees a client. NULL is ignored. No other thread may be using it.
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_free(client: *mut wxpay_client) {
    if !client.is_null() {
        // SAFETY: the caller passes a pointer from wxpay_client_new, once,
        // with no call on it still running.
        drop(unsafe { Box::from_raw(client) });
    }
}

/// # Safety
/// `client` must be NULL or a live pointer from wxpay_client_new.
unsafe fn client_ref<'a>(client: *const wxpay_client) -> Result<&'a Client, Failure> {
    if client.is_null() {
        return Err(Failure::new(wxpay_status::WXPAY_E_NULL, "client is NULL"));
    }
    // SAFETY: non-NULL, and the caller promises a live client.
    Ok(unsafe { &(*client).inner })
}

/// The shape of every client call: a client, one string argument, a JSON
/// (or text) result.
unsafe fn client_call(
    client: *const wxpay_client,
    arg: *const c_char,
    arg_name: &str,
    out_ptr: *mut *mut c_char,
    f: impl FnOnce(&Client, &str) -> Result<*mut c_char, Failure>,
) -> i32 {
    run(|| {
        // SAFETY: the header documents each pointer as NULL or valid.
        let (slot, c, a) = unsafe {
            (
                out(out_ptr, "out")?,
                client_ref(client)?,
                text(arg, arg_name)?,
            )
        };
        *slot = f(c, a)?;
        Ok(())
    })
}

/// Places an order. `order_json`: `body`, `out_trade_no`, `total_fee` (whole
/// fen), `spbill_create_ip`, `openid` (JSAPI), optional `notify_url`,
/// `trade_type`, `product_id`, `extra` (object of strings). `*out_json`: the
/// reply (`prepay_id`, `trade_type`, `code_url`, `mweb_url`, `raw`).
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_unified_order(
    client: *const wxpay_client,
    order_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded unchanged under the same contract.
    unsafe {
        client_call(client, order_json, "order_json", out_json, |c, a| {
            json(&c.unified_order(&wxpay::unified_order_from_json(a)?)?)
        })
    }
}

/// `getBrandWCPayRequest` params for `prepay_id`, as a JSON object.
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_jsapi_params(
    client: *const wxpay_client,
    prepay_id: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded unchanged under the same contract.
    unsafe {
        client_call(client, prepay_id, "prepay_id", out_json, |c, a| {
            json(&c.jsapi_params(a)?)
        })
    }
}

/// `wx.chooseWXPay` params for `prepay_id`, as a JSON object.
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_jssdk_pay_params(
    client: *const wxpay_client,
    prepay_id: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded unchanged under the same contract.
    unsafe {
        client_call(client, prepay_id, "prepay_id", out_json, |c, a| {
            json(&c.jssdk_pay_params(a)?)
        })
    }
}

/// App `PayReq` params for `prepay_id`, as a JSON object.
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_app_pay_params(
    client: *const wxpay_client,
    prepay_id: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded unchanged under the same contract.
    unsafe {
        client_call(client, prepay_id, "prepay_id", out_json, |c, a| {
            json(&c.app_pay_params(a)?)
        })
    }
}

/// orderquery. `query_json`: `{"out_trade_no": …}` or `{"transaction_id": …}`.
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_query_order(
    client: *const wxpay_client,
    query_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded unchanged under the same contract.
    unsafe {
        client_call(client, query_json, "query_json", out_json, |c, a| {
            json(&c.query_order(wxpay::order_ref_from_json(a)?)?)
        })
    }
}

/// closeorder for `out_trade_no`; `*out_json` has `already_closed`.
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_close_order(
    client: *const wxpay_client,
    out_trade_no: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded unchanged under the same contract.
    unsafe {
        client_call(client, out_trade_no, "out_trade_no", out_json, |c, a| {
            json(&c.close_order(a)?)
        })
    }
}

/// refund. `refund_json`: `out_trade_no` or `transaction_id`,
/// `out_refund_no`, `total_fee`, `refund_fee`, optional `refund_desc`,
/// `notify_url`, `extra`.
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_refund(
    client: *const wxpay_client,
    refund_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded unchanged under the same contract.
    unsafe {
        client_call(client, refund_json, "refund_json", out_json, |c, a| {
            json(&c.refund(&wxpay::refund_from_json(a)?)?)
        })
    }
}

/// refundquery. `query_json`: one of `refund_id`, `out_refund_no`,
/// `transaction_id`, `out_trade_no`, and an optional `offset`.
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_query_refund(
    client: *const wxpay_client,
    query_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded unchanged under the same contract.
    unsafe {
        client_call(client, query_json, "query_json", out_json, |c, a| {
            json(&c.query_refund(&wxpay::refund_query_from_json(a)?)?)
        })
    }
}

/// downloadbill. `request_json`: `bill_date` (yyyyMMdd), optional
/// `bill_type`, `gzip`. `*out_json`: `columns`, `rows`, `summary_columns`,
/// `summary`.
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_download_bill(
    client: *const wxpay_client,
    request_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded unchanged under the same contract.
    unsafe {
        client_call(client, request_json, "request_json", out_json, |c, a| {
            json(&c.download_bill(&wxpay::download_bill_from_json(a)?)?)
        })
    }
}

/// Verifies a payment notification (`len` bytes of the raw POST body). With
/// `expected_total_fee` > 0 it must also be a payment of exactly that many
/// fen in CNY (else WXPAY_E_MISMATCH). `*out_json`: `paid`, `out_trade_no`,
/// `transaction_id`, `total_fee`, …, `raw`.
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_verify_payment_notify(
    client: *const wxpay_client,
    body: *const c_char,
    len: usize,
    expected_total_fee: u64,
    out_json: *mut *mut c_char,
) -> i32 {
    run(|| {
        // SAFETY: the header documents each pointer as NULL or valid.
        let (slot, c, body) = unsafe {
            (
                out(out_json, "out_json")?,
                client_ref(client)?,
                bytes(body.cast(), len, "body")?,
            )
        };
        let notify = c.verify_payment_notify(body)?;
        if expected_total_fee > 0 {
            notify.check_amount(expected_total_fee)?;
        }
        *slot = json(&notify)?;
        Ok(())
    })
}

/// Confirms a verified notification (the JSON from
/// wxpay_client_verify_payment_notify) with orderquery.
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_confirm_payment(
    client: *const wxpay_client,
    notify_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded unchanged under the same contract.
    unsafe {
        client_call(client, notify_json, "notify_json", out_json, |c, a| {
            let notify: wxpay::PaymentNotify = serde_json::from_str(a).map_err(|_| {
                Failure::new(
                    wxpay_status::WXPAY_E_INVALID_INPUT,
                    "notify_json must be the JSON from wxpay_client_verify_payment_notify",
                )
            })?;
            json(&c.confirm_payment(&notify)?)
        })
    }
}

/// Decrypts a refund notification (`len` bytes of the raw POST body).
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_parse_refund_notify(
    client: *const wxpay_client,
    body: *const c_char,
    len: usize,
    out_json: *mut *mut c_char,
) -> i32 {
    run(|| {
        // SAFETY: the header documents each pointer as NULL or valid.
        let (slot, c, body) = unsafe {
            (
                out(out_json, "out_json")?,
                client_ref(client)?,
                bytes(body.cast(), len, "body")?,
            )
        };
        *slot = json(&c.parse_refund_notify(body)?)?;
        Ok(())
    })
}

/// The OAuth authorize URL. `scope`: "snsapi_base" or "snsapi_userinfo";
/// `state` may be NULL.
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_oauth_authorize_url(
    client: *const wxpay_client,
    redirect_uri: *const c_char,
    scope: *const c_char,
    state: *const c_char,
    out_url: *mut *mut c_char,
) -> i32 {
    run(|| {
        // SAFETY: the header documents each pointer as NULL or valid.
        let (slot, c, uri, scope, state) = unsafe {
            (
                out(out_url, "out_url")?,
                client_ref(client)?,
                text(redirect_uri, "redirect_uri")?,
                text(scope, "scope")?,
                optional_text(state, "state")?,
            )
        };
        *slot = c_string(c.oauth_authorize_url(uri, Scope::parse(scope)?, state)?)?;
        Ok(())
    })
}

/// A stateless OAuth `state` bound to `context` (e.g. the session id), for
/// wxpay_client_oauth_authorize_url(); check the one that comes back with
/// wxpay_client_check_oauth_state(). Free `*out_state` with
/// wxpay_string_free().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_oauth_state(
    client: *const wxpay_client,
    context: *const c_char,
    out_state: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded unchanged under the same contract.
    unsafe {
        client_call(client, context, "context", out_state, |c, a| {
            c_string(c.oauth_state(a)?)
        })
    }
}

/// WXPAY_OK when `state` came from wxpay_client_oauth_state() for the same
/// `context` at most `max_age_secs` ago; WXPAY_E_INVALID_INPUT otherwise
/// (a forged, altered, expired or other session's state).
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_check_oauth_state(
    client: *const wxpay_client,
    state: *const c_char,
    context: *const c_char,
    max_age_secs: u64,
) -> i32 {
    run(|| {
        // SAFETY: the header documents each pointer as NULL or valid.
        let (c, state, context) = unsafe {
            (
                client_ref(client)?,
                text(state, "state")?,
                text(context, "context")?,
            )
        };
        c.check_oauth_state(state, context, std::time::Duration::from_secs(max_age_secs))?;
        Ok(())
    })
}

/// Exchanges an OAuth code for the openid (`*out_json` has `openid`). Never
/// retried once sent: a code is single-use.
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_oauth_exchange_code(
    client: *const wxpay_client,
    code: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded unchanged under the same contract.
    unsafe {
        client_call(client, code, "code", out_json, |c, a| {
            json(&c.oauth_exchange_code(a)?)
        })
    }
}

/// The cached basic access_token (fetched once for all threads).
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_access_token(
    client: *const wxpay_client,
    out_token: *mut *mut c_char,
) -> i32 {
    run(|| {
        // SAFETY: the header documents each pointer as NULL or valid.
        let (slot, c) = unsafe { (out(out_token, "out_token")?, client_ref(client)?) };
        *slot = c_string(c.access_token()?)?;
        Ok(())
    })
}

/// The cached jsapi_ticket.
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_jsapi_ticket(
    client: *const wxpay_client,
    out_ticket: *mut *mut c_char,
) -> i32 {
    run(|| {
        // SAFETY: the header documents each pointer as NULL or valid.
        let (slot, c) = unsafe { (out(out_ticket, "out_ticket")?, client_ref(client)?) };
        *slot = c_string(c.jsapi_ticket()?)?;
        Ok(())
    })
}

/// A signed `wx.config` object for the page at `url`; `js_api_list_json` is
/// a JSON array of API names, e.g. `["chooseWXPay"]`.
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_jssdk_config(
    client: *const wxpay_client,
    url: *const c_char,
    js_api_list_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    run(|| {
        // SAFETY: the header documents each pointer as NULL or valid.
        let (slot, c, url, list) = unsafe {
            (
                out(out_json, "out_json")?,
                client_ref(client)?,
                text(url, "url")?,
                text(js_api_list_json, "js_api_list_json")?,
            )
        };
        let list: Vec<String> = serde_json::from_str(list).map_err(|_| {
            Failure::new(
                wxpay_status::WXPAY_E_INVALID_INPUT,
                "js_api_list_json must be a JSON array of strings",
            )
        })?;
        let names: Vec<&str> = list.iter().map(String::as_str).collect();
        *slot = json(&c.jssdk_config(url, &names)?)?;
        Ok(())
    })
}
