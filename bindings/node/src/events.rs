//! The core's events, taken by index.js after each call on the JavaScript
//! thread and emitted on `wxpay.events` (no JavaScript ever runs on a
//! wxpay worker or under a core lock).

use napi::Env;
use napi_derive::napi;

use crate::errors::{guard, OrJs};

/// Keeps the core's events for `takeEvents` (done when a client is made).
pub fn queue() {
    wxpay::events::queue_events(true);
}

/// Whether events wait (a cheap check after each call).
#[napi]
pub fn events_pending() -> bool {
    wxpay::events::pending()
}

/// The waiting events as JSON: `{"events": [...], "dropped": n}`.
#[napi]
pub fn take_events() -> String {
    wxpay::events::take_json()
}

/// Builds the core's events of `level` and above (`wxpay.setLogLevel`).
#[napi]
pub fn set_event_level(env: Env, level: String) -> napi::Result<()> {
    guard(&env, || {
        wxpay::events::set_level_named(&level).map(drop).js(&env)
    })
}
