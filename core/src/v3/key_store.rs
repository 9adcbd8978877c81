//! WeChat's keys as a running client holds them (docs/protocol.md §19.12):
//! the configured public key and the downloaded platform certificates,
//! refreshed on a schedule and once when an answer names a serial not
//! held — but never more than once per interval, whatever arrives, so a
//! stream of made-up serials cannot make the client hammer WeChat.

use std::sync::{Mutex, RwLock};

use super::keys::WechatKey;
use super::verifier::{SignedHeaders, Verifier};
use crate::error::{Error, Result, SignatureReason};

/// How often the certificates are downloaded again when nothing asks
/// (WeChat rotates them over days; its own SDKs use 1 to 24 hours).
pub const REFRESH_EVERY_SECONDS: u64 = 12 * 3600;
/// The least time between two downloads, whatever serials arrive.
pub const MIN_REFRESH_GAP_SECONDS: u64 = 60;

/// The keys, and when they were last fetched.
#[derive(Debug, Default)]
pub struct KeyStore {
    verifier: RwLock<Verifier>,
    /// When the last download started (Unix seconds), held while one runs
    /// so that concurrent callers wait for it rather than start another.
    last_fetch: Mutex<Option<u64>>,
}

impl KeyStore {
    /// A store holding `keys` (the WeChat Pay public key, configured
    /// certificates), none fetched yet.
    pub fn new(keys: impl IntoIterator<Item = WechatKey>) -> KeyStore {
        let mut verifier = Verifier::new();
        for k in keys {
            verifier.add(k);
        }
        KeyStore {
            verifier: RwLock::new(verifier),
            last_fetch: Mutex::new(None),
        }
    }

    fn read(&self) -> Result<std::sync::RwLockReadGuard<'_, Verifier>> {
        self.verifier
            .read()
            .map_err(|_| Error::internal("the key store is poisoned"))
    }

    /// Whether a key of that serial is held (serials compared as numbers).
    pub fn knows(&self, serial: &str) -> bool {
        self.read().map(|v| v.knows(serial)).unwrap_or(false)
    }

    /// Whether the scheduled download is due at `now`.
    pub fn refresh_due(&self, now: u64) -> bool {
        match self.last_fetch.lock() {
            Ok(last) => last.is_none_or(|t| now.saturating_sub(t) >= REFRESH_EVERY_SECONDS),
            Err(_) => false,
        }
    }

    /// Downloads with `fetch` unless a download started less than
    /// [`MIN_REFRESH_GAP_SECONDS`] ago; one at a time. Returns whether this
    /// call fetched.
    pub fn refresh(
        &self,
        now: u64,
        fetch: impl FnOnce() -> Result<Vec<WechatKey>>,
    ) -> Result<bool> {
        let mut last = self
            .last_fetch
            .lock()
            .map_err(|_| Error::internal("the key store is poisoned"))?;
        if last.is_some_and(|t| now.saturating_sub(t) < MIN_REFRESH_GAP_SECONDS) {
            return Ok(false);
        }
        // Counted before fetching: a failing download is not retried by the
        // next answer either.
        *last = Some(now);
        let keys = fetch()?;
        let mut verifier = self
            .verifier
            .write()
            .map_err(|_| Error::internal("the key store is poisoned"))?;
        for k in keys {
            verifier.add(k);
        }
        Ok(true)
    }

    /// Verifies as [`Verifier::verify`]; a serial not held triggers one
    /// download (within the gap rule) and one more try, and is then an
    /// `UnknownKey` refusal.
    pub fn verify(
        &self,
        headers: &SignedHeaders,
        body: &[u8],
        now: u64,
        fetch: impl FnOnce() -> Result<Vec<WechatKey>>,
    ) -> Result<()> {
        let first = self.read()?.verify(headers, body, now);
        match first {
            Err(Error::Signature {
                reason: SignatureReason::UnknownKey,
                ..
            }) => {
                self.refresh(now, fetch)?;
                self.read()?.verify(headers, body, now)
            }
            other => other,
        }
    }

    /// Verifies the answer of `GET /v3/certificates`, which WeChat signs
    /// with one of the certificates it lists (decrypted under the APIv3
    /// key, so trusted) or with a key already held.
    pub fn verify_listing(
        &self,
        headers: &SignedHeaders,
        body: &[u8],
        now: u64,
        listed: &[WechatKey],
    ) -> Result<()> {
        let mut verifier = self.read()?.clone();
        for k in listed {
            verifier.add(k.clone());
        }
        verifier.verify(headers, body, now)
    }

    /// Whether no key is held at all (nothing could be verified).
    pub fn is_empty(&self) -> bool {
        self.preferred_serial().is_none()
    }

    /// Encrypts a sensitive field for WeChat (RSA-OAEP, SHA-1) with the
    /// key requests name; returns that key's serial (send it as
    /// `Wechatpay-Serial`) and the ciphertext.
    pub fn encrypt_sensitive(&self, plaintext: &str) -> Result<(String, String)> {
        let verifier = self.read()?;
        let key = verifier.preferred().ok_or_else(|| {
            Error::config("no WeChat key is held yet to encrypt a sensitive field with")
        })?;
        Ok((key.serial.clone(), key.encrypt_oaep(plaintext)?))
    }

    /// The serial to send as `Wechatpay-Serial` on requests.
    pub fn preferred_serial(&self) -> Option<String> {
        self.read().ok()?.preferred_serial().map(str::to_owned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    fn unknown() -> SignedHeaders {
        SignedHeaders {
            timestamp: "1000".into(),
            nonce: "n".into(),
            signature: "c2ln".into(),
            serial: "ABCDEF".into(),
        }
    }

    #[test]
    fn made_up_serials_from_many_threads_fetch_once_per_gap() {
        let store = Arc::new(KeyStore::new([]));
        let fetches = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..16)
            .map(|i| {
                let (store, fetches) = (store.clone(), fetches.clone());
                std::thread::spawn(move || {
                    for j in 0..50u64 {
                        let mut h = unknown();
                        h.serial = format!("{i:X}{j:X}");
                        let e = store
                            .verify(&h, b"{}", 1000 + j % 10, || {
                                fetches.fetch_add(1, Ordering::SeqCst);
                                std::thread::sleep(std::time::Duration::from_millis(5));
                                Ok(Vec::new())
                            })
                            .unwrap_err();
                        assert_eq!(e.reason(), Some("UnknownKey"));
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
        // A gap later, one more.
        store
            .verify(&unknown(), b"{}", 1000 + MIN_REFRESH_GAP_SECONDS, || {
                fetches.fetch_add(1, Ordering::SeqCst);
                Ok(Vec::new())
            })
            .unwrap_err();
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn a_failing_download_is_not_tried_again_by_the_next_answer() {
        let store = KeyStore::new([]);
        let e = store
            .verify(&unknown(), b"{}", 1000, || {
                Err(Error::internal("WeChat down"))
            })
            .unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Internal);
        let mut called = false;
        let e = store
            .verify(&unknown(), b"{}", 1001, || {
                called = true;
                Ok(Vec::new())
            })
            .unwrap_err();
        assert!(!called);
        assert_eq!(e.reason(), Some("UnknownKey"));
        assert!(!store.refresh_due(1001) && store.refresh_due(1000 + REFRESH_EVERY_SECONDS));
    }
}
