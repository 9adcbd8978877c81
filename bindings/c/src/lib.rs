//! The C ABI of wxpay (`libwxpay`), described by `include/wxpay.h`.
//!
//! Every function converts its arguments, calls the core inside
//! [`guard::run`] and converts the result; no protocol logic lives here.
//! Client calls all take the core's one dispatch path
//! ([`wxpay::Operation`]), through [`client::op_call`].
//!
//! | file | holds |
//! |---|---|
//! | `status.rs` | the status codes and how core errors map to them |
//! | `guard.rs` | the one door: NULL and UTF-8 checks, panics caught, last error |
//! | `errors.rs` | the last error of a thread, strings freed, the version |
//! | `pure.rs` | sign, verify, XML, JS-SDK, notification replies |
//! | `client.rs` | the client handle and every operation |
//! | `client_v3.rs` | the API v3 client handle, its operations by name |

#![allow(non_camel_case_types)]

mod client;
mod client_v3;
mod errors;
mod events;
mod guard;
mod pure;
mod status;

pub use client::*;
pub use client_v3::*;
pub use errors::*;
pub use pure::*;
pub use status::wxpay_status;
