//! API v2 signatures (docs/protocol.md §1): MD5 and HMAC-SHA256 over every
//! non-empty field except `sign`, sorted by byte order, joined as
//! `k=v&…&key=API_KEY`, upper-case hex.
//!
//! Verification recomputes over the raw received fields — unknown ones
//! included — and compares in constant time. The algorithm is always pinned
//! by the caller: a message's own `sign_type` may only agree with it.

use std::fmt;

use hmac::{Hmac, Mac};
use md5::{Digest, Md5};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::error::{Error, Result, SignatureReason};
use crate::params::{check_field_name, Params};

/// The two v2 signature algorithms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SignType {
    /// `MD5`: 32 upper-case hex digits.
    Md5,
    /// `HMAC-SHA256`: 64 upper-case hex digits; wxpay's default for new requests.
    #[default]
    HmacSha256,
}

impl SignType {
    /// The wire name: `"MD5"` or `"HMAC-SHA256"`.
    pub fn as_str(self) -> &'static str {
        match self {
            SignType::Md5 => "MD5",
            SignType::HmacSha256 => "HMAC-SHA256",
        }
    }

    /// Parses the exact wire name; anything else (`md5`, `SHA1`, trailing
    /// spaces) is an `InvalidInput` error.
    ///
    /// ```
    /// use wxpay::SignType;
    /// assert_eq!(SignType::parse("MD5").unwrap(), SignType::Md5);
    /// assert!(SignType::parse("md5").is_err());
    /// ```
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "MD5" => Ok(SignType::Md5),
            "HMAC-SHA256" => Ok(SignType::HmacSha256),
            _ => Err(Error::invalid(
                "sign_type",
                "must be exactly \"MD5\" or \"HMAC-SHA256\"",
            )),
        }
    }

    /// [`SignType::parse`] for a name the caller may leave out: `None` is
    /// the default, HMAC-SHA256, in every language.
    ///
    /// ```
    /// use wxpay::SignType;
    /// assert_eq!(SignType::parse_or_default(None).unwrap(), SignType::HmacSha256);
    /// assert_eq!(SignType::parse_or_default(Some("MD5")).unwrap(), SignType::Md5);
    /// ```
    pub fn parse_or_default(s: Option<&str>) -> Result<Self> {
        s.map(SignType::parse)
            .transpose()
            .map(Option::unwrap_or_default)
    }

    /// Length in hex digits of a signature of this type.
    pub fn hex_len(self) -> usize {
        match self {
            SignType::Md5 => 32,
            SignType::HmacSha256 => 64,
        }
    }
}

impl fmt::Display for SignType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The merchant's 32-byte API key (API密钥), checked on construction and
/// never shown by `Debug`.
///
/// ```
/// let key = wxpay::ApiKey::new("192006250b4c09247ec02edce69f6a2d").unwrap();
/// assert_eq!(format!("{key:?}"), "ApiKey(***)");
/// assert!(wxpay::ApiKey::new("too short").is_err());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Accepts exactly 32 bytes of printable ASCII (no spaces, no newline).
    pub fn new(key: &str) -> Result<Self> {
        if key.len() != 32 {
            return Err(Error::config(format!(
                "api_key must be exactly 32 bytes, got {}",
                key.len()
            )));
        }
        if !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::config(
                "api_key must be printable ASCII without spaces or control characters",
            ));
        }
        Ok(ApiKey(key.to_owned()))
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

/// The `k1=v1&k2=v2…` string that is signed (without `&key=`): non-empty
/// values only, `sign` left out, names in byte order, values raw.
///
/// ```
/// use wxpay::Params;
/// let p = Params::from([("b".into(), "2".into()), ("a".into(), "1".into()),
///                       ("c".into(), "".into()), ("sign".into(), "X".into())]);
/// assert_eq!(wxpay::sign_string(&p).unwrap(), "a=1&b=2");
/// ```
pub fn sign_string(params: &Params) -> Result<String> {
    let mut out = String::new();
    write_sign_string(
        &mut out,
        params.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    )?;
    Ok(out)
}

