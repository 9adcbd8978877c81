//! One error taxonomy for every binding.
//!
//! Each [`Error`] has a [`ErrorKind`] that bindings map to their own idiom
//! (a Python exception subclass, a Node `code`, a C status constant) and a
//! [`Error::retryable`] answer that says whether calling again with the same
//! arguments is safe and may succeed.
//!
//! Messages are built only from field names, lengths, error codes and values
//! that are not secret: never an API key, an app secret, a token or a whole
//! signed message.

use std::fmt;

/// The broad class of a failure; stable across languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// Bad or missing configuration (e.g. an API key that is not 32 bytes).
    Config,
    /// A caller's argument breaks a documented rule.
    InvalidInput,
    /// Malformed or forbidden XML (DOCTYPE, too big, nested, duplicate fields…).
    Xml,
    /// Missing or wrong signature, or a sign type other than the pinned one.
    Signature,
    /// appid / mch_id / amount / order state differ from what was expected.
    Mismatch,
    /// `return_code=FAIL`, or a reply that breaks the protocol.
    Protocol,
    /// `result_code=FAIL`, carrying `err_code` and `err_code_des`.
    Business,
    /// `errcode != 0` from the MP platform (OAuth, token, ticket).
    MpApi,
    /// Connect, timeout, TLS, non-200 or truncated reply.
    Transport,
    /// The token store failed.
    Cache,
    /// A bug in wxpay itself (a result it could not write, a caught panic).
    Internal,
}

impl ErrorKind {
    /// The kind's name as bindings show it, e.g. `"Signature"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Config => "Config",
            ErrorKind::InvalidInput => "InvalidInput",
            ErrorKind::Xml => "Xml",
            ErrorKind::Signature => "Signature",
            ErrorKind::Mismatch => "Mismatch",
            ErrorKind::Protocol => "Protocol",
            ErrorKind::Business => "Business",
            ErrorKind::MpApi => "MpApi",
            ErrorKind::Transport => "Transport",
            ErrorKind::Cache => "Cache",
            ErrorKind::Internal => "Internal",
        }
    }

    /// The stable code Node and C callers match on, e.g. `"WXPAY_SIGNATURE"`.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::Config => "WXPAY_CONFIG",
            ErrorKind::InvalidInput => "WXPAY_INVALID_INPUT",
            ErrorKind::Xml => "WXPAY_XML",
            ErrorKind::Signature => "WXPAY_SIGNATURE",
            ErrorKind::Mismatch => "WXPAY_MISMATCH",
            ErrorKind::Protocol => "WXPAY_PROTOCOL",
            ErrorKind::Business => "WXPAY_BUSINESS",
            ErrorKind::MpApi => "WXPAY_MP_API",
            ErrorKind::Transport => "WXPAY_TRANSPORT",
            ErrorKind::Cache => "WXPAY_CACHE",
            ErrorKind::Internal => "WXPAY_INTERNAL",
        }
    }

    /// Every kind, in the order of the README's error table.
    pub const ALL: [ErrorKind; 11] = [
        ErrorKind::Config,
        ErrorKind::InvalidInput,
        ErrorKind::Xml,
        ErrorKind::Signature,
        ErrorKind::Mismatch,
        ErrorKind::Protocol,
        ErrorKind::Business,
        ErrorKind::MpApi,
        ErrorKind::Transport,
        ErrorKind::Cache,
        ErrorKind::Internal,
    ];
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an XML document was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum XmlReason {
    /// Not well-formed, or a construct WeChat never sends (comments, PIs,
    /// attributes, text outside fields, a root other than the expected one).
    Malformed,
    /// A DOCTYPE declaration: refused before anything could be expanded.
    Doctype,
    /// The body or one value is larger than the configured limit.
    TooLarge,
    /// An element nested inside a field.
    TooDeep,
    /// More fields than the configured limit.
    TooManyFields,
    /// The same field name twice.
    Duplicate,
    /// Not UTF-8 (or declared as another encoding).
    Encoding,
}

