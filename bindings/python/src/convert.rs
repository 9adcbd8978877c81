//! Python values in, Python values out. Type checks here are strict on
//! purpose: `True` is not an amount, `1.0` is not a fen, `None` is not a
//! string.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple,
};
use serde::Serialize;
use serde_json::Value;
use wxpay::Params;

use crate::errors::wx_err;

/// The text of a str, borrowed. A str holding lone surrogates has no UTF-8
/// form: that is the library's `InvalidInputError` naming `name`, never a
/// bare `UnicodeEncodeError` (which a handler catching `WxPayError` would
/// let through).
pub fn text<'a>(s: &'a Bound<'_, PyString>, name: &str) -> PyResult<&'a str> {
    s.to_str().map_err(|_| {
        wx_err(
            s.py(),
            wxpay::Error::invalid(
                name,
                "is a str holding lone surrogates, which is not Unicode text",
            ),
        )
    })
}

/// As [`text`], for an optional argument.
pub fn opt_text<'a>(s: Option<&'a Bound<'_, PyString>>, name: &str) -> PyResult<Option<&'a str>> {
    s.map(|s| text(s, name)).transpose()
}

/// A JSON value as the matching Python object.
pub fn json_to_py(py: Python<'_>, v: &Value) -> PyResult<PyObject> {
    Ok(match v {
        Value::Null => py.None(),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any().unbind(),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => u.into_pyobject(py)?.into_any().unbind(),
            (_, Some(i), _) => i.into_pyobject(py)?.into_any().unbind(),
            (_, _, Some(f)) => PyFloat::new(py, f).into_any().unbind(),
            _ => py.None(),
        },
        Value::String(s) => PyString::new(py, s).into_any().unbind(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any().unbind()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, item) in map {
                dict.set_item(k, json_to_py(py, item)?)?;
            }
            dict.into_any().unbind()
        }
    })
}

/// Any serializable core result as plain Python dicts and lists, written
/// straight into Python objects (no intermediate JSON tree).
pub fn to_py<T: Serialize>(py: Python<'_>, value: &T) -> PyResult<PyObject> {
    crate::to_python::to_python(py, value)
        .map(Bound::unbind)
        .map_err(|e| PyValueError::new_err(format!("cannot convert result: {e}")))
}

/// How the core spells a float JSON cannot carry.
fn non_finite(f: f64) -> &'static str {
    let [nan, inf, neg_inf] = wxpay::requests::NON_FINITE;
    if f.is_nan() {
        nan
    } else if f > 0.0 {
        inf
    } else {
        neg_inf
    }
}

/// A Python value as JSON: dicts, lists, tuples, str, int, float, bool and
/// None. `name` is the argument it came from, for messages. An int outside
/// 64 bits has no JSON form the core reads, so it is refused here.
/// Whether `obj` is a `decimal.Decimal`.
fn is_decimal(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    let decimal = obj.py().import("decimal")?.getattr("Decimal")?;
    obj.is_instance(&decimal)
}

pub fn py_to_json(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<Value> {
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.downcast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(Value::from(u));
        }
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::from(i));
        }
        return Err(wx_err(
            obj.py(),
            wxpay::Error::invalid(name, "must fit in 64 bits (from -2**63 to 2**64-1)"),
        ));
    }
    if let Ok(f) = obj.downcast::<PyFloat>() {
        // JSON has no NaN or infinity: they cross as the core's spelling,
        // so the core refuses them by name instead of reading "not given".
        return Ok(serde_json::Number::from_f64(f.value())
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(non_finite(f.value()).into())));
    }
    if let Ok(s) = obj.downcast::<PyString>() {
        return Ok(Value::String(text(s, name)?.to_owned()));
    }
    if let Ok(d) = obj.downcast::<PyDict>() {
        let mut map = serde_json::Map::new();
        for (k, v) in d.iter() {
            let key = text(
                k.downcast::<PyString>()
                    .map_err(|_| PyTypeError::new_err(format!("{name}: dict keys must be str")))?,
                name,
            )?
            .to_owned();
            let value = py_to_json(&v, &key)?;
            map.insert(key, value);
        }
        return Ok(Value::Object(map));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        return obj
            .try_iter()?
            .map(|item| py_to_json(&item?, name))
            .collect::<PyResult<Vec<_>>>()
            .map(Value::Array);
    }
    if is_decimal(obj)? {
        // A DecimalField amount: a whole one is that many fen; any other
        // crosses as a number the core refuses ("a whole number of fen").
        let whole = obj.call_method0("is_finite")?.is_truthy()?
            && obj.eq(obj.call_method0("to_integral_value")?)?;
        if whole {
            return py_to_json(&obj.py().get_type::<PyInt>().call1((obj,))?, name);
        }
        let f: f64 = obj.py().get_type::<PyFloat>().call1((obj,))?.extract()?;
        return Ok(serde_json::Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(non_finite(f).into())));
    }
    Err(PyTypeError::new_err(format!(
        "{name} cannot be a {}",
        obj.get_type().name()?
    )))
}

/// A call's positional and keyword arguments, for the core's dispatch;
/// `names` are what the positional ones stand for (for messages).
pub fn arguments(
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
    names: &[&str],
) -> PyResult<(Vec<Value>, Value)> {
    let mut positional = Vec::with_capacity(args.len());
    for (i, arg) in args.iter().enumerate() {
        let name = match names.get(i) {
            Some(n) => std::borrow::Cow::Borrowed(*n),
            None => std::borrow::Cow::Owned(format!("argument {}", i + 1)),
        };
        positional.push(py_to_json(&arg, &name)?);
    }
    let named = match kwargs {
        Some(k) => py_to_json(k.as_any(), "keyword arguments")?,
        None => Value::Null,
    };
    Ok((positional, named))
}

