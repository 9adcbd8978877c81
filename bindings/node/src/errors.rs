//! Errors at the boundary: the core's error as a `WxPayError` instance,
//! and the guard every entry point from JavaScript runs under, so that a
//! panic becomes the library's `Internal` error instead of unwinding into
//! Node (which aborts the process).

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

use napi::{Env, Error, JsFunction, JsObject, JsUnknown, Ref};
use napi_derive::napi;

/// The `WxPayError` class index.js registers, per JS environment (each
/// worker thread loads the addon again).
struct ErrorClass(Ref<()>);

/// Registers the class failures are thrown as. index.js calls it once.
#[napi]
pub fn set_error_class(env: Env, class: JsFunction) -> napi::Result<()> {
    guard(&env, || {
        let reference = env.create_reference(class)?;
        env.set_instance_data(ErrorClass(reference), (), |mut ctx| {
            let _ = ctx.value.0.unref(ctx.env);
        })
    })
}

/// The core's error as a `WxPayError` instance, its fields camelCased.
pub(crate) fn wxpay_error(env: &Env, e: &wxpay::Error) -> napi::Result<JsUnknown> {
    let class = env
        .get_instance_data::<ErrorClass>()?
        .ok_or_else(|| Error::from_reason("wxpay: the error class is not registered"))?;
    let constructor: JsFunction = env.get_reference_value(&class.0)?;
    let mut fields: JsObject = env.create_object()?;
    fields.set_named_property("message", env.create_string(&e.to_string())?)?;
    fields.set_named_property("code", env.create_string(e.kind().code())?)?;
    fields.set_named_property("kind", env.create_string(e.kind().as_str())?)?;
    fields.set_named_property("retryable", env.get_boolean(e.retryable())?)?;
    if let Some(reason) = e.reason() {
        fields.set_named_property("reason", env.create_string(reason)?)?;
    }
    if let Some(field) = e.field() {
        fields.set_named_property("field", env.create_string(field)?)?;
    }
    match e {
        wxpay::Error::Business {
            err_code,
            err_code_des,
            ..
        } => {
            fields.set_named_property("errCode", env.create_string(err_code)?)?;
            fields.set_named_property("errCodeDes", env.create_string(err_code_des)?)?;
        }
        wxpay::Error::Protocol {
            return_msg: Some(msg),
            ..
        } => {
            fields.set_named_property("returnMsg", env.create_string(msg)?)?;
        }
        wxpay::Error::MpApi {
            errcode, errmsg, ..
        } => {
            fields.set_named_property("errcode", env.create_int64(*errcode)?)?;
            fields.set_named_property("errmsg", env.create_string(errmsg)?)?;
        }
        wxpay::Error::Mismatch {
            expected, actual, ..
        } => {
            fields.set_named_property("expected", env.create_string(expected)?)?;
            fields.set_named_property("actual", env.create_string(actual)?)?;
        }
        _ => {}
    }
    Ok(constructor.new_instance(&[fields])?.into_unknown())
}

/// A core error, to throw or reject with.
pub(crate) fn js_err(env: &Env, e: wxpay::Error) -> Error {
    match wxpay_error(env, &e) {
        Ok(object) => Error::from(object),
        Err(failure) => failure,
    }
}

pub(crate) trait OrJs<T> {
    fn js(self, env: &Env) -> napi::Result<T>;
}

impl<T> OrJs<T> for wxpay::Result<T> {
    fn js(self, env: &Env) -> napi::Result<T> {
        self.map_err(|e| js_err(env, e))
    }
}

/// The `Internal` error a caught panic becomes. Its message is not passed
/// on: it may quote anything the panicking code held.
pub(crate) fn panicked(_payload: Box<dyn Any + Send>) -> wxpay::Error {
    wxpay::Error::internal("a panic was caught in the wxpay Node addon")
}

/// Runs `f` (the body of an export, on the main thread), a panic becoming
/// a thrown `WxPayError` of kind `Internal`.
pub(crate) fn guard<T>(env: &Env, f: impl FnOnce() -> napi::Result<T>) -> napi::Result<T> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| Err(js_err(env, panicked(payload))))
}

/// Runs `f` off the main thread, a panic becoming the `Internal` error.
pub(crate) fn guard_core<T>(f: impl FnOnce() -> wxpay::Result<T>) -> wxpay::Result<T> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| Err(panicked(payload)))
}
