//! What an API v3 answer means (docs/protocol.md §19.8): a 2xx is WeChat's
//! only once its signature verified; anything else is WeChat's refusal,
//! read from its unsigned `{"code", "message", "detail"}` body into the
//! same `Business` error as v2's, retryable by WeChat's status table.

use serde::Deserialize;
use serde_json::Value;

use super::verifier::{SignedHeaders, Verifier};
use crate::error::{Error, Result};

/// The largest error body read.
const MAX_ERROR_BODY: usize = 16 * 1024;

/// The codes WeChat documents as "try again, same request".
const RETRYABLE_CODES: &[&str] = &[
    "SYSTEM_ERROR",
    "SYSTEMERROR",
    "BANKERROR",
    "FREQUENCY_LIMITED",
    "RATELIMIT_EXCEEDED",
    "RATE_LIMITED",
    "SERVICE_UNAVAILABLE",
];

#[derive(Deserialize)]
struct Refusal {
    code: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    detail: Option<Value>,
}

/// Checks an answer: `Ok` for a 2xx signed by WeChat (its body is then
/// the caller's to read), the refusal as an error otherwise.
///
/// ```
/// let e = wxpay::v3::check_answer(
///     &wxpay::v3::Verifier::new(), 404, &Default::default(),
///     r#"{"code":"ORDER_NOT_EXIST","message":"订单不存在"}"#.as_bytes(), 0,
/// ).unwrap_err();
/// assert_eq!(e.details()["err_code"], "ORDER_NOT_EXIST");
/// assert!(!e.retryable());
/// ```
pub fn check_answer(
    verifier: &Verifier,
    status: u16,
    headers: &SignedHeaders,
    body: &[u8],
    now: u64,
) -> Result<()> {
    if (200..300).contains(&status) {
        return verifier.verify(headers, body, now);
    }
    Err(refusal(status, body))
}

/// The error an answer of `status` (not 2xx) stands for.
pub fn refusal(status: u16, body: &[u8]) -> Error {
    let parsed = (body.len() <= MAX_ERROR_BODY && !crate::json_depth::too_deep(body))
        .then(|| serde_json::from_slice::<Refusal>(body).ok())
        .flatten()
        .filter(|r| !r.code.is_empty() && r.code.len() <= 64);
    let retryable_status = status >= 500 || status == 429;
    match parsed {
        Some(r) => {
            let mut des = r.message;
            if let Some(detail) = r.detail.filter(|d| !d.is_null()) {
                des = format!(
                    "{des} ({})",
                    crate::message::truncate_for_message(&detail.to_string())
                );
            }
            Error::Business {
                retryable: retryable_status || RETRYABLE_CODES.contains(&r.code.as_str()),
                err_code: r.code,
                err_code_des: des,
            }
        }
        None if retryable_status => Error::Transport {
            message: format!("HTTP {status} without WeChat's error body"),
            retryable: true,
            sent: true,
        },
        None => Error::bad_reply(format!("HTTP {status} without WeChat's error body")),
    }
}
