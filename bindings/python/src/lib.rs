//! `wxpay._wxpay`: the Python face of the wxpay core. Conversions and error
//! mapping only; every protocol rule, default and argument name lives in
//! the core, reached through its one dispatch path.

mod client;
mod client_v3;
mod convert;
mod errors;
mod events;
mod pure;
mod store;
mod to_python;

use pyo3::prelude::*;

use pure::*;

// Rust's own allocations in this module (Python objects stay with Python's
// allocator): a notification makes about a hundred small ones.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[pymodule]
fn _wxpay(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    // Events wait for the call that met them to hand them to `logging`.
    wxpay::events::queue_events(true);
    m.add_function(wrap_pyfunction!(sign, m)?)?;
    m.add_function(wrap_pyfunction!(verify, m)?)?;
    m.add_function(wrap_pyfunction!(to_xml, m)?)?;
    m.add_function(wrap_pyfunction!(to_signed_xml, m)?)?;
    m.add_function(wrap_pyfunction!(from_xml, m)?)?;
    m.add_function(wrap_pyfunction!(jssdk_signature, m)?)?;
    m.add_function(wrap_pyfunction!(notify_ack, m)?)?;
    m.add_function(wrap_pyfunction!(decrypt_req_info, m)?)?;
    m.add_function(wrap_pyfunction!(notify_fail, m)?)?;
    m.add_function(wrap_pyfunction!(_operations, m)?)?;
    m.add_class::<client::PyClient>()?;
    m.add_class::<client_v3::PyClientV3>()?;
    Ok(())
}
