//! Reconciliations a client holds open between calls, so that every
//! binding streams a day through the one dispatch path: start one, feed it
//! the bill and the shop's records in as many calls as the host likes, and
//! finish it (docs/protocol.md §18).

use std::collections::HashMap;
use std::sync::Mutex;

use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::reconcile::{ReconcileOptions, Reconciler, Reconciliation};
use crate::requests::{named, read};

/// At most this many reconciliations open at once on one client: one left
/// unfinished by a crashed job must not let memory grow without end.
pub(crate) const MAX_OPEN: usize = 16;

/// The open reconciliations, by their id.
#[derive(Default)]
pub(crate) struct Reconciliations {
    open: Mutex<HashMap<String, Option<Reconciler>>>,
    next: Mutex<u64>,
}

/// `reconcile_start`'s options.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StartArgs {
    #[serde(default)]
    memory_mib: Option<u64>,
    #[serde(default)]
    spill_dir: Option<String>,
    #[serde(default)]
    list_limit: Option<u64>,
}

/// Reads `reconcile_start`'s named options: `memory_mib` (MiB of entries
/// both sides hold before spilling, default 48), `spill_dir`, `list_limit`
/// (differences listed, default 1,000).
pub(crate) fn options_from_value(args: Value) -> Result<ReconcileOptions> {
    let a: StartArgs = read(Value::Object(named(args, "options")?), "options")?;
    let mut o = ReconcileOptions::default();
    if let Some(mib) = a.memory_mib {
        if mib == 0 || mib > 64 * 1024 {
            return Err(Error::invalid("memory_mib", "must be between 1 and 65536"));
        }
        o.memory_budget = usize::try_from(mib * 1024 * 1024)
            .map_err(|_| Error::invalid("memory_mib", "is more than this machine can address"))?;
    }
    if let Some(dir) = a.spill_dir {
        if dir.is_empty() {
            return Err(Error::invalid("spill_dir", "is empty"));
        }
        o.spill_dir = Some(dir.into());
    }
    if let Some(limit) = a.list_limit {
        o.list_limit = usize::try_from(limit).unwrap_or(usize::MAX);
    }
    Ok(o)
}

fn unknown(id: &str) -> Error {
    Error::invalid(
        "reconciliation",
        format!(
            "{:?} is not an open reconciliation of this client (finished, or never started)",
            crate::message::truncate_for_message(id)
        ),
    )
}

impl Reconciliations {
    pub fn start(&self, options: ReconcileOptions) -> Result<String> {
        let mut open = self
            .open
            .lock()
            .map_err(|_| Error::internal("reconciliations poisoned"))?;
        if open.len() >= MAX_OPEN {
            return Err(Error::invalid(
                "reconciliation",
                format!(
                    "{MAX_OPEN} reconciliations are already open on this client: finish them first"
                ),
            ));
        }
        let mut next = self
            .next
            .lock()
            .map_err(|_| Error::internal("reconciliations poisoned"))?;
        *next += 1;
        let id = format!("reconciliation-{}", *next);
        open.insert(id.clone(), Some(Reconciler::with_options(options)));
        Ok(id)
    }

    /// Runs `f` on reconciliation `id`, taken out of the map meanwhile so
    /// a long bill chunk holds no lock.
    pub fn with<T>(&self, id: &str, f: impl FnOnce(&mut Reconciler) -> Result<T>) -> Result<T> {
        let mut r = self.take(id, false)?;
        // Should `f` panic (a bug, caught at the binding's boundary), the
        // empty slot is dropped with it rather than left "in use" forever,
        // holding one of the client's open reconciliations.
        let guard = Forget {
            map: &self.open,
            id,
        };
        let result = f(&mut r);
        std::mem::forget(guard);
        if let Ok(mut open) = self.open.lock() {
            open.insert(id.to_owned(), Some(r));
        }
        result
    }

    fn take(&self, id: &str, remove: bool) -> Result<Reconciler> {
        let mut open = self
            .open
            .lock()
            .map_err(|_| Error::internal("reconciliations poisoned"))?;
        let slot = open.get_mut(id).ok_or_else(|| unknown(id))?;
        let r = slot.take().ok_or_else(|| {
            Error::invalid(
                "reconciliation",
                "is in use by another call: feed one reconciliation from one thread at a time",
            )
        })?;
        if remove {
            open.remove(id);
        }
        Ok(r)
    }

    /// Finishes `id` and forgets it, whatever the outcome.
    pub fn finish(&self, id: &str) -> Result<Reconciliation> {
        self.take(id, true)?.finish()
    }
}

