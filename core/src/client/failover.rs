//! Which of the two domains (primary, backup) to use.
//!
//! Like WeChat's own SDK: after more than 2 failures that happened before
//! the request left (DNS, connect) within a minute, new calls go to the
//! backup for 3 minutes; then the primary is tried again. A success on the
//! primary clears the count.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures before switching.
const THRESHOLD: u32 = 2;
/// Window in which failures are counted.
const WINDOW: Duration = Duration::from_secs(60);
/// How long to stay on the backup.
const COOL_DOWN: Duration = Duration::from_secs(180);

#[derive(Debug, Default)]
struct Health {
    failures: u32,
    first_failure: Option<Instant>,
    on_backup_until: Option<Instant>,
}

/// A primary base URL, an optional backup, and the primary's health.
#[derive(Debug)]
pub(crate) struct Domains {
    pub primary: String,
    pub backup: Option<String>,
    health: Mutex<Health>,
}

impl Domains {
    pub fn new(primary: &str, backup: Option<&str>) -> Self {
        Domains {
            primary: primary.trim_end_matches('/').to_owned(),
            backup: backup
                .map(|b| b.trim_end_matches('/').to_owned())
                .filter(|b| !b.is_empty()),
            health: Mutex::new(Health::default()),
        }
    }

    fn health(&self) -> std::sync::MutexGuard<'_, Health> {
        self.health.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The base URL for a new call.
    pub fn pick(&self) -> &str {
        let mut h = self.health();
        match (h.on_backup_until, &self.backup) {
            (Some(until), Some(backup)) if Instant::now() < until => backup,
            (Some(_), _) => {
                // Cool-down over: probe the primary again with a clean slate.
                *h = Health::default();
                &self.primary
            }
            _ => &self.primary,
        }
    }

    /// The other base URL, for an immediate retry after a pre-send failure.
    pub fn other(&self, base: &str) -> Option<&str> {
        let backup = self.backup.as_deref()?;
        Some(if base == self.primary {
            backup
        } else {
            &self.primary
        })
    }

    pub fn report_pre_send_failure(&self, base: &str) {
        if base != self.primary {
            return;
        }
        let mut h = self.health();
        let now = Instant::now();
        match h.first_failure {
            Some(first) if now.duration_since(first) <= WINDOW => h.failures += 1,
            _ => {
                h.first_failure = Some(now);
                h.failures = 1;
            }
        }
        if h.failures > THRESHOLD && self.backup.is_some() {
            h.on_backup_until = Some(now + COOL_DOWN);
        }
    }

    pub fn report_success(&self, base: &str) {
        if base == self.primary {
            let mut h = self.health();
            h.failures = 0;
            h.first_failure = None;
        }
    }

    /// Whether new calls currently go to the backup.
    pub fn on_backup(&self) -> bool {
        self.pick() != self.primary
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switches_after_more_than_two_pre_send_failures() {
        let d = Domains::new("http://a", Some("http://b/"));
        assert_eq!(d.pick(), "http://a");
        d.report_pre_send_failure("http://a");
        d.report_pre_send_failure("http://a");
        assert_eq!(d.pick(), "http://a");
        d.report_pre_send_failure("http://a");
        assert_eq!(d.pick(), "http://b");
        assert!(d.on_backup());
        assert_eq!(d.other("http://b"), Some("http://a"));
    }

    #[test]
    fn success_clears_the_count_and_no_backup_means_no_switch() {
        let d = Domains::new("http://a", Some("http://b"));
        d.report_pre_send_failure("http://a");
        d.report_pre_send_failure("http://a");
        d.report_success("http://a");
        d.report_pre_send_failure("http://a");
        assert_eq!(d.pick(), "http://a");
        let solo = Domains::new("http://a", None);
        for _ in 0..5 {
            solo.report_pre_send_failure("http://a");
        }
        assert_eq!(solo.pick(), "http://a");
        assert_eq!(solo.other("http://a"), None);
    }
}
