//! The client handle and every client operation. Each function reads its
//! arguments into a [`wxpay::Operation`] — the dispatch path every binding
//! shares — and hands it to [`op_call`], the one shape they all have.

use std::ffi::c_char;

use serde_json::Value;
use wxpay::{Client, Operation};

use crate::guard::{bytes, c_string, out, run, text, Failure};
use crate::status::wxpay_status;

/// An opaque client for one merchant and official account.
pub struct wxpay_client {
    inner: Client,
}

/// Creates a client from a JSON config: `appid`, `mch_id`, `api_key` and the
/// optional `app_secret`, `notify_url`, `sign_type`, `base_url` (a
/// simulator), `pay_base_url`, `mp_base_url`, `open_base_url`, timeouts in
/// seconds (`connect_timeout`, `timeout`, `overall_timeout`), `retries`,
/// `cert_pem` + `key_pem` or `cert_p12_base64` (+ `cert_password`), `ca_pem`
/// (roots to trust instead of the public ones: the simulator's HTTPS port),
/// and `token_dir` (a directory where every process on the host shares
/// tokens — use it when a client is made per request, as in PHP). Unknown
/// names give WXPAY_E_INVALID_INPUT. A client may be used from many threads
/// at once.
///
/// # Safety
/// `config_json` must be NULL or NUL-terminated; `out_client` NULL or
/// writable. `*out_client` is the caller's: free it with
/// wxpay_client_free().
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
        let client = Client::from_options_json(config, None)?;
        *slot = Box::into_raw(Box::new(wxpay_client { inner: client }));
        Ok(())
    })
}

/// Frees a client. NULL is ignored.
///
/// # Safety
/// `client` must be NULL or a pointer from wxpay_client_new(), not yet
/// freed, with no call on it still running in another thread.
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_free(client: *mut wxpay_client) {
    if !client.is_null() {
        // SAFETY: the caller passes a pointer from wxpay_client_new, once,
        // with no call on it still running.
        drop(unsafe { Box::from_raw(client) });
    }
}

/// How a result comes back.
#[derive(Clone, Copy)]
enum Form {
    /// The result as JSON text.
    Json,
    /// The result's text itself (a URL, a state, a token).
    Text,
    /// Text, or NULL for none.
    MaybeText,
    /// Nothing: the status says it all.
    Status,
}

/// The one shape of every client function: check the client and the
/// out-pointer, read the operation, run it, write the result.
///
/// # Safety
/// `client` must be NULL or live; `out_ptr` NULL or writable (unused for
/// [`Form::Status`]); `read` may only read pointers the caller vouched for.
unsafe fn op_call(
    client: *const wxpay_client,
    out_ptr: *mut *mut c_char,
    form: Form,
    read: impl FnOnce() -> Result<Operation, Failure>,
) -> i32 {
    run(|| {
        if client.is_null() {
            return Err(Failure::with_status(
                wxpay_status::WXPAY_E_NULL,
                wxpay::Error::invalid_because(wxpay::InputReason::Missing, "client", "is NULL"),
            ));
        }
        let slot = match form {
            Form::Status => None,
            // SAFETY: the header documents the out-pointer as NULL or writable.
            _ => Some(unsafe { out(out_ptr, "out")? }),
        };
        // SAFETY: non-NULL, and the caller promises a live client.
        let client = unsafe { &(*client).inner };
        let outcome = client.run(read()?)?;
        match (slot, form) {
            (Some(slot), Form::Json) => *slot = c_string(outcome.to_json()?)?,
            (Some(slot), Form::MaybeText) => {
                *slot = match outcome {
                    wxpay::Outcome::MaybeText(Some(text)) => c_string(text)?,
                    wxpay::Outcome::MaybeText(None) => std::ptr::null_mut(),
                    _ => return Err(wxpay::Error::internal("the result is not text").into()),
                };
            }
            (Some(slot), Form::Text) => {
                let text = outcome
                    .as_text()
                    .ok_or_else(|| wxpay::Error::internal("the result is not text"))?;
                *slot = c_string(text.to_owned())?;
            }
            _ => {}
        }
        Ok(())
    })
}

/// Operation `op` from named arguments in JSON text.
///
/// # Safety
/// `json` must be NULL or NUL-terminated.
unsafe fn from_json(op: &str, json: *const c_char, name: &str) -> Result<Operation, Failure> {
    // SAFETY: forwarded from the caller.
    let json = unsafe { text(json, name)? };
    Ok(Operation::from_json(op, json)?)
}

