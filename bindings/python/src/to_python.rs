//! Core results written straight into Python objects: a serde serializer
//! whose output is dicts, lists, str, int, bool and None.
//!
//! Names are what a result is mostly made of (struct fields, the field
//! names of `raw`), and the same few hundred come back on every call. Each
//! is made into a Python string once and reused, hash included, so a
//! notification costs one new string per value rather than two per field.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, OnceLock};

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyList, PyString, PyTuple};
use pyo3::BoundObject;
use serde::ser::{self, Serialize};

/// Any serializable value as the matching Python object.
pub fn to_python<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> Result<Bound<'py, PyAny>, ConvertError> {
    value.serialize(ToPython { py, is_key: false })
}

/// Why a value could not be converted (a map key that is not text).
#[derive(Debug)]
pub struct ConvertError(String);

impl fmt::Display for ConvertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConvertError {}

impl ser::Error for ConvertError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        ConvertError(msg.to_string())
    }
}

impl From<PyErr> for ConvertError {
    fn from(e: PyErr) -> Self {
        ConvertError(e.to_string())
    }
}

/// Names seen so far. Field names are `[A-Za-z0-9_]{1,64}` and few; the
/// cap keeps a stream of unusual names from growing it without bound.
/// foldhash (hashbrown's own hasher, seeded per process) because names are
/// short and SipHash would cost more than making a fresh Python string.
struct Names {
    by_text: HashMap<Box<str>, Py<PyString>, foldhash::fast::RandomState>,
}

const MAX_NAMES: usize = 2048;

fn names() -> &'static Mutex<Names> {
    static NAMES: OnceLock<Mutex<Names>> = OnceLock::new();
    NAMES.get_or_init(|| {
        Mutex::new(Names {
            by_text: HashMap::with_hasher(foldhash::fast::RandomState::default()),
        })
    })
}

/// `name` as a Python string, from the cache when it has been seen.
fn name<'py>(py: Python<'py>, text: &str) -> Bound<'py, PyAny> {
    let Ok(mut names) = names().lock() else {
        return PyString::new(py, text).into_any();
    };
    if let Some(cached) = names.by_text.get(text) {
        return cached.bind(py).clone().into_any();
    }
    let fresh = PyString::new(py, text);
    if names.by_text.len() < MAX_NAMES && text.len() <= 64 {
        names.by_text.insert(text.into(), fresh.clone().unbind());
    }
    fresh.into_any()
}

#[derive(Clone, Copy)]
struct ToPython<'py> {
    py: Python<'py>,
    /// Strings written as map keys go through the name cache.
    is_key: bool,
}

impl<'py> ToPython<'py> {
    fn value(self) -> Self {
        ToPython {
            is_key: false,
            ..self
        }
    }

    fn key(self) -> Self {
        ToPython {
            is_key: true,
            ..self
        }
    }

    fn int(self, v: impl IntoPyObject<'py>) -> Result<Bound<'py, PyAny>, ConvertError> {
        v.into_pyobject(self.py)
            .map(BoundObject::into_any)
            .map(BoundObject::into_bound)
            .map_err(|e| ConvertError(e.into().to_string()))
    }
}

type Out<'py> = Result<Bound<'py, PyAny>, ConvertError>;

impl<'py> ser::Serializer for ToPython<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvertError;
    type SerializeSeq = Sequence<'py>;
    type SerializeTuple = Sequence<'py>;
    type SerializeTupleStruct = Sequence<'py>;
    type SerializeTupleVariant = Variant<Sequence<'py>>;
    type SerializeMap = Map<'py>;
    type SerializeStruct = Map<'py>;
    type SerializeStructVariant = Variant<Map<'py>>;

