//! When a failed call is tried again and how long it waits first — for
//! every cause, in one place. One logical call (an orderquery, a ticket
//! fetch) has one [`Budget`]: its retries, its deadline and its backoff.
//!
//! | cause | tried again | waits | uses a retry |
//! |---|---|---|---|
//! | failure before the request left (DNS, connect, TLS handshake) | at once on the other domain; else on the same one | no / backoff | no / yes |
//! | failure after sending (timeout, reset, 5xx, cut reply) | only when the call is idempotent in effect ([`Retry::AfterSend`]), with the same bytes | backoff | yes |
//! | a retryable answer (`SYSTEMERROR`, a busy MP platform) | with the same bytes | backoff | yes |
//! | a stale access_token (40001, 42001, 40014) | once, after one refresh shared by every thread | no | no |
//!
//! Nothing is tried again past the deadline, nor more than four times
//! before sending (two domains, each twice), however the budget stands.

use std::thread;
use std::time::{Duration, Instant};

use crate::error::Error;

/// How failed calls are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Automatic retries of one call (default 1), whatever their cause.
    /// OAuth code exchange is never retried once sent.
    pub retries: u32,
    /// First backoff (default 500 ms), doubled each time, with 50-100 % jitter.
    pub backoff: Duration,
    /// Longest backoff (default 5 s).
    pub backoff_max: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            retries: 1,
            backoff: Duration::from_millis(500),
            backoff_max: Duration::from_secs(5),
        }
    }
}

/// How an operation may be retried after its request was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// Read-only or idempotent in effect: retry after a post-send failure.
    AfterSend,
    /// Retry only failures that happened before the request left (OAuth
    /// code exchange: a code is single-use).
    PreSendOnly,
}

