//! The core's events for a C program (and PHP): a client keeps them from
//! its creation on, and the program takes them after its calls, on its own
//! thread, into its own log (docs/bindings.md, "Events and logging").

use std::ffi::c_char;

use crate::guard::{c_string, out, run, run_aside, text};

/// Whether events wait to be taken with wxpay_events_take() (cheap: check
/// it after each call). Events are kept once a client exists.
#[no_mangle]
pub extern "C" fn wxpay_events_pending() -> bool {
    wxpay::events::pending()
}

/// Takes the waiting events, oldest first, as JSON:
/// `{"events": [{"level": "warning", "name": "token_store_down",
/// "message": …, "fields": {"key": …}}, …], "dropped": 0}`. `level` is
/// `debug`, `info`, `warning` or `error`; at most 1000 wait, and `dropped`
/// counts those lost beyond. Events never hold a secret or a message body.
/// Taking them leaves wxpay_last_error_message() and
/// wxpay_last_error_details() as the call before left them.
///
/// # Safety
/// `out_json` must be NULL or writable. Free `*out_json` with
/// wxpay_string_free().
#[no_mangle]
pub unsafe extern "C" fn wxpay_events_take(out_json: *mut *mut c_char) -> i32 {
    run_aside(|| {
        // SAFETY: the header documents `out_json` as NULL or writable.
        let slot = unsafe { out(out_json, "out_json")? };
        *slot = c_string(wxpay::events::take_json())?;
        Ok(())
    })
}

/// Builds events of `level` and above from now on: "debug" adds one
/// `call` event per call that went to WeChat and one `attempt` per HTTP
/// exchange; "info" (the start) keeps token refreshes, retries, failovers,
/// refused notifications and store trouble. Any other word is
/// WXPAY_E_INVALID_INPUT and changes nothing.
///
/// # Safety
/// `level` must be NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn wxpay_events_set_level(level: *const c_char) -> i32 {
    run(|| {
        // SAFETY: the header documents `level` as NULL or NUL-terminated.
        let level = unsafe { text(level, "level")? };
        wxpay::events::set_level_named(level)?;
        Ok(())
    })
}
