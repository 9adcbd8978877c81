//! The functions with no client: signing, verifying, the XML, the JS-SDK
//! signature, refund notifications, the notify replies, and the core's
//! operation list.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use wxpay::{ApiKey, SignType};

use crate::convert;
use crate::errors::IntoPy;

/// Bodies larger than this are parsed with the GIL released.
const LARGE: usize = 4096;

fn key_and_type(
    py: Python<'_>,
    key: &Bound<'_, PyString>,
    sign_type: Option<&Bound<'_, PyString>>,
) -> PyResult<(ApiKey, SignType)> {
    Ok((
        ApiKey::new(convert::text(key, "key")?).py(py)?,
        SignType::parse_or_default(convert::opt_text(sign_type, "sign_type")?).py(py)?,
    ))
}

/// sign(params, key, sign_type=None) -> str; no sign type: HMAC-SHA256.
#[pyfunction]
#[pyo3(signature = (params, key, sign_type=None))]
pub fn sign(
    py: Python<'_>,
    params: &Bound<'_, PyAny>,
    key: &Bound<'_, PyString>,
    sign_type: Option<&Bound<'_, PyString>>,
) -> PyResult<String> {
    let (key, st) = key_and_type(py, key, sign_type)?;
    convert::with_pairs(params, "params", |pairs| {
        wxpay::sign_pairs(pairs, &key, st).py(py)
    })
}

/// verify(params, key, sign_type=None) -> bool: False when the signature is
/// missing, wrong, or of another sign type; raises for a bad key or bad
/// arguments. No sign type: HMAC-SHA256.
#[pyfunction]
#[pyo3(signature = (params, key, sign_type=None))]
pub fn verify(
    py: Python<'_>,
    params: &Bound<'_, PyAny>,
    key: &Bound<'_, PyString>,
    sign_type: Option<&Bound<'_, PyString>>,
) -> PyResult<bool> {
    let p = convert::params(params, "params")?;
    let (key, st) = key_and_type(py, key, sign_type)?;
    wxpay::signature_matches(&p, &key, st).py(py)
}

/// to_xml(params) -> str
#[pyfunction]
pub fn to_xml(py: Python<'_>, params: &Bound<'_, PyAny>) -> PyResult<String> {
    let p = convert::params(params, "params")?;
    wxpay::to_xml(&p).py(py)
}

/// to_signed_xml(params, key, sign_type=None) -> str: the request body,
/// `sign` included. No sign type: HMAC-SHA256.
#[pyfunction]
#[pyo3(signature = (params, key, sign_type=None))]
pub fn to_signed_xml(
    py: Python<'_>,
    params: &Bound<'_, PyAny>,
    key: &Bound<'_, PyString>,
    sign_type: Option<&Bound<'_, PyString>>,
) -> PyResult<String> {
    let (key, st) = key_and_type(py, key, sign_type)?;
    convert::with_pairs(params, "params", |pairs| {
        wxpay::to_signed_xml_pairs(pairs, &key, st).py(py)
    })
}

/// from_xml(data: bytes | str) -> dict[str, str]
#[pyfunction]
pub fn from_xml<'py>(py: Python<'py>, data: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyDict>> {
    let bytes = convert::body(data)?;
    let parsed = if bytes.len() > LARGE {
        py.allow_threads(|| wxpay::from_xml(&bytes))
    } else {
        wxpay::from_xml(&bytes)
    };
    let fields = parsed.py(py)?;
    let dict = PyDict::new(py);
    for (k, v) in fields {
        dict.set_item(k, v)?;
    }
    Ok(dict)
}

/// jssdk_signature(jsapi_ticket, noncestr, timestamp, url) -> str
#[pyfunction]
pub fn jssdk_signature(
    py: Python<'_>,
    jsapi_ticket: &Bound<'_, PyString>,
    noncestr: &Bound<'_, PyString>,
    timestamp: &Bound<'_, PyAny>,
    url: &Bound<'_, PyString>,
) -> PyResult<String> {
    let ts = convert::uint(py, timestamp, "timestamp", "an int of Unix seconds")?;
    wxpay::jssdk_signature(
        convert::text(jsapi_ticket, "jsapi_ticket")?,
        convert::text(noncestr, "noncestr")?,
        ts,
        convert::text(url, "url")?,
    )
    .py(py)
}

/// decrypt_req_info(req_info, api_key) -> dict: the fields of a refund
/// notification's encrypted `req_info`.
#[pyfunction]
pub fn decrypt_req_info<'py>(
    py: Python<'py>,
    req_info: &Bound<'py, PyString>,
    api_key: &Bound<'py, PyString>,
) -> PyResult<Bound<'py, PyDict>> {
    let key = ApiKey::new(convert::text(api_key, "api_key")?).py(py)?;
    let fields = wxpay::decrypt_req_info(convert::text(req_info, "req_info")?, &key).py(py)?;
    let dict = PyDict::new(py);
    for (k, v) in fields {
        dict.set_item(k, v)?;
    }
    Ok(dict)
}

/// notify_ack() -> str: the exact reply that stops WeChat's retries.
#[pyfunction]
pub fn notify_ack() -> &'static str {
    wxpay::notify_ack()
}

/// notify_fail(message) -> str: a reply that makes WeChat retry later.
#[pyfunction]
pub fn notify_fail(message: &Bound<'_, PyString>) -> PyResult<String> {
    Ok(wxpay::notify_fail(convert::text(message, "message")?))
}

/// _operations() -> list[tuple[str, list[str]]]: every client operation and
/// the names its positional arguments stand for, from the core (the stub
/// check compares `_wxpay.pyi` with it).
#[pyfunction]
pub fn _operations() -> Vec<(&'static str, Vec<&'static str>)> {
    wxpay::Operation::names()
        .map(|n| {
            let positional = wxpay::Operation::positional_names(n).unwrap_or_default();
            (n, positional.to_vec())
        })
        .collect()
}
