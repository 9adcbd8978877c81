//! `wxpay.Client`: every method is the core operation of the same name,
//! its arguments passed through as given (by position or by keyword) and
//! judged by the core; results come back as dicts, and the GIL is released
//! while WeChat answers.

use std::sync::Arc;

use base64::Engine;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString, PyTuple};
use serde_json::Value;
use wxpay::{Client, ClientOptions, Operation};

use crate::convert::{self, to_py};
use crate::errors::IntoPy;
use crate::store::PyTokenStore;

/// WeChat Pay for one merchant and official account; safe to share between
/// threads. Secrets never appear in its repr.
#[pyclass(name = "Client", module = "wxpay", frozen)]
pub struct PyClient {
    inner: Arc<Client>,
}

pub(crate) fn pem_text(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    if let Ok(s) = obj.downcast::<PyString>() {
        return Ok(convert::text(s, what)?.to_owned());
    }
    if let Ok(b) = obj.downcast::<PyBytes>() {
        return std::str::from_utf8(b.as_bytes())
            .map(str::to_owned)
            .map_err(|_| PyTypeError::new_err(format!("{what} must be PEM text")));
    }
    Err(PyTypeError::new_err(format!(
        "{what} must be PEM bytes or str"
    )))
}

/// `cert=`: PKCS#12 bytes, or a `(cert_pem, key_pem)` pair, as the options
/// the core reads.
fn cert_options(
    cert: &Bound<'_, PyAny>,
    options: &mut serde_json::Map<String, Value>,
) -> PyResult<()> {
    if let Ok(data) = cert.downcast::<PyBytes>() {
        let p12 = base64::engine::general_purpose::STANDARD.encode(data.as_bytes());
        options.insert("cert_p12_base64".into(), p12.into());
        return Ok(());
    }
    match cert.downcast::<PyTuple>() {
        Ok(pair) if pair.len() == 2 => {
            options.insert(
                "cert_pem".into(),
                pem_text(&pair.get_item(0)?, "cert_pem")?.into(),
            );
            options.insert(
                "key_pem".into(),
                pem_text(&pair.get_item(1)?, "key_pem")?.into(),
            );
            Ok(())
        }
        _ => Err(PyTypeError::new_err(
            "cert must be PKCS#12 bytes or a (cert_pem, key_pem) tuple",
        )),
    }
}

impl PyClient {
    /// Runs operation `op`, without the GIL when it may wait on WeChat.
    fn run(&self, py: Python<'_>, op: Operation) -> PyResult<PyObject> {
        let outcome = if op.does_io() {
            crate::events::follow_level(py);
            let client = self.inner.clone();
            py.allow_threads(move || client.run(op))
        } else {
            self.inner.run(op)
        };
        crate::events::forward(py);
        let mut outcome = outcome.py(py)?;
        // A refused notification's reason is handed over as the exception
        // object it would have been, not as a dict.
        let error = match &mut outcome {
            wxpay::Outcome::NotifyDecision(d) => d.error.take(),
            wxpay::Outcome::Micropay(m) => m.error.take(),
            wxpay::Outcome::RefundNotifyDecision(d) => d.error.take(),
            _ => None,
        };
        let result = to_py(py, &outcome)?;
        if let Some(e) = error {
            result
                .bind(py)
                .set_item("error", crate::errors::wx_err(py, e).into_value(py))?;
        }
        Ok(result)
    }