impl XmlReason {
    /// The reason's name, e.g. `"Doctype"`.
    pub fn as_str(self) -> &'static str {
        match self {
            XmlReason::Malformed => "Malformed",
            XmlReason::Doctype => "Doctype",
            XmlReason::TooLarge => "TooLarge",
            XmlReason::TooDeep => "TooDeep",
            XmlReason::TooManyFields => "TooManyFields",
            XmlReason::Duplicate => "Duplicate",
            XmlReason::Encoding => "Encoding",
        }
    }
}

/// How an argument was refused. Bindings whose language separates "wrong
/// kind of value" from "a value that breaks a rule" (Python's `TypeError`
/// and `ValueError`) tell them apart with this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum InputReason {
    /// The value has the right type but breaks a documented rule
    /// (charset, length, range, "exactly one of").
    #[default]
    Rule,
    /// The value has the wrong type (a float for an amount, null for a
    /// required string).
    WrongType,
    /// A required argument is absent.
    Missing,
    /// An argument name the operation does not take (a typo).
    Unknown,
}

impl InputReason {
    /// The reason's name, e.g. `"WrongType"`.
    pub fn as_str(self) -> &'static str {
        match self {
            InputReason::Rule => "Rule",
            InputReason::WrongType => "WrongType",
            InputReason::Missing => "Missing",
            InputReason::Unknown => "Unknown",
        }
    }

    /// Whether the caller passed the wrong shape of arguments rather than
    /// a wrong value (Python raises `TypeError` for these).
    pub fn is_shape(self) -> bool {
        self != InputReason::Rule
    }
}

/// Why a signature was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureReason {
    /// No `sign` field, or an empty one.
    Missing,
    /// The signature does not match the message.
    Invalid,
    /// The message names (or its signature's length implies) a sign type
    /// other than the one pinned by the caller.
    TypeMismatch,
    /// API v3: the signed timestamp is more than five minutes away from
    /// now (a replay, or a clock that drifted).
    Stale,
    /// API v3: signed by a key wxpay does not hold (`Wechatpay-Serial` is
    /// neither a known platform certificate nor the WeChat Pay public key).
    UnknownKey,
}

impl SignatureReason {
    /// The reason's name, e.g. `"TypeMismatch"`.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureReason::Missing => "Missing",
            SignatureReason::Invalid => "Invalid",
            SignatureReason::TypeMismatch => "TypeMismatch",
            SignatureReason::Stale => "Stale",
            SignatureReason::UnknownKey => "UnknownKey",
        }
    }
}

/// Every failure wxpay reports.
///
/// ```
/// let err = wxpay::from_xml(b"<!DOCTYPE x><xml/>").unwrap_err();
/// assert_eq!(err.kind(), wxpay::ErrorKind::Xml);
/// assert!(!err.retryable());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Bad or missing configuration.
    Config {
        /// What is wrong.
        message: String,
    },
    /// An argument breaks a documented rule.
    InvalidInput {
        /// The argument or field at fault.
        field: String,
        /// The rule it breaks.
        message: String,
        /// A wrong value, or a wrong type, a missing or an unknown argument.
        reason: InputReason,
    },
    /// Refused XML.
    Xml {
        /// Why.
        reason: XmlReason,
        /// Details (never the document itself).
        message: String,
    },
    /// Refused signature.
    Signature {
        /// Why.
        reason: SignatureReason,
        /// Details (never a key or a whole signed message).
        message: String,
    },
    /// A value differs from what the caller expected.
    Mismatch {
        /// The field compared.
        field: String,
        /// The caller's value.
        expected: String,
        /// The value received.
        actual: String,
    },
    /// `return_code=FAIL`, or a reply that breaks the protocol.
    Protocol {
        /// WeChat's `return_msg` when it answered FAIL; `None` when the reply
        /// itself broke the protocol (a required field missing…).
        return_msg: Option<String>,
        /// Details.
        message: String,
        /// Whether the same call may be retried.
        retryable: bool,
    },
    /// `result_code=FAIL`.
    Business {
        /// WeChat's `err_code`, e.g. `ORDERPAID`.
        err_code: String,
        /// WeChat's description.
        err_code_des: String,
        /// Whether the same call may be retried (see [`crate::err_code_info`]).
        retryable: bool,
    },
    /// `errcode != 0` from the MP platform.
    MpApi {
        /// WeChat's `errcode`, e.g. 40029.
        errcode: i64,
        /// WeChat's `errmsg`.
        errmsg: String,
        /// Whether the same call may be retried.
        retryable: bool,
    },
    /// The request did not complete.
    Transport {
        /// What failed.
        message: String,
        /// False when the request may have reached WeChat and the operation
        /// is not idempotent.
        retryable: bool,
        /// False when no attempt of the call left this machine (DNS,
        /// connect, TLS handshake): WeChat did nothing.
        sent: bool,
    },
    /// The token store failed.
    Cache {
        /// What failed.
        message: String,
    },
    /// A bug in wxpay: please report it.
    Internal {
        /// What failed.
        message: String,
    },
}

