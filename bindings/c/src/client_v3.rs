//! The API v3 client handle: made from a JSON config, every v3 operation
//! run by name through the core's v3 dispatch (`ClientV3::call_json` and
//! `call_with_body`), results as JSON text.

use std::ffi::c_char;

use wxpay::ClientV3;

use crate::guard::{bytes, c_string, out, run, text, Failure};
use crate::status::wxpay_status;

/// An opaque API v3 client for one merchant.
pub struct wxpay_client_v3 {
    inner: ClientV3,
}

/// Creates an API v3 client from a JSON config object: `mchid`, `appid`,
/// `merchant_serial`, `apiv3_key`, `private_key` (PEM text) or
/// `private_key_path`, and `public_key_id` with `public_key` or
/// `public_key_path` (the WeChat Pay public key) and/or
/// `platform_certificates` / `auto_certificates`; optional `notify_url`,
/// `base_url`, `backup_url`, timeouts in seconds, `retries`,
/// `retry_backoff`, `ca_pem`, `token_dir`, `token_store`, `log_bodies`
/// (README, "API v3"). Unknown names give WXPAY_E_INVALID_INPUT.
///
/// # Safety
/// `config_json` must be NULL or NUL-terminated; `out_client` NULL or
/// writable. Free `*out_client` with wxpay_client_v3_free().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_v3_new(
    config_json: *const c_char,
    out_client: *mut *mut wxpay_client_v3,
) -> i32 {
    run(|| {
        // SAFETY: the header documents each pointer as NULL or valid.
        let (slot, config) = unsafe {
            (
                out(out_client, "out_client")?,
                text(config_json, "config_json")?,
            )
        };
        let client = ClientV3::from_options_json(config)?;
        wxpay::events::queue_events(true);
        *slot = Box::into_raw(Box::new(wxpay_client_v3 { inner: client }));
        Ok(())
    })
}

/// Frees an API v3 client. NULL is ignored.
///
/// # Safety
/// `client` must be NULL or a pointer from wxpay_client_v3_new(), not yet
/// freed, with no call on it still running in another thread.
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_v3_free(client: *mut wxpay_client_v3) {
    if !client.is_null() {
        // SAFETY: the caller passes a pointer from wxpay_client_v3_new,
        // once, with no call on it still running.
        drop(unsafe { Box::from_raw(client) });
    }
}

/// The live client behind `client`, or the NULL error.
///
/// # Safety
/// `client` must be NULL or live.
unsafe fn live<'a>(client: *const wxpay_client_v3) -> Result<&'a ClientV3, Failure> {
    if client.is_null() {
        return Err(Failure::with_status(
            wxpay_status::WXPAY_E_NULL,
            wxpay::Error::invalid_because(wxpay::InputReason::Missing, "client", "is NULL"),
        ));
    }
    // SAFETY: non-NULL, and the caller promises a live client.
    Ok(unsafe { &(*client).inner })
}

/// Runs any v3 operation by name (`prepay`, `jsapi_params`, `query_order`,
/// `close_order`, `refund`, `query_refund`, `download_trade_bill`,
/// `download_fund_flow_bill`, `encrypt_sensitive`): `args_json` is an
/// object of named arguments, an array of positional ones, or one value
/// for the first; `*out_json` is the result as JSON (`null` for close).
///
/// # Safety
/// `client` must be NULL or live; `op` and `args_json` NULL or
/// NUL-terminated; `out_json` NULL or writable. Free `*out_json` with
/// wxpay_string_free().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_v3_call(
    client: *const wxpay_client_v3,
    op: *const c_char,
    args_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    run(|| {
        // SAFETY: pointers are forwarded under the documented contract.
        let (client, slot, op, args) = unsafe {
            (
                live(client)?,
                out(out_json, "out_json")?,
                text(op, "op")?,
                text(args_json, "args_json")?,
            )
        };
        *slot = c_string(client.call_json(op, args)?)?;
        Ok(())
    })
}

