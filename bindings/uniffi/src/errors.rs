//! The core's error as one record the Kotlin side turns into
//! `WxPayException`: the same kind, code and `retryable` every language
//! shows. The text is `detail`, since Kotlin reserves `message` for
//! `Throwable`.

use std::fmt;

/// Everything the core says about a failure. Never holds a secret: the
/// core's messages name fields, not their values.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ErrorInfo {
    /// `Config`, `InvalidInput`, `Xml`, `Signature`, `Mismatch`, `Protocol`,
    /// `Business`, `MpApi`, `Transport`, `Cache` or `Internal`.
    pub kind: String,
    /// The stable code, e.g. `WXPAY_SIGNATURE`.
    pub code: String,
    /// What went wrong, for a log.
    pub detail: String,
    /// Whether the same call may succeed if made again.
    pub retryable: bool,
    /// Why an input or XML was refused (`Doctype`, `TooLong`, …).
    pub reason: Option<String>,
    /// The field at fault.
    pub field: Option<String>,
    /// `Business`: WeChat's `err_code`.
    pub err_code: Option<String>,
    /// `Business`: WeChat's `err_code_des`.
    pub err_code_des: Option<String>,
    /// `Protocol`: WeChat's `return_msg`.
    pub return_msg: Option<String>,
    /// `MpApi`: the platform's `errcode`.
    pub errcode: Option<i64>,
    /// `MpApi`: the platform's `errmsg`.
    pub errmsg: Option<String>,
    /// `Mismatch`: what was asked for.
    pub expected: Option<String>,
    /// `Mismatch`: what came back.
    pub actual: Option<String>,
}

// Read from the core's own description of an error, the one every
// language's error fields come from.
impl From<&wxpay::Error> for ErrorInfo {
    fn from(e: &wxpay::Error) -> Self {
        let d = e.details();
        let text = |name: &str| d.get(name).and_then(|v| v.as_str()).map(str::to_owned);
        ErrorInfo {
            kind: e.kind().as_str().to_owned(),
            code: e.kind().code().to_owned(),
            detail: e.to_string(),
            retryable: e.retryable(),
            reason: e.reason().map(str::to_owned),
            field: e.field().map(str::to_owned),
            err_code: text("err_code"),
            err_code_des: text("err_code_des"),
            return_msg: text("return_msg"),
            errcode: d.get("errcode").and_then(|v| v.as_i64()),
            errmsg: text("errmsg"),
            expected: text("expected"),
            actual: text("actual"),
        }
    }
}

/// A failed call, as uniffi raises it (`NativeException.Failed` in
/// Kotlin, which the public API rethrows as `WxPayException`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Error)]
pub enum NativeError {
    /// The core refused or failed the call.
    Failed {
        /// What it said.
        info: ErrorInfo,
    },
}

impl fmt::Display for NativeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NativeError::Failed { info } => f.write_str(&info.detail),
        }
    }
}

impl std::error::Error for NativeError {}

impl From<wxpay::Error> for NativeError {
    fn from(e: wxpay::Error) -> Self {
        NativeError::Failed { info: (&e).into() }
    }
}

/// The result type of every exported call.
pub type NativeResult<T> = Result<T, NativeError>;
