//! Reconciliation: one day's trade bill against the shop's own records.
//!
//! The bill says what WeChat holds; the shop's database says what the shop
//! believes. [`Reconciler`] takes both — the bill as bytes as they arrive
//! (plain or gzip) or parsed, the shop's payments and refunds one by one
//! or in batches — and reports every payment or refund on one side only,
//! every amount that differs and every duplicate, with totals
//! (docs/protocol.md §18).
//!
//! Memory stays bounded whatever the size of the day: each side is sorted
//! in runs of at most half [`ReconcileOptions::memory_budget`], spilled to
//! unlinked temporary files, and merged in one pass.
//!
//! ```
//! use wxpay::Reconciler;
//! let bill = "交易时间,微信订单号,商户订单号,交易状态,应结订单金额,商户退款单号,退款金额,订单金额,申请退款金额\r\n\
//!             `2024-01-02 10:00:00,`4200001,`order-1,`SUCCESS,`9.90,`0,`0.00,`9.90,`0.00\r\n\
//!             `2024-01-02 11:00:00,`4200002,`order-2,`SUCCESS,`5.00,`0,`0.00,`5.00,`0.00\r\n\
//!             总交易单数,应结订单总金额,退款总金额\r\n`2,`14.90,`0.00\r\n";
//! let mut r = Reconciler::new();
//! r.bill_bytes(bill.as_bytes())?;
//! r.shop_payment("order-1", 990, None)?;
//! r.shop_payment("order-3", 100, None)?;
//! let report = r.finish()?;
//! assert!(!report.balanced);
//! assert_eq!(report.matched.payments, 1);
//! assert_eq!(report.counts.wechat_only, 1); // order-2: paid at WeChat only
//! assert_eq!(report.counts.shop_only, 1); // order-3: paid at the shop only
//! # Ok::<(), wxpay::Error>(())
//! ```

mod bill_rows;
mod entry;
mod report;
mod runs;
mod shop_csv;
mod shop_records;

use std::path::PathBuf;

use bill_rows::{BillRow, BillStream, BillTable};
use entry::{Entry, EntryKind};
use runs::{Merged, SortedSide};
use shop_csv::ShopCsv;

pub use report::{Difference, DifferenceCounts, DifferenceKind, Reconciliation, SideTotals};
pub use shop_records::ShopRecord;

use crate::error::{Error, Result};
use crate::Bill;

/// How a [`Reconciler`] uses memory and reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReconcileOptions {
    /// Bytes of entries held in memory before they are sorted to spill
    /// files, half for each side (default 48 MiB: about 150,000 entries a
    /// side).
    pub memory_budget: usize,
    /// Where spill files go (default: the system's temporary directory).
    pub spill_dir: Option<PathBuf>,
    /// How many differences [`Reconciliation::differences`] lists (default
    /// 1,000); every one is counted, and [`Reconciler::finish_each`] sees
    /// them all.
    pub list_limit: usize,
}

impl Default for ReconcileOptions {
    fn default() -> Self {
        ReconcileOptions {
            memory_budget: 48 * 1024 * 1024,
            spill_dir: None,
            list_limit: 1000,
        }
    }
}

/// Where the bill is in its reading.
enum BillInput {
    NotYet,
    Streaming(BillStream),
    Done,
}

/// Reconciles one day: feed the bill and the shop's records in any order,
/// then [`finish`](Reconciler::finish). See the [module](self) docs.
pub struct Reconciler {
    options: ReconcileOptions,
    bill: BillInput,
    table: BillTable,
    shop_csv: Option<ShopCsv>,
    wechat: SortedSide,
    shop: SortedSide,
    wechat_totals: SideTotals,
    shop_totals: SideTotals,
    revoked: u64,
    no_bill: bool,
    /// A bill that failed part-way leaves half a day behind: every later
    /// call is refused rather than reporting on it.
    failed: bool,
}

impl Default for Reconciler {
    fn default() -> Self {
        Reconciler::new()
    }
}

impl Reconciler {
    /// A reconciler with the default options.
    pub fn new() -> Reconciler {
        Reconciler::with_options(ReconcileOptions::default())
    }

    /// A reconciler with `options`.
    pub fn with_options(options: ReconcileOptions) -> Reconciler {
        let dir = options.spill_dir.clone().unwrap_or_else(std::env::temp_dir);
        let budget = (options.memory_budget / 2).max(1);
        Reconciler {
            wechat: SortedSide::new(budget, dir.clone()),
            shop: SortedSide::new(budget, dir),
            options,
            bill: BillInput::NotYet,
            table: BillTable::new(),
            shop_csv: None,
            wechat_totals: SideTotals::default(),
            shop_totals: SideTotals::default(),
            revoked: 0,
            no_bill: false,
            failed: false,
        }
    }

    fn usable(&self) -> Result<()> {
        if self.failed {
            return Err(Error::invalid(
                "reconciler",
                "an earlier bill error left this reconciliation incomplete; start a new one",
            ));
        }
        Ok(())
    }

