//! wxpay's own worker threads, for calls that may wait: on WeChat, or on a
//! token store written in JavaScript.
//!
//! Calls used to run on libuv's thread pool (`AsyncTask`). A call that needs
//! a JS token store blocks its worker until the main thread has run the
//! store's promise, and with the default pool of four, four such calls pin
//! the pool: a store whose own I/O needs the pool (`fs`, `dns.lookup`) then
//! waits for them, and they for it, until the store's timeout. On these
//! threads instead, libuv's pool stays free for the store and the shop.
//!
//! The pool grows with demand up to [`MAX_THREADS`] and shrinks back when
//! threads stay idle; each job runs under `catch_unwind`, and its result
//! settles a promise on the main thread.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, OnceLock};
use std::thread;
use std::time::Duration;

use napi::{Env, JsObject};

use crate::errors::{guard, guard_core, js_err};

/// The most threads the pool runs at once; more calls wait their turn.
const MAX_THREADS: usize = 64;
/// An idle thread ends after this long.
const IDLE: Duration = Duration::from_secs(30);

type Job = Box<dyn FnOnce() + Send>;

#[derive(Default)]
struct Queue {
    jobs: VecDeque<Job>,
    threads: usize,
    idle: usize,
}

struct Pool {
    queue: Mutex<Queue>,
    ready: Condvar,
}

fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(|| Pool {
        queue: Mutex::new(Queue::default()),
        ready: Condvar::new(),
    })
}

/// Runs `job` on a pool thread.
fn spawn(job: Job) {
    let p = pool();
    let mut q = p.queue.lock().unwrap_or_else(|e| e.into_inner());
    q.jobs.push_back(job);
    if q.idle == 0 && q.threads < MAX_THREADS {
        // A thread the OS refuses leaves the job to the threads there are.
        if thread::Builder::new()
            .name("wxpay-worker".into())
            .spawn(work)
            .is_ok()
        {
            q.threads += 1;
        }
    }
    drop(q);
    p.ready.notify_one();
}

fn work() {
    let p = pool();
    let mut q = p.queue.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        if let Some(job) = q.jobs.pop_front() {
            drop(q);
            // Each job catches its own panics; this is the last net.
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
            q = p.queue.lock().unwrap_or_else(|e| e.into_inner());
            continue;
        }
        q.idle += 1;
        let (next, timeout) = p
            .ready
            .wait_timeout(q, IDLE)
            .unwrap_or_else(|e| e.into_inner());
        q = next;
        q.idle -= 1;
        if timeout.timed_out() && q.jobs.is_empty() {
            q.threads -= 1;
            return;
        }
    }
}

/// How a finished job's value becomes JavaScript, on the main thread.
pub(crate) type Settle<T> = Box<dyn FnOnce(Env, T) -> napi::Result<napi::JsUnknown> + Send>;

/// A promise settled with the result of `work`, run on a pool thread: a
/// core error (or a panic, as `Internal`) rejects it with a `WxPayError`;
/// a value is handed to `settle` on the main thread.
pub(crate) fn promise<T: Send + 'static>(
    env: &Env,
    work: impl FnOnce() -> wxpay::Result<T> + Send + 'static,
    settle: Settle<T>,
) -> napi::Result<JsObject> {
    type Resolve = Box<dyn FnOnce(Env) -> napi::Result<napi::JsUnknown> + Send>;
    let (deferred, promise) = env.create_deferred::<napi::JsUnknown, Resolve>()?;
    spawn(Box::new(move || {
        let result = guard_core(work);
        deferred.resolve(Box::new(move |env: Env| {
            guard(&env, || match result {
                Ok(value) => settle(env, value),
                Err(e) => Err(js_err(&env, e)),
            })
        }));
    }));
    Ok(promise)
}
