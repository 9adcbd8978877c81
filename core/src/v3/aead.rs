//! AEAD_AES_256_GCM as WeChat uses it for notifications and downloaded
//! certificates (docs/protocol.md §19.3): the 32-byte APIv3 key, a 12-byte
//! nonce, the associated data, and base64 of ciphertext ‖ 16-byte tag.

use std::fmt;

use aws_lc_rs::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM};
use base64::Engine;
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The APIv3 key (32 bytes, set in the merchant platform).
pub struct ApiV3Key(Zeroizing<[u8; 32]>);

impl fmt::Debug for ApiV3Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiV3Key(***)")
    }
}

impl ApiV3Key {
    /// The key as the merchant platform shows it: 32 ASCII characters.
    ///
    /// ```
    /// assert!(wxpay::v3::ApiV3Key::new("a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb").is_ok());
    /// assert!(wxpay::v3::ApiV3Key::new("too short").is_err());
    /// ```
    pub fn new(key: &str) -> Result<ApiV3Key> {
        let bytes: [u8; 32] = key.as_bytes().try_into().map_err(|_| {
            Error::config(format!(
                "the APIv3 key must be 32 bytes (it is {}); it is not the v2 API key",
                key.len()
            ))
        })?;
        Ok(ApiV3Key(Zeroizing::new(bytes)))
    }

    fn sealing_key(&self) -> Result<LessSafeKey> {
        UnboundKey::new(&AES_256_GCM, &self.0[..])
            .map(LessSafeKey::new)
            .map_err(|_| Error::internal("AES-256-GCM key"))
    }

    /// Decrypts `ciphertext` (base64 of ciphertext ‖ tag). Any tampering,
    /// or another key, is a `Signature` error: the tag is what
    /// authenticates the plaintext.
    pub fn decrypt(&self, nonce: &str, associated_data: &str, ciphertext: &str) -> Result<Vec<u8>> {
        let nonce = Nonce::try_assume_unique_for_key(nonce.as_bytes())
            .map_err(|_| Error::bad_reply("the AES-GCM nonce is not 12 bytes"))?;
        let mut data = base64::engine::general_purpose::STANDARD
            .decode(ciphertext.trim())
            .map_err(|_| Error::bad_reply("the ciphertext is not base64"))?;
        if data.len() < AES_256_GCM.tag_len() {
            return Err(Error::bad_reply("the ciphertext is shorter than its tag"));
        }
        let plain = self
            .sealing_key()?
            .open_in_place(nonce, Aad::from(associated_data.as_bytes()), &mut data)
            .map_err(|_| {
                Error::signature(
                    crate::error::SignatureReason::Invalid,
                    "the encrypted resource does not decrypt with this APIv3 key (tampered, or another key)",
                )
            })?;
        Ok(plain.to_vec())
    }

    /// Encrypts as WeChat does (for the simulator and tests): base64 of
    /// ciphertext ‖ tag.
    pub fn encrypt(&self, nonce: &str, associated_data: &str, plaintext: &[u8]) -> Result<String> {
        let nonce = Nonce::try_assume_unique_for_key(nonce.as_bytes())
            .map_err(|_| Error::invalid("nonce", "must be 12 bytes"))?;
        let mut data = plaintext.to_vec();
        self.sealing_key()?
            .seal_in_place_append_tag(nonce, Aad::from(associated_data.as_bytes()), &mut data)
            .map_err(|_| Error::internal("AES-256-GCM sealing failed"))?;
        Ok(base64::engine::general_purpose::STANDARD.encode(data))
    }
}
