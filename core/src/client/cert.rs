//! The merchant's API client certificate, needed only for refunds. Loaded
//! and checked when the client is built, so a bad file fails at start-up
//! rather than at the first refund.

use std::fmt;

use base64::Engine;
use ureq::tls::{Certificate, ClientCert, PemItem, PrivateKey, RootCerts};

use crate::error::{Error, Result};

/// Where the certificate comes from.
#[derive(Clone)]
pub enum CertSource {
    /// `apiclient_cert.pem` and `apiclient_key.pem` contents.
    Pem {
        /// The certificate chain, PEM.
        cert: Vec<u8>,
        /// The private key, PEM (PKCS#8, PKCS#1 or SEC1).
        key: Vec<u8>,
    },
    /// `apiclient_cert.p12` contents; the password defaults to the mch_id.
    Pkcs12 {
        /// The archive.
        data: Vec<u8>,
        /// Its password; `None` means the merchant number.
        password: Option<String>,
    },
}

impl fmt::Debug for CertSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CertSource::Pem { .. } => f.write_str("CertSource::Pem(***)"),
            CertSource::Pkcs12 { .. } => f.write_str("CertSource::Pkcs12(***)"),
        }
    }
}

fn bad(message: &str) -> Error {
    Error::config(format!("client certificate: {message}"))
}

/// Parses the certificate into what the TLS layer presents.
pub(crate) fn load(source: &CertSource, mch_id: &str) -> Result<ClientCert> {
    match source {
        CertSource::Pem { cert, key } => {
            let mut chain = Vec::new();
            for item in ureq::tls::parse_pem(cert) {
                if let PemItem::Certificate(c) =
                    item.map_err(|_| bad("the certificate PEM cannot be read"))?
                {
                    chain.push(c);
                }
            }
            if chain.is_empty() {
                return Err(bad("no CERTIFICATE block in the certificate PEM"));
            }
            let mut found = None;
            for item in ureq::tls::parse_pem(key) {
                if let PemItem::PrivateKey(k) =
                    item.map_err(|_| bad("the key PEM cannot be read"))?
                {
                    found = Some(k);
                    break;
                }
            }
            let key = found.ok_or_else(|| bad("no PRIVATE KEY block in the key PEM"))?;
            Ok(ClientCert::new_with_certs(&chain, key))
        }
        CertSource::Pkcs12 { data, password } => {
            let password = password.as_deref().unwrap_or(mch_id);
            let store = p12_keystore::KeyStore::from_pkcs12(
                data,
                password,
                p12_keystore::Pkcs12ImportPolicy::Relaxed,
            )
            .map_err(|_| {
                bad("the PKCS#12 file cannot be opened (wrong password, or not a PKCS#12 file)")
            })?;
            for (_, entry) in store.entries() {
                if let p12_keystore::KeyStoreEntry::PrivateKeyChain(chain) = entry {
                    let certs: Vec<Certificate<'static>> = chain
                        .certs()
                        .iter()
                        .map(|c| Certificate::from_der(c.as_der()).to_owned())
                        .collect();
                    if certs.is_empty() {
                        continue;
                    }
                    let key = PrivateKey::from_pem(pkcs8_pem(chain.key().as_der()).as_bytes())
                        .map_err(|_| bad("the PKCS#12 private key cannot be used"))?;
                    return Ok(ClientCert::new_with_certs(&certs, key));
                }
            }
            Err(bad(
                "the PKCS#12 file holds no private key with its certificate",
            ))
        }
    }
}

/// The certificates in `pem`, trusted instead of the public roots (a
/// simulator's own CA, or a TLS-inspecting proxy's).
pub(crate) fn load_roots(pem: &str) -> Result<RootCerts> {
    let mut roots = Vec::new();
    for item in ureq::tls::parse_pem(pem.as_bytes()) {
        if let PemItem::Certificate(c) =
            item.map_err(|_| Error::config("ca_pem cannot be read as PEM"))?
        {
            roots.push(c);
        }
    }
    if roots.is_empty() {
        return Err(Error::config("ca_pem holds no CERTIFICATE block"));
    }
    Ok(RootCerts::new_with_certs(&roots))
}

/// PKCS#12 keys are PKCS#8 DER; the TLS layer takes them as PEM.
fn pkcs8_pem(der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut pem = String::from("-----BEGIN PRIVATE KEY-----\n");
    for line in b64.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(line).unwrap_or_default());
        pem.push('\n');
    }
    pem.push_str("-----END PRIVATE KEY-----\n");
    pem
}
