//! `selftestPanic(where, callback)`: a deliberate panic at each kind of
//! entry point from JavaScript — a sync call, a call on a wxpay worker and
//! a threadsafe-function callback (the way token-store requests reach
//! JavaScript) — so the tests can show that each becomes the `Internal`
//! error and the process lives on. Like libwxpay's `wxpay_selftest_panic`.

use std::sync::mpsc;
use std::time::Duration;

use napi::threadsafe_function::{
    ErrorStrategy, ThreadSafeCallContext, ThreadsafeFunction, ThreadsafeFunctionCallMode,
};
use napi::{Env, JsFunction, JsUnknown};
use napi_derive::napi;

use crate::errors::{guard, OrJs};
use crate::pool::promise;
use crate::store::callback_args;

/// A panic where `place` says: `"sync"` throws, `"async"` returns a
/// promise that rejects, `"callback"` calls `callback` from a worker
/// thread through a threadsafe function whose conversion panics, so the
/// callback receives the error instead (and the call returns undefined).
#[napi]
#[allow(clippy::panic, reason = "deliberate panics, to show the guard holds")]
pub fn selftest_panic(
    env: Env,
    place: String,
    callback: Option<JsFunction>,
) -> napi::Result<Option<JsUnknown>> {
    guard(&env, || match place.as_str() {
        "sync" => panic!("wxpay selftest: a deliberate panic in a sync call"),
        "async" => promise(
            &env,
            || -> wxpay::Result<()> { panic!("wxpay selftest: a deliberate panic on a worker") },
            Box::new(|env, ()| Ok(env.get_undefined()?.into_unknown())),
        )
        .map(|p| Some(p.into_unknown())),
        "callback" => {
            let f = callback.ok_or_else(|| {
                wxpay::Error::invalid("callback", "is required for a callback panic")
            });
            let f = f.js(&env)?;
            let mut tsfn: ThreadsafeFunction<(), ErrorStrategy::Fatal> = f
                .create_threadsafe_function(0, |ctx: ThreadSafeCallContext<()>| {
                    callback_args(
                        &ctx.env,
                        || panic!("wxpay selftest: a deliberate panic in a callback"),
                        || {},
                    )
                })?;
            tsfn.refer(&env)?;
            let (done, wait) = mpsc::channel::<()>();
            std::thread::spawn(move || {
                tsfn.call((), ThreadsafeFunctionCallMode::Blocking);
                let _ = done.send(());
            });
            // The call is queued; the callback runs once the event loop turns.
            let _ = wait.recv_timeout(Duration::from_secs(5));
            Ok(None)
        }
        _ => Err(wxpay::Error::invalid("where", "is sync, async or callback")).js(&env),
    })
}
