//! `wxpay.Client`: keyword arguments in, dicts out, the GIL released while
//! WeChat answers.

use std::sync::Arc;

use base64::Engine;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString, PyTuple};
use wxpay::{
    BillType, Client, ClientOptions, DownloadBill, OrderRef, PaymentNotify, Refund, RefundQuery,
    RefundRef, Scope, TradeType, UnifiedOrder,
};

use crate::convert::{self, to_py};
use crate::errors::IntoPy;
use crate::store::PyTokenStore;

/// WeChat Pay for one merchant and official account; safe to share between
/// threads. Secrets never appear in its repr.
#[pyclass(name = "Client", module = "wxpay", frozen)]
pub struct PyClient {
    inner: Arc<Client>,
}

fn pem_text(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    if let Ok(s) = obj.downcast::<PyString>() {
        return Ok(s.to_cow()?.into_owned());
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

fn order_ref(
    py: Python<'_>,
    out_trade_no: Option<String>,
    transaction_id: Option<String>,
) -> PyResult<OrderRef> {
    match (out_trade_no, transaction_id) {
        (Some(no), None) => Ok(OrderRef::OutTradeNo(no)),
        (None, Some(id)) => Ok(OrderRef::TransactionId(id)),
        _ => Err(crate::errors::wx_err(
            py,
            convert::wxpay_invalid(
                "out_trade_no",
                "give exactly one of out_trade_no and transaction_id",
            ),
        )),
    }
}

fn extra_fields(extra: Option<&Bound<'_, PyDict>>) -> PyResult<wxpay::Params> {
    match extra {
        Some(d) => convert::params(d.as_any(), "extra fields"),
        None => Ok(wxpay::Params::new()),
    }
}

#[pymethods]
impl PyClient {
    #[new]
    #[pyo3(signature = (*, appid, mch_id, api_key, app_secret=None, notify_url=None, sign_type="HMAC-SHA256",
        base_url=None, pay_base_url=None, pay_backup_url=None, mp_base_url=None, mp_backup_url=None,
        open_base_url=None, connect_timeout=None, timeout=None, overall_timeout=None, confirm_timeout=None,
        retries=None, retry_backoff=None, token_source=None, token_refresh_margin=None, cert=None,
        cert_password=None, ca_pem=None, token_store=None, token_dir=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        appid: String,
        mch_id: String,
        api_key: String,
        app_secret: Option<String>,
        notify_url: Option<String>,
        sign_type: &str,
        base_url: Option<String>,
        pay_base_url: Option<String>,
        pay_backup_url: Option<String>,
        mp_base_url: Option<String>,
        mp_backup_url: Option<String>,
        open_base_url: Option<String>,
        connect_timeout: Option<&Bound<'_, PyAny>>,
        timeout: Option<&Bound<'_, PyAny>>,
        overall_timeout: Option<&Bound<'_, PyAny>>,
        confirm_timeout: Option<&Bound<'_, PyAny>>,
        retries: Option<u32>,
        retry_backoff: Option<&Bound<'_, PyAny>>,
        token_source: Option<String>,
        token_refresh_margin: Option<&Bound<'_, PyAny>>,
        cert: Option<&Bound<'_, PyAny>>,
        cert_password: Option<String>,
        ca_pem: Option<String>,
        token_store: Option<Py<PyAny>>,
        token_dir: Option<String>,
    ) -> PyResult<Self> {
        if token_store.is_some() && token_dir.is_some() {
            return Err(PyTypeError::new_err(
                "give token_store or token_dir, not both",
            ));
        }
        let mut options = ClientOptions {
            appid,
            mch_id,
            api_key,
            app_secret,
            notify_url,
            sign_type: Some(sign_type.to_owned()),
            base_url,
            pay_base_url,
            pay_backup_url,
            mp_base_url,
            mp_backup_url,
            open_base_url,
            connect_timeout: convert::seconds(connect_timeout, "connect_timeout")?,
            timeout: convert::seconds(timeout, "timeout")?,
            overall_timeout: convert::seconds(overall_timeout, "overall_timeout")?,
            confirm_timeout: convert::seconds(confirm_timeout, "confirm_timeout")?,
            retries,
            retry_backoff: convert::seconds(retry_backoff, "retry_backoff")?,
            token_source,
            token_refresh_margin: convert::seconds(token_refresh_margin, "token_refresh_margin")?,
            cert_password,
            ca_pem,
            token_dir,
            ..ClientOptions::default()
        };
        match cert.filter(|c| !c.is_none()) {
            None => {}
            Some(c) if c.is_instance_of::<PyBytes>() => {
                let data = c.downcast::<PyBytes>()?.as_bytes();
                options.cert_p12_base64 =
                    Some(base64::engine::general_purpose::STANDARD.encode(data));
            }
            Some(c) if c.is_instance_of::<PyTuple>() => {
                let pair = c.downcast::<PyTuple>()?;
                if pair.len() != 2 {
                    return Err(PyTypeError::new_err(
                        "cert must be PKCS#12 bytes or a (cert_pem, key_pem) tuple",
                    ));
                }
                options.cert_pem = Some(pem_text(&pair.get_item(0)?, "cert_pem")?);
                options.key_pem = Some(pem_text(&pair.get_item(1)?, "key_pem")?);
            }
            Some(_) => {
                return Err(PyTypeError::new_err(
                    "cert must be PKCS#12 bytes or a (cert_pem, key_pem) tuple",
                ))
            }
        }
        let mut config = options.into_config().py(py)?;
        if let Some(store) = token_store {
            let bound = store.bind(py);
            if !(bound.hasattr("get")? && bound.hasattr("set")?) {
                return Err(PyTypeError::new_err(
                    "token_store must have get(key) and set(key, value, ttl)",
                ));
            }
            config.token_store = Some(Arc::new(PyTokenStore::new(store)));
        }
        let client = Client::new(config).py(py)?;
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

    /// unified_order(*, body, out_trade_no, total_fee, spbill_create_ip, openid=None, notify_url=None,
    /// trade_type="JSAPI", product_id=None, **extra) -> dict
    #[pyo3(signature = (*, body, out_trade_no, total_fee, spbill_create_ip, openid=None, notify_url=None,
        trade_type="JSAPI", product_id=None, **extra))]
    #[allow(clippy::too_many_arguments)]
    fn unified_order(
        &self,
        py: Python<'_>,
        body: String,
        out_trade_no: String,
        total_fee: &Bound<'_, PyAny>,
        spbill_create_ip: String,
        openid: Option<String>,
        notify_url: Option<String>,
        trade_type: &str,
        product_id: Option<String>,
        extra: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PyObject> {
        let order = UnifiedOrder {
            body,
            out_trade_no,
            total_fee: convert::fen(py, total_fee, "total_fee")?,
            spbill_create_ip,
            notify_url: notify_url.unwrap_or_default(),
            trade_type: TradeType::parse(trade_type).py(py)?,
            openid,
            product_id,
            extra: extra_fields(extra)?,
        };
        let client = self.inner.clone();
        let reply = py
            .allow_threads(move || client.unified_order(&order))
            .py(py)?;
        to_py(py, &reply)
    }

    /// jsapi_params(prepay_id) -> dict for WeixinJSBridge getBrandWCPayRequest.
    fn jsapi_params(&self, py: Python<'_>, prepay_id: &str) -> PyResult<PyObject> {
        to_py(py, &self.inner.jsapi_params(prepay_id).py(py)?)
    }

    /// jssdk_pay_params(prepay_id) -> dict for wx.chooseWXPay (note `timestamp`).
    fn jssdk_pay_params(&self, py: Python<'_>, prepay_id: &str) -> PyResult<PyObject> {
        to_py(py, &self.inner.jssdk_pay_params(prepay_id).py(py)?)
    }

    /// app_pay_params(prepay_id) -> dict for the app SDK's PayReq.
    fn app_pay_params(&self, py: Python<'_>, prepay_id: &str) -> PyResult<PyObject> {
        to_py(py, &self.inner.app_pay_params(prepay_id).py(py)?)
    }

    /// query_order(out_trade_no=None, transaction_id=None) -> dict
    #[pyo3(signature = (out_trade_no=None, *, transaction_id=None))]
    fn query_order(
        &self,
        py: Python<'_>,
        out_trade_no: Option<String>,
        transaction_id: Option<String>,
    ) -> PyResult<PyObject> {
        let order = order_ref(py, out_trade_no, transaction_id)?;
        let client = self.inner.clone();
        let reply = py.allow_threads(move || client.query_order(order)).py(py)?;
        to_py(py, &reply)
    }

    /// close_order(out_trade_no) -> dict (already_closed, raw)
    fn close_order(&self, py: Python<'_>, out_trade_no: String) -> PyResult<PyObject> {
        let client = self.inner.clone();
        let reply = py
            .allow_threads(move || client.close_order(&out_trade_no))
            .py(py)?;
        to_py(py, &reply)
    }

    /// refund(*, out_refund_no, total_fee, refund_fee, out_trade_no=None, transaction_id=None,
    /// refund_desc=None, notify_url=None, **extra) -> dict
    #[pyo3(signature = (*, out_refund_no, total_fee, refund_fee, out_trade_no=None, transaction_id=None,
        refund_desc=None, notify_url=None, **extra))]
    #[allow(clippy::too_many_arguments)]
    fn refund(
        &self,
        py: Python<'_>,
        out_refund_no: String,
        total_fee: &Bound<'_, PyAny>,
        refund_fee: &Bound<'_, PyAny>,
        out_trade_no: Option<String>,
        transaction_id: Option<String>,
        refund_desc: Option<String>,
        notify_url: Option<String>,
        extra: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PyObject> {
        let mut refund = Refund::new(
            order_ref(py, out_trade_no, transaction_id)?,
            out_refund_no,
            convert::fen(py, total_fee, "total_fee")?,
            convert::fen(py, refund_fee, "refund_fee")?,
        );
        refund.refund_desc = refund_desc;
        refund.notify_url = notify_url;
        refund.extra = extra_fields(extra)?;
        let client = self.inner.clone();
        let reply = py.allow_threads(move || client.refund(&refund)).py(py)?;
        to_py(py, &reply)
    }

    /// query_refund(*, refund_id=None, out_refund_no=None, transaction_id=None, out_trade_no=None,
    /// offset=None) -> dict
    #[pyo3(signature = (*, refund_id=None, out_refund_no=None, transaction_id=None, out_trade_no=None, offset=None))]
    fn query_refund(
        &self,
        py: Python<'_>,
        refund_id: Option<String>,
        out_refund_no: Option<String>,
        transaction_id: Option<String>,
        out_trade_no: Option<String>,
        offset: Option<u32>,
    ) -> PyResult<PyObject> {
        let refund = match (refund_id, out_refund_no, transaction_id, out_trade_no) {
            (Some(id), None, None, None) => RefundRef::RefundId(id),
            (None, Some(no), None, None) => RefundRef::OutRefundNo(no),
            (None, None, Some(id), None) => RefundRef::Order(OrderRef::TransactionId(id)),
            (None, None, None, Some(no)) => RefundRef::Order(OrderRef::OutTradeNo(no)),
            _ => return Err(crate::errors::wx_err(
                py,
                convert::wxpay_invalid(
                    "refund_id",
                    "give exactly one of refund_id, out_refund_no, transaction_id and out_trade_no",
                ),
            )),
        };
        let query = RefundQuery { refund, offset };
        let client = self.inner.clone();
        let reply = py
            .allow_threads(move || client.query_refund(&query))
            .py(py)?;
        to_py(py, &reply)
    }

    /// download_bill(bill_date, bill_type="ALL", gzip=False) -> dict
    #[pyo3(signature = (bill_date, bill_type="ALL", gzip=false))]
    fn download_bill(
        &self,
        py: Python<'_>,
        bill_date: String,
        bill_type: &str,
        gzip: bool,
    ) -> PyResult<PyObject> {
        let request = DownloadBill {
            bill_date,
            bill_type: BillType::parse(bill_type).py(py)?,
            gzip,
        };
        let client = self.inner.clone();
        let bill = py
            .allow_threads(move || client.download_bill(&request))
            .py(py)?;
        to_py(py, &bill)
    }

    /// verify_payment_notify(body: bytes | str, *, total_fee=None) -> dict
    ///
    /// With `total_fee` (your order's amount in fen) the notification must
    /// also be a payment of exactly that amount in CNY, else MismatchError.
    #[pyo3(signature = (body, *, total_fee=None))]
    fn verify_payment_notify(
        &self,
        py: Python<'_>,
        body: &Bound<'_, PyAny>,
        total_fee: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyObject> {
        let bytes = convert::body(body)?;
        let expected = total_fee
            .map(|f| convert::fen(py, f, "total_fee"))
            .transpose()?;
        let client = self.inner.clone();
        let notify = py
            .allow_threads(move || {
                let notify = client.verify_payment_notify(&bytes)?;
                if let Some(fee) = expected {
                    notify.check_amount(fee)?;
                }
                Ok(notify)
            })
            .py(py)?;
        to_py(py, &notify)
    }

    /// confirm_payment(notify: dict) -> dict: the orderquery that confirms a
    /// verified notification (same transaction, order and amount, paid).
    fn confirm_payment(&self, py: Python<'_>, notify: &Bound<'_, PyAny>) -> PyResult<PyObject> {
        let value = convert::py_to_json(notify)?;
        let notify: PaymentNotify = serde_json::from_value(value).map_err(|_| {
            PyTypeError::new_err("confirm_payment takes the dict returned by verify_payment_notify")
        })?;
        let client = self.inner.clone();
        let reply = py
            .allow_threads(move || client.confirm_payment(&notify))
            .py(py)?;
        to_py(py, &reply)
    }

    /// parse_refund_notify(body: bytes | str) -> dict
    fn parse_refund_notify(&self, py: Python<'_>, body: &Bound<'_, PyAny>) -> PyResult<PyObject> {
        let bytes = convert::body(body)?;
        to_py(py, &self.inner.parse_refund_notify(&bytes).py(py)?)
    }

    /// oauth_authorize_url(redirect_uri, scope="snsapi_base", state=None) -> str
    #[pyo3(signature = (redirect_uri, scope="snsapi_base", state=None))]
    fn oauth_authorize_url(
        &self,
        py: Python<'_>,
        redirect_uri: &str,
        scope: &str,
        state: Option<&str>,
    ) -> PyResult<String> {
        let scope = Scope::parse(scope).py(py)?;
        self.inner
            .oauth_authorize_url(redirect_uri, scope, state)
            .py(py)
    }

    /// oauth_state(context) -> str: a stateless OAuth state bound to
    /// `context` (e.g. the session key) for oauth_authorize_url.
    fn oauth_state(&self, py: Python<'_>, context: &str) -> PyResult<String> {
        self.inner.oauth_state(context).py(py)
    }

    /// check_oauth_state(state, context, max_age=600): None, or
    /// InvalidInputError when the state was not issued for this context
    /// within max_age seconds.
    #[pyo3(signature = (state, context, max_age=600))]
    fn check_oauth_state(
        &self,
        py: Python<'_>,
        state: &str,
        context: &str,
        max_age: u64,
    ) -> PyResult<()> {
        self.inner
            .check_oauth_state(state, context, std::time::Duration::from_secs(max_age))
            .py(py)
    }

    /// oauth_exchange_code(code) -> dict with openid; never retried once sent.
    fn oauth_exchange_code(&self, py: Python<'_>, code: String) -> PyResult<PyObject> {
        let client = self.inner.clone();
        let token = py
            .allow_threads(move || client.oauth_exchange_code(&code))
            .py(py)?;
        to_py(py, &token)
    }

    /// access_token() -> str, cached for every thread (and the fleet, with a shared token_store).
    fn access_token(&self, py: Python<'_>) -> PyResult<String> {
        let client = self.inner.clone();
        py.allow_threads(move || client.access_token()).py(py)
    }

    /// jsapi_ticket() -> str, cached like the access token.
    fn jsapi_ticket(&self, py: Python<'_>) -> PyResult<String> {
        let client = self.inner.clone();
        py.allow_threads(move || client.jsapi_ticket()).py(py)
    }

    /// jssdk_config(url, js_api_list) -> dict for wx.config.
    fn jssdk_config(
        &self,
        py: Python<'_>,
        url: String,
        js_api_list: Vec<String>,
    ) -> PyResult<PyObject> {
        let client = self.inner.clone();
        let config = py
            .allow_threads(move || {
                let list: Vec<&str> = js_api_list.iter().map(String::as_str).collect();
                client.jssdk_config(&url, &list)
            })
            .py(py)?;
        to_py(py, &config)
    }
}