/// Operation `op` from plain texts standing for its positional arguments.
///
/// # Safety
/// Each pointer must be NULL or NUL-terminated.
unsafe fn from_texts(op: &str, args: &[(*const c_char, &str)]) -> Result<Operation, Failure> {
    let mut values = Vec::with_capacity(args.len());
    for (ptr, name) in args {
        // SAFETY: forwarded from the caller.
        values.push(Value::String(unsafe { text(*ptr, name)? }.to_owned()));
    }
    Ok(Operation::parse(op, values, Value::Null)?)
}

/// One JSON value standing for a positional argument.
///
/// # Safety
/// `json` must be NULL or NUL-terminated.
unsafe fn json_value(json: *const c_char, name: &str) -> Result<Value, Failure> {
    // SAFETY: forwarded from the caller.
    let json = unsafe { text(json, name)? };
    serde_json::from_str(json).map_err(|_| {
        wxpay::Error::invalid_because(wxpay::InputReason::WrongType, name, "is not valid JSON")
            .into()
    })
}

/// Runs any operation by name: `args_json` is an object of named arguments
/// (`{"out_trade_no": "order-0001"}`), an array of positional ones, or one
/// value for the first; `*out_json` is the result as JSON. Operations and
/// their arguments are listed in the README; the functions below are this
/// one with the arguments spelled out.
///
/// # Safety
/// `client` must be NULL or live; `op` and `args_json` NULL or
/// NUL-terminated; `out_json` NULL or writable. Free `*out_json` with
/// wxpay_string_free().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_call(
    client: *const wxpay_client,
    op: *const c_char,
    args_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded under the same contract.
    unsafe {
        op_call(client, out_json, Form::Json, || {
            from_json(text(op, "op")?, args_json, "args_json")
        })
    }
}

/// Places an order. `order_json`: `body`, `out_trade_no`, `total_fee` (whole
/// fen), `spbill_create_ip`, `openid` (JSAPI), optional `notify_url`,
/// `trade_type` (default JSAPI), `product_id`, the optional WeChat fields
/// by name (`attach`, `time_expire`, …) and `extra` (an object of strings).
/// `*out_json`: the reply (`prepay_id`, `trade_type`, `code_url`,
/// `mweb_url`, `raw`).
///
/// # Safety
/// As wxpay_client_call().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_unified_order(
    client: *const wxpay_client,
    order_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded under the same contract.
    unsafe {
        op_call(client, out_json, Form::Json, || {
            from_json("unified_order", order_json, "order_json")
        })
    }
}

/// `getBrandWCPayRequest` params for `prepay_id`, as a JSON object.
///
/// # Safety
/// As wxpay_client_call().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_jsapi_params(
    client: *const wxpay_client,
    prepay_id: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded under the same contract.
    unsafe {
        op_call(client, out_json, Form::Json, || {
            from_texts("jsapi_params", &[(prepay_id, "prepay_id")])
        })
    }
}

/// `wx.chooseWXPay` params for `prepay_id`, as a JSON object.
///
/// # Safety
/// As wxpay_client_call().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_jssdk_pay_params(
    client: *const wxpay_client,
    prepay_id: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded under the same contract.
    unsafe {
        op_call(client, out_json, Form::Json, || {
            from_texts("jssdk_pay_params", &[(prepay_id, "prepay_id")])
        })
    }
}

/// App `PayReq` params for `prepay_id`, as a JSON object.
///
/// # Safety
/// As wxpay_client_call().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_app_pay_params(
    client: *const wxpay_client,
    prepay_id: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded under the same contract.
    unsafe {
        op_call(client, out_json, Form::Json, || {
            from_texts("app_pay_params", &[(prepay_id, "prepay_id")])
        })
    }
}

/// orderquery. `query_json`: `{"out_trade_no": …}` or `{"transaction_id": …}`.
///
/// # Safety
/// As wxpay_client_call().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_query_order(
    client: *const wxpay_client,
    query_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded under the same contract.
    unsafe {
        op_call(client, out_json, Form::Json, || {
            from_json("query_order", query_json, "query_json")
        })
    }
}

/// closeorder for `out_trade_no`; `*out_json` has `already_closed`.
///
/// # Safety
/// As wxpay_client_call().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_close_order(
    client: *const wxpay_client,
    out_trade_no: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded under the same contract.
    unsafe {
        op_call(client, out_json, Form::Json, || {
            from_texts("close_order", &[(out_trade_no, "out_trade_no")])
        })
    }
}

