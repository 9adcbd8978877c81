//! API v3 key material: the merchant's private key (it signs requests and
//! pay params), and the keys WeChat signs with — a platform certificate or
//! the WeChat Pay public key — each known by the `Wechatpay-Serial` value
//! that names it.
//!
//! RSA is AWS-LC's, through aws-lc-rs (constant-time, audited and
//! FIPS-validated, with the vector code that makes RSA-2048 as fast as
//! OpenSSL's; docs/protocol.md §19.5): the merchant key signs with
//! RSASSA-PKCS1-v1_5 and SHA-256, WeChat's keys verify the same and encrypt
//! sensitive fields with OAEP. Certificates are read by x509-parser for their serial,
//! validity and public key only; nothing here trusts a certificate because
//! of who issued it — a platform certificate is trusted because it came
//! decrypted with the merchant's APIv3 key, or from the merchant's own
//! configuration.

use std::fmt;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{OaepPublicEncryptingKey, PublicEncryptingKey, OAEP_SHA1_MGF1SHA1};
use aws_lc_rs::signature::{self, ParsedPublicKey, RsaKeyPair};
use base64::Engine;
use x509_parser::prelude::FromDer;
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The only PEM labels accepted, and what each holds.
const PRIVATE_KEY: &str = "PRIVATE KEY";
const RSA_PRIVATE_KEY: &str = "RSA PRIVATE KEY";
const PUBLIC_KEY: &str = "PUBLIC KEY";
const CERTIFICATE: &str = "CERTIFICATE";

/// The DER inside the first PEM block labelled `label`.
fn pem_block(pem: &str, label: &str, what: &str) -> Result<Vec<u8>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = pem
        .find(&begin)
        .ok_or_else(|| Error::config(format!("{what} is not PEM with a \"{begin}\" line")))?;
    let body = &pem[start + begin.len()..];
    let stop = body
        .find(&end)
        .ok_or_else(|| Error::config(format!("{what} has no \"{end}\" line")))?;
    let text: String = body[..stop]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|_| Error::config(format!("{what}: the PEM body is not base64")))
}

/// The merchant's API private key (`apiclient_key.pem`).
///
/// ```
/// # let pem = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/v3/keys/merchant_key.pem")).unwrap();
/// let key = wxpay::v3::MerchantKey::from_pem(&pem)?;
/// assert_eq!(format!("{key:?}"), "MerchantKey(2048 bits)"); // never the key itself
/// # Ok::<(), wxpay::Error>(())
/// ```
pub struct MerchantKey {
    pair: RsaKeyPair,
    rng: SystemRandom,
}

impl fmt::Debug for MerchantKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "MerchantKey({} bits)",
            self.pair.public_modulus_len() * 8
        )
    }
}

impl MerchantKey {
    /// Reads the key from PEM: PKCS#8 (`BEGIN PRIVATE KEY`, what the
    /// merchant platform hands out) or PKCS#1 (`BEGIN RSA PRIVATE KEY`).
    /// A key shorter than 2048 bits is refused.
    pub fn from_pem(pem: &str) -> Result<MerchantKey> {
        let what = "the merchant private key";
        let pair = if pem.contains(&format!("-----BEGIN {RSA_PRIVATE_KEY}-----")) {
            let der = Zeroizing::new(pem_block(pem, RSA_PRIVATE_KEY, what)?);
            RsaKeyPair::from_der(&der)
        } else {
            let der = Zeroizing::new(pem_block(pem, PRIVATE_KEY, what)?);
            RsaKeyPair::from_pkcs8(&der)
        }
        .map_err(|e| Error::config(format!("{what} is not a usable RSA key: {e}")))?;
        if pair.public_modulus_len() < 256 {
            return Err(Error::config(format!(
                "{what} has {} bits; WeChat Pay keys have 2048",
                pair.public_modulus_len() * 8
            )));
        }
        Ok(MerchantKey {
            pair,
            rng: SystemRandom::new(),
        })
    }

    /// SHA256withRSA over `message`, base64 (standard alphabet, padded).
    pub fn sign(&self, message: &[u8]) -> Result<String> {
        let mut sig = vec![0u8; self.pair.public_modulus_len()];
        self.pair
            .sign(&signature::RSA_PKCS1_SHA256, &self.rng, message, &mut sig)
            .map_err(|_| Error::internal("RSA signing failed"))?;
        Ok(base64::engine::general_purpose::STANDARD.encode(sig))
    }
}

/// A key WeChat signs with: a platform certificate's, or the WeChat Pay
/// public key.
#[derive(Clone)]
pub struct WechatKey {
    /// What `Wechatpay-Serial` says for it: the certificate serial in
    /// upper-case hex, or `PUB_KEY_ID_…`.
    pub serial: String,
    /// The RSA key, parsed once (what verifies).
    rsa_public: ParsedPublicKey,
    /// The X.509 `SubjectPublicKeyInfo` DER around it (what encrypts).
    spki: Vec<u8>,
    /// Validity as Unix seconds, for a certificate.
    pub not_before: Option<i64>,
    /// Validity as Unix seconds, for a certificate.
    pub not_after: Option<i64>,
}