/// Shorthand used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The error's kind.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Config { .. } => ErrorKind::Config,
            Error::InvalidInput { .. } => ErrorKind::InvalidInput,
            Error::Xml { .. } => ErrorKind::Xml,
            Error::Signature { .. } => ErrorKind::Signature,
            Error::Mismatch { .. } => ErrorKind::Mismatch,
            Error::Protocol { .. } => ErrorKind::Protocol,
            Error::Business { .. } => ErrorKind::Business,
            Error::MpApi { .. } => ErrorKind::MpApi,
            Error::Transport { .. } => ErrorKind::Transport,
            Error::Cache { .. } => ErrorKind::Cache,
            Error::Internal { .. } => ErrorKind::Internal,
        }
    }

    /// Whether calling again with the same arguments is safe and may succeed.
    pub fn retryable(&self) -> bool {
        match self {
            Error::Protocol { retryable, .. }
            | Error::Business { retryable, .. }
            | Error::MpApi { retryable, .. }
            | Error::Transport { retryable, .. } => *retryable,
            Error::Cache { .. } => true,
            _ => false,
        }
    }

    /// Whether this is a transport failure that proves the request never
    /// left this machine, so WeChat did nothing with it.
    ///
    /// ```
    /// let e = wxpay::Error::Transport { message: "connect refused".into(), retryable: true, sent: false };
    /// assert!(e.request_not_sent());
    /// ```
    pub fn request_not_sent(&self) -> bool {
        matches!(self, Error::Transport { sent: false, .. })
    }

    /// The finer reason, for `Xml`, `Signature` and `InvalidInput` errors
    /// (e.g. `"Doctype"`, `"WrongType"`).
    pub fn reason(&self) -> Option<&'static str> {
        match self {
            Error::Xml { reason, .. } => Some(reason.as_str()),
            Error::Signature { reason, .. } => Some(reason.as_str()),
            Error::InvalidInput { reason, .. } => Some(reason.as_str()),
            _ => None,
        }
    }

    /// For `InvalidInput`: whether the arguments had the wrong shape (type,
    /// missing, unknown name) rather than a wrong value.
    pub fn is_argument_shape(&self) -> bool {
        matches!(self, Error::InvalidInput { reason, .. } if reason.is_shape())
    }

    /// The field the error is about, for `InvalidInput` and `Mismatch`.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::InvalidInput { field, .. } | Error::Mismatch { field, .. } => Some(field),
            _ => None,
        }
    }

    /// Everything about the error as a JSON object, for bindings that hand
    /// errors over as data: `kind`, `code`, `message`, `retryable`, `reason`,
    /// `field`, and `err_code` / `err_code_des` / `return_msg` / `errcode` /
    /// `errmsg` / `expected` / `actual` where they apply. Never a secret.
    ///
    /// ```
    /// let e = wxpay::from_xml(b"<!DOCTYPE x><xml/>").unwrap_err();
    /// assert_eq!(e.details()["reason"], "Doctype");
    /// assert_eq!(e.details()["code"], "WXPAY_XML");
    /// ```
    pub fn details(&self) -> serde_json::Value {
        let mut d = serde_json::json!({
            "kind": self.kind().as_str(),
            "code": self.kind().code(),
            "message": self.to_string(),
            "retryable": self.retryable(),
            "reason": self.reason(),
            "field": self.field(),
        });
        match self {
            Error::Business {
                err_code,
                err_code_des,
                ..
            } => {
                d["err_code"] = err_code.as_str().into();
                d["err_code_des"] = err_code_des.as_str().into();
            }
            Error::Protocol { return_msg, .. } => d["return_msg"] = return_msg.clone().into(),
            Error::MpApi {
                errcode, errmsg, ..
            } => {
                d["errcode"] = (*errcode).into();
                d["errmsg"] = errmsg.as_str().into();
            }
            Error::Mismatch {
                expected, actual, ..
            } => {
                d["expected"] = expected.as_str().into();
                d["actual"] = actual.as_str().into();
            }
            _ => {}
        }
        d
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }

    /// An argument that breaks a documented rule.
    ///
    /// ```
    /// let e = wxpay::Error::invalid("total_fee", "must be at least 1 fen");
    /// assert_eq!(e.details()["field"], "total_fee");
    /// ```
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::invalid_because(InputReason::Rule, field, message)
    }

    /// An argument refused for `reason`.
    pub fn invalid_because(
        reason: InputReason,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Error::InvalidInput {
            field: field.into(),
            message: message.into(),
            reason,
        }
    }

    /// A bug in wxpay.
    pub fn internal(message: impl Into<String>) -> Self {
        Error::Internal {
            message: message.into(),
        }
    }

    pub(crate) fn xml(reason: XmlReason, message: impl Into<String>) -> Self {
        Error::Xml {
            reason,
            message: message.into(),
        }
    }

    pub(crate) fn signature(reason: SignatureReason, message: impl Into<String>) -> Self {
        Error::Signature {
            reason,
            message: message.into(),
        }
    }

    pub(crate) fn mismatch(
        field: impl Into<String>,
        expected: impl Into<String>,
        actual: impl Into<String>,
    ) -> Self {
        Error::Mismatch {
            field: field.into(),
            expected: expected.into(),
            actual: actual.into(),
        }
    }

    /// A reply that is signed and well-formed XML but breaks the protocol
    /// (a required field missing, an amount that is not an integer…).
    pub(crate) fn bad_reply(message: impl Into<String>) -> Self {
        Error::Protocol {
            return_msg: None,
            message: message.into(),
            retryable: false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config { message } => write!(f, "configuration error: {message}"),
            Error::InvalidInput { field, message, .. } => {
                write!(f, "invalid input for {field}: {message}")
            }
            Error::Xml { reason, message } => {
                write!(f, "XML refused ({}): {message}", reason.as_str())
            }
            Error::Signature { reason, message } => {
                write!(f, "signature refused ({}): {message}", reason.as_str())
            }
            Error::Mismatch {
                field,
                expected,
                actual,
            } => write!(f, "{field} mismatch: expected {expected}, got {actual}"),
            Error::Protocol {
                return_msg: Some(msg),
                ..
            } => write!(f, "WeChat answered return_code=FAIL: {msg}"),
            Error::Protocol { message, .. } => write!(f, "protocol error: {message}"),
            Error::Business {
                err_code,
                err_code_des,
                ..
            } => write!(
                f,
                "WeChat answered result_code=FAIL: {err_code} ({err_code_des})"
            ),
            Error::MpApi {
                errcode, errmsg, ..
            } => write!(f, "WeChat MP API error {errcode}: {errmsg}"),
            Error::Transport { message, .. } => write!(f, "transport error: {message}"),
            Error::Cache { message } => write!(f, "token store error: {message}"),
            Error::Internal { message } => {
                write!(
                    f,
                    "internal error in wxpay (a bug: please report it): {message}"
                )
            }
        }
    }
}

impl std::error::Error for Error {}