/// refund. `refund_json`: `out_trade_no` or `transaction_id`,
/// `out_refund_no`, `total_fee`, `refund_fee`, optional `refund_desc`,
/// `notify_url`, `refund_account`, `refund_fee_type`, `extra`.
///
/// # Safety
/// As wxpay_client_call().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_refund(
    client: *const wxpay_client,
    refund_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded under the same contract.
    unsafe {
        op_call(client, out_json, Form::Json, || {
            from_json("refund", refund_json, "refund_json")
        })
    }
}

/// refundquery. `query_json`: one of `refund_id`, `out_refund_no`,
/// `transaction_id`, `out_trade_no`, and an optional `offset`.
///
/// # Safety
/// As wxpay_client_call().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_query_refund(
    client: *const wxpay_client,
    query_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded under the same contract.
    unsafe {
        op_call(client, out_json, Form::Json, || {
            from_json("query_refund", query_json, "query_json")
        })
    }
}

/// A counter payment to its end. `request_json`: `body`, `out_trade_no`,
/// `total_fee`, `spbill_create_ip`, `auth_code`, the optional fields by
/// name, and the waits `first_query_after`, `query_every`,
/// `give_up_after` (seconds) and `max_reverses`. `*out_json`: `status`
/// (`paid`, `reversed`, `failed`, or `unsettled`: do not ask for another
/// code, see `follow_up` — `query` or `reverse` — and `error`),
/// `transaction_id`, `total_fee`, `err_code`, `queries`, `reverses`.
///
/// # Safety
/// As wxpay_client_call().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_micropay(
    client: *const wxpay_client,
    request_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded under the same contract.
    unsafe {
        op_call(client, out_json, Form::Json, || {
            from_json("micropay", request_json, "request_json")
        })
    }
}

/// Reverses the counter payment `out_trade_no` until WeChat confirms it
/// (for an `unsettled` payment whose `follow_up` is `reverse`);
/// `*out_json`: `out_trade_no`, `reverses`.
///
/// # Safety
/// As wxpay_client_call().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_reverse(
    client: *const wxpay_client,
    out_trade_no: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded under the same contract.
    unsafe {
        op_call(client, out_json, Form::Json, || {
            from_texts("reverse", &[(out_trade_no, "out_trade_no")])
        })
    }
}

/// The openid of the customer behind a scanned payment code
/// (tools/authcodetoopenid), as text in `*out_openid`.
///
/// # Safety
/// As wxpay_client_call().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_auth_code_to_openid(
    client: *const wxpay_client,
    auth_code: *const c_char,
    out_openid: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded under the same contract.
    unsafe {
        op_call(client, out_openid, Form::Text, || {
            from_texts("auth_code_to_openid", &[(auth_code, "auth_code")])
        })
    }
}

/// downloadbill. `request_json`: `bill_date` (yyyyMMdd), optional
/// `bill_type` (default ALL), `gzip`. `*out_json`: `columns`, `rows`,
/// `summary_columns`, `summary`.
///
/// # Safety
/// As wxpay_client_call().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_download_bill(
    client: *const wxpay_client,
    request_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded under the same contract.
    unsafe {
        op_call(client, out_json, Form::Json, || {
            from_json("download_bill", request_json, "request_json")
        })
    }
}

/// Verifies a payment notification (`len` bytes of the raw POST body). With
/// `expected_total_fee` > 0 it must also be a payment of exactly that many
/// fen in CNY (else WXPAY_E_MISMATCH); 0 checks no amount. `*out_json`:
/// `paid`, `out_trade_no`, `transaction_id`, `total_fee`, …, `raw`.
///
/// # Safety
/// `client` must be NULL or live; `body` must point to `len` readable bytes
/// (or be NULL with `len` 0); `out_json` NULL or writable. Free `*out_json`
/// with wxpay_string_free().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_verify_payment_notify(
    client: *const wxpay_client,
    body: *const c_char,
    len: usize,
    expected_total_fee: u64,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded under the same contract.
    unsafe {
        op_call(client, out_json, Form::Json, || {
            let body = bytes(body.cast(), len, "body")?.to_vec();
            let fee = (expected_total_fee > 0).then(|| Value::from(expected_total_fee));
            Ok(Operation::with_body(
                "verify_payment_notify",
                body,
                fee.into_iter().collect(),
                Value::Null,
            )?)
        })
    }
}

