//! What one client did, counted: calls by operation and outcome with their
//! latency, requests sent to WeChat, retries, failovers to the backup
//! domain, token fetches and token store failures. A snapshot comes back
//! from [`Client::metrics`] (every language: `metrics`) and as Prometheus
//! text from [`Client::metrics_prometheus`].
//!
//! Counting is a few atomic additions and, per call, one short lock of a
//! map keyed by operation name; it never holds a secret.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::client::Client;

/// The upper bounds of the latency buckets, in milliseconds (the last
/// bucket, beyond, is `+Inf`).
const BUCKETS_MS: [u64; 12] = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000];

#[derive(Default)]
struct OperationCounts {
    /// Calls by outcome: `ok`, or the error kind (`Transport`, …).
    outcomes: BTreeMap<&'static str, u64>,
    /// Calls per latency bucket (`BUCKETS_MS`, then one beyond).
    buckets: [u64; BUCKETS_MS.len() + 1],
    total_ms: f64,
    max_ms: f64,
}

/// The counters of one client.
#[derive(Default)]
pub(crate) struct Metrics {
    operations: Mutex<BTreeMap<&'static str, OperationCounts>>,
    requests: AtomicU64,
    retries: AtomicU64,
    failovers: AtomicU64,
    token_fetches: AtomicU64,
    token_store_failures: AtomicU64,
}

impl Metrics {
    /// One call of `operation` that ended with `outcome` after `took`.
    pub fn call(&self, operation: &'static str, outcome: &'static str, took: Duration) {
        let ms = took.as_secs_f64() * 1000.0;
        let bucket = BUCKETS_MS
            .iter()
            .position(|b| ms <= *b as f64)
            .unwrap_or(BUCKETS_MS.len());
        let mut ops = self.operations.lock().unwrap_or_else(|p| p.into_inner());
        let c = ops.entry(operation).or_default();
        *c.outcomes.entry(outcome).or_default() += 1;
        c.buckets[bucket] += 1;
        c.total_ms += ms;
        c.max_ms = c.max_ms.max(ms);
    }

    /// One HTTP request on its way to WeChat.
    pub fn request(&self) {
        self.requests.fetch_add(1, Ordering::Relaxed);
    }

    /// One more attempt after a failure, on the same domain.
    pub fn retry(&self) {
        self.retries.fetch_add(1, Ordering::Relaxed);
    }

    /// One attempt moved to the other domain.
    pub fn failover(&self) {
        self.failovers.fetch_add(1, Ordering::Relaxed);
    }

    /// One access_token or jsapi_ticket fetched from WeChat.
    pub fn token_fetch(&self) {
        self.token_fetches.fetch_add(1, Ordering::Relaxed);
    }

    /// One read or write of the token store that failed.
    pub fn token_store_failure(&self) {
        self.token_store_failures.fetch_add(1, Ordering::Relaxed);
    }

    fn snapshot(&self) -> ClientMetrics {
        let ops = self.operations.lock().unwrap_or_else(|p| p.into_inner());
        ClientMetrics {
            operations: ops
                .iter()
                .map(|(name, c)| {
                    let calls: u64 = c.outcomes.values().sum();
                    OperationMetrics {
                        operation: (*name).to_owned(),
                        calls,
                        outcomes: c
                            .outcomes
                            .iter()
                            .map(|(k, v)| ((*k).to_owned(), *v))
                            .collect(),
                        latency_ms: Latency {
                            p50: percentile(&c.buckets, calls, 0.50, c.max_ms),
                            p90: percentile(&c.buckets, calls, 0.90, c.max_ms),
                            p99: percentile(&c.buckets, calls, 0.99, c.max_ms),
                            max: c.max_ms.ceil() as u64,
                            mean: if calls == 0 {
                                0
                            } else {
                                (c.total_ms / calls as f64).round() as u64
                            },
                        },
                    }
                })
                .collect(),
            requests: self.requests.load(Ordering::Relaxed),
            retries: self.retries.load(Ordering::Relaxed),
            failovers: self.failovers.load(Ordering::Relaxed),
            token_fetches: self.token_fetches.load(Ordering::Relaxed),
            token_store_failures: self.token_store_failures.load(Ordering::Relaxed),
        }
    }

