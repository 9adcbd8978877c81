//! wxpay errors as `wxpay.errors` exceptions, one class per kind, carrying
//! the error's fields as attributes. Arguments of the wrong shape (a wrong
//! type, a missing or an unknown argument) raise `TypeError`, as Python
//! does for any call it cannot bind.

use pyo3::exceptions::{PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// The Python exception for a core error.
pub fn wx_err(py: Python<'_>, e: wxpay::Error) -> PyErr {
    if e.is_argument_shape() {
        return PyTypeError::new_err(e.to_string());
    }
    match build(py, &e) {
        Ok(err) => err,
        // The errors module ships with the package; if it cannot be loaded
        // the message still gets through.
        Err(_) => PyRuntimeError::new_err(e.to_string()),
    }
}

fn build(py: Python<'_>, e: &wxpay::Error) -> PyResult<PyErr> {
    Ok(PyErr::from_value(
        from_details(py, &e.details())?.into_bound(py),
    ))
}

/// The exception object an error's details (as the core writes them, into
/// a result or for a raised error) stand for: the class of its kind, its
/// fields as attributes.
pub fn from_details(py: Python<'_>, details: &serde_json::Value) -> PyResult<PyObject> {
    let module = py.import("wxpay.errors")?;
    let kind = details["kind"].as_str().unwrap_or("WxPay");
    let class = module
        .getattr(format!("{kind}Error"))
        .or_else(|_| module.getattr("WxPayError"))?;
    let attrs = PyDict::new(py);
    if let serde_json::Value::Object(d) = details {
        for (name, value) in d.iter().filter(|(name, _)| *name != "message") {
            attrs.set_item(name, crate::convert::json_to_py(py, value)?)?;
        }
    }
    let message = details["message"].as_str().unwrap_or_default();
    Ok(class.call((message,), Some(&attrs))?.unbind())
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