/// Confirms a verified notification (the JSON from
/// wxpay_client_verify_payment_notify()) with orderquery.
///
/// # Safety
/// As wxpay_client_call().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_confirm_payment(
    client: *const wxpay_client,
    notify_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded under the same contract.
    unsafe {
        op_call(client, out_json, Form::Json, || {
            let notify = text(notify_json, "notify_json")?;
            let value: Value = serde_json::from_str(notify).map_err(|_| {
                wxpay::Error::invalid_because(
                    wxpay::InputReason::WrongType,
                    "notify_json",
                    "must be the JSON from wxpay_client_verify_payment_notify",
                )
            })?;
            Ok(Operation::parse(
                "confirm_payment",
                vec![value],
                Value::Null,
            )?)
        })
    }
}

/// WXPAY_OK when the verified notification `notify_json` (the JSON from
/// wxpay_client_verify_payment_notify()) is a payment of exactly
/// `total_fee` fen in CNY — the shop's own amount for the order;
/// WXPAY_E_MISMATCH otherwise.
///
/// # Safety
/// `client` must be NULL or live; `notify_json` NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_check_amount(
    client: *const wxpay_client,
    notify_json: *const c_char,
    total_fee: u64,
) -> i32 {
    // SAFETY: pointers are forwarded under the same contract.
    unsafe {
        op_call(client, std::ptr::null_mut(), Form::Status, || {
            let notify = json_value(notify_json, "notify_json")?;
            let args = vec![notify, Value::from(total_fee)];
            Ok(Operation::parse("check_amount", args, Value::Null)?)
        })
    }
}

/// The first half of the notify handler: `*out_trade_no` is the order a
/// verified payment notification (`len` bytes of the raw POST body) is
/// about — look it up in your database — or NULL when the body does not
/// verify or is not a payment (WXPAY_OK either way: the second half,
/// wxpay_client_settle_payment_notify(), says why).
///
/// # Safety
/// As wxpay_client_verify_payment_notify(); free a non-NULL
/// `*out_trade_no` with wxpay_string_free().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_payment_notify_order(
    client: *const wxpay_client,
    body: *const c_char,
    len: usize,
    out_trade_no: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded under the same contract.
    unsafe {
        op_call(client, out_trade_no, Form::MaybeText, || {
            let body = bytes(body.cast(), len, "body")?.to_vec();
            Ok(Operation::with_body(
                "payment_notify_order",
                body,
                Vec::new(),
                Value::Null,
            )?)
        })
    }
}

/// The whole notify handler with your record of the order at hand:
/// verifies the body, compares it with `order_json` — `{"total_fee": 990,
/// "transaction_id": null}` (the transaction you recorded once the order is
/// paid), or `null` when you have no such order — confirms with orderquery
/// and decides. `*out_json`: `status` ("paid": mark the order paid, then
/// answer; "already_paid", "not_paid", or "refused" with `error`), `reply`
/// (the exact XML to answer WeChat with, as text/xml), `out_trade_no`,
/// `transaction_id`, `total_fee`, `notify`, `confirmation`. A refused
/// notification is WXPAY_OK too: the decision is the result.
///
/// # Safety
/// As wxpay_client_verify_payment_notify(); `order_json` NULL or
/// NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_settle_payment_notify(
    client: *const wxpay_client,
    body: *const c_char,
    len: usize,
    order_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded under the same contract.
    unsafe {
        op_call(client, out_json, Form::Json, || {
            let body = bytes(body.cast(), len, "body")?.to_vec();
            let order = json_value(order_json, "order_json")?;
            Ok(Operation::with_body(
                "settle_payment_notify",
                body,
                vec![order],
                Value::Null,
            )?)
        })
    }
}

/// Decrypts a refund notification (`len` bytes of the raw POST body).
///
/// # Safety
/// As wxpay_client_verify_payment_notify().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_parse_refund_notify(
    client: *const wxpay_client,
    body: *const c_char,
    len: usize,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded under the same contract.
    unsafe {
        op_call(client, out_json, Form::Json, || {
            let body = bytes(body.cast(), len, "body")?.to_vec();
            Ok(Operation::with_body(
                "parse_refund_notify",
                body,
                Vec::new(),
                Value::Null,
            )?)
        })
    }
}

