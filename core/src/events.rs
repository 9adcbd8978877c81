//! What the library reports as it works: structured events for the host's
//! own logging (docs/bindings.md, "Events and logging").
//!
//! The core never writes to stderr. An event goes to the sink a Rust
//! program installed with [`set_sink`]; otherwise, once a binding called
//! [`queue_events`], into a bounded queue that the binding empties after
//! each call on the host's own thread ([`take`]) and hands to Python's
//! `logging`, Node's `wxpay.events`, the JVM's `System.Logger`, PHP's
//! logger or a C program. Draining on the caller's thread means no host
//! callback ever runs on a core thread or under a core lock.
//!
//! Only events at or above the level set with [`set_level`] are built
//! (`info` unless a host asks for `debug`), so the per-call and
//! per-attempt `debug` events cost nothing when nobody reads them. Events
//! met while a [`Client`](crate::Client) runs an operation carry its name
//! as the field `operation`.
//!
//! Events never carry a secret (keys, app secrets, tokens): their fields
//! are names, numbers, codes and error messages, which are already free of
//! secrets. Message bodies appear only in `body` events, when a client was
//! made with `log_bodies`, and then redacted (`client/body_log.rs`).
//!
//! ```
//! use std::sync::{Arc, Mutex};
//! use wxpay::events::{self, Event, Level};
//! let seen = Arc::new(Mutex::new(Vec::new()));
//! let s = seen.clone();
//! events::set_sink(Some(Arc::new(move |e: &Event| s.lock().unwrap().push(e.name))));
//! events::emit(Level::Info, "example", "an example event", &[("operation", "query_order".into())]);
//! assert_eq!(*seen.lock().unwrap(), ["example"]);
//! events::set_sink(None);
//! ```

use std::cell::Cell;
use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use serde::Serialize;

/// How much an event matters, as every host's logging names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Detail for a support ticket (each call, each attempt).
    Debug,
    /// Something worth knowing (a token refreshed, the store answers again).
    Info,
    /// Something is wrong but the call went on (a store down, a failover).
    Warning,
    /// Something failed that the shop must look at.
    Error,
}

impl Level {
    /// The level of its name (`debug`, `info`, `warning`/`warn`, `error`),
    /// as a host's logging spells it, in any case.
    ///
    /// ```
    /// assert_eq!(wxpay::events::Level::parse("DEBUG"), Some(wxpay::events::Level::Debug));
    /// assert_eq!(wxpay::events::Level::parse("loud"), None);
    /// ```
    pub fn parse(name: &str) -> Option<Level> {
        match name.to_ascii_lowercase().as_str() {
            "debug" | "trace" => Some(Level::Debug),
            "info" => Some(Level::Info),
            "warning" | "warn" => Some(Level::Warning),
            "error" => Some(Level::Error),
            _ => None,
        }
    }

    fn from_u8(n: u8) -> Level {
        match n {
            0 => Level::Debug,
            1 => Level::Info,
            2 => Level::Warning,
            _ => Level::Error,
        }
    }

    /// `debug`, `info`, `warning` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// One thing the library did or met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// How much it matters.
    pub level: Level,
    /// A stable name, e.g. `token_store_down`.
    pub name: &'static str,
    /// A sentence for a log line.
    pub message: String,
    /// What it is about, by name (`store`, `operation`, `domain`, …).
    pub fields: BTreeMap<&'static str, String>,
}

/// Where events go in a Rust program (any `Fn(&Event)` is one).
pub trait EventSink: Send + Sync {
    /// Takes one event; called on the thread that met it, so it must not
    /// block for long.
    fn event(&self, event: &Event);
}

impl<F: Fn(&Event) + Send + Sync> EventSink for F {
    fn event(&self, event: &Event) {
        self(event)
    }
}

/// How many events wait at most for a binding to take them; beyond, the
/// oldest are dropped and counted.
pub const QUEUE_LIMIT: usize = 1000;

type Sink = Arc<dyn EventSink>;

/// Events waiting for a binding, at most [`QUEUE_LIMIT`].
struct Queue {
    on: AtomicBool,
    events: Mutex<VecDeque<Event>>,
    dropped: AtomicU64,
}

impl Queue {
    const fn new() -> Self {
        Queue {
            on: AtomicBool::new(false),
            events: Mutex::new(VecDeque::new()),
            dropped: AtomicU64::new(0),
        }
    }

