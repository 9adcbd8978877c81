//! wxpay errors as `wxpay.errors` exceptions, one class per kind, carrying
//! the error's fields as attributes.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// The Python exception for a core error.
pub fn wx_err(py: Python<'_>, e: wxpay::Error) -> PyErr {
    match build(py, &e) {
        Ok(err) => err,
        // The errors module ships with the package; if it cannot be loaded
        // the message still gets through.
        Err(_) => PyRuntimeError::new_err(e.to_string()),
    }
}

fn build(py: Python<'_>, e: &wxpay::Error) -> PyResult<PyErr> {
    let module = py.import("wxpay.errors")?;
    let kind = e.kind();
    let class = module.getattr(format!("{}Error", kind.as_str()))?;
    let attrs = PyDict::new(py);
    attrs.set_item("kind", kind.as_str())?;
    attrs.set_item("code", kind.code())?;
    attrs.set_item("retryable", e.retryable())?;
    attrs.set_item("reason", e.reason())?;
    attrs.set_item("field", e.field())?;
    match e {
        wxpay::Error::Business {
            err_code,
            err_code_des,
            ..
        } => {
            attrs.set_item("err_code", err_code)?;
            attrs.set_item("err_code_des", err_code_des)?;
        }
        wxpay::Error::Protocol { return_msg, .. } => attrs.set_item("return_msg", return_msg)?,
        wxpay::Error::MpApi {
            errcode, errmsg, ..
        } => {
            attrs.set_item("errcode", errcode)?;
            attrs.set_item("errmsg", errmsg)?;
        }
        wxpay::Error::Mismatch {
            expected, actual, ..
        } => {
            attrs.set_item("expected", expected)?;
            attrs.set_item("actual", actual)?;
        }
        _ => {}
    }
    let instance = class.call((e.to_string(),), Some(&attrs))?;
    Ok(PyErr::from_value(instance))
}

/// `Result<T, wxpay::Error>` → `PyResult<T>`.
pub trait IntoPy<T> {
    fn py(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> IntoPy<T> for Result<T, wxpay::Error> {
    fn py(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| wx_err(py, e))
    }
}