/// Runs a v3 operation on a notification: `len` bytes at `body` (the raw
/// body received) and `args_json` with its `headers` (an object of names
/// to values, or a list of `[name, value]` pairs) and, for
/// `settle_payment_notify`, the shop's `order` (or null). Operations:
/// `parse_notification`, `payment_notify_order` (the out_trade_no to look
/// up, or null), `settle_payment_notify` and `handle_refund_notify` (each
/// with the `http_status` and `body` to answer WeChat with).
///
/// # Safety
/// `client` must be NULL or live; `op` and `args_json` NULL or
/// NUL-terminated; `body` must point to `len` readable bytes (or be NULL
/// with `len` 0); `out_json` NULL or writable. Free `*out_json` with
/// wxpay_string_free().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_v3_call_body(
    client: *const wxpay_client_v3,
    op: *const c_char,
    body: *const c_char,
    len: usize,
    args_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    run(|| {
        // SAFETY: pointers are forwarded under the documented contract.
        let (client, slot, op, body, args) = unsafe {
            (
                live(client)?,
                out(out_json, "out_json")?,
                text(op, "op")?,
                bytes(body.cast(), len, "body")?.to_vec(),
                text(args_json, "args_json")?,
            )
        };
        *slot = c_string(client.call_with_body(op, body, args)?)?;
        Ok(())
    })
}

// <generated by packaging/gen_hosts.py from the core's v3 operation table: do not edit>
/// Places an order: `kind` (jsapi, app, native, h5), `description`,
/// `out_trade_no`, `total` (fen), `openid` (jsapi), `payer_client_ip` and
/// `h5_type` (h5); `notify_url`, `attach`, `time_expire`; a service provider's
/// `sub_mchid` and `sub_appid`.
///
/// `args_json`: its arguments as for wxpay_client_v3_call() (by position: none;
/// or by name); `*out_json`: an object shaped as `PrepayAnswer`
/// (bindings/results.schema.json).
///
/// # Safety
/// As wxpay_client_v3_call(); free `*out_json` with wxpay_string_free().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_v3_prepay(
    client: *const wxpay_client_v3,
    args_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    let op = c"prepay";
    // SAFETY: pointers are forwarded under the same contract.
    unsafe { wxpay_client_v3_call(client, op.as_ptr(), args_json, out_json) }
}

/// The `getBrandWCPayRequest` / `wx.requestPayment` params (signType RSA), for
/// the client's appid or `appid` (a sub-merchant's).
///
/// `args_json`: its arguments as for wxpay_client_v3_call() (by position:
/// `prepay_id`, `appid`; or by name); `*out_json`: an object shaped as
/// `JsapiPayParamsV3` (bindings/results.schema.json).
///
/// # Safety
/// As wxpay_client_v3_call(); free `*out_json` with wxpay_string_free().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_v3_jsapi_params(
    client: *const wxpay_client_v3,
    args_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    let op = c"jsapi_params";
    // SAFETY: pointers are forwarded under the same contract.
    unsafe { wxpay_client_v3_call(client, op.as_ptr(), args_json, out_json) }
}

/// The App SDK's `PayReq` params, signed with RSA.
///
/// `args_json`: its arguments as for wxpay_client_v3_call() (by position:
/// `prepay_id`; or by name); `*out_json`: an object shaped as `AppPayParamsV3`
/// (bindings/results.schema.json).
///
/// # Safety
/// As wxpay_client_v3_call(); free `*out_json` with wxpay_string_free().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_v3_app_params(
    client: *const wxpay_client_v3,
    args_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    let op = c"app_params";
    // SAFETY: pointers are forwarded under the same contract.
    unsafe { wxpay_client_v3_call(client, op.as_ptr(), args_json, out_json) }
}

/// An order by `out_trade_no` or `transaction_id`, checked whole; `total` (fen)
/// when the shop knows it; a service provider's `sub_mchid` (and `sub_appid`).
///
/// `args_json`: its arguments as for wxpay_client_v3_call() (by position:
/// `out_trade_no`; or by name); `*out_json`: an object shaped as
/// `TransactionV3` (bindings/results.schema.json).
///
/// # Safety
/// As wxpay_client_v3_call(); free `*out_json` with wxpay_string_free().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_v3_query_order(
    client: *const wxpay_client_v3,
    args_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    let op = c"query_order";
    // SAFETY: pointers are forwarded under the same contract.
    unsafe { wxpay_client_v3_call(client, op.as_ptr(), args_json, out_json) }
}

