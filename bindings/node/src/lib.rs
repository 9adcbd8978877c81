//! The native half of the `wxpay` npm package: conversions only. Each call
//! moves one string (or one Buffer) in and one string out, and every
//! client operation goes through the core's one dispatch path
//! ([`wxpay::Operation`]). Failures are thrown as `WxPayError` objects built
//! from the core's error, with the class index.js registers; every entry
//! point runs under a guard that turns a panic into the `Internal` error.
//!
//! - `errors.rs`: `WxPayError` and the panic guard;
//! - `pure.rs`: the functions with no client;
//! - `client.rs`: `NativeClient`;
//! - `client_v3.rs`: `NativeClientV3`, API v3;
//! - `events.rs`: the core's events, for `wxpay.events`;
//! - `pool.rs`: wxpay's own worker threads for calls that may wait;
//! - `store.rs`: a token store written in JavaScript;
//! - `selftest.rs`: deliberate panics for the tests.

// Public so that the exports napi registers are reachable, as rustc sees it.
pub mod client;
pub mod client_v3;
pub mod errors;
pub mod events;
mod pool;
pub mod pure;
pub mod selftest;
pub mod store;