/// A field map: a mapping of str to str (ints are written in decimal).
pub fn params(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Params> {
    let mut out = Params::new();
    let mut add = |k: &Bound<'_, PyAny>, v: &Bound<'_, PyAny>| -> PyResult<()> {
        let key = key_str(k, what)?;
        let value = field_text(v, key)?.into_owned();
        out.insert(key.to_owned(), value);
        Ok(())
    };
    // A dict is walked in place; any other mapping through its items().
    if let Ok(dict) = obj.downcast::<PyDict>() {
        for (k, v) in dict.iter() {
            add(&k, &v)?;
        }
    } else {
        let mapping = obj
            .downcast::<PyMapping>()
            .map_err(|_| PyTypeError::new_err(format!("{what} must be a dict of str to str")))?;
        for item in mapping.items()?.iter() {
            let (k, v): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
            add(&k, &v)?;
        }
    }
    Ok(out)
}

/// Runs `f` over a field map's pairs. A dict's text is borrowed in place,
/// not copied: this is the hot path of every signature and request body.
/// Any other mapping is read through its items() first.
pub fn with_pairs<R>(
    obj: &Bound<'_, PyAny>,
    what: &str,
    f: impl FnOnce(Vec<(&str, &str)>) -> PyResult<R>,
) -> PyResult<R> {
    if let Ok(dict) = obj.downcast::<PyDict>() {
        let items: Vec<_> = dict.iter().collect();
        let mut texts = Vec::with_capacity(items.len());
        for (k, v) in &items {
            let name = key_str(k, what)?;
            texts.push((name, field_text(v, name)?));
        }
        return f(texts.iter().map(|(n, t)| (*n, t.as_ref())).collect());
    }
    let copied = params(obj, what)?;
    f(copied
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect())
}

/// A dict key as borrowed text.
pub fn key_str<'a>(k: &'a Bound<'_, PyAny>, what: &str) -> PyResult<&'a str> {
    k.downcast::<PyString>()
        .map_err(|_| {
            PyTypeError::new_err(format!(
                "{what}: every key must be a str, got {}",
                k.get_type()
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            ))
        })
        .and_then(|s| text(s, what))
}

/// A field value, borrowed when it is a str; an int (not bool) is written
/// in decimal.
pub fn field_text<'a>(v: &'a Bound<'_, PyAny>, name: &str) -> PyResult<std::borrow::Cow<'a, str>> {
    if let Ok(s) = v.downcast::<PyString>() {
        return Ok(std::borrow::Cow::Borrowed(text(s, name)?));
    }
    text_value(v, name).map(std::borrow::Cow::Owned)
}

/// A field value: str, or an int (not bool) written in decimal.
pub fn text_value(v: &Bound<'_, PyAny>, name: &str) -> PyResult<String> {
    if let Ok(s) = v.downcast::<PyString>() {
        return Ok(text(s, name)?.to_owned());
    }
    if v.is_instance_of::<PyInt>() && !v.is_instance_of::<PyBool>() {
        return Ok(v.str()?.to_cow()?.into_owned());
    }
    Err(PyTypeError::new_err(format!(
        "{name} must be a str, got {}",
        v.get_type()
            .name()
            .map(|n| n.to_string())
            .unwrap_or_default()
    )))
}

/// A message body: bytes, bytearray, memoryview, or str (UTF-8 encoded).
pub fn body(obj: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(b) = obj.downcast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    if let Ok(b) = obj.downcast::<PyByteArray>() {
        return Ok(b.to_vec());
    }
    if let Ok(s) = obj.downcast::<PyString>() {
        if let Ok(text) = s.to_str() {
            return Ok(text.as_bytes().to_vec());
        }
        // Not UTF-8 as it stands: a framework decoded the bytes with
        // surrogateescape. Those are the bytes that arrived, and the core
        // refuses them as it refuses any body that is not UTF-8. Any other
        // lone surrogate has no bytes at all: a wxpay error, never a
        // UnicodeEncodeError.
        return match s.call_method1("encode", ("utf-8", "surrogateescape")) {
            Ok(bytes) => Ok(bytes.downcast::<PyBytes>()?.as_bytes().to_vec()),
            Err(_) => Err(wx_err(
                obj.py(),
                wxpay::Error::invalid(
                    "body",
                    "is a str holding lone surrogates, which no bytes encode",
                ),
            )),
        };
    }
    if obj.get_type().name()?.to_cow()? == "memoryview" {
        let bytes = obj.call_method0("tobytes")?;
        return Ok(bytes.downcast::<PyBytes>()?.as_bytes().to_vec());
    }
    Err(PyTypeError::new_err(format!(
        "body must be bytes or str, got {}",
        obj.get_type().name()?
    )))
}

/// A non-negative int (not a bool, not a float) that fits in 64 bits.
pub fn uint(py: Python<'_>, obj: &Bound<'_, PyAny>, name: &str, what: &str) -> PyResult<u64> {
    if obj.is_instance_of::<PyBool>() || !obj.is_instance_of::<PyInt>() {
        return Err(PyTypeError::new_err(format!(
            "{name} must be {what}, got {}",
            obj.get_type().name()?
        )));
    }
    obj.extract::<u64>().map_err(|_| {
        wx_err(
            py,
            wxpay::Error::invalid(name, format!("must be {what} from 0 to 2**64-1")),
        )
    })
}