    fn serialize_bool(self, v: bool) -> Out<'py> {
        Ok(PyBool::new(self.py, v).to_owned().into_any())
    }
    fn serialize_i8(self, v: i8) -> Out<'py> {
        self.int(v)
    }
    fn serialize_i16(self, v: i16) -> Out<'py> {
        self.int(v)
    }
    fn serialize_i32(self, v: i32) -> Out<'py> {
        self.int(v)
    }
    fn serialize_i64(self, v: i64) -> Out<'py> {
        self.int(v)
    }
    fn serialize_u8(self, v: u8) -> Out<'py> {
        self.int(v)
    }
    fn serialize_u16(self, v: u16) -> Out<'py> {
        self.int(v)
    }
    fn serialize_u32(self, v: u32) -> Out<'py> {
        self.int(v)
    }
    fn serialize_u64(self, v: u64) -> Out<'py> {
        self.int(v)
    }
    fn serialize_f32(self, v: f32) -> Out<'py> {
        Ok(PyFloat::new(self.py, f64::from(v)).into_any())
    }
    fn serialize_f64(self, v: f64) -> Out<'py> {
        Ok(PyFloat::new(self.py, v).into_any())
    }
    fn serialize_char(self, v: char) -> Out<'py> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Out<'py> {
        Ok(if self.is_key {
            name(self.py, v)
        } else {
            PyString::new(self.py, v).into_any()
        })
    }
    fn serialize_bytes(self, v: &[u8]) -> Out<'py> {
        Ok(PyBytes::new(self.py, v).into_any())
    }
    fn serialize_none(self) -> Out<'py> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Out<'py> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Out<'py> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Out<'py> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
    ) -> Out<'py> {
        Ok(name(self.py, variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Out<'py> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        value: &T,
    ) -> Out<'py> {
        let dict = PyDict::new(self.py);
        dict.set_item(name(self.py, variant), value.serialize(self.value())?)?;
        Ok(dict.into_any())
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Sequence<'py>, ConvertError> {
        Ok(Sequence {
            to: self.value(),
            items: Vec::with_capacity(len.unwrap_or(0)),
            tuple: false,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Sequence<'py>, ConvertError> {
        let mut seq = self.serialize_seq(Some(len))?;
        seq.tuple = true;
        Ok(seq)
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Sequence<'py>, ConvertError> {
        self.serialize_tuple(len)
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<Sequence<'py>>, ConvertError> {
        Ok(Variant {
            variant,
            inner: self.serialize_tuple(len)?,
        })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Map<'py>, ConvertError> {
        Ok(Map {
            to: self.value(),
            dict: PyDict::new(self.py),
            key: None,
        })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Map<'py>, ConvertError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<Map<'py>>, ConvertError> {
        Ok(Variant {
            variant,
            inner: self.serialize_map(Some(len))?,
        })
    }
}

pub struct Sequence<'py> {
    to: ToPython<'py>,
    items: Vec<Bound<'py, PyAny>>,
    tuple: bool,
}

impl<'py> Sequence<'py> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ConvertError> {
        self.items.push(value.serialize(self.to)?);
        Ok(())
    }

    fn finish(self) -> Out<'py> {
        Ok(if self.tuple {
            PyTuple::new(self.to.py, self.items)?.into_any()
        } else {
            PyList::new(self.to.py, self.items)?.into_any()
        })
    }
}

/// Lists and tuples take their elements the same way, whatever serde
/// calls them.
macro_rules! sequence {
    ($($trait:ident::$method:ident),*) => {$(
        impl<'py> ser::$trait for Sequence<'py> {
            type Ok = Bound<'py, PyAny>;
            type Error = ConvertError;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ConvertError> {
                self.push(value)
            }
            fn end(self) -> Out<'py> {
                self.finish()
            }
        }
    )*};
}

sequence!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field
);

pub struct Map<'py> {
    to: ToPython<'py>,
    dict: Bound<'py, PyDict>,
    key: Option<Bound<'py, PyAny>>,
}

impl<'py> ser::SerializeMap for Map<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvertError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), ConvertError> {
        self.key = Some(key.serialize(self.to.key())?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ConvertError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| ConvertError("a map value without its key".into()))?;
        self.dict.set_item(key, value.serialize(self.to)?)?;
        Ok(())
    }
    fn end(self) -> Out<'py> {
        Ok(self.dict.into_any())
    }
}

impl<'py> ser::SerializeStruct for Map<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvertError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), ConvertError> {
        self.dict
            .set_item(name(self.to.py, key), value.serialize(self.to)?)?;
        Ok(())
    }
    fn end(self) -> Out<'py> {
        Ok(self.dict.into_any())
    }
}

/// An enum variant with data: `{variant: data}`.
pub struct Variant<Inner> {
    variant: &'static str,
    inner: Inner,
}

fn wrap_variant<'py>(py: Python<'py>, variant: &'static str, data: Bound<'py, PyAny>) -> Out<'py> {
    let dict = PyDict::new(py);
    dict.set_item(name(py, variant), data)?;
    Ok(dict.into_any())
}

impl<'py> ser::SerializeTupleVariant for Variant<Sequence<'py>> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvertError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ConvertError> {
        self.inner.push(value)
    }
    fn end(self) -> Out<'py> {
        let py = self.inner.to.py;
        let data = self.inner.finish()?;
        wrap_variant(py, self.variant, data)
    }
}

impl<'py> ser::SerializeStructVariant for Variant<Map<'py>> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvertError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), ConvertError> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, value)
    }
    fn end(self) -> Out<'py> {
        let py = self.inner.to.py;
        let data = self.inner.dict.into_any();
        wrap_variant(py, self.variant, data)
    }
}
