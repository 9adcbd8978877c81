//! The one seam for time and randomness, so tests can fix both and match
//! vectors byte for byte.

use std::time::{SystemTime, UNIX_EPOCH};

/// Where wxpay gets the current time and fresh nonces.
///
/// ```
/// use wxpay::{Clock, FixedClock};
/// let c = FixedClock::new(1414587457, "Wm3WZYTPz0wzccnW");
/// assert_eq!(c.now_unix(), 1414587457);
/// assert_eq!(c.nonce(), "Wm3WZYTPz0wzccnW");
/// ```
pub trait Clock: Send + Sync {
    /// Seconds since the Unix epoch.
    fn now_unix(&self) -> u64;
    /// A fresh random string of at most 32 characters from `[A-Za-z0-9]`.
    fn nonce(&self) -> String;
}

/// The clock's nonce, refused (a `Config` error) unless it is 1-32 of
/// `[A-Za-z0-9]` as [`Clock::nonce`] promises: it goes into signed text and
/// URLs as it is.
pub(crate) fn checked_nonce(clock: &dyn Clock) -> crate::error::Result<String> {
    let n = clock.nonce();
    if n.is_empty() || n.len() > 32 || !n.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(crate::error::Error::config(
            "the clock's nonce must be 1-32 characters of A-Z, a-z and 0-9",
        ));
    }
    Ok(n)
}

/// The real clock and the operating system's random source.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

const ALPHANUM: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// Bytes from the OS source, fetched 4 KiB at a time per thread: a nonce
/// is drawn on every pay-params call, and one system call each would cost
/// more than the signing.
struct RandomPool {
    buf: [u8; 4096],
    pos: usize,
}

thread_local! {
    static POOL: std::cell::RefCell<RandomPool> = const { std::cell::RefCell::new(RandomPool { buf: [0; 4096], pos: 4096 }) };
}

impl RandomPool {
    // The one deliberate panic of the library: every binding catches it at
    // its boundary as an Internal error.
    #[allow(
        clippy::panic,
        reason = "a predictable nonce would be worse than stopping"
    )]
    fn byte(&mut self) -> u8 {
        if self.pos == self.buf.len() {
            if getrandom::getrandom(&mut self.buf).is_err() {
                // The OS source failing is not recoverable; a predictable nonce
                // would be worse than stopping.
                panic!("the operating system's random source is unavailable");
            }
            self.pos = 0;
        }
        let pos = self.pos;
        let b = self.buf[pos];
        // Each byte is used once.
        self.buf[pos] = 0;
        self.pos = pos + 1;
        b
    }
}

#[cfg(feature = "client")]
fn random_byte() -> u8 {
    POOL.with(|p| p.borrow_mut().byte())
}

/// `len` characters from `[A-Za-z0-9]`, uniformly drawn from the OS source.
pub(crate) fn random_alphanumeric(len: usize) -> String {
    let mut out = String::with_capacity(len);
    // One borrow for the whole string: this runs on every pay-params call.
    POOL.with(|p| {
        let mut pool = p.borrow_mut();
        while out.len() < len {
            let b = pool.byte();
            // 248 = 4 * 62: rejecting the rest keeps the draw uniform.
            if b < 248 {
                out.push(ALPHANUM[(b % 62) as usize] as char);
            }
        }
    });
    out
}

/// A uniform number in [0, 1) from the OS source (for retry jitter).
#[cfg(feature = "client")]
pub(crate) fn random_fraction() -> f64 {
    let b = [random_byte(), random_byte(), random_byte(), random_byte()];
    f64::from(u32::from_le_bytes(b)) / (f64::from(u32::MAX) + 1.0)
}

impl Clock for SystemClock {
    fn now_unix(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    }

    fn nonce(&self) -> String {
        random_alphanumeric(32)
    }
}

/// A clock that always answers the same time and nonce (for tests and vectors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedClock {
    now: u64,
    nonce: String,
}

impl FixedClock {
    /// A clock stopped at `now` that always returns `nonce`.
    pub fn new(now: u64, nonce: impl Into<String>) -> Self {
        FixedClock {
            now,
            nonce: nonce.into(),
        }
    }
}

impl Clock for FixedClock {
    fn now_unix(&self) -> u64 {
        self.now
    }

    fn nonce(&self) -> String {
        self.nonce.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_nonces_are_32_alphanumerics_and_differ() {
        let a = SystemClock.nonce();
        let b = SystemClock.nonce();
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
    }
}
