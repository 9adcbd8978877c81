//! The core's events into Python's `logging` (logger `wxpay`), taken from
//! the core's queue after each call on the calling thread, with the GIL
//! held: no Python code ever runs on a core thread or under a core lock.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use wxpay::events::Level;

/// `logging`'s number for a level.
fn levelno(level: Level) -> u8 {
    match level {
        Level::Debug => 10,
        Level::Info => 20,
        Level::Warning => 30,
        Level::Error => 40,
    }
}

/// Hands every waiting event to `logging.getLogger("wxpay")`: the message
/// as the record's text, the event's name and fields as `wxpay_event` and
/// `wxpay_fields` on the record. Logging trouble never fails the call.
pub fn forward(py: Python<'_>) {
    if !wxpay::events::pending() {
        return;
    }
    let (events, dropped) = wxpay::events::take();
    let _ = (|| -> PyResult<()> {
        let logger = py
            .import("logging")?
            .call_method1("getLogger", ("wxpay",))?;
        for e in events {
            let fields = PyDict::new(py);
            for (k, v) in &e.fields {
                fields.set_item(*k, v)?;
            }
            let extra = PyDict::new(py);
            extra.set_item("wxpay_event", e.name)?;
            extra.set_item("wxpay_fields", fields)?;
            let kwargs = PyDict::new(py);
            kwargs.set_item("extra", extra)?;
            logger.call_method("log", (levelno(e.level), "%s", e.message), Some(&kwargs))?;
        }
        if dropped > 0 {
            logger.call_method1(
                "warning",
                (
                    "wxpay: %d events were dropped (more than the queue holds between calls)",
                    dropped,
                ),
            )?;
        }
        Ok(())
    })();
}