impl crate::Client {
    /// Opens a reconciliation fed in later calls; Rust callers can use a
    /// [`Reconciler`] of their own instead.
    pub fn reconcile_start(&self, options: ReconcileOptions) -> Result<String> {
        self.reconciliations.start(options)
    }

    /// The next bytes of the bill of reconciliation `id`
    /// ([`Reconciler::bill_bytes`]).
    pub fn reconcile_bill(&self, id: &str, chunk: &[u8]) -> Result<()> {
        self.reconciliations.with(id, |r| r.bill_bytes(chunk))
    }

    /// A batch of the shop's records for reconciliation `id`
    /// ([`Reconciler::shop_records_json`]); returns how many were taken.
    pub fn reconcile_shop(&self, id: &str, records: Value) -> Result<usize> {
        self.reconciliations
            .with(id, |r| r.shop_records_json(records))
    }

    /// The next bytes of the shop's CSV for reconciliation `id`
    /// ([`Reconciler::shop_csv`]).
    pub fn reconcile_shop_csv(&self, id: &str, chunk: &[u8]) -> Result<()> {
        self.reconciliations.with(id, |r| r.shop_csv(chunk))
    }

    /// Downloads the day's `ALL` trade bill (gzip) straight into
    /// reconciliation `id`, its bytes never parsed into rows in memory.
    pub fn reconcile_download_bill(&self, id: &str, bill_date: &str) -> Result<()> {
        self.reconcile_download_bill_as(&self.merchant, id, bill_date)
    }

    /// Downloads the `ALL` trade bill of `bill_date` (gzip) as `m` and feeds
    /// its bytes to reconciliation `id` as they came, never parsing the day
    /// into rows in memory. `Bill Creating` is an error and feeds nothing;
    /// `No Bill Exist` is an empty day.
    pub(crate) fn reconcile_download_bill_as(
        &self,
        m: &crate::Merchant,
        id: &str,
        bill_date: &str,
    ) -> Result<()> {
        let request = crate::DownloadBill {
            bill_date: bill_date.to_owned(),
            bill_type: crate::BillType::All,
            gzip: true,
        }
        .sign(m, self.config.clock.as_ref())?;
        // The reply is taken whole first: an attempt that fails part-way
        // and is tried again must not have fed the reconciliation.
        let body = self.pay_call(
            "/pay/downloadbill",
            &request,
            false,
            crate::MAX_BILL_BYTES,
            self.budget(),
            |body: &[u8]| {
                let gzip = body.starts_with(&[0x1f, 0x8b]);
                let text = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
                if !gzip && text.trim_ascii_start().starts_with(b"<") {
                    crate::Bill::parse(body)?;
                }
                Ok(body.to_vec())
            },
        )?;
        self.reconciliations.with(id, |r| r.bill_bytes(&body))
    }

    /// Compares and reports; reconciliation `id` is closed either way.
    pub fn reconcile_finish(&self, id: &str) -> Result<Reconciliation> {
        self.reconciliations.finish(id)
    }
}

/// Removes a reconciliation's slot when dropped (only on unwinding: the
/// normal path forgets it).
struct Forget<'a> {
    map: &'a Mutex<HashMap<String, Option<Reconciler>>>,
    id: &'a str,
}

impl Drop for Forget<'_> {
    fn drop(&mut self) {
        if let Ok(mut open) = self.map.lock() {
            open.remove(self.id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_finished_once_and_the_open_ones_are_bounded() {
        let r = Reconciliations::default();
        let ids: Vec<String> = (0..MAX_OPEN)
            .map(|_| r.start(ReconcileOptions::default()).unwrap())
            .collect();
        assert!(r.start(ReconcileOptions::default()).is_err());
        // Finishing without a bill fails, and the id is gone all the same.
        assert!(r.finish(&ids[0]).is_err());
        assert_eq!(
            r.finish(&ids[0]).unwrap_err().kind(),
            crate::ErrorKind::InvalidInput
        );
        assert!(r.start(ReconcileOptions::default()).is_ok());
        assert!(r.with("reconciliation-999", |_| Ok(())).is_err());
    }

    #[test]
    fn a_panic_inside_frees_the_slot() {
        let r = Reconciliations::default();
        let id = r.start(ReconcileOptions::default()).unwrap();
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = r.with(&id, |_| -> Result<()> { panic!("a bug") });
        }));
        assert!(caught.is_err());
        // Gone, not stuck "in use": the id is unknown and its place is free.
        assert!(r
            .finish(&id)
            .unwrap_err()
            .to_string()
            .contains("not an open reconciliation"));
        let ids: Vec<String> = (0..MAX_OPEN)
            .map(|_| r.start(ReconcileOptions::default()).unwrap())
            .collect();
        assert_eq!(ids.len(), MAX_OPEN);
    }
}