/// Appends the signed string of `fields`, which must come in byte order of
/// their names.
fn write_sign_string<'a>(
    out: &mut String,
    fields: impl Iterator<Item = (&'a str, &'a str)>,
) -> Result<()> {
    for (name, value) in fields {
        if name == "sign" || value.is_empty() {
            continue;
        }
        check_field_name(name)?;
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.push_str(value);
    }
    Ok(())
}

fn upper_hex(bytes: &[u8]) -> String {
    hex_with(bytes, b"0123456789ABCDEF")
}

/// Lower-case hex, as the JS-SDK signature is written.
pub(crate) fn lower_hex(bytes: &[u8]) -> String {
    hex_with(bytes, b"0123456789abcdef")
}

fn hex_with(bytes: &[u8], digits: &[u8; 16]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(digits[(b >> 4) as usize] as char);
        s.push(digits[(b & 0xf) as usize] as char);
    }
    s
}

/// Signs fields given in byte order of their names (a `Params` map, or a
/// fixed set such as the pay params), feeding the digest piece by piece
/// rather than building the joined string.
pub(crate) fn sign_sorted<'a>(
    fields: impl Iterator<Item = (&'a str, &'a str)>,
    key: &ApiKey,
    sign_type: SignType,
) -> Result<String> {
    fn feed<'a, D: hmac::digest::Update>(
        d: &mut D,
        fields: impl Iterator<Item = (&'a str, &'a str)>,
        key: &str,
    ) -> Result<()> {
        let mut first = true;
        for (name, value) in fields {
            if name == "sign" || value.is_empty() {
                continue;
            }
            check_field_name(name)?;
            if !first {
                d.update(b"&");
            }
            first = false;
            d.update(name.as_bytes());
            d.update(b"=");
            d.update(value.as_bytes());
        }
        if !first {
            d.update(b"&");
        }
        d.update(b"key=");
        d.update(key.as_bytes());
        Ok(())
    }
    let secret = key.expose();
    Ok(match sign_type {
        SignType::Md5 => {
            let mut d = Md5::new();
            feed(&mut d, fields, secret)?;
            upper_hex(&d.finalize())
        }
        SignType::HmacSha256 => {
            // Any key length is valid for HMAC, so this cannot fail.
            let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
                .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
            feed(&mut mac, fields, secret)?;
            upper_hex(&mac.finalize().into_bytes())
        }
    })
}

/// Signs name/value pairs given in any order, without building a map; a
/// name that appears twice is refused rather than guessed at. The fast path
/// for bindings that hand over borrowed text.
///
/// ```
/// use wxpay::{sign_pairs, ApiKey, SignType};
/// let key = ApiKey::new("192006250b4c09247ec02edce69f6a2d").unwrap();
/// let s = sign_pairs(vec![("test2", "test2"), ("test1", "test1")], &key, SignType::Md5).unwrap();
/// assert_eq!(s, "1E3A8D73B5A4AEE787C0F68B5DAB8520");
/// assert!(sign_pairs(vec![("a", "1"), ("a", "2")], &key, SignType::Md5).is_err());
/// ```
pub fn sign_pairs(
    mut fields: Vec<(&str, &str)>,
    key: &ApiKey,
    sign_type: SignType,
) -> Result<String> {
    sort_unique(&mut fields)?;
    sign_sorted(fields.into_iter(), key, sign_type)
}

/// Puts pairs in signature order; a name given twice is refused rather
/// than guessed at.
pub(crate) fn sort_unique(fields: &mut [(&str, &str)]) -> Result<()> {
    fields.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    match fields.windows(2).find(|w| w[0].0 == w[1].0) {
        Some(w) => Err(Error::invalid(
            "params",
            format!(
                "field {:?} appears twice",
                crate::message::truncate_for_message(w[0].0)
            ),
        )),
        None => Ok(()),
    }
}