    fn prometheus(&self, mch_id: &str) -> String {
        let snapshot = self.snapshot();
        let ops = self.operations.lock().unwrap_or_else(|p| p.into_inner());
        let label = escape(mch_id);
        let mut out = String::new();
        out.push_str("# HELP wxpay_calls_total wxpay client calls by operation and outcome (ok or the error kind).\n");
        out.push_str("# TYPE wxpay_calls_total counter\n");
        for (op, c) in ops.iter() {
            for (outcome, n) in &c.outcomes {
                let _ = writeln!(
                    out,
                    "wxpay_calls_total{{mch_id=\"{label}\",operation=\"{op}\",outcome=\"{outcome}\"}} {n}"
                );
            }
        }
        out.push_str("# HELP wxpay_call_duration_seconds How long wxpay client calls took, retries included.\n");
        out.push_str("# TYPE wxpay_call_duration_seconds histogram\n");
        for (op, c) in ops.iter() {
            let mut cumulative = 0;
            for (i, n) in c.buckets.iter().enumerate() {
                cumulative += n;
                let le = BUCKETS_MS
                    .get(i)
                    .map_or("+Inf".to_owned(), |ms| format!("{}", *ms as f64 / 1000.0));
                let _ = writeln!(
                    out,
                    "wxpay_call_duration_seconds_bucket{{mch_id=\"{label}\",operation=\"{op}\",le=\"{le}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "wxpay_call_duration_seconds_sum{{mch_id=\"{label}\",operation=\"{op}\"}} {}",
                c.total_ms / 1000.0
            );
            let _ = writeln!(
                out,
                "wxpay_call_duration_seconds_count{{mch_id=\"{label}\",operation=\"{op}\"}} {cumulative}"
            );
        }
        for (name, help, value) in [
            (
                "wxpay_requests_total",
                "HTTP requests sent to WeChat.",
                snapshot.requests,
            ),
            (
                "wxpay_retries_total",
                "Attempts repeated after a failure.",
                snapshot.retries,
            ),
            (
                "wxpay_failovers_total",
                "Attempts moved to the backup domain.",
                snapshot.failovers,
            ),
            (
                "wxpay_token_fetches_total",
                "access_token and jsapi_ticket fetches.",
                snapshot.token_fetches,
            ),
            (
                "wxpay_token_store_failures_total",
                "Token store reads and writes that failed.",
                snapshot.token_store_failures,
            ),
        ] {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name}{{mch_id=\"{label}\"}} {value}"
            );
        }
        out
    }
}

/// A Prometheus label value: backslash, quote and newline escaped.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The upper bound of the bucket holding the `q` quantile, in ms (the
/// largest call seen, for the last bucket).
fn percentile(buckets: &[u64], calls: u64, q: f64, max_ms: f64) -> u64 {
    if calls == 0 {
        return 0;
    }
    let rank = (q * calls as f64).ceil().max(1.0) as u64;
    let mut seen = 0;
    for (i, n) in buckets.iter().enumerate() {
        seen += n;
        if seen >= rank {
            return BUCKETS_MS
                .get(i)
                .map_or(max_ms.ceil() as u64, |b| (*b).min(max_ms.ceil() as u64));
        }
    }
    max_ms.ceil() as u64
}

/// What one client did since it was made (the `metrics` call).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientMetrics {
    /// Calls through the dispatch (every binding's methods), by operation.
    pub operations: Vec<OperationMetrics>,
    /// HTTP requests sent to WeChat (attempts, retries included).
    pub requests: u64,
    /// Attempts repeated after a failure that allowed it.
    pub retries: u64,
    /// Attempts moved to the backup domain after the first failed unsent.
    pub failovers: u64,
    /// access_token and jsapi_ticket fetches from WeChat.
    pub token_fetches: u64,
    /// Token store reads and writes that failed.
    pub token_store_failures: u64,
}

/// The calls of one operation.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationMetrics {
    /// The operation's name, e.g. `query_order`.
    pub operation: String,
    /// How many calls ended.
    pub calls: u64,
    /// Calls by outcome: `ok`, or the error kind (`Transport`, `Business`, …).
    pub outcomes: BTreeMap<String, u64>,
    /// How long the calls took.
    pub latency_ms: Latency,
}

/// Call durations in milliseconds; the percentiles are the upper bounds of
/// the buckets that hold them (5, 10, 25, 50, 100, 250, 500 ms, 1, 2.5, 5,
/// 10, 30 s), never more than the slowest call.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Latency {
    /// Half the calls took at most this long.
    pub p50: u64,
    /// 90 % of the calls took at most this long.
    pub p90: u64,
    /// 99 % of the calls took at most this long.
    pub p99: u64,
    /// The slowest call.
    pub max: u64,
    /// The average.
    pub mean: u64,
}

