//! The native half of the JVM binding: conversions only. Like the Node
//! addon, every client operation goes through the core's one dispatch path
//! ([`wxpay::Operation`]) with its arguments and result as JSON text; the
//! hand-written Kotlin in `bindings/jvm` turns Java maps into that text and
//! back, and the core's error into `WxPayException`.
//!
//! Per-call bytes travel the byte lane ([`lane`]): JNI natives that the
//! Kotlin wrapper calls instead of uniffi's JNA path, which costs tens of
//! microseconds a call in JNA structures; uniffi keeps the objects, the
//! token-store callbacks and the generated `io.wxpay.ffi` API.
//!
//! Amounts and seconds cross as `i64` (Java has no unsigned types); uniffi
//! catches a panic here and raises it as an exception, so none reaches the
//! JVM as a crash.

// The error is a record uniffi copies across once per failed call; boxing
// it would not cross the boundary (uniffi lifts records by value).
#![allow(clippy::result_large_err)]

// Rust's own allocations in this library (Java objects stay with the JVM's
// heap): a notification makes about a hundred small ones.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod client;
mod client_v3;
mod errors;
mod events;
pub mod lane;
mod pure;
mod store;

pub use client::NativeClient;
pub use client_v3::NativeClientV3;
pub use errors::{ErrorInfo, NativeError};
pub use pure::*;
pub use store::{StoreError, TokenStore};

uniffi::setup_scaffolding!("wxpay");