impl fmt::Debug for WechatKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WechatKey")
            .field("serial", &self.serial)
            .field("not_before", &self.not_before)
            .field("not_after", &self.not_after)
            .finish_non_exhaustive()
    }
}

fn rsa_public_of(
    spki: &x509_parser::x509::SubjectPublicKeyInfo<'_>,
    what: &str,
) -> Result<ParsedPublicKey> {
    if spki.algorithm.algorithm != x509_parser::oid_registry::OID_PKCS1_RSAENCRYPTION {
        return Err(Error::config(format!("{what} is not an RSA key")));
    }
    ParsedPublicKey::new(
        &signature::RSA_PKCS1_2048_8192_SHA256,
        &spki.subject_public_key.data,
    )
    .map_err(|e| Error::config(format!("{what} is not a usable RSA key: {e}")))
}

/// A certificate serial as WeChat writes it: upper-case hex of the
/// unsigned big-endian bytes, no leading zero byte.
fn serial_hex(raw: &[u8]) -> String {
    let trimmed = match raw {
        [0, rest @ ..] if !rest.is_empty() => rest,
        all => all,
    };
    trimmed.iter().map(|b| format!("{b:02X}")).collect()
}

impl WechatKey {
    /// The WeChat Pay public key (`pub_key.pem`, `BEGIN PUBLIC KEY`) and
    /// its id (`PUB_KEY_ID_…`, as the merchant platform shows it).
    pub fn public_key(id: &str, pem: &str) -> Result<WechatKey> {
        if !id.starts_with("PUB_KEY_ID_")
            || id.len() > 64
            || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return Err(Error::config(
                "the WeChat Pay public key id must be the PUB_KEY_ID_… the merchant platform shows",
            ));
        }
        let what = "the WeChat Pay public key";
        let der = pem_block(pem, PUBLIC_KEY, what)?;
        let (rest, spki) = x509_parser::x509::SubjectPublicKeyInfo::from_der(&der)
            .map_err(|_| Error::config(format!("{what} is not an SPKI public key")))?;
        if !rest.is_empty() {
            return Err(Error::config(format!("{what} has bytes after the key")));
        }
        Ok(WechatKey {
            serial: id.to_owned(),
            rsa_public: rsa_public_of(&spki, what)?,
            spki: spki.raw.to_vec(),
            not_before: None,
            not_after: None,
        })
    }

    /// A platform certificate (PEM), known by its serial.
    pub fn certificate(pem: &str) -> Result<WechatKey> {
        let what = "the platform certificate";
        let der = pem_block(pem, CERTIFICATE, what)?;
        let (_, cert) = x509_parser::parse_x509_certificate(&der)
            .map_err(|_| Error::config(format!("{what} is not an X.509 certificate")))?;
        Ok(WechatKey {
            serial: serial_hex(cert.raw_serial()),
            rsa_public: rsa_public_of(cert.public_key(), what)?,
            spki: cert.public_key().raw.to_vec(),
            not_before: Some(cert.validity().not_before.timestamp()),
            not_after: Some(cert.validity().not_after.timestamp()),
        })
    }

    /// Whether a certificate is valid at `now` (a public key always is).
    pub fn valid_at(&self, now: i64) -> bool {
        self.not_before.is_none_or(|t| now >= t) && self.not_after.is_none_or(|t| now <= t)
    }

    /// Whether `signature` (raw bytes) is this key's SHA256withRSA over
    /// `message`.
    pub fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        self.rsa_public.verify_sig(message, signature).is_ok()
    }

    /// Encrypts a sensitive field (a name, an id number) for WeChat with
    /// this key: RSA-OAEP with SHA-1 and MGF1-SHA-1, base64. The request
    /// must then carry `Wechatpay-Serial` with this key's serial. At most
    /// 214 bytes of text fit a 2048-bit key.
    ///
    /// ```
    /// # let pem = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/v3/keys/wechatpay_public_key.pem")).unwrap();
    /// let key = wxpay::v3::WechatKey::public_key("PUB_KEY_ID_0114232025120400000000000000000001", &pem)?;
    /// let sealed = key.encrypt_oaep("张三")?;
    /// assert_eq!(sealed.len(), 344); // 256 bytes, base64
    /// # Ok::<(), wxpay::Error>(())
    /// ```
    pub fn encrypt_oaep(&self, plaintext: &str) -> Result<String> {
        let key = PublicEncryptingKey::from_der(&self.spki)
            .and_then(|k| OaepPublicEncryptingKey::new(k).map_err(Into::into))
            .map_err(|_| Error::config("WeChat's key cannot be used to encrypt"))?;
        let room = key.max_plaintext_size(&OAEP_SHA1_MGF1SHA1);
        if plaintext.len() > room {
            return Err(Error::invalid(
                "plaintext",
                format!(
                    "is {} bytes; RSA-OAEP under this key takes at most {room}",
                    plaintext.len()
                ),
            ));
        }
        let mut out = vec![0u8; key.ciphertext_size()];
        let sealed = key
            .encrypt(&OAEP_SHA1_MGF1SHA1, plaintext.as_bytes(), &mut out, None)
            .map_err(|_| Error::internal("RSA-OAEP encryption failed"))?;
        Ok(base64::engine::general_purpose::STANDARD.encode(sealed))
    }
}
