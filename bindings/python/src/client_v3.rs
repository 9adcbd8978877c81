//! `wxpay.ClientV3`: API v3 through the core's v3 dispatch path. Each
//! method is the core's v3 operation of the same name, its arguments
//! passed through as given and judged by the core; results come back as
//! dicts; the GIL is released while WeChat answers. Key material is taken
//! as PEM bytes or str, or by path, and never shown.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use serde_json::Value;
use wxpay::ClientV3;

use crate::client::pem_text;
use crate::convert;
use crate::errors::IntoPy;

/// WeChat Pay API v3 for one merchant; safe to share between threads.
/// Secrets never appear in its repr.
#[pyclass(name = "ClientV3", module = "wxpay", frozen)]
pub struct PyClientV3 {
    inner: std::sync::Arc<ClientV3>,
}

/// A notification's headers as a web framework hands them over: any
/// mapping (Django's `request.headers`, a dict) or a list of pairs, as the
/// list of `[name, value]` pairs the core reads.
fn headers_json(headers: &Bound<'_, PyAny>) -> PyResult<Value> {
    let items = if headers.hasattr("items")? {
        headers.call_method0("items")?
    } else {
        headers.clone()
    };
    let mut pairs = Vec::new();
    for item in items.try_iter()? {
        let (name, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) =
            item?.extract().map_err(|_| {
                PyTypeError::new_err("headers must be a mapping or a list of (name, value) pairs")
            })?;
        let name = convert::text(name.downcast::<PyString>()?, "header name")?.to_owned();
        let value = convert::text(value.downcast::<PyString>()?, "header value")?.to_owned();
        pairs.push(Value::Array(vec![name.into(), value.into()]));
    }
    Ok(Value::Array(pairs))
}

impl PyClientV3 {
    fn spec(op: &str) -> Option<&'static wxpay::OperationSpec> {
        ClientV3::operation_specs().iter().find(|s| s.name == op)
    }

    /// Runs `call` (a call of the core's v3 dispatch), without the GIL
    /// when `op` may wait on WeChat.
    fn run(
        &self,
        py: Python<'_>,
        op: &str,
        call: impl FnOnce(&ClientV3) -> wxpay::Result<String> + Send,
    ) -> PyResult<PyObject> {
        let io = Self::spec(op).is_some_and(|s| s.io);
        let client = self.inner.clone();
        let result = if io {
            crate::events::follow_level(py);
            py.allow_threads(move || call(&client))
        } else {
            call(&client)
        };
        crate::events::forward(py);
        let text = result.py(py)?;
        let mut value: Value = serde_json::from_str(&text)
            .map_err(|e| PyTypeError::new_err(format!("the core's result is not JSON: {e}")))?;
        // A decision's error comes back as details: Python gets the same
        // exception object a call would raise.
        let error = match value.get_mut("error") {
            Some(e @ Value::Object(_)) => Some(e.take()),
            _ => None,
        };
        let result = convert::json_to_py(py, &value)?;
        if let Some(details) = error {
            result
                .bind(py)
                .set_item("error", crate::errors::from_details(py, &details)?)?;
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
        let names = Self::spec(op).map(|s| s.positional).unwrap_or_default();
        let (positional, named) = convert::arguments(args, kwargs, names)?;
        self.run(py, op, |c| c.call(op, positional, named))
    }

    fn notification(
        &self,
        py: Python<'_>,
        op: &str,
        headers: &Bound<'_, PyAny>,
        body: &Bound<'_, PyAny>,
        more: Option<(&str, Value)>,
    ) -> PyResult<PyObject> {
        let mut args = serde_json::Map::new();
        args.insert("headers".into(), headers_json(headers)?);
        if let Some((name, value)) = more {
            args.insert(name.into(), value);
        }
        let (args, body) = (Value::Object(args).to_string(), convert::body(body)?);
        self.run(py, op, move |c| c.call_with_body(op, body, &args))
    }
}

