//! What each WeChat error code means and whether retrying is safe.
//!
//! Pay APIs report `err_code` strings (docs/protocol.md §3.3, §4, §5); the MP
//! platform reports numeric `errcode`s (§9, §10).

/// One documented pay `err_code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrCodeInfo {
    /// The code as WeChat sends it.
    pub code: &'static str,
    /// Whether the same request may be sent again (same out_trade_no /
    /// out_refund_no and parameters).
    pub retryable: bool,
    /// What it means and what the caller should do.
    pub advice: &'static str,
}

const fn info(code: &'static str, retryable: bool, advice: &'static str) -> ErrCodeInfo {
    ErrCodeInfo {
        code,
        retryable,
        advice,
    }
}

/// Every pay `err_code` of docs/protocol.md, with its classification.
pub const ERR_CODES: &[ErrCodeInfo] = &[
    info(
        "SYSTEMERROR",
        true,
        "WeChat system error or timeout: retry with the same parameters and out_trade_no",
    ),
    info(
        "BIZERR_NEED_RETRY",
        true,
        "concurrent request rejected: retry with the same out_refund_no",
    ),
    info(
        "FREQUENCY_LIMITED",
        true,
        "rate limited: lower the rate, then retry with the same parameters",
    ),
    info(
        "INVALID_REQ_TOO_MUCH",
        true,
        "too many invalid requests: fix them, retry after a minute",
    ),
    info(
        "INVALID_REQUEST",
        false,
        "parameter or business-rule error; a re-used out_trade_no must carry identical parameters",
    ),
    info(
        "NOAUTH",
        false,
        "the merchant lacks permission for this API",
    ),
    info("NOTENOUGH", false, "balance insufficient"),
    info(
        "ORDERPAID",
        false,
        "the number is already paid: query it, and treat it as paid only if it is this very order (micropay does)",
    ),
    info(
        "ORDERCLOSED",
        false,
        "the order is closed: place a new order with a new out_trade_no",
    ),
    info(
        "ORDERNOTEXIST",
        false,
        "no such order (or it was never paid): check the number",
    ),
    info(
        "OUT_TRADE_NO_USED",
        false,
        "duplicate out_trade_no: check for a duplicate submission",
    ),
    info("APPID_NOT_EXIST", false, "appid missing or wrong"),
    info("MCHID_NOT_EXIST", false, "mch_id missing or wrong"),
    info(
        "APPID_MCHID_NOT_MATCH",
        false,
        "appid and mch_id are not bound to each other",
    ),
    info("LACK_PARAMS", false, "a required parameter is missing"),
    info(
        "SIGNERROR",
        false,
        "signature wrong: check the API key and the sign type",
    ),
    info("XML_FORMAT_ERROR", false, "malformed XML"),
    info("REQUIRE_POST_METHOD", false, "use POST"),
    info("POST_DATA_EMPTY", false, "the body was empty"),
    info(
        "NOT_UTF8",
        false,
        "not UTF-8, or a 4-byte character such as an emoji",
    ),
    info(
        "TRADE_OVERDUE",
        false,
        "the order is past the one-year refund window: refund offline",
    ),
    info("ERROR", false, "business error: see err_code_des"),
    info(
        "USER_ACCOUNT_ABNORMAL",
        false,
        "the user's account is closed: refund offline",
    ),
    info("INVALID_TRANSACTIONID", false, "transaction_id is wrong"),
    info("PARAM_ERROR", false, "parameter error"),
    info("REFUNDNOTEXIST", false, "no such refund: check the number"),
    // The counter (micropay and reverse, docs/protocol.md §14).
    info(
        "USERPAYING",
        false,
        "the customer is entering the password: the outcome is unknown, query the order (micropay does)",
    ),
    info(
        "BANKERROR",
        false,
        "the bank timed out: the outcome is unknown, query the order (micropay does)",
    ),
    info(
        "AUTHCODEEXPIRE",
        false,
        "the payment code expired: the customer refreshes it, scan again with a new out_trade_no",
    ),
    info(
        "NOTSUPORTCARD",
        false,
        "the customer's card is not supported: they change it and show a new code",
    ),
    info(
        "ORDERREVERSED",
        false,
        "the order was reversed: place a new one with a new out_trade_no",
    ),
    info(
        "AUTH_CODE_ERROR",
        false,
        "the payment code was used already: the customer refreshes it",
    ),
    info(
        "AUTH_CODE_INVALID",
        false,
        "not a WeChat payment code: scan again",
    ),
    info(
        "BUYER_MISMATCH",
        false,
        "another customer paid this out_trade_no before: use a new out_trade_no",
    ),
    info(
        "TRADE_ERROR",
        false,
        "refused by WeChat's risk or account rules: see err_code_des",
    ),
    info(
        "REVERSE_EXPIRE",
        false,
        "older than 7 days, the order cannot be reversed: refund it instead",
    ),
];

/// Looks up a pay `err_code`.
///
/// ```
/// assert!(wxpay::err_code_info("SYSTEMERROR").unwrap().retryable);
/// assert!(!wxpay::err_code_info("ORDERPAID").unwrap().retryable);
/// assert!(wxpay::err_code_info("NO_SUCH_CODE").is_none());
/// ```
pub fn err_code_info(code: &str) -> Option<&'static ErrCodeInfo> {
    ERR_CODES.iter().find(|i| i.code == code)
}

/// Whether a pay `err_code` may be retried; unknown codes are not.
pub fn retryable(code: &str) -> bool {
    err_code_info(code).is_some_and(|i| i.retryable)
}

/// `return_code=FAIL` messages that mean "busy, try again".
pub(crate) fn return_msg_retryable(msg: &str) -> bool {
    msg.contains("SYSTEMERROR") || msg.contains("系统繁忙") || msg.contains("系统错误")
}

/// Whether an MP platform `errcode` may be retried as it is: `-1` (busy).
/// Token errors (40001, 40014, 42001) are retried only after a token
/// refresh, which the client does itself.
pub fn mp_errcode_retryable(errcode: i64) -> bool {
    errcode == -1
}

/// MP `errcode`s that mean "this access_token is no longer valid".
pub fn mp_errcode_is_stale_token(errcode: i64) -> bool {
    matches!(errcode, 40001 | 40014 | 42001)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique() {
        for (i, a) in ERR_CODES.iter().enumerate() {
            assert!(
                ERR_CODES[i + 1..].iter().all(|b| b.code != a.code),
                "{}",
                a.code
            );
        }
    }
}
