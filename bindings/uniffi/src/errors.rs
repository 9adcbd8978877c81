//! The core's error as one record the Kotlin side turns into
//! `WxPayException`: its `Error::details()` as JSON, the one description
//! every language reads kind, code, `retryable` and the rest from. The byte
//! lane (`lane.rs`) sends the same JSON, so the JVM maps it in one place.

use std::fmt;

/// Everything the core says about a failure. Never holds a secret: the
/// core's messages name fields, not their values.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ErrorInfo {
    /// `Error::details()` as a JSON object: `kind`, `code`, `message`,
    /// `retryable`, `reason`, `field`, and `err_code` / `err_code_des` /
    /// `return_msg` / `errcode` / `errmsg` / `expected` / `actual` where
    /// they apply.
    pub details: String,
}

impl From<&wxpay::Error> for ErrorInfo {
    fn from(e: &wxpay::Error) -> Self {
        ErrorInfo {
            details: e.details().to_string(),
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
            NativeError::Failed { info } => f.write_str(&info.details),
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