#[pymethods]
impl PyClientV3 {
    #[new]
    #[pyo3(signature = (**options))]
    fn new(py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let options = match options {
            Some(o) => o.copy()?,
            None => PyDict::new(py),
        };
        // PEM as bytes or str; the core takes text.
        for name in ["private_key", "public_key"] {
            if let Some(v) = options.get_item(name)?.filter(|v| !v.is_none()) {
                options.set_item(name, pem_text(&v, name)?)?;
            }
        }
        if let Some(list) = options.get_item("platform_certificates")? {
            let texts = PyList::empty(py);
            for cert in list.try_iter()? {
                texts.append(pem_text(&cert?, "platform_certificates")?)?;
            }
            options.set_item("platform_certificates", texts)?;
        }
        let json = convert::py_to_json(options.as_any(), "options")?;
        let client = ClientV3::from_options_json(&json.to_string()).py(py)?;
        Ok(PyClientV3 {
            inner: std::sync::Arc::new(client),
        })
    }

    fn __repr__(&self) -> String {
        let c = self.inner.config();
        format!(
            "ClientV3(mchid={:?}, appid={:?}, base_url={:?})",
            c.mchid, c.appid, c.base_url
        )
    }

    #[getter]
    fn mchid(&self) -> String {
        self.inner.config().mchid.clone()
    }

    #[getter]
    fn appid(&self) -> String {
        self.inner.config().appid.clone()
    }

    /// call(op, *args, **kwargs): any v3 operation by name.
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

    /// parse_notification(headers, body, now=None) -> dict: verified over
    /// the raw body with the request's headers (any mapping, e.g. Django's
    /// `request.headers`), then decrypted. `now` (Unix seconds) replaces
    /// the clock only to replay a recorded notification in a test.
    #[pyo3(signature = (headers, body, now = None))]
    fn parse_notification(
        &self,
        py: Python<'_>,
        headers: &Bound<'_, PyAny>,
        body: &Bound<'_, PyAny>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyObject> {
        let more = match now {
            Some(n) if !n.is_none() => Some(("now", convert::py_to_json(n, "now")?)),
            _ => None,
        };
        self.notification(py, "parse_notification", headers, body, more)
    }

    /// handle_payment_notify(headers, body, find_order) -> dict: the whole
    /// v3 notify handler. `find_order(out_trade_no)` returns your record,
    /// `{"total_fee": fen, "transaction_id": None or the one you recorded,
    /// "sub_mch_id": a provider's sub-merchant or None}`, or None; it is
    /// called only for an authentic payment. Answer WeChat with the
    /// result's `http_status` and `body`; mark the order paid first when
    /// `status` is `paid`.
    fn handle_payment_notify(
        &self,
        py: Python<'_>,
        headers: &Bound<'_, PyAny>,
        body: &Bound<'_, PyAny>,
        find_order: &Bound<'_, PyAny>,
    ) -> PyResult<PyObject> {
        if !find_order.is_callable() {
            return Err(PyTypeError::new_err(
                "find_order must be callable: out_trade_no -> your order or None",
            ));
        }
        let asks = self.payment_notify_order(py, headers, body)?;
        let order = if asks.is_none(py) {
            py.None().into_bound(py)
        } else {
            find_order.call1((asks,))?
        };
        self.settle_payment_notify(py, headers, body, &order)
    }

    /// payment_notify_order(headers, body) -> str | None: the out_trade_no
    /// an authentic payment notification asks about (the first half of
    /// handle_payment_notify, for a lookup that cannot run inside it).
    fn payment_notify_order(
        &self,
        py: Python<'_>,
        headers: &Bound<'_, PyAny>,
        body: &Bound<'_, PyAny>,
    ) -> PyResult<PyObject> {
        self.notification(py, "payment_notify_order", headers, body, None)
    }

    /// settle_payment_notify(headers, body, order) -> dict: the second half
    /// of handle_payment_notify, with the shop's record (None: no such
    /// order).
    fn settle_payment_notify(
        &self,
        py: Python<'_>,
        headers: &Bound<'_, PyAny>,
        body: &Bound<'_, PyAny>,
        order: &Bound<'_, PyAny>,
    ) -> PyResult<PyObject> {
        let order = convert::py_to_json(order, "order")?;
        self.notification(
            py,
            "settle_payment_notify",
            headers,
            body,
            Some(("order", order)),
        )
    }

