//! Verification of what WeChat signs (docs/protocol.md §19.2): every 2xx
//! response and every notification, over the raw bytes, with the key its
//! `Wechatpay-Serial` names, within five minutes of now.
//!
//! The platform certificates and the WeChat Pay public key live in one map
//! by serial, so the move from one to the other needs no switch: a reply
//! signed with either verifies while both are configured. WeChat's
//! signature probe (`WECHATPAY/SIGNTEST/…`) is an ordinary invalid
//! signature here: refused, never a crash, never accepted.

use std::collections::BTreeMap;

use base64::Engine;

use super::keys::WechatKey;
use crate::error::{Error, Result, SignatureReason};

/// How far a signed timestamp may be from now, in seconds.
pub const MAX_SKEW_SECONDS: u64 = 300;

/// The four headers WeChat signs with, as received.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignedHeaders {
    /// `Wechatpay-Timestamp`.
    pub timestamp: String,
    /// `Wechatpay-Nonce`.
    pub nonce: String,
    /// `Wechatpay-Signature`.
    pub signature: String,
    /// `Wechatpay-Serial`.
    pub serial: String,
}

impl SignedHeaders {
    /// Picks the four headers out of any list of name/value pairs, names
    /// compared without regard to case (HTTP stacks differ). A header
    /// given twice is refused: which one was signed cannot be told.
    ///
    /// ```
    /// let h = wxpay::v3::SignedHeaders::from_pairs([
    ///     ("wechatpay-timestamp", "1624523846"), ("Wechatpay-Nonce", "n"),
    ///     ("WECHATPAY-SIGNATURE", "c2ln"), ("Wechatpay-Serial", "PUB_KEY_ID_0114232025120400000000000000000001"),
    ///     ("Content-Type", "application/json"),
    /// ])?;
    /// assert_eq!(h.timestamp, "1624523846");
    /// # Ok::<(), wxpay::Error>(())
    /// ```
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<SignedHeaders> {
        let mut h = SignedHeaders::default();
        for (name, value) in pairs {
            let slot = match name.trim().to_ascii_lowercase().as_str() {
                "wechatpay-timestamp" => &mut h.timestamp,
                "wechatpay-nonce" => &mut h.nonce,
                "wechatpay-signature" => &mut h.signature,
                "wechatpay-serial" => &mut h.serial,
                _ => continue,
            };
            if !slot.is_empty() {
                return Err(Error::signature(
                    SignatureReason::Invalid,
                    format!("the header {} is given twice", name.trim()),
                ));
            }
            *slot = value.trim().to_owned();
        }
        Ok(h)
    }
}

/// A serial as the key map files it: WeChat's SDKs disagree on whether a
/// certificate serial with a leading zero digit keeps it (Go writes every
/// byte, Java the number), so certificate serials are compared as numbers
/// — upper case, leading zeros dropped. Public key ids are kept as they are.
pub(crate) fn canonical_serial(serial: &str) -> String {
    if serial.starts_with("PUB_KEY_ID_") {
        return serial.to_owned();
    }
    let upper = serial.trim().to_ascii_uppercase();
    let trimmed = upper.trim_start_matches('0');
    if trimmed.is_empty() {
        "0".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// Whether two spellings name the same key (see [`Verifier`]: certificate
/// serials compared as numbers, public key ids as they are).
///
/// ```
/// assert!(wxpay::v3::same_serial("0b5e9d3c", "B5E9D3C"));
/// assert!(!wxpay::v3::same_serial("B5E9D3C", "B5E9D3D"));
/// ```
pub fn same_serial(a: &str, b: &str) -> bool {
    canonical_serial(a) == canonical_serial(b)
}

/// What verifies WeChat's signatures: its keys by serial.
#[derive(Debug, Clone, Default)]
pub struct Verifier {
    keys: BTreeMap<String, WechatKey>,
}

impl Verifier {
    /// No key yet.
    pub fn new() -> Verifier {
        Verifier::default()
    }

    /// Adds (or replaces) a key under its serial.
    pub fn add(&mut self, key: WechatKey) {
        self.keys.insert(canonical_serial(&key.serial), key);
    }

    /// Whether a key of that serial is held.
    pub fn knows(&self, serial: &str) -> bool {
        self.keys.contains_key(&canonical_serial(serial))
    }

    /// The serials held, for `Wechatpay-Serial` on requests: the public key
    /// id when there is one, else the newest certificate.
    pub fn preferred_serial(&self) -> Option<&str> {
        self.preferred().map(|k| k.serial.as_str())
    }

    /// The key requests name in `Wechatpay-Serial`, and sensitive fields
    /// are encrypted with: the public key when held, else the newest
    /// certificate.
    pub fn preferred(&self) -> Option<&WechatKey> {
        self.keys
            .values()
            .find(|k| k.serial.starts_with("PUB_KEY_ID_"))
            .or_else(|| self.keys.values().max_by_key(|k| k.not_before))
    }

    /// Checks that `body` (the raw bytes received) was signed by WeChat
    /// with the key `headers.serial` names, at a time within five minutes
    /// of `now` (Unix seconds).
    pub fn verify(&self, headers: &SignedHeaders, body: &[u8], now: u64) -> Result<()> {
        for (name, value) in [
            ("Wechatpay-Timestamp", &headers.timestamp),
            ("Wechatpay-Nonce", &headers.nonce),
            ("Wechatpay-Signature", &headers.signature),
            ("Wechatpay-Serial", &headers.serial),
        ] {
            if value.is_empty() {
                return Err(Error::signature(
                    SignatureReason::Missing,
                    format!("the {name} header is missing: an unsigned answer is not WeChat's"),
                ));
            }
        }
        let ts: u64 = headers
            .timestamp
            .parse()
            .ok()
            .filter(|_| {
                headers.timestamp.bytes().all(|b| b.is_ascii_digit())
                    && headers.timestamp.len() <= 12
            })
            .ok_or_else(|| {
                Error::signature(
                    SignatureReason::Invalid,
                    "Wechatpay-Timestamp is not a Unix time",
                )
            })?;
        if ts.abs_diff(now) > MAX_SKEW_SECONDS {
            return Err(Error::signature(
                SignatureReason::Stale,
                format!(
                    "signed at {ts}, {} s from this machine's clock (at most {MAX_SKEW_SECONDS}): a replay, or a clock to fix",
                    ts.abs_diff(now)
                ),
            ));
        }
        let key = self.keys.get(&canonical_serial(&headers.serial)).ok_or_else(|| {
            Error::signature(
                SignatureReason::UnknownKey,
                format!(
                    "signed with {:?}, which is neither a platform certificate held nor the WeChat Pay public key",
                    crate::message::truncate_for_message(&headers.serial)
                ),
            )
        })?;
        // The probe's value is not even base64: a refusal like any other.
        let signature = base64::engine::general_purpose::STANDARD
            .decode(&headers.signature)
            .map_err(|_| {
                Error::signature(
                    SignatureReason::Invalid,
                    "Wechatpay-Signature is not base64",
                )
            })?;
        let mut message =
            Vec::with_capacity(headers.timestamp.len() + headers.nonce.len() + body.len() + 3);
        message.extend_from_slice(headers.timestamp.as_bytes());
        message.push(b'\n');
        message.extend_from_slice(headers.nonce.as_bytes());
        message.push(b'\n');
        message.extend_from_slice(body);
        message.push(b'\n');
        if !key.verifies(&message, &signature) {
            return Err(Error::signature(
                SignatureReason::Invalid,
                "the signature does not match the body as received",
            ));
        }
        Ok(())
    }
}
