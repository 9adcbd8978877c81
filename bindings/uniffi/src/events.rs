//! The core's events for the JVM: kept once a client exists, and taken by
//! the Kotlin layer after each call on the caller's thread into
//! `System.Logger` (logger `wxpay`).

/// Whether events wait to be taken (cheap: checked after each call).
#[uniffi::export]
pub fn events_pending() -> bool {
    wxpay::events::pending()
}

/// The waiting events as JSON: `{"events": [...], "dropped": n}`.
#[uniffi::export]
pub fn events_take() -> String {
    wxpay::events::take_json()
}

/// Builds the core's events of `level` and above; the Kotlin layer follows
/// `System.getLogger("wxpay")`'s DEBUG.
#[uniffi::export]
pub fn events_set_level(level: String) -> crate::errors::NativeResult<()> {
    Ok(wxpay::events::set_level_named(&level).map(drop)?)
}