    /// handle_refund_notify(headers, body) -> dict: the refund, and the
    /// `http_status` and `body` to answer with.
    fn handle_refund_notify(
        &self,
        py: Python<'_>,
        headers: &Bound<'_, PyAny>,
        body: &Bound<'_, PyAny>,
    ) -> PyResult<PyObject> {
        self.notification(py, "handle_refund_notify", headers, body, None)
    }
}

/// Each method below is the core's v3 operation of its name (those under
/// `named` take keyword arguments only: a whole order or refund).
macro_rules! v3_operations {
    (named [$($(#[$ndoc:meta])* $named:ident;)*] positional [$($(#[$doc:meta])* $name:ident;)*]) => {
        #[pymethods]
        impl PyClientV3 {
            $(
                $(#[$ndoc])*
                #[pyo3(signature = (**kwargs))]
                fn $named(
                    &self,
                    py: Python<'_>,
                    kwargs: Option<&Bound<'_, PyDict>>,
                ) -> PyResult<PyObject> {
                    self.call_op(py, stringify!($named), &PyTuple::empty(py), kwargs)
                }
            )*
        }
        #[pymethods]
        impl PyClientV3 {
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

// <generated by packaging/gen_hosts.py from the core's v3 operation table: do not edit>
v3_operations! {
    named [
    /// prepay(**args) -> PrepayAnswer
    ///
    /// Places an order: `kind` (jsapi, app, native, h5), `description`, `out_trade_no`,
    /// `total` (fen), `openid` (jsapi), `payer_client_ip` and `h5_type` (h5);
    /// `notify_url`, `attach`, `time_expire`; a service provider's `sub_mchid` and
    /// `sub_appid`.
    prepay;
    /// refund(**args) -> RefundStateV3
    ///
    /// Asks for a refund: `out_refund_no`, `refund` and `total` (fen), `out_trade_no`
    /// or `transaction_id`; `reason`, `notify_url`, `sub_mchid`.
    refund;
    /// query_refund(**args) -> RefundStateV3
    ///
    /// A refund, checked against the one asked for (the same arguments as `refund`).
    query_refund;
    ]
    positional [
    /// jsapi_params(prepay_id, appid=None) -> JsapiPayParamsV3
    ///
    /// The `getBrandWCPayRequest` / `wx.requestPayment` params (signType RSA), for the
    /// client's appid or `appid` (a sub-merchant's).
    jsapi_params;
    /// app_params(prepay_id) -> AppPayParamsV3
    ///
    /// The App SDK's `PayReq` params, signed with RSA.
    app_params;
    /// query_order(out_trade_no=None, **args) -> TransactionV3
    ///
    /// An order by `out_trade_no` or `transaction_id`, checked whole; `total` (fen)
    /// when the shop knows it; a service provider's `sub_mchid` (and `sub_appid`).
    query_order;
    /// close_order(out_trade_no, sub_mchid=None) -> None
    ///
    /// Closes an unpaid order (a service provider's with `sub_mchid`).
    close_order;
    /// download_trade_bill(bill_date, bill_type=None) -> Bill
    ///
    /// A day's trade bill (`yyyy-MM-dd`; ALL, SUCCESS or REFUND), checked against
    /// WeChat's SHA-1.
    download_trade_bill;
    /// download_fund_flow_bill(bill_date, account_type=None) -> FundFlow
    ///
    /// A day's fund flow (BASIC, OPERATION or FEES), checked against WeChat's SHA-1.
    download_fund_flow_bill;
    /// encrypt_sensitive(text) -> SealedField
    ///
    /// A sensitive field encrypted for WeChat (RSA-OAEP): `serial` (send as
    /// Wechatpay-Serial) and `ciphertext`.
    encrypt_sensitive;
    ]
}
// </generated>