    /// Runs `f`; if it fails, nothing more is accepted.
    fn guarded(&mut self, f: impl FnOnce(&mut Self) -> Result<()>) -> Result<()> {
        self.usable()?;
        let result = f(self);
        if result.is_err() {
            self.failed = true;
        }
        result
    }

    fn bill_row(
        wechat: &mut SortedSide,
        totals: &mut SideTotals,
        revoked: &mut u64,
        row: BillRow,
    ) -> Result<()> {
        match row {
            BillRow::Entry(e) => {
                totals.add(&e);
                wechat.push(e)
            }
            BillRow::Revoked => {
                *revoked += 1;
                Ok(())
            }
        }
    }

    /// The next bytes of the trade bill, as downloaded (plain text or
    /// gzip, or WeChat's XML answer `No Bill Exist`), in chunks of any
    /// size. Use the `ALL` bill: it holds the day's payments and refunds.
    pub fn bill_bytes(&mut self, chunk: &[u8]) -> Result<()> {
        self.guarded(|r| {
            if matches!(r.bill, BillInput::Done) {
                return Err(Error::invalid(
                    "bill",
                    "this reconciliation already has its bill",
                ));
            }
            if matches!(r.bill, BillInput::NotYet) {
                r.bill = BillInput::Streaming(BillStream::new());
            }
            let BillInput::Streaming(stream) = &mut r.bill else {
                return Err(Error::internal("bill stream missing"));
            };
            let (wechat, totals, revoked) = (&mut r.wechat, &mut r.wechat_totals, &mut r.revoked);
            stream.write(chunk, &mut r.table, &mut |row| {
                Self::bill_row(wechat, totals, revoked, row)
            })
        })
    }

    /// A bill already parsed whole ([`Bill::parse`], the client's
    /// `download_bill`), instead of [`bill_bytes`](Reconciler::bill_bytes).
    pub fn bill(&mut self, bill: &Bill) -> Result<()> {
        self.guarded(|r| {
            if !matches!(r.bill, BillInput::NotYet) {
                return Err(Error::invalid(
                    "bill",
                    "this reconciliation already has its bill",
                ));
            }
            r.bill = BillInput::Done;
            r.no_bill = bill.no_bill;
            let (wechat, totals, revoked) = (&mut r.wechat, &mut r.wechat_totals, &mut r.revoked);
            r.table
                .feed_bill(bill, |row| Self::bill_row(wechat, totals, revoked, row))
        })
    }

    /// One payment the shop recorded for the day: its order and total in
    /// fen, and the `transaction_id` if the shop kept it (then it is
    /// compared too).
    pub fn shop_payment(
        &mut self,
        out_trade_no: &str,
        total_fee: u64,
        transaction_id: Option<&str>,
    ) -> Result<()> {
        self.shop_record(ShopRecord::Payment {
            out_trade_no: out_trade_no.to_owned(),
            total_fee,
            transaction_id: transaction_id.map(str::to_owned),
        })
    }

    /// One refund the shop asked for that day: the refund, its order, the
    /// amount in fen, and the `refund_id` if the shop kept it.
    pub fn shop_refund(
        &mut self,
        out_refund_no: &str,
        out_trade_no: &str,
        refund_fee: u64,
        refund_id: Option<&str>,
    ) -> Result<()> {
        self.shop_record(ShopRecord::Refund {
            out_refund_no: out_refund_no.to_owned(),
            out_trade_no: out_trade_no.to_owned(),
            refund_fee,
            refund_id: refund_id.map(str::to_owned),
        })
    }

    /// One record of the shop.
    pub fn shop_record(&mut self, record: ShopRecord) -> Result<()> {
        self.usable()?;
        let entry = record.into_entry()?;
        self.push_shop(entry)
    }

    /// The next bytes of the shop's records as CSV, in chunks of any size:
    /// a header naming the columns (`out_trade_no`, `total_fee`,
    /// `transaction_id`, `out_refund_no`, `refund_fee`, `refund_id`; other
    /// columns are ignored), then one payment or refund per line (a line
    /// with an `out_refund_no` is a refund), amounts in whole fen. A bad line
    /// is an error naming it, and ends this reconciliation.
    ///
    /// ```
    /// let mut r = wxpay::Reconciler::new();
    /// r.shop_csv(b"out_trade_no,total_fee,out_refund_no,refund_fee\norder-1,990,,\n")?;
    /// r.shop_csv(b"order-1,,refund-1,100\n")?;
    /// # Ok::<(), wxpay::Error>(())
    /// ```
    pub fn shop_csv(&mut self, chunk: &[u8]) -> Result<()> {
        self.guarded(|r| {
            let mut csv = r.shop_csv.take().unwrap_or_default();
            let result = csv.write(chunk, &mut |rec| r.shop_entry(rec));
            r.shop_csv = Some(csv);
            result
        })
    }

    fn shop_entry(&mut self, record: ShopRecord) -> Result<()> {
        let entry = record.into_entry()?;
        self.push_shop(entry)
    }