/// Closes an unpaid order (a service provider's with `sub_mchid`).
///
/// `args_json`: its arguments as for wxpay_client_v3_call() (by position:
/// `out_trade_no`, `sub_mchid`; or by name); `*out_json`: `null`.
///
/// # Safety
/// As wxpay_client_v3_call(); free `*out_json` with wxpay_string_free().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_v3_close_order(
    client: *const wxpay_client_v3,
    args_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    let op = c"close_order";
    // SAFETY: pointers are forwarded under the same contract.
    unsafe { wxpay_client_v3_call(client, op.as_ptr(), args_json, out_json) }
}

/// Asks for a refund: `out_refund_no`, `refund` and `total` (fen),
/// `out_trade_no` or `transaction_id`; `reason`, `notify_url`, `sub_mchid`.
///
/// `args_json`: its arguments as for wxpay_client_v3_call() (by position: none;
/// or by name); `*out_json`: an object shaped as `RefundStateV3`
/// (bindings/results.schema.json).
///
/// # Safety
/// As wxpay_client_v3_call(); free `*out_json` with wxpay_string_free().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_v3_refund(
    client: *const wxpay_client_v3,
    args_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    let op = c"refund";
    // SAFETY: pointers are forwarded under the same contract.
    unsafe { wxpay_client_v3_call(client, op.as_ptr(), args_json, out_json) }
}

/// A refund, checked against the one asked for (the same arguments as
/// `refund`).
///
/// `args_json`: its arguments as for wxpay_client_v3_call() (by position: none;
/// or by name); `*out_json`: an object shaped as `RefundStateV3`
/// (bindings/results.schema.json).
///
/// # Safety
/// As wxpay_client_v3_call(); free `*out_json` with wxpay_string_free().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_v3_query_refund(
    client: *const wxpay_client_v3,
    args_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    let op = c"query_refund";
    // SAFETY: pointers are forwarded under the same contract.
    unsafe { wxpay_client_v3_call(client, op.as_ptr(), args_json, out_json) }
}

/// A day's trade bill (`yyyy-MM-dd`; ALL, SUCCESS or REFUND), checked against
/// WeChat's SHA-1.
///
/// `args_json`: its arguments as for wxpay_client_v3_call() (by position:
/// `bill_date`, `bill_type`; or by name); `*out_json`: an object shaped as
/// `Bill` (bindings/results.schema.json).
///
/// # Safety
/// As wxpay_client_v3_call(); free `*out_json` with wxpay_string_free().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_v3_download_trade_bill(
    client: *const wxpay_client_v3,
    args_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    let op = c"download_trade_bill";
    // SAFETY: pointers are forwarded under the same contract.
    unsafe { wxpay_client_v3_call(client, op.as_ptr(), args_json, out_json) }
}

/// A day's fund flow (BASIC, OPERATION or FEES), checked against WeChat's
/// SHA-1.
///
/// `args_json`: its arguments as for wxpay_client_v3_call() (by position:
/// `bill_date`, `account_type`; or by name); `*out_json`: an object shaped as
/// `FundFlow` (bindings/results.schema.json).
///
/// # Safety
/// As wxpay_client_v3_call(); free `*out_json` with wxpay_string_free().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_v3_download_fund_flow_bill(
    client: *const wxpay_client_v3,
    args_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    let op = c"download_fund_flow_bill";
    // SAFETY: pointers are forwarded under the same contract.
    unsafe { wxpay_client_v3_call(client, op.as_ptr(), args_json, out_json) }
}

/// A sensitive field encrypted for WeChat (RSA-OAEP): `serial` (send as
/// Wechatpay-Serial) and `ciphertext`.
///
/// `args_json`: its arguments as for wxpay_client_v3_call() (by position:
/// `text`; or by name); `*out_json`: an object shaped as `SealedField`
/// (bindings/results.schema.json).
///
/// # Safety
/// As wxpay_client_v3_call(); free `*out_json` with wxpay_string_free().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_v3_encrypt_sensitive(
    client: *const wxpay_client_v3,
    args_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    let op = c"encrypt_sensitive";
    // SAFETY: pointers are forwarded under the same contract.
    unsafe { wxpay_client_v3_call(client, op.as_ptr(), args_json, out_json) }
}
// </generated>