/// Signs `params` with `key` (docs/protocol.md §1); returns upper-case hex.
///
/// ```
/// use wxpay::{sign, ApiKey, Params, SignType};
/// let p = Params::from([("appid".into(), "wxd930ea5d5a258f4f".into()),
///     ("mch_id".into(), "10000100".into()), ("device_info".into(), "1000".into()),
///     ("body".into(), "test".into()), ("nonce_str".into(), "ibuaiVcKdpRxkhJA".into())]);
/// let key = ApiKey::new("192006250b4c09247ec02edce69f6a2d").unwrap();
/// assert_eq!(sign(&p, &key, SignType::Md5).unwrap(), "9A0A8659F005D6984697E2CA0A9CF3B7");
/// ```
pub fn sign(params: &Params, key: &ApiKey, sign_type: SignType) -> Result<String> {
    sign_sorted(
        params.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        key,
        sign_type,
    )
}

/// [`verify`] as a yes/no answer: `Ok(false)` when the signature is
/// missing, wrong or of another sign type; other problems (a field name
/// that cannot be signed) are still errors. What the bindings' `verify`
/// returns.
///
/// ```
/// use wxpay::{signature_matches, ApiKey, Params, SignType};
/// let key = ApiKey::new("192006250b4c09247ec02edce69f6a2d").unwrap();
/// let p = Params::from([("a".into(), "1".into()), ("sign".into(), "00".into())]);
/// assert!(!signature_matches(&p, &key, SignType::Md5).unwrap());
/// ```
pub fn signature_matches(params: &Params, key: &ApiKey, sign_type: SignType) -> Result<bool> {
    match verify(params, key, sign_type) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == crate::ErrorKind::Signature => Ok(false),
        Err(e) => Err(e),
    }
}

/// Verifies the `sign` field of a received message with the pinned
/// `sign_type`.
///
/// * no `sign` (or a blank one) → `Signature/Missing`;
/// * a `sign_type` field that is not exactly the pinned type → `Signature/TypeMismatch`
///   (never a downgrade to what the message asks for);
/// * a missing `sign_type` means the pinned type (docs/protocol.md §1.3);
/// * upper- or lower-case hex is accepted; the comparison is constant-time;
/// * a wrong signature whose length is that of the other algorithm is
///   reported as `TypeMismatch`, any other wrong one as `Invalid`.
///
/// ```
/// use wxpay::{sign, verify, ApiKey, Params, SignType};
/// let key = ApiKey::new("192006250b4c09247ec02edce69f6a2d").unwrap();
/// let mut p = Params::from([("a".into(), "1".into())]);
/// let s = sign(&p, &key, SignType::HmacSha256).unwrap();
/// p.insert("sign".into(), s);
/// assert!(verify(&p, &key, SignType::HmacSha256).is_ok());
/// assert!(verify(&p, &key, SignType::Md5).is_err());
/// ```
pub fn verify(params: &Params, key: &ApiKey, sign_type: SignType) -> Result<()> {
    let given = match params.get("sign") {
        Some(s) if !s.trim().is_empty() => s,
        _ => {
            return Err(Error::signature(
                SignatureReason::Missing,
                "the message has no sign field",
            ))
        }
    };
    if let Some(declared) = params.get("sign_type") {
        if !declared.is_empty() && declared != sign_type.as_str() {
            return Err(Error::signature(
                SignatureReason::TypeMismatch,
                format!(
                    "the message declares sign_type {:?} but {} is required",
                    crate::message::truncate_for_message(declared),
                    sign_type
                ),
            ));
        }
    }
    let expected = sign(params, key, sign_type)?;
    let given_upper = given.to_ascii_uppercase();
    if bool::from(expected.as_bytes().ct_eq(given_upper.as_bytes())) {
        return Ok(());
    }
    let other = match sign_type {
        SignType::Md5 => SignType::HmacSha256,
        SignType::HmacSha256 => SignType::Md5,
    };
    if given.len() == other.hex_len() && given.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::signature(
            SignatureReason::TypeMismatch,
            format!(
                "the sign has {} hex digits, the length of a {other} signature, but {sign_type} is required",
                given.len()
            ),
        ));
    }
    Err(Error::signature(
        SignatureReason::Invalid,
        format!("the {sign_type} signature does not match the message"),
    ))
}