impl Client {
    /// What this client did since it was made: calls by operation and
    /// outcome with their latency, requests, retries, failovers, token
    /// fetches and token store failures. Calls made through the dispatch
    /// path ([`Client::run`], so every binding's methods) are counted.
    ///
    /// ```
    /// let client = wxpay::Client::new(wxpay::ClientConfig::new("wxd930ea5d5a258f4f", "10000100",
    ///     "192006250b4c09247ec02edce69f6a2d")).unwrap();
    /// client.call_json("oauth_state", r#"["session-1"]"#).unwrap();
    /// let m = client.metrics();
    /// assert_eq!(m.operations[0].operation, "oauth_state");
    /// assert_eq!(m.operations[0].outcomes["ok"], 1);
    /// assert_eq!(m.requests, 0);
    /// ```
    pub fn metrics(&self) -> ClientMetrics {
        self.metrics.snapshot()
    }

    /// [`Client::metrics`] in Prometheus' text format (counters
    /// `wxpay_calls_total`, `wxpay_requests_total`, `wxpay_retries_total`,
    /// `wxpay_failovers_total`, `wxpay_token_fetches_total`,
    /// `wxpay_token_store_failures_total`, and the histogram
    /// `wxpay_call_duration_seconds`), labelled with the client's `mch_id`:
    /// serve it from a `/metrics` endpoint.
    pub fn metrics_prometheus(&self) -> String {
        self.metrics.prometheus(self.merchant.mch_id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_come_from_the_buckets_and_never_exceed_the_slowest() {
        let m = Metrics::default();
        for ms in [1, 2, 3, 40, 40, 40, 40, 40, 40, 700] {
            m.call("query_order", "ok", Duration::from_millis(ms));
        }
        m.call("query_order", "Transport", Duration::from_millis(3));
        let s = m.snapshot();
        let q = &s.operations[0];
        assert_eq!(
            (q.calls, q.outcomes["ok"], q.outcomes["Transport"]),
            (11, 10, 1)
        );
        assert_eq!(
            (q.latency_ms.p50, q.latency_ms.p90, q.latency_ms.max),
            (50, 50, 700)
        );
        assert_eq!(
            q.latency_ms.p99, 700,
            "the last bucket holding a call, capped at the slowest"
        );
        let text = m.prometheus("10000100");
        assert!(text.contains(
            "wxpay_calls_total{mch_id=\"10000100\",operation=\"query_order\",outcome=\"Transport\"} 1"
        ));
        assert!(text.contains(
            "wxpay_call_duration_seconds_bucket{mch_id=\"10000100\",operation=\"query_order\",le=\"0.05\"} 10"
        ));
        assert!(text.contains(
            "wxpay_call_duration_seconds_bucket{mch_id=\"10000100\",operation=\"query_order\",le=\"+Inf\"} 11"
        ));
        assert!(text.contains("wxpay_requests_total{mch_id=\"10000100\"} 0"));
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