    fn events(&self) -> std::sync::MutexGuard<'_, VecDeque<Event>> {
        self.events.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn push(&self, event: Event) {
        if !self.on.load(Ordering::Relaxed) {
            return;
        }
        let mut events = self.events();
        if events.len() >= QUEUE_LIMIT {
            events.pop_front();
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
        events.push_back(event);
    }

    fn pending(&self) -> bool {
        self.on.load(Ordering::Relaxed) && !self.events().is_empty()
    }

    fn take(&self) -> (Vec<Event>, u64) {
        let events = self.events().drain(..).collect();
        (events, self.dropped.swap(0, Ordering::Relaxed))
    }
}

static SINK: RwLock<Option<Sink>> = RwLock::new(None);
static QUEUE: Queue = Queue::new();
/// The lowest level built, as `Level as u8` (`Info` to start with).
static MIN_LEVEL: AtomicU8 = AtomicU8::new(Level::Info as u8);

thread_local! {
    /// The operation this thread runs for a client, if any.
    static OPERATION: Cell<Option<&'static str>> = const { Cell::new(None) };
}

/// Builds events of `level` and above from now on (`info` to start with);
/// returns the level it replaces. Bindings follow the host's logger.
pub fn set_level(level: Level) -> Level {
    Level::from_u8(MIN_LEVEL.swap(level as u8, Ordering::Relaxed))
}

/// [`set_level`] by name (`debug`, `info`, `warning`, `error`), as the
/// bindings take it from their host; an unknown name changes nothing.
///
/// ```
/// let before = wxpay::events::set_level_named("error").unwrap();
/// assert!(wxpay::events::set_level_named("loud").is_err());
/// assert_eq!(wxpay::events::level(), wxpay::events::Level::Error);
/// wxpay::events::set_level(before);
/// ```
pub fn set_level_named(name: &str) -> crate::Result<Level> {
    let level = Level::parse(name)
        .ok_or_else(|| crate::Error::invalid("level", "must be debug, info, warning or error"))?;
    Ok(set_level(level))
}

/// The lowest level built.
pub fn level() -> Level {
    Level::from_u8(MIN_LEVEL.load(Ordering::Relaxed))
}

/// Whether an event of `level` would be built (check before preparing
/// costly fields).
pub fn enabled(level: Level) -> bool {
    level as u8 >= MIN_LEVEL.load(Ordering::Relaxed)
}

/// Marks the events this thread meets until the guard drops as met while
/// running `operation`.
#[cfg(feature = "client")]
pub(crate) fn within(operation: &'static str) -> OperationGuard {
    OperationGuard(OPERATION.with(|o| o.replace(Some(operation))))
}

/// Puts back the operation of an outer call when dropped.
#[cfg(feature = "client")]
pub(crate) struct OperationGuard(Option<&'static str>);

#[cfg(feature = "client")]
impl Drop for OperationGuard {
    fn drop(&mut self) {
        OPERATION.with(|o| o.set(self.0));
    }
}

/// Sends every event to `sink` from now on (`None`: back to the queue, or
/// to nothing); returns the sink it replaces.
pub fn set_sink(sink: Option<Sink>) -> Option<Sink> {
    std::mem::replace(&mut *SINK.write().unwrap_or_else(|p| p.into_inner()), sink)
}

/// Keeps events for [`take`] when no sink is set (what bindings do when
/// they load).
pub fn queue_events(on: bool) {
    QUEUE.on.store(on, Ordering::Relaxed);
}

/// Whether events wait to be taken (a cheap check before [`take`]).
pub fn pending() -> bool {
    QUEUE.pending()
}

/// The events waiting, oldest first, and how many were dropped since the
/// last call because the queue was full.
pub fn take() -> (Vec<Event>, u64) {
    QUEUE.take()
}

/// [`take`] as JSON for a binding: `{"events": [...], "dropped": n}`.
pub fn take_json() -> String {
    let (events, dropped) = take();
    serde_json::json!({ "events": events, "dropped": dropped }).to_string()
}

/// Reports an event: to the sink, else to the queue when bindings asked
/// for one, else nowhere; not at all below [`level`].
pub fn emit(
    level: Level,
    name: &'static str,
    message: impl Into<String>,
    fields: &[(&'static str, String)],
) {
    if !enabled(level) {
        return;
    }
    let mut fields: BTreeMap<&'static str, String> = fields.iter().cloned().collect();
    if let Some(op) = OPERATION.with(Cell::get) {
        fields.entry("operation").or_insert_with(|| op.to_owned());
    }
    let event = Event {
        level,
        name,
        message: message.into(),
        fields,
    };
    // The sink is called without holding the lock, so it may log freely.
    let sink = SINK.read().unwrap_or_else(|p| p.into_inner()).clone();
    match sink {
        Some(sink) => sink.event(&event),
        None => QUEUE.push(event),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(message: &str) -> Event {
        Event {
            level: Level::Debug,
            name: "n",
            message: message.into(),
            fields: BTreeMap::new(),
        }
    }

    #[test]
    fn the_queue_keeps_the_newest_and_counts_the_rest() {
        let q = Queue::new();
        q.push(event("off"));
        assert!(
            q.take().0.is_empty(),
            "a queue nobody asked for keeps nothing"
        );
        q.on.store(true, Ordering::Relaxed);
        for i in 0..QUEUE_LIMIT + 5 {
            q.push(event(&i.to_string()));
        }
        assert!(q.pending());
        let (events, dropped) = q.take();
        assert_eq!((events.len(), dropped), (QUEUE_LIMIT, 5));
        assert_eq!(events[0].message, "5");
        assert!(!q.pending());
        assert_eq!(q.take().1, 0, "the count starts again");
    }

    #[test]
    fn levels_parse_and_order() {
        for l in [Level::Debug, Level::Info, Level::Warning, Level::Error] {
            assert_eq!(Level::parse(l.as_str()), Some(l));
            assert_eq!(Level::from_u8(l as u8), l);
        }
        assert!(Level::Debug < Level::Info && Level::Warning < Level::Error);
    }

    #[test]
    fn events_serialize_with_lowercase_levels() {
        let mut e = event("x");
        e.level = Level::Warning;
        e.fields.insert("store", "redis".into());
        let json = serde_json::to_value(&e).unwrap_or_default();
        assert_eq!(json["level"], "warning");
        assert_eq!(json["fields"]["store"], "redis");
    }
}
