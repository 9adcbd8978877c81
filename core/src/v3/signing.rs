//! Request signing (docs/protocol.md §19.1): the five-line signing string
//! and the `Authorization` header.

use super::keys::MerchantKey;
use crate::error::{Error, Result};

/// The scheme of every v3 `Authorization` header.
pub const SCHEME: &str = "WECHATPAY2-SHA256-RSA2048";

/// What is signed for a request: `METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nBODY\n`,
/// with the path and query exactly as sent and the body exactly the bytes
/// sent (empty for a GET).
///
/// ```
/// let s = wxpay::v3::signing_string("GET", "/v3/certificates", 1554208460, "593BEC0C930BF1AFEB40B4A08C8FB242", "");
/// assert_eq!(s, "GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n");
/// ```
pub fn signing_string(
    method: &str,
    path_and_query: &str,
    timestamp: u64,
    nonce: &str,
    body: &str,
) -> String {
    format!("{method}\n{path_and_query}\n{timestamp}\n{nonce}\n{body}\n")
}

/// The merchant's side of a signed request.
#[derive(Debug)]
pub struct RequestSigner {
    mchid: String,
    /// The merchant API certificate's serial, upper-case hex.
    serial_no: String,
    key: MerchantKey,
}

/// A value that goes between double quotes in the header: no quote, no
/// backslash, no control character, or the header would say something else.
fn header_safe(field: &str, value: &str) -> Result<()> {
    if value.is_empty()
        || value.len() > 64
        || !value
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
    {
        return Err(Error::config(format!(
            "{field} must be 1-64 printable ASCII characters without quotes"
        )));
    }
    Ok(())
}

impl RequestSigner {
    /// The merchant number, its API certificate's serial (upper-case hex, as
    /// the merchant platform shows it; lower case is taken and upper-cased)
    /// and its private key.
    pub fn new(mchid: &str, serial_no: &str, key: MerchantKey) -> Result<RequestSigner> {
        header_safe("mchid", mchid)?;
        if !mchid.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::config("mchid must be the merchant number (digits)"));
        }
        if serial_no.is_empty()
            || serial_no.len() > 64
            || !serial_no.bytes().all(|b| b.is_ascii_hexdigit())
        {
            return Err(Error::config(
                "the merchant certificate serial must be hexadecimal, as the merchant platform shows it (not decimal)",
            ));
        }
        Ok(RequestSigner {
            mchid: mchid.to_owned(),
            serial_no: serial_no.to_ascii_uppercase(),
            key,
        })
    }

    /// The merchant number.
    pub fn mchid(&self) -> &str {
        &self.mchid
    }

    /// The merchant private key, for pay params.
    pub fn key(&self) -> &MerchantKey {
        &self.key
    }

    /// The `Authorization` header of a request.
    pub fn authorization(
        &self,
        method: &str,
        path_and_query: &str,
        timestamp: u64,
        nonce: &str,
        body: &str,
    ) -> Result<String> {
        header_safe("nonce", nonce)?;
        if !path_and_query.starts_with('/') {
            return Err(Error::invalid("url", "the path to sign must start with /"));
        }
        let message = signing_string(method, path_and_query, timestamp, nonce, body);
        let signature = self.key.sign(message.as_bytes())?;
        Ok(format!(
            "{SCHEME} mchid=\"{}\",nonce_str=\"{nonce}\",timestamp=\"{timestamp}\",serial_no=\"{}\",signature=\"{signature}\"",
            self.mchid, self.serial_no
        ))
    }
}
