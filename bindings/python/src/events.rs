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

/// `logging.getLogger("wxpay")`, looked up once.
fn logger(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static LOGGER: pyo3::sync::GILOnceCell<PyObject> = pyo3::sync::GILOnceCell::new();
    LOGGER
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(
                py.import("logging")?
                    .call_method1("getLogger", ("wxpay",))?
                    .unbind(),
            )
        })
        .map(|l| l.bind(py))
}

/// Builds the core's `debug` events (each call, each attempt) only while
/// the `wxpay` logger would keep them: `logging.getLogger("wxpay")
/// .setLevel(logging.DEBUG)` turns them on. Checked before each call that
/// goes to WeChat; logging's own cache makes it cheap.
pub fn follow_level(py: Python<'_>) {
    let debug = logger(py)
        .and_then(|l| l.call_method1("isEnabledFor", (10,)))
        .and_then(|v| v.extract::<bool>())
        .unwrap_or(false);
    let wanted = if debug { Level::Debug } else { Level::Info };
    if wxpay::events::level() != wanted {
        wxpay::events::set_level(wanted);
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
        let logger = logger(py)?;
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

/// Django caches that live in one process only: handed to wxpay as the
/// token store, they share nothing between gunicorn or uWSGI workers, so
/// every worker fetches its own tokens (WeChat's daily quota) — said once per
/// client as a `token_store_not_shared` warning.
const PER_PROCESS_CACHES: [&str; 2] = [
    "django.core.cache.backends.locmem",
    "django.core.cache.backends.dummy",
];

pub fn warn_if_not_shared(py: Python<'_>, store: &Bound<'_, PyAny>) -> PyResult<()> {
    // `django.core.cache.cache` is a proxy to the default cache.
    let proxied = store
        .getattr("_connections")
        .and_then(|c| c.get_item(store.getattr("_alias")?));
    let store = match proxied {
        Ok(backend) => backend,
        Err(_) => store.clone(),
    };
    let module: String = store.get_type().getattr("__module__")?.extract()?;
    if !PER_PROCESS_CACHES.contains(&module.as_str()) {
        return Ok(());
    }
    let name: String = store.get_type().getattr("__name__")?.extract()?;
    let extra = PyDict::new(py);
    extra.set_item("wxpay_event", "token_store_not_shared")?;
    let fields = PyDict::new(py);
    fields.set_item("store", format!("{module}.{name}"))?;
    extra.set_item("wxpay_fields", fields)?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("extra", extra)?;
    py.import("logging")?
        .call_method1("getLogger", ("wxpay",))?
        .call_method(
            "warning",
            (
                "the token store is Django's %s, which each process keeps for itself: the workers of \
                 one server share no token and each fetches its own; use a shared cache (Redis, \
                 Memcached, the database) or token_store=\"redis://…\"",
                name,
            ),
            Some(&kwargs),
        )?;
    Ok(())
}
