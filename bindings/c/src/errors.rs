//! The last error of a thread, freeing strings, the version.

use std::ffi::{c_char, CString};

use crate::guard::{self, run};

/// The message of the last failed call on this thread, or NULL when the
/// last call succeeded. Never contains keys, secrets or tokens.
///
/// # Safety
/// Always safe to call. The pointer is owned by libwxpay and stays valid
/// until the next wxpay call on this thread; do not free it.
#[no_mangle]
pub extern "C" fn wxpay_last_error_message() -> *const c_char {
    guard::last_message()
}

/// The last failure on this thread as JSON, or NULL: `status`, `kind`,
/// `code` (the same string as in every language, e.g. "WXPAY_SIGNATURE"),
/// `message`, `retryable`, and `reason` / `field` / `err_code` /
/// `err_code_des` / `return_msg` / `errcode` / `errmsg` / `expected` /
/// `actual` as they apply.
///
/// # Safety
/// Always safe to call. Same lifetime as wxpay_last_error_message(); do not
/// free it.
#[no_mangle]
pub extern "C" fn wxpay_last_error_details() -> *const c_char {
    guard::last_details()
}

/// Frees a string returned by libwxpay. NULL is ignored. Thread-safe.
///
/// # Safety
/// `s` must be NULL or a string this library returned through an
/// out-pointer, not yet freed. It must not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn wxpay_string_free(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: the caller passes a pointer this library returned from
        // CString::into_raw, exactly once.
        drop(unsafe { CString::from_raw(s) });
    }
}

/// The library version, e.g. "0.1.0".
///
/// # Safety
/// Always safe to call. The string is static: do not free it.
#[no_mangle]
pub extern "C" fn wxpay_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// For tests of the boundary: panics inside the guard and returns
/// WXPAY_E_INTERNAL, proving no panic escapes to the caller.
///
/// # Safety
/// Always safe to call.
#[no_mangle]
#[allow(clippy::panic, reason = "a deliberate panic, to show the guard holds")]
pub extern "C" fn wxpay_selftest_panic() -> i32 {
    run(|| panic!("wxpay_selftest_panic"))
}
