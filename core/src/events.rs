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
//! Events never carry a secret (keys, app secrets, tokens) nor a message
//! body: their fields are names, numbers, codes and error messages, which
//! are already free of secrets.
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

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
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
/// for one, else nowhere.
pub fn emit(
    level: Level,
    name: &'static str,
    message: impl Into<String>,
    fields: &[(&'static str, String)],
) {
    let event = Event {
        level,
        name,
        message: message.into(),
        fields: fields.iter().cloned().collect(),
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
    fn events_serialize_with_lowercase_levels() {
        let mut e = event("x");
        e.level = Level::Warning;
        e.fields.insert("store", "redis".into());
        let json = serde_json::to_value(&e).unwrap_or_default();
        assert_eq!(json["level"], "warning");
        assert_eq!(json["fields"]["store"], "redis");
    }
}