    fn push_shop(&mut self, entry: Entry) -> Result<()> {
        self.shop_totals.add(&entry);
        let pushed = self.shop.push(entry);
        if pushed.is_err() {
            self.failed = true;
        }
        pushed
    }

    /// A batch of the shop's records as JSON (an array of objects, see
    /// [`ShopRecord::from_value`]), as bindings hand them over. The whole
    /// batch is checked before any of it is taken: a bad record changes
    /// nothing. Returns how many were taken.
    pub fn shop_records_json(&mut self, records: serde_json::Value) -> Result<usize> {
        self.usable()?;
        let entries = shop_records::entries_from_value(records)?;
        let n = entries.len();
        for e in entries {
            self.push_shop(e)?;
        }
        Ok(n)
    }

    /// Compares both sides and reports; see [`Reconciler::finish_each`] to
    /// see every difference rather than the first
    /// [`ReconcileOptions::list_limit`].
    pub fn finish(self) -> Result<Reconciliation> {
        self.finish_each(|_| Ok(()))
    }

    /// Compares both sides, calling `on_difference` with every difference
    /// in key order (payments by `out_trade_no`, then refunds by
    /// `out_refund_no`) — to write them to a file without holding them.
    pub fn finish_each(
        mut self,
        mut on_difference: impl FnMut(&Difference) -> Result<()>,
    ) -> Result<Reconciliation> {
        self.usable()?;
        if let Some(csv) = self.shop_csv.take() {
            csv.finish(&mut |rec| self.shop_entry(rec))?;
        }
        match std::mem::replace(&mut self.bill, BillInput::Done) {
            BillInput::NotYet => {
                return Err(Error::invalid(
                    "bill",
                    "no bill was given to reconcile against",
                ))
            }
            BillInput::Streaming(stream) => {
                let (wechat, totals, revoked) =
                    (&mut self.wechat, &mut self.wechat_totals, &mut self.revoked);
                let mut on_row = |row| Self::bill_row(wechat, totals, revoked, row);
                stream.finish(&mut self.table, &mut on_row)?;
                self.no_bill = self.table.no_bill();
            }
            BillInput::Done => {}
        }
        let mut report = Reconciliation {
            no_bill: self.no_bill,
            wechat: self.wechat_totals,
            wechat_revoked: self.revoked,
            shop: self.shop_totals,
            ..Reconciliation::default()
        };
        let list_limit = self.options.list_limit;
        let mut emit = |d: Difference, report: &mut Reconciliation| -> Result<()> {
            report.counts.add(d.kind);
            on_difference(&d)?;
            if report.differences.len() < list_limit {
                report.differences.push(d);
            } else {
                report.unlisted += 1;
            }
            Ok(())
        };
        let mut wechat = self.wechat.into_sorted()?;
        let mut shop = self.shop.into_sorted()?;
        loop {
            let order = match (wechat.peek(), shop.peek()) {
                (None, None) => break,
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (Some(w), Some(s)) => w.sort_key().cmp(&s.sort_key()),
            };
            let w = match order {
                std::cmp::Ordering::Greater => None,
                _ => wechat.next_entry()?,
            };
            let s = match order {
                std::cmp::Ordering::Less => None,
                _ => shop.next_entry()?,
            };
            let Some(first) = w.as_ref().or(s.as_ref()) else {
                break;
            };
            let kind = match (&w, &s) {
                (Some(_), None) => Some(DifferenceKind::WechatOnly),
                (None, Some(_)) => Some(DifferenceKind::ShopOnly),
                (Some(w), Some(s)) if w.fen != s.fen => Some(DifferenceKind::AmountDiffers),
                (Some(w), Some(s)) if !s.wechat_id.is_empty() && s.wechat_id != w.wechat_id => {
                    Some(DifferenceKind::IdDiffers)
                }
                _ => None,
            };
            match kind {
                Some(kind) => emit(
                    Difference::new(kind, first, w.as_ref(), s.as_ref()),
                    &mut report,
                )?,
                None => report.matched.add(first),
            }
            let (kind, key) = (first.kind, first.key.clone());
            for (side, dup) in [
                (&mut wechat, DifferenceKind::DuplicateAtWechat),
                (&mut shop, DifferenceKind::DuplicateAtShop),
            ] {
                while let Some(again) = next_same(side, kind, &key)? {
                    let (w, s) = if dup == DifferenceKind::DuplicateAtWechat {
                        (Some(&again), None)
                    } else {
                        (None, Some(&again))
                    };
                    emit(Difference::new(dup, &again, w, s), &mut report)?;
                }
            }
        }
        report.balanced = report.counts.total() == 0;
        Ok(report)
    }
}

/// The next entry of `side` if it has the same key again.
fn next_same(side: &mut Merged, kind: EntryKind, key: &str) -> Result<Option<Entry>> {
    match side.peek() {
        Some(e) if e.kind == kind && e.key == key => side.next_entry(),
        _ => Ok(None),
    }
}