/// The OAuth authorize URL. `scope`: "snsapi_base" or "snsapi_userinfo", or
/// NULL for the default, snsapi_base; `state` may be NULL.
///
/// # Safety
/// `client` must be NULL or live; the strings NULL or NUL-terminated;
/// `out_url` NULL or writable. Free `*out_url` with wxpay_string_free().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_oauth_authorize_url(
    client: *const wxpay_client,
    redirect_uri: *const c_char,
    scope: *const c_char,
    state: *const c_char,
    out_url: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded under the same contract.
    unsafe {
        op_call(client, out_url, Form::Text, || {
            let optional = |p: *const c_char, name| -> Result<Value, Failure> {
                Ok(crate::guard::optional_text(p, name)?.map_or(Value::Null, Value::from))
            };
            let args = vec![
                Value::from(text(redirect_uri, "redirect_uri")?),
                optional(scope, "scope")?,
                optional(state, "state")?,
            ];
            Ok(Operation::parse("oauth_authorize_url", args, Value::Null)?)
        })
    }
}

/// A stateless OAuth `state` bound to `context` (e.g. the session id), for
/// wxpay_client_oauth_authorize_url(); check the one that comes back with
/// wxpay_client_check_oauth_state().
///
/// # Safety
/// As wxpay_client_call(); free `*out_state` with wxpay_string_free().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_oauth_state(
    client: *const wxpay_client,
    context: *const c_char,
    out_state: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded under the same contract.
    unsafe {
        op_call(client, out_state, Form::Text, || {
            from_texts("oauth_state", &[(context, "context")])
        })
    }
}

/// WXPAY_OK when `state` came from wxpay_client_oauth_state() for the same
/// `context` at most `max_age_secs` ago (0: the default, 600 s);
/// WXPAY_E_INVALID_INPUT otherwise (a forged, altered, expired or other
/// session's state).
///
/// # Safety
/// `client` must be NULL or live; `state` and `context` NULL or
/// NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_check_oauth_state(
    client: *const wxpay_client,
    state: *const c_char,
    context: *const c_char,
    max_age_secs: u64,
) -> i32 {
    // SAFETY: pointers are forwarded under the same contract.
    unsafe {
        op_call(client, std::ptr::null_mut(), Form::Status, || {
            let max_age = if max_age_secs == 0 {
                Value::Null
            } else {
                Value::from(max_age_secs)
            };
            let args = vec![
                Value::from(text(state, "state")?),
                Value::from(text(context, "context")?),
                max_age,
            ];
            Ok(Operation::parse("check_oauth_state", args, Value::Null)?)
        })
    }
}

/// Exchanges an OAuth code for the openid (`*out_json` has `openid`). Never
/// retried once sent: a code is single-use.
///
/// # Safety
/// As wxpay_client_call().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_oauth_exchange_code(
    client: *const wxpay_client,
    code: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded under the same contract.
    unsafe {
        op_call(client, out_json, Form::Json, || {
            from_texts("oauth_exchange_code", &[(code, "code")])
        })
    }
}

/// The cached basic access_token (fetched once for all threads).
///
/// # Safety
/// `client` must be NULL or live; `out_token` NULL or writable. Free
/// `*out_token` with wxpay_string_free().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_access_token(
    client: *const wxpay_client,
    out_token: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded under the same contract.
    unsafe {
        op_call(client, out_token, Form::Text, || {
            from_texts("access_token", &[])
        })
    }
}

/// The cached jsapi_ticket.
///
/// # Safety
/// As wxpay_client_access_token().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_jsapi_ticket(
    client: *const wxpay_client,
    out_ticket: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded under the same contract.
    unsafe {
        op_call(client, out_ticket, Form::Text, || {
            from_texts("jsapi_ticket", &[])
        })
    }
}

/// A signed `wx.config` object for the page at `url`; `js_api_list_json` is
/// a JSON array of API names, e.g. `["chooseWXPay"]`.
///
/// # Safety
/// `client` must be NULL or live; the strings NULL or NUL-terminated;
/// `out_json` NULL or writable. Free `*out_json` with wxpay_string_free().
#[no_mangle]
pub unsafe extern "C" fn wxpay_client_jssdk_config(
    client: *const wxpay_client,
    url: *const c_char,
    js_api_list_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: pointers are forwarded under the same contract.
    unsafe {
        op_call(client, out_json, Form::Json, || {
            let url = Value::from(text(url, "url")?);
            let list: Value = serde_json::from_str(text(js_api_list_json, "js_api_list_json")?)
                .map_err(|_| {
                    wxpay::Error::invalid_because(
                        wxpay::InputReason::WrongType,
                        "js_api_list_json",
                        "must be a JSON array of strings",
                    )
                })?;
            Ok(Operation::parse(
                "jssdk_config",
                vec![url, list],
                Value::Null,
            )?)
        })
    }
}
