//! API v3 bills (docs/protocol.md §19.10): the file is downloaded from the
//! `download_url` WeChat hands out, unsigned, so what vouches for it is the
//! hash the signed answer gave — SHA-1 of the bill as WeChat made it,
//! before any gzip.

use sha1::{Digest, Sha1};

use crate::error::{Error, Result};

/// Checks a downloaded bill against `hash_type` and `hash_value` of the
/// signed answer that gave its `download_url`, and returns its text (a
/// gzip bill decompressed, at most `MAX_BILL_BYTES`). A bill that does not match is a `Signature`
/// error: it is not the bill WeChat vouched for.
///
/// ```
/// let bill = "交易时间,商户号\r\n`2024-01-02 10:00:00,`1900009191\r\n";
/// let altered = wxpay::v3::check_bill(bill.as_bytes(), "SHA1", "da39a3ee5e6b4b0d3255bfef95601890afd80709");
/// assert_eq!(altered.unwrap_err().kind(), wxpay::ErrorKind::Signature);
/// ```
pub fn check_bill(body: &[u8], hash_type: &str, hash_value: &str) -> Result<Vec<u8>> {
    if !hash_type.eq_ignore_ascii_case("SHA1") {
        return Err(Error::bad_reply(format!(
            "the bill's hash_type is {:?}, not SHA1",
            crate::message::truncate_for_message(hash_type)
        )));
    }
    let text = crate::api::download_bill::inflated(body)?;
    let digest: String = Sha1::digest(&text)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if !digest.eq_ignore_ascii_case(hash_value.trim()) {
        return Err(Error::signature(
            crate::error::SignatureReason::Invalid,
            "the bill's SHA-1 is not the one WeChat's signed answer gave: cut short or altered",
        ));
    }
    Ok(text)
}
