//! The one door every C call goes through: arguments read with NULL and
//! UTF-8 checks, panics caught, errors recorded for
//! `wxpay_last_error_message`, results written only on success.

use std::cell::RefCell;
use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::wxpay_status;

/// A failure on its way to C: always a core error, so the details carry
/// `kind`, `code`, `message` and `retryable` whatever went wrong.
pub struct Failure {
    pub status: wxpay_status,
    pub error: wxpay::Error,
}

impl Failure {
    /// A core error reported under the ABI's own status (NULL, UTF-8).
    pub fn with_status(status: wxpay_status, error: wxpay::Error) -> Self {
        Failure { status, error }
    }

    fn details(&self) -> serde_json::Value {
        let mut details = self.error.details();
        details["status"] = (self.status as i32).into();
        details
    }
}

impl From<wxpay::Error> for Failure {
    fn from(error: wxpay::Error) -> Self {
        Failure {
            status: wxpay_status::of(error.kind()),
            error,
        }
    }
}

pub type Outcome = Result<(), Failure>;

struct LastError {
    message: CString,
    details: CString,
}

thread_local! {
    static LAST: RefCell<Option<LastError>> = const { RefCell::new(None) };
}

fn c_string_lossy(s: &str) -> CString {
    CString::new(s.replace('\0', " ")).unwrap_or_default()
}

fn record(f: &Failure) {
    let last = LastError {
        message: c_string_lossy(&f.error.to_string()),
        details: c_string_lossy(&f.details().to_string()),
    };
    LAST.with(|l| *l.borrow_mut() = Some(last));
}

/// The pointer to this thread's last error message, or NULL.
pub fn last_message() -> *const c_char {
    LAST.with(|l| {
        l.borrow()
            .as_ref()
            .map_or(std::ptr::null(), |e| e.message.as_ptr())
    })
}

/// The pointer to this thread's last error details (JSON), or NULL.
pub fn last_details() -> *const c_char {
    LAST.with(|l| {
        l.borrow()
            .as_ref()
            .map_or(std::ptr::null(), |e| e.details.as_ptr())
    })
}

/// Runs `f`, turning errors and panics into a status.
pub fn run(f: impl FnOnce() -> Outcome) -> i32 {
    let outcome = catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(wxpay::Error::internal("a panic was caught in libwxpay").into()));
    match outcome {
        Ok(()) => {
            LAST.with(|l| *l.borrow_mut() = None);
            wxpay_status::WXPAY_OK as i32
        }
        Err(f) => {
            record(&f);
            f.status as i32
        }
    }
}

/// [`run`] for a call made beside another (taking events after a failed
/// call): a success leaves the last error as it was, so the program can
/// still read why the call before failed.
pub fn run_aside(f: impl FnOnce() -> Outcome) -> i32 {
    let kept = LAST.with(|l| l.borrow_mut().take());
    let status = run(f);
    if status == wxpay_status::WXPAY_OK as i32 {
        LAST.with(|l| *l.borrow_mut() = kept);
    }
    status
}

fn null(name: &str) -> Failure {
    Failure::with_status(
        wxpay_status::WXPAY_E_NULL,
        wxpay::Error::invalid_because(wxpay::InputReason::Missing, name, "is NULL"),
    )
}

/// A required NUL-terminated UTF-8 string.
///
/// # Safety
/// `ptr` must be NULL or point to a NUL-terminated string that stays valid
/// for the call.
pub unsafe fn text<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, Failure> {
    if ptr.is_null() {
        return Err(null(name));
    }
    // SAFETY: non-NULL, and the caller promises a NUL-terminated string.
    let bytes = unsafe { CStr::from_ptr(ptr) }.to_bytes();
    std::str::from_utf8(bytes).map_err(|_| {
        Failure::with_status(
            wxpay_status::WXPAY_E_UTF8,
            wxpay::Error::invalid(name, "is not valid UTF-8"),
        )
    })
}

/// An optional string: NULL means absent.
///
/// # Safety
/// As [`text`].
pub unsafe fn optional_text<'a>(
    ptr: *const c_char,
    name: &str,
) -> Result<Option<&'a str>, Failure> {
    if ptr.is_null() {
        Ok(None)
    } else {
        // SAFETY: forwarded from the caller.
        unsafe { text(ptr, name) }.map(Some)
    }
}

/// A byte buffer `(ptr, len)`; `len` 0 with a NULL pointer is empty.
///
/// # Safety
/// `ptr` must point to `len` readable bytes (or be NULL with `len` 0).
pub unsafe fn bytes<'a>(ptr: *const u8, len: usize, name: &str) -> Result<&'a [u8], Failure> {
    if ptr.is_null() {
        return if len == 0 { Ok(&[]) } else { Err(null(name)) };
    }
    // SAFETY: non-NULL and the caller promises `len` readable bytes.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Checks an out-pointer before any work is done. It is written only when
/// the call succeeds; on failure the caller's value is left as it was.
///
/// # Safety
/// `out` must be NULL or point to writable storage for a `T`.
pub unsafe fn out<'a, T>(out: *mut T, name: &str) -> Result<&'a mut T, Failure> {
    if out.is_null() {
        return Err(null(name));
    }
    // SAFETY: non-NULL and the caller promises writable storage.
    Ok(unsafe { &mut *out })
}

/// A string for C; freed with `wxpay_string_free`.
pub fn c_string(s: String) -> Result<*mut c_char, Failure> {
    CString::new(s)
        .map(CString::into_raw)
        .map_err(|_| wxpay::Error::internal("a result contained a NUL byte").into())
}

/// A serializable result as JSON text for C.
pub fn json<T: serde::Serialize>(value: &T) -> Result<*mut c_char, Failure> {
    let s = serde_json::to_string(value)
        .map_err(|_| wxpay::Error::internal("a result could not be written as JSON"))?;
    c_string(s)
}