/// Why an attempt failed.
pub(crate) enum Cause<'a> {
    /// Nothing was sent, and the other domain can be tried at once.
    PreSendElsewhere,
    /// Nothing was sent; the same domain again.
    PreSend,
    /// The request may have reached WeChat.
    PostSend(&'a Error, Retry),
    /// WeChat answered with a failure that says whether to try again.
    Answer(&'a Error),
    /// WeChat refused the access token as stale; it has been refreshed.
    StaleToken,
}

/// The retries, deadline and attempts of one logical call.
pub(crate) struct Budget {
    policy: RetryPolicy,
    deadline: Instant,
    retries_left: u32,
    attempts: u32,
    refreshed_token: bool,
    /// The client's counters, when it counts.
    metrics: Option<std::sync::Arc<crate::client::metrics::Metrics>>,
}

impl Budget {
    /// A fresh budget for one call that must end by `deadline`.
    pub fn new(policy: RetryPolicy, deadline: Instant) -> Self {
        Budget {
            policy,
            deadline,
            retries_left: policy.retries,
            attempts: 0,
            refreshed_token: false,
            metrics: None,
        }
    }

    /// The same budget, counting its attempts, retries and failovers into
    /// `metrics`.
    pub fn counted(mut self, metrics: std::sync::Arc<crate::client::metrics::Metrics>) -> Self {
        self.metrics = Some(metrics);
        self
    }

    /// Time left before the deadline.
    pub fn remaining(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    /// The attempts made so far.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Counts one attempt.
    pub fn attempt(&mut self) {
        self.attempts += 1;
        if let Some(m) = &self.metrics {
            m.request();
        }
    }

    /// Whether to try again after `cause`; waits the backoff first when
    /// the cause calls for it.
    pub fn again(&mut self, cause: Cause<'_>) -> bool {
        let failover = matches!(cause, Cause::PreSendElsewhere);
        let why = match &cause {
            Cause::PreSendElsewhere | Cause::PreSend => "the request did not leave".to_owned(),
            Cause::PostSend(e, _) | Cause::Answer(e) => match e {
                Error::Business { err_code, .. } => format!("{} {err_code}", e.kind().as_str()),
                e => e.kind().as_str().to_owned(),
            },
            Cause::StaleToken => "the access token was stale and has been refreshed".to_owned(),
        };
        let again = self.decide(cause);
        if let (true, Some(m)) = (again, &self.metrics) {
            if failover {
                m.failover();
            } else {
                m.retry();
            }
        }
        // A failover says so itself, with both domains (transport.rs).
        if again && !failover {
            crate::events::emit(
                crate::events::Level::Info,
                "retry",
                format!("trying again (attempt {}): {why}", self.attempts + 1),
                &[
                    ("attempt", (self.attempts + 1).to_string()),
                    ("reason", why),
                ],
            );
        }
        again
    }

    fn decide(&mut self, cause: Cause<'_>) -> bool {
        if self.remaining().is_zero() {
            return false;
        }
        match cause {
            Cause::PreSendElsewhere => self.attempts <= 3,
            Cause::PreSend => self.attempts <= 3 && self.spend(),
            Cause::PostSend(e, Retry::AfterSend) => e.retryable() && self.spend(),
            Cause::PostSend(_, Retry::PreSendOnly) => false,
            Cause::Answer(e) => e.retryable() && self.spend(),
            Cause::StaleToken => !std::mem::replace(&mut self.refreshed_token, true),
        }
    }

    /// Uses one retry, waiting the backoff; false when none is left.
    fn spend(&mut self) -> bool {
        if self.retries_left == 0 {
            return false;
        }
        self.retries_left -= 1;
        self.pause();
        true
    }

    /// Backoff before the next attempt: initial × 2ⁿ, capped, with 50-100 %
    /// jitter, never past the deadline.
    fn pause(&self) {
        let base = self
            .policy
            .backoff
            .saturating_mul(1 << self.attempts.saturating_sub(1).min(10));
        let capped = base.min(self.policy.backoff_max);
        let jitter = 0.5 + 0.5 * crate::clock::random_fraction();
        thread::sleep(capped.mul_f64(jitter).min(self.remaining()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget(retries: u32) -> Budget {
        let policy = RetryPolicy {
            retries,
            backoff: Duration::from_millis(1),
            backoff_max: Duration::from_millis(1),
        };
        Budget::new(policy, Instant::now() + Duration::from_secs(5))
    }

    fn transport(retryable: bool) -> Error {
        Error::Transport {
            message: "x".into(),
            retryable,
            sent: true,
        }
    }

    #[test]
    fn one_budget_for_every_cause() {
        let mut b = budget(1);
        b.attempt();
        let systemerror = Error::Business {
            err_code: "SYSTEMERROR".into(),
            err_code_des: String::new(),
            retryable: true,
        };
        assert!(b.again(Cause::Answer(&systemerror)));
        b.attempt();
        // The one retry is spent: a reset after it is final.
        assert!(!b.again(Cause::PostSend(&transport(true), Retry::AfterSend)));
    }

    #[test]
    fn what_is_never_retried() {
        let mut b = budget(5);
        b.attempt();
        assert!(!b.again(Cause::PostSend(&transport(true), Retry::PreSendOnly)));
        assert!(!b.again(Cause::PostSend(&transport(false), Retry::AfterSend)));
        let orderpaid = Error::Business {
            err_code: "ORDERPAID".into(),
            err_code_des: String::new(),
            retryable: false,
        };
        assert!(!b.again(Cause::Answer(&orderpaid)));
    }

    #[test]
    fn the_other_domain_is_free_but_bounded() {
        let mut b = budget(0);
        for _ in 0..3 {
            b.attempt();
            assert!(b.again(Cause::PreSendElsewhere));
        }
        b.attempt();
        assert!(!b.again(Cause::PreSendElsewhere));
        assert!(!budget(0).again(Cause::PreSend));
    }

    #[test]
    fn a_stale_token_is_refreshed_once_without_a_retry() {
        let mut b = budget(0);
        assert!(b.again(Cause::StaleToken));
        assert!(!b.again(Cause::StaleToken));
    }

    #[test]
    fn nothing_after_the_deadline() {
        let mut b = Budget::new(RetryPolicy::default(), Instant::now());
        assert!(!b.again(Cause::PreSendElsewhere));
        assert!(!b.again(Cause::StaleToken));
    }
}