    fn call_op(
        &self,
        py: Python<'_>,
        op: &str,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PyObject> {
        let names = Operation::positional_names(op).unwrap_or_default();
        let (positional, named) = convert::arguments(args, kwargs, names)?;
        self.run(py, Operation::parse(op, positional, named).py(py)?)
    }

    fn call_body(
        &self,
        py: Python<'_>,
        op: &str,
        body: &Bound<'_, PyAny>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PyObject> {
        let body = convert::body(body)?;
        // The body is the first of the operation's positional arguments.
        let names = Operation::positional_names(op).unwrap_or_default();
        let (positional, named) =
            convert::arguments(args, kwargs, names.get(1..).unwrap_or_default())?;
        self.run(
            py,
            Operation::with_body(op, body, positional, named).py(py)?,
        )
    }
}

/// Each method below is the core operation of its name.
macro_rules! operations {
    ($($(#[$doc:meta])* $name:ident;)*) => {
        #[pymethods]
        impl PyClient {
            $(
                $(#[$doc])*
                #[pyo3(signature = (*args, **kwargs))]
                fn $name(
                    &self,
                    py: Python<'_>,
                    args: &Bound<'_, PyTuple>,
                    kwargs: Option<&Bound<'_, PyDict>>,
                ) -> PyResult<PyObject> {
                    self.call_op(py, stringify!($name), args, kwargs)
                }
            )*
        }
    };
}

/// Each method below is the core operation of its name whose first
/// argument is a message body (bytes, bytearray, memoryview or str).
macro_rules! body_operations {
    ($($(#[$doc:meta])* $name:ident;)*) => {
        #[pymethods]
        impl PyClient {
            $(
                $(#[$doc])*
                #[pyo3(signature = (body, *args, **kwargs))]
                fn $name(
                    &self,
                    py: Python<'_>,
                    body: &Bound<'_, PyAny>,
                    args: &Bound<'_, PyTuple>,
                    kwargs: Option<&Bound<'_, PyDict>>,
                ) -> PyResult<PyObject> {
                    self.call_body(py, stringify!($name), body, args, kwargs)
                }
            )*
        }
    };
}

// <generated by packaging/gen_hosts.py from the core's operation table: do not edit>
operations! {
    /// unified_order(*, sub_mch_id=None, sub_appid=None, **args) -> UnifiedOrderReply
    ///
    /// Places an order (`pay/unifiedorder`): `prepay_id`, and `code_url` for NATIVE.
    /// `total_fee` is integer fen.
    unified_order;
    /// jsapi_params(prepay_id, *, sub_mch_id=None, sub_appid=None) -> BridgePayParams
    ///
    /// The `WeixinJSBridge` `getBrandWCPayRequest` params for a prepay_id. No I/O.
    jsapi_params;
    /// jssdk_pay_params(prepay_id, *, sub_mch_id=None, sub_appid=None) -> JssdkPayParams
    ///
    /// The `wx.chooseWXPay` params for a prepay_id (note `timestamp`, lower case). No
    /// I/O.
    jssdk_pay_params;
    /// app_pay_params(prepay_id, *, sub_mch_id=None, sub_appid=None) -> AppPayParams
    ///
    /// The params an app hands to the WeChat SDK's `PayReq` for a prepay_id. No I/O.
    app_pay_params;
    /// query_order(out_trade_no=None, *, sub_mch_id=None, sub_appid=None, **args) -> OrderQueryReply
    ///
    /// Queries an order (`pay/orderquery`) by `out_trade_no` or `transaction_id`,
    /// exactly one; the reply is checked against the order asked for.
    query_order;
    /// close_order(out_trade_no, *, sub_mch_id=None, sub_appid=None) -> CloseOrderReply
    ///
    /// Closes an unpaid order (`pay/closeorder`); an order WeChat already closed gives
    /// `already_closed`.
    close_order;
    /// refund(*, sub_mch_id=None, sub_appid=None, **args) -> RefundReply
    ///
    /// Refunds an order (`secapi/pay/refund`, needs the merchant certificate):
    /// `out_refund_no`, `total_fee`, `refund_fee` and one of `out_trade_no` and
    /// `transaction_id`.
    refund;
    /// query_refund(*, sub_mch_id=None, sub_appid=None, **args) -> RefundQueryReply
    ///
    /// Queries refunds (`pay/refundquery`) by exactly one of `refund_id`,
    /// `out_refund_no`, `transaction_id` and `out_trade_no`, with an optional `offset`.
    query_refund;
    /// download_bill(bill_date, bill_type=None, gzip=None, *, sub_mch_id=None, sub_appid=None) -> Bill
    ///
    /// Downloads one day's trade bill (`pay/downloadbill`), parsed into `columns`,
    /// `rows` and `summary`.
    download_bill;
    /// download_fund_flow(bill_date, account_type=None, gzip=None) -> FundFlow
    ///
    /// Downloads one day's fund flow of one account (`pay/downloadfundflow`,
    /// `account_type` Basic, Operation or Fees; HMAC-SHA256 and the client
    /// certificate), parsed into `columns`, `rows` and `totals` in fen that the rows
    /// are checked against. A day without movement is `no_bill`.
    download_fund_flow;
    /// micropay(*, sub_mch_id=None, sub_appid=None, **args) -> MicropayOutcome
    ///
    /// A counter payment to its end (`pay/micropay`, then orderquery and reverse as
    /// needed): `status` is `paid`, `reversed`, `failed` or `unsettled` (money may have
    /// moved: never ask for another code; `follow_up` says whether to query or reverse
    /// later).
    micropay;
    /// reverse(out_trade_no, *, sub_mch_id=None, sub_appid=None) -> ReverseOutcome
    ///
    /// Reverses a counter payment (`secapi/pay/reverse`) by out_trade_no until WeChat
    /// confirms it: for an unsettled payment whose `follow_up` is `reverse`.
    reverse;
    /// auth_code_to_openid(auth_code, *, sub_mch_id=None, sub_appid=None) -> str
    ///
    /// The openid of the customer whose payment code was scanned
    /// (`tools/authcodetoopenid`).
    auth_code_to_openid;
    /// add_profit_sharing_receiver(*, sub_mch_id=None, sub_appid=None, **args) -> None
    ///
    /// Registers a profit-sharing receiver (`pay/profitsharingaddreceiver`): `type`
    /// (MERCHANT_ID, PERSONAL_OPENID, PERSONAL_SUB_OPENID), `account`, `relation_type`,
    /// and `name` (required for MERCHANT_ID), `custom_relation` (with CUSTOM).
    /// HMAC-SHA256 always.
    add_profit_sharing_receiver;
    /// remove_profit_sharing_receiver(*, sub_mch_id=None, sub_appid=None, **args) -> None
    ///
    /// Removes a profit-sharing receiver (`pay/profitsharingremovereceiver`) by `type`
    /// and `account`.
    remove_profit_sharing_receiver;
    /// profit_sharing(*, sub_mch_id=None, sub_appid=None, **args) -> ProfitSharingState
    ///
    /// Shares a paid order's money (`secapi/pay/profitsharing`, or `multiprofitsharing`
    /// with `multi`; the client certificate): `transaction_id`, `out_order_no`,
    /// `receivers` (`type`, `account`, `amount` in fen, `description`). A single
    /// sharing releases the rest; the reply says accepted, `query_profit_sharing` how
    /// it went.
    profit_sharing;
    /// query_profit_sharing(transaction_id, out_order_no, *, sub_mch_id=None, sub_appid=None) -> ProfitSharingState
    ///
    /// How a sharing or a finish went (`pay/profitsharingquery`): `status` PROCESSING
    /// or FINISHED, each receiver's `result`.
    query_profit_sharing;
    /// finish_profit_sharing(transaction_id, out_order_no, description, *, sub_mch_id=None, sub_appid=None) -> ProfitSharingState
    ///
    /// Releases what is left of an order to the merchant
    /// (`secapi/pay/profitsharingfinish`): `transaction_id`, a new `out_order_no`,
    /// `description`.
    finish_profit_sharing;
    /// profit_sharing_unsplit_amount(transaction_id, *, sub_mch_id=None, sub_appid=None) -> UnsplitAmount
    ///
    /// What of a paid order is still unshared (`pay/profitsharingorderamountquery`), in
    /// fen.
    profit_sharing_unsplit_amount;
    /// profit_sharing_return(*, sub_mch_id=None, sub_appid=None, **args) -> ReturnState
    ///
    /// Takes money back from a merchant receiver of a sharing
    /// (`secapi/pay/profitsharingreturn`, the client certificate): `order_id` or
    /// `out_order_no` (the sharing), `out_return_no`, `return_account`, `return_amount`
    /// in fen, `description`. `result` is SUCCESS, FAILED or PROCESSING (then ask again
    /// with `query_profit_sharing_return`, same `out_return_no`).
    profit_sharing_return;
    /// query_profit_sharing_return(*, sub_mch_id=None, sub_appid=None, **args) -> ReturnState
    ///
    /// How a return went (`pay/profitsharingreturnquery`): `order_id` or
    /// `out_order_no`, and `out_return_no`.
    query_profit_sharing_return;
    /// profit_sharing_max_ratio(brand_mch_id=None, *, sub_mch_id=None, sub_appid=None) -> MaxRatio
    ///
    /// The share of a sub-merchant's orders a service provider may take
    /// (`pay/profitsharingmerchantratioquery`), in ten-thousandths: call it for the
    /// sub-merchant, or give a `brand_mch_id`.
    profit_sharing_max_ratio;
    /// reconcile_start(**args) -> str
    ///
    /// Opens a reconciliation to feed in many calls, in bounded memory: `memory_mib`
    /// (memory for both sides before spilling to disk, default 48), `spill_dir`,
    /// `list_limit` (differences listed, default 1,000). Returns its id; end it with
    /// `reconcile_finish`. No I/O.
    reconcile_start;
    /// reconcile_download_bill(reconciliation, bill_date, *, sub_mch_id=None, sub_appid=None) -> None
    ///
    /// Downloads the day's `ALL` trade bill (gzip) straight into an open
    /// reconciliation, its bytes never parsed into rows in memory; `No Bill Exist` is
    /// an empty day.
    reconcile_download_bill;
    /// reconcile_shop(reconciliation, records) -> None
    ///
    /// A batch of the shop's records for an open reconciliation (as for `reconcile`); a
    /// bad record refuses the whole batch. No I/O.
    reconcile_shop;
    /// reconcile_finish(reconciliation) -> Reconciliation
    ///
    /// Compares an open reconciliation's bill and records and closes it: totals of each
    /// side, what matched, each kind of difference counted and the first ones listed.
    /// No I/O.
    reconcile_finish;
    /// native_qr_link(product_id) -> str
    ///
    /// The link of a Native mode-one QR code, printed once for a product
    /// (`weixin://wxpay/bizpayurl?…`, signed MD5). No I/O.
    native_qr_link;
    /// short_url(long_url, *, sub_mch_id=None, sub_appid=None) -> str
    ///
    /// A short `weixin://wxpay/s/…` link for a long `weixin://` link
    /// (`tools/shorturl`), for a smaller QR code.
    short_url;
    /// native_scan_reply(prepay_id) -> str
    ///
    /// The signed XML answering a scan callback with the order's `prepay_id`. No I/O.
    native_scan_reply;
    /// native_scan_refusal(message) -> str
    ///
    /// The signed XML refusing a scan callback (sold out, closed); WeChat shows
    /// `message` to the payer. No I/O.
    native_scan_refusal;
    /// check_amount(notify, total_fee) -> None
    ///
    /// Fails with a mismatch unless the verified notification pays exactly `total_fee`
    /// fen (the shop's amount) in CNY. No I/O.
    check_amount;
    /// confirm_payment(notify) -> OrderQueryReply
    ///
    /// Confirms a verified notification with orderquery: the same transaction and
    /// order, paid, for the same amount.
    confirm_payment;
    /// oauth_authorize_url(redirect_uri, scope=None, state=None) -> str
    ///
    /// The OAuth page to send a shopper to (`scope` defaults to `snsapi_base`). No I/O.
    oauth_authorize_url;
    /// oauth_state(context) -> str
    ///
    /// A signed, stateless OAuth `state` bound to `context` (e.g. the session id). No
    /// I/O.
    oauth_state;
    /// check_oauth_state(state, context, max_age=None) -> None
    ///
    /// Checks an OAuth `state` on the redirect: fails when forged, older than `max_age`
    /// seconds or issued for another context. No I/O.
    check_oauth_state;
    /// oauth_exchange_code(code) -> OAuthToken
    ///
    /// Exchanges the OAuth redirect's `code` for the shopper's openid; never retried
    /// once sent.
    oauth_exchange_code;
    /// jscode2session(code) -> MiniProgramSession
    ///
    /// A mini-program login: the `code` of `wx.login()` exchanged for the user's
    /// openid, unionid and session_key (with the client's appid and app_secret, the
    /// mini-program's); never retried once sent. The session_key is a secret: keep it
    /// on the server.
    jscode2session;
    /// access_token() -> str
    ///
    /// The official account's access_token, cached (and shared through the token
    /// store).
    access_token;
    /// jsapi_ticket() -> str
    ///
    /// The JS-SDK `jsapi_ticket`, cached like the access_token.
    jsapi_ticket;
    /// metrics() -> ClientMetrics
    ///
    /// What this client did since it was made: calls by operation and outcome (`ok` or
    /// the error kind) with their latency in ms (p50, p90, p99, max, mean), requests
    /// sent to WeChat, retries, failovers, token fetches and token store failures. No
    /// I/O.
    metrics;
    /// metrics_prometheus() -> str
    ///
    /// The same counts in Prometheus' text format, labelled with the client's mch_id,
    /// for a `/metrics` endpoint. No I/O.
    metrics_prometheus;
    /// token_store_health() -> TokenStoreHealth
    ///
    /// Whether the token store answers (`store`, `healthy`, and the failing store's
    /// `error`): while it fails, each process fetches its own tokens. What the last
    /// uses of the store found; no I/O.
    token_store_health;
    /// jssdk_config(url, js_api_list) -> JssdkConfig
    ///
    /// The signed `wx.config` of a page: `url` (without its fragment) and the JS APIs
    /// it uses.
    jssdk_config;
}

body_operations! {
    /// reconcile(body, records) -> Reconciliation
    ///
    /// Reconciles a day at once: the trade bill as downloaded (`body`: the ALL bill,
    /// plain or gzip, or `No Bill Exist`) against the shop's `records` (`out_trade_no`
    /// and `total_fee` for a payment; `out_refund_no`, `out_trade_no` and `refund_fee`
    /// for a refund; fen). For a large day use `reconcile_start` and stream. No I/O.
    reconcile;
    /// reconcile_bill(body, reconciliation) -> None
    ///
    /// The next bytes of an open reconciliation's bill, in chunks of any size. No I/O.
    reconcile_bill;
    /// reconcile_shop_csv(body, reconciliation) -> None
    ///
    /// The next bytes of the shop's records as CSV (a header naming `out_trade_no`,
    /// `total_fee`, `transaction_id`, `out_refund_no`, `refund_fee`, `refund_id`;
    /// amounts in fen) for an open reconciliation. No I/O.
    reconcile_shop_csv;
    /// verify_scan_callback(body) -> ScanCallback
    ///
    /// Verifies the scan callback of a Native mode-one QR code (MD5 signature, appid,
    /// mch_id): who scanned (`openid`) which `product_id`. Place the order with both,
    /// then answer with `native_scan_reply`. No I/O.
    verify_scan_callback;
    /// verify_payment_notify(body, total_fee=None) -> PaymentNotify
    ///
    /// Verifies a payment notification's raw body (signature, appid, mch_id, fields);
    /// with `total_fee`, the shop's amount in fen, the amount must match too. No I/O.
    verify_payment_notify;
    /// payment_notify_order(body) -> Optional[str]
    ///
    /// The out_trade_no a payment notification is about once verified, or null (the
    /// first half of the notify handler). No I/O.
    payment_notify_order;
    /// settle_payment_notify(body, order) -> NotifyDecision
    ///
    /// Decides a payment notification with the shop's record of its order (`total_fee`,
    /// and `transaction_id` once paid; null when there is no such order): `status` and
    /// the `reply` to send WeChat.
    settle_payment_notify;
    /// parse_refund_notify(body) -> RefundNotify
    ///
    /// Decrypts and verifies a refund notification's raw body. No I/O.
    parse_refund_notify;
    /// handle_refund_notify(body) -> RefundNotifyDecision
    ///
    /// The refund notify handler in one call: decrypts and checks the raw body and
    /// decides the reply: `status` `refunded` (record it once, then reply),
    /// `not_refunded` (REFUNDCLOSE or CHANGE) or `refused` (`error` says why; the reply
    /// is FAIL). No I/O.
    handle_refund_notify;
}
// </generated>

// The methods that are not one operation each (pyo3's
// `multiple-pymethods` allows this second block).
#[pymethods]
impl PyClient {
    /// Client(*, appid, mch_id, api_key, …): the options of every language,
    /// read and defaulted by the core; `cert` is PKCS#12 bytes or a
    /// `(cert_pem, key_pem)` pair, `token_store` a `redis://` URL or any
    /// object with `get(key)` and `set(key, value, ttl)` (Django's cache;
    /// with an atomic `add` the processes share one refresh).
    #[new]
    #[pyo3(signature = (**options))]
    fn new(py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let options = match options {
            Some(o) => o.copy()?,
            None => PyDict::new(py),
        };
        let cert = options.get_item("cert")?;
        // A Redis URL is an option like any other; an object is a store.
        let store = options
            .get_item("token_store")?
            .filter(|s| !s.is_instance_of::<PyString>());
        options.del_item("cert").ok();
        if store.is_some() {
            options.del_item("token_store").ok();
        }
        let Value::Object(mut named) = convert::py_to_json(options.as_any(), "options")? else {
            return Err(PyTypeError::new_err("options must be keyword arguments"));
        };
        if let Some(cert) = cert.filter(|c| !c.is_none()) {
            cert_options(&cert, &mut named)?;
        }
        if let Some(s) = store.as_ref().filter(|s| !s.is_none()) {
            crate::events::warn_if_not_shared(py, s)?;
        }
        let store =
            match store.filter(|s| !s.is_none()) {
                None => None,
                Some(s) if s.hasattr("get")? && s.hasattr("set")? => {
                    Some(Arc::new(PyTokenStore::new(s.unbind())) as Arc<dyn wxpay::TokenStore>)
                }
                Some(_) => return Err(PyTypeError::new_err(
                    "token_store must be a redis:// URL or have get(key) and set(key, value, ttl)",
                )),
            };
        let client = ClientOptions::from_value(Value::Object(named))
            .and_then(|o| Client::from_options(o, store))
            .py(py)?;
        Ok(PyClient {
            inner: Arc::new(client),
        })
    }

    fn __repr__(&self) -> String {
        let c = self.inner.config();
        format!(
            "Client(appid={:?}, mch_id={:?}, sign_type={:?}, pay_base_url={:?})",
            c.appid,
            c.mch_id,
            c.sign_type.as_str(),
            c.pay_base_url
        )
    }

    #[getter]
    fn appid(&self) -> String {
        self.inner.config().appid.clone()
    }

    #[getter]
    fn mch_id(&self) -> String {
        self.inner.config().mch_id.clone()
    }

    /// call(op, *args, **kwargs): any operation by its name in the README.
    #[pyo3(signature = (op, *args, **kwargs))]
    fn call(
        &self,
        py: Python<'_>,
        op: &Bound<'_, PyString>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PyObject> {
        self.call_op(py, convert::text(op, "op")?, args, kwargs)
    }

    /// handle_payment_notify(body: bytes | str, find_order) -> dict: the whole
    /// notify handler. `find_order(out_trade_no)` returns your record of the
    /// order, `{"total_fee": fen, "transaction_id": None or the one you
    /// recorded}`, or None when there is no such order; it is called only for
    /// a verified payment, and an exception it raises propagates. The result's
    /// `status` is `paid` (mark the order paid, then answer `reply`),
    /// `already_paid`, `not_paid` or `refused` (`error` is the WxPayError saying why); always
    /// answer WeChat with `reply` as text/xml.
    fn handle_payment_notify(
        &self,
        py: Python<'_>,
        body: &Bound<'_, PyAny>,
        find_order: &Bound<'_, PyAny>,
    ) -> PyResult<PyObject> {
        if !find_order.is_callable() {
            return Err(PyTypeError::new_err(
                "find_order must be callable: out_trade_no -> your order or None",
            ));
        }
        let body = convert::body(body)?;
        let asks = self
            .inner
            .run(
                Operation::with_body(
                    "payment_notify_order",
                    body.clone(),
                    Vec::new(),
                    Value::Null,
                )
                .py(py)?,
            )
            .py(py)?;
        let order = match asks {
            wxpay::Outcome::MaybeText(Some(out_trade_no)) => {
                convert::py_to_json(&find_order.call1((out_trade_no,))?, "order")?
            }
            _ => Value::Null,
        };
        self.run(
            py,
            Operation::with_body("settle_payment_notify", body, vec![order], Value::Null).py(py)?,
        )
    }
}
