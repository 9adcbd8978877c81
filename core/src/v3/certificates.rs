//! The platform certificates of `GET /v3/certificates` (docs/protocol.md
//! §19.7): each one decrypted with the APIv3 key, read, and checked to be
//! the certificate its entry names.

use serde::Deserialize;

use super::aead::ApiV3Key;
use super::keys::WechatKey;
use super::verifier::canonical_serial;
use crate::error::{Error, Result};

#[derive(Deserialize)]
struct Listing {
    data: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    serial_no: String,
    encrypt_certificate: Encrypted,
}

#[derive(Deserialize)]
struct Encrypted {
    algorithm: String,
    nonce: String,
    #[serde(default)]
    associated_data: String,
    ciphertext: String,
}

/// Reads a `/v3/certificates` answer (already verified, or the first one
/// of a merchant that holds no certificate yet) into the keys it holds,
/// leaving out those not valid at `now` (Unix seconds). A certificate
/// that decrypts into another serial than its entry names is refused:
/// the listing is not what it claims.
pub fn platform_certificates(key: &ApiV3Key, body: &[u8], now: i64) -> Result<Vec<WechatKey>> {
    let listing: Listing = serde_json::from_slice(body)
        .map_err(|e| Error::bad_reply(format!("the certificate listing is not WeChat's: {e}")))?;
    let mut keys = Vec::new();
    for entry in listing.data {
        let enc = &entry.encrypt_certificate;
        if enc.algorithm != "AEAD_AES_256_GCM" {
            return Err(Error::bad_reply(
                "a certificate is encrypted with another algorithm than AEAD_AES_256_GCM",
            ));
        }
        let pem = key.decrypt(&enc.nonce, &enc.associated_data, &enc.ciphertext)?;
        let pem = String::from_utf8(pem)
            .map_err(|_| Error::bad_reply("a decrypted certificate is not PEM text"))?;
        let mut cert = WechatKey::certificate(&pem)
            .map_err(|_| Error::bad_reply("a decrypted certificate cannot be read"))?;
        if canonical_serial(&cert.serial) != canonical_serial(&entry.serial_no) {
            return Err(Error::mismatch("serial_no", entry.serial_no, cert.serial));
        }
        // WeChat's own spelling, the one its Wechatpay-Serial headers use.
        cert.serial = entry.serial_no.trim().to_owned();
        if cert.valid_at(now) {
            keys.push(cert);
        }
    }
    Ok(keys)
}
