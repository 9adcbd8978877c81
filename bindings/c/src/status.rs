//! The status every fallible function returns, one per error kind of the
//! core plus the ABI's own (NULL, bad UTF-8).

/// Status codes returned by every fallible function.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum wxpay_status {
    /// Success.
    WXPAY_OK = 0,
    /// Bad or missing configuration (e.g. an API key that is not 32 bytes).
    WXPAY_E_CONFIG = 1,
    /// An argument breaks a documented rule, has the wrong type, or is
    /// missing or unknown.
    WXPAY_E_INVALID_INPUT = 2,
    /// Malformed or forbidden XML (DOCTYPE, too big, nested, duplicates…).
    WXPAY_E_XML = 3,
    /// Missing or wrong signature, or another sign type than the pinned one.
    WXPAY_E_SIGNATURE = 4,
    /// appid / mch_id / amount / order state differ from what was expected.
    WXPAY_E_MISMATCH = 5,
    /// WeChat answered return_code=FAIL, or a reply broke the protocol.
    WXPAY_E_PROTOCOL = 6,
    /// WeChat answered result_code=FAIL (see the err_code in the details).
    WXPAY_E_BUSINESS = 7,
    /// The MP platform answered errcode != 0.
    WXPAY_E_MP_API = 8,
    /// The request did not complete (connect, timeout, HTTP status, cut reply).
    WXPAY_E_TRANSPORT = 9,
    /// The token store failed.
    WXPAY_E_CACHE = 10,
    /// A required pointer argument was NULL (kind InvalidInput in the details).
    WXPAY_E_NULL = 11,
    /// A string argument was not valid UTF-8 (kind InvalidInput in the details).
    WXPAY_E_UTF8 = 12,
    /// A bug in libwxpay (a caught panic); the process is unharmed.
    WXPAY_E_INTERNAL = 99,
}

impl wxpay_status {
    /// The status of an error kind.
    // Every kind by name: a kind the core adds must get its own status
    // here, not fall into another.
    #[deny(clippy::wildcard_enum_match_arm)]
    pub fn of(kind: wxpay::ErrorKind) -> Self {
        use wxpay::ErrorKind as K;
        match kind {
            K::Config => wxpay_status::WXPAY_E_CONFIG,
            K::InvalidInput => wxpay_status::WXPAY_E_INVALID_INPUT,
            K::Xml => wxpay_status::WXPAY_E_XML,
            K::Signature => wxpay_status::WXPAY_E_SIGNATURE,
            K::Mismatch => wxpay_status::WXPAY_E_MISMATCH,
            K::Protocol => wxpay_status::WXPAY_E_PROTOCOL,
            K::Business => wxpay_status::WXPAY_E_BUSINESS,
            K::MpApi => wxpay_status::WXPAY_E_MP_API,
            K::Transport => wxpay_status::WXPAY_E_TRANSPORT,
            K::Cache => wxpay_status::WXPAY_E_CACHE,
            K::Internal => wxpay_status::WXPAY_E_INTERNAL,
        }
    }
}
