//! The trade bill read row by row as its bytes arrive (plain or gzip), so
//! a day of a million orders is never held whole. The rows are checked
//! against the bill's own summary: a bill cut short is an error, never a
//! smaller day.

use std::io::{self, Write};

use super::entry::{Entry, EntryKind};
use crate::api::download_bill::{split_values, Bill};
use crate::error::{Error, Result};

/// The largest XML refusal read (a refusal is a few hundred bytes).
const MAX_REFUSAL_BYTES: usize = 64 * 1024;
/// The longest line of a bill (a row is a few hundred bytes).
const MAX_LINE_BYTES: usize = 64 * 1024;

/// Positions of the columns reconciliation reads, found by name: WeChat
/// has changed the set and order of columns over the years (docs/protocol.md §18).
struct Columns {
    count: usize,
    out_trade_no: usize,
    transaction_id: usize,
    trade_state: usize,
    /// 订单金额 (the order's total_fee), or 总金额 in the older layout.
    order_fen: usize,
    out_refund_no: Option<usize>,
    refund_id: Option<usize>,
    /// 申请退款金额 (the refund_fee asked), or 退款金额 in the older layout.
    refund_fen: Option<usize>,
    /// What the summary adds up: 应结订单金额 (or 总金额) and 退款金额.
    settlement_fen: Option<usize>,
    settled_refund_fen: Option<usize>,
}

fn find(columns: &[String], names: &[&str]) -> Option<usize> {
    names
        .iter()
        .find_map(|n| columns.iter().position(|c| c.trim() == *n))
}

impl Columns {
    fn read(columns: &[String]) -> Result<Columns> {
        let need = |names: &[&str]| {
            find(columns, names).ok_or_else(|| {
                Error::bad_reply(format!(
                    "the bill has no {} column: is it a trade bill (downloadbill)?",
                    names[0]
                ))
            })
        };
        Ok(Columns {
            count: columns.len(),
            out_trade_no: need(&["商户订单号"])?,
            transaction_id: need(&["微信订单号"])?,
            trade_state: need(&["交易状态"])?,
            order_fen: need(&["订单金额", "总金额"])?,
            out_refund_no: find(columns, &["商户退款单号"]),
            refund_id: find(columns, &["微信退款单号"]),
            refund_fen: find(columns, &["申请退款金额", "退款金额"]),
            settlement_fen: find(columns, &["应结订单金额", "总金额"]),
            settled_refund_fen: find(columns, &["退款金额"]),
        })
    }
}

/// What a bill row turned out to be.
pub(crate) enum BillRow {
    Entry(Entry),
    /// A reversed counter payment (`REVOKED`): WeChat holds nothing for it.
    Revoked,
}

/// The rows and the summary they must add up to.
pub(crate) struct BillTable {
    columns: Option<Columns>,
    rows: u64,
    settlement_fen: u64,
    settled_refund_fen: u64,
    summarised: bool,
    no_bill: bool,
}

fn fen(value: &str, what: &str, row: u64) -> Result<u64> {
    crate::yuan_to_fen(value.trim()).map_err(|_| {
        Error::bad_reply(format!(
            "bill row {row}: {what} {:?} is not an amount in yuan",
            crate::message::truncate_for_message(value)
        ))
    })
}

impl BillTable {
    pub fn new() -> BillTable {
        BillTable {
            columns: None,
            rows: 0,
            settlement_fen: 0,
            settled_refund_fen: 0,
            summarised: false,
            no_bill: false,
        }
    }

    /// WeChat answered that it has no bill for the day.
    pub fn no_bill(&self) -> bool {
        self.no_bill
    }

    pub fn header(&mut self, columns: &[String]) -> Result<()> {
        self.columns = Some(Columns::read(columns)?);
        Ok(())
    }

    pub fn row(&mut self, values: &[String]) -> Result<BillRow> {
        let c = self
            .columns
            .as_ref()
            .ok_or_else(|| Error::bad_reply("the bill has a row before its header"))?;
        if self.summarised {
            return Err(Error::bad_reply("the bill has lines after its summary"));
        }
        self.rows += 1;
        let n = self.rows;
        if values.len() != c.count {
            return Err(Error::bad_reply(format!(
                "bill row {n} has {} values for {} columns",
                values.len(),
                c.count
            )));
        }
        let value = |i: usize| values[i].trim();
        let optional = |i: Option<usize>| i.map(value).unwrap_or("");
        if let Some(i) = c.settlement_fen {
            self.settlement_fen =
                self.settlement_fen
                    .saturating_add(fen(value(i), "the settlement amount", n)?);
        }
        if let Some(i) = c.settled_refund_fen {
            self.settled_refund_fen =
                self.settled_refund_fen
                    .saturating_add(fen(value(i), "the refund amount", n)?);
        }
        let out_trade_no = value(c.out_trade_no);
        if out_trade_no.is_empty() {
            return Err(Error::bad_reply(format!("bill row {n} has no 商户订单号")));
        }
        match value(c.trade_state) {
            "SUCCESS" => Ok(BillRow::Entry(Entry {
                kind: EntryKind::Payment,
                key: out_trade_no.to_owned(),
                out_trade_no: out_trade_no.to_owned(),
                fen: fen(value(c.order_fen), "the order amount", n)?,
                wechat_id: value(c.transaction_id).to_owned(),
            })),
            "REFUND" => {
                let out_refund_no = optional(c.out_refund_no);
                if out_refund_no.is_empty() {
                    return Err(Error::bad_reply(format!(
                        "bill row {n} is a refund without 商户退款单号"
                    )));
                }
                let amount = c.refund_fen.ok_or_else(|| {
                    Error::bad_reply("the bill has refund rows but no refund amount column")
                })?;
                Ok(BillRow::Entry(Entry {
                    kind: EntryKind::Refund,
                    key: out_refund_no.to_owned(),
                    out_trade_no: out_trade_no.to_owned(),
                    fen: fen(value(amount), "the refund amount", n)?,
                    wechat_id: optional(c.refund_id).to_owned(),
                }))
            }
            "REVOKED" => Ok(BillRow::Revoked),
            other => Err(Error::bad_reply(format!(
                "bill row {n} has trade state {:?}, which wxpay cannot reconcile",
                crate::message::truncate_for_message(other)
            ))),
        }
    }

    pub fn summary(&mut self, names: &[String], values: &[String]) -> Result<()> {
        if self.columns.is_none() {
            return Err(Error::bad_reply("the bill has no header"));
        }
        if self.summarised {
            return Err(Error::bad_reply("the bill has two summaries"));
        }
        if names.len() != values.len() {
            return Err(Error::bad_reply(
                "the bill's summary has the wrong number of values",
            ));
        }
        let get = |wanted: &[&str]| find(names, wanted).map(|i| values[i].trim());
        let count = get(&["总交易单数"])
            .ok_or_else(|| Error::bad_reply("the bill's summary has no 总交易单数"))?;
        let count_ok = count
            .split_once('.')
            .map_or(Some(count), |(int, frac)| {
                frac.bytes().all(|b| b == b'0').then_some(int)
            })
            .and_then(|int| int.parse::<u64>().ok());
        if count_ok != Some(self.rows) {
            return Err(Error::bad_reply(format!(
                "the bill has {} rows but its summary counts {:?}: it was cut short or altered",
                self.rows,
                crate::message::truncate_for_message(count)
            )));
        }
        let sums = [
            (
                &["应结订单总金额", "总交易额"][..],
                self.settlement_fen,
                "settlement",
            ),
            (
                &["退款总金额", "总退款金额"][..],
                self.settled_refund_fen,
                "refund",
            ),
        ];
        for (names, rows_fen, what) in sums {
            if let Some(total) = get(names) {
                let total = fen(total, "a summary total", 0)?;
                if total != rows_fen {
                    return Err(Error::bad_reply(format!(
                        "the bill's rows add up to {rows_fen} fen of {what} but its summary says {total}"
                    )));
                }
            }
        }
        self.summarised = true;
        Ok(())
    }

    pub fn finish(&self) -> Result<()> {
        if !self.summarised {
            return Err(Error::bad_reply(
                "the bill ends before its summary: it was cut short",
            ));
        }
        Ok(())
    }

    /// Feeds a bill parsed whole ([`Bill::parse`], `download_bill`).
    pub fn feed_bill(
        &mut self,
        bill: &Bill,
        mut on_row: impl FnMut(BillRow) -> Result<()>,
    ) -> Result<()> {
        if bill.no_bill {
            self.summarised = true;
            self.no_bill = true;
            return Ok(());
        }
        self.header(&bill.columns)?;
        for row in &bill.rows {
            on_row(self.row(row)?)?;
        }
        self.summary(&bill.summary_columns, &bill.summary)
    }
}

/// Where the bytes of a bill go once their format is known.
enum Format {
    /// Fewer than two bytes seen: gzip or not is still open.
    Undecided(Vec<u8>),
    Plain,
    Gzip(Box<flate2::write::MultiGzDecoder<Vec<u8>>>),
}

/// Bill bytes in, rows out: `write` as the bytes arrive, then `finish`.
pub(crate) struct BillStream {
    format: Format,
    lines: Lines,
    decompressed: u64,
}

/// The most a gzip bill may inflate to: far above a real day, low enough
/// that a crafted archive cannot keep the process busy for hours.
const MAX_INFLATED_BYTES: u64 = 16 * 1024 * 1024 * 1024;

impl BillStream {
    pub fn new() -> BillStream {
        BillStream {
            format: Format::Undecided(Vec::new()),
            lines: Lines::default(),
            decompressed: 0,
        }
    }

    /// Reads the next bytes of the bill; `on_row` gets each row as soon as
    /// its line is complete.
    pub fn write(
        &mut self,
        bytes: &[u8],
        table: &mut BillTable,
        on_row: &mut dyn FnMut(BillRow) -> Result<()>,
    ) -> Result<()> {
        match &mut self.format {
            Format::Undecided(seen) => {
                seen.extend_from_slice(bytes);
                if seen.len() < 2 {
                    return Ok(());
                }
                let seen = std::mem::take(seen);
                self.decide(&seen);
                self.write(&seen, table, on_row)
            }
            Format::Plain => self.lines.feed(bytes, table, on_row),
            Format::Gzip(gz) => {
                gz.write_all(bytes).map_err(gzip_error)?;
                let out = std::mem::take(gz.get_mut());
                self.inflated(&out, table, on_row)
            }
        }
    }

    fn decide(&mut self, first: &[u8]) {
        self.format = if first.starts_with(&[0x1f, 0x8b]) {
            Format::Gzip(Box::new(flate2::write::MultiGzDecoder::new(Vec::new())))
        } else {
            Format::Plain
        };
    }

    fn inflated(
        &mut self,
        out: &[u8],
        table: &mut BillTable,
        on_row: &mut dyn FnMut(BillRow) -> Result<()>,
    ) -> Result<()> {
        self.decompressed += out.len() as u64;
        if self.decompressed > MAX_INFLATED_BYTES {
            return Err(Error::bad_reply(
                "the gzip bill inflates to more than 16 GiB",
            ));
        }
        self.lines.feed(out, table, on_row)
    }

    /// The bill is complete: the last line, the XML refusal if it was one,
    /// and the summary check.
    pub fn finish(
        mut self,
        table: &mut BillTable,
        on_row: &mut dyn FnMut(BillRow) -> Result<()>,
    ) -> Result<()> {
        if let Format::Undecided(seen) = &mut self.format {
            let seen = std::mem::take(seen);
            self.format = Format::Plain;
            self.lines.feed(&seen, table, on_row)?;
        }
        if let Format::Gzip(gz) = &mut self.format {
            gz.try_finish().map_err(gzip_error)?;
            let out = std::mem::take(gz.get_mut());
            self.inflated(&out, table, on_row)?;
        }
        self.lines.finish(table, on_row)
    }
}

fn gzip_error(e: io::Error) -> Error {
    Error::bad_reply(format!("the gzip bill cannot be read: {e}"))
}

/// Splits the text into lines and hands each to the table.
#[derive(Default)]
struct Lines {
    partial: Vec<u8>,
    /// Whether the header line was seen.
    started: bool,
    /// The body is WeChat's XML refusal, kept whole to be read at the end.
    xml: Option<Vec<u8>>,
    /// The summary's header, once seen; the next line is its values.
    summary_names: Option<Vec<String>>,
}

impl Lines {
    fn feed(
        &mut self,
        mut bytes: &[u8],
        table: &mut BillTable,
        on_row: &mut dyn FnMut(BillRow) -> Result<()>,
    ) -> Result<()> {
        loop {
            if let Some(xml) = &mut self.xml {
                xml.extend_from_slice(bytes);
                if xml.len() > MAX_REFUSAL_BYTES {
                    return Err(Error::bad_reply(
                        "the bill starts like XML but is too long for a refusal",
                    ));
                }
                return Ok(());
            }
            let Some(end) = bytes.iter().position(|&b| b == b'\n') else {
                self.partial.extend_from_slice(bytes);
                if self.partial.len() > MAX_LINE_BYTES {
                    return Err(Error::bad_reply("the bill has a line longer than 64 KiB"));
                }
                return Ok(());
            };
            self.partial.extend_from_slice(&bytes[..end]);
            bytes = &bytes[end + 1..];
            let line = std::mem::take(&mut self.partial);
            if self.line(&line, table, on_row)? {
                // The first line was XML: everything is the refusal.
                let mut xml = line;
                xml.push(b'\n');
                self.xml = Some(xml);
            }
        }
    }

    /// Handles one line; true when the first line shows an XML refusal.
    fn line(
        &mut self,
        line: &[u8],
        table: &mut BillTable,
        on_row: &mut dyn FnMut(BillRow) -> Result<()>,
    ) -> Result<bool> {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let line = if self.started {
            line
        } else {
            line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line)
        };
        if line.trim_ascii().is_empty() {
            return Ok(false);
        }
        if !self.started && line.trim_ascii_start().starts_with(b"<") {
            return Ok(true);
        }
        let text =
            std::str::from_utf8(line).map_err(|_| Error::bad_reply("the bill is not UTF-8"))?;
        if !self.started {
            self.started = true;
            let columns: Vec<String> = text.split(',').map(str::to_owned).collect();
            table.header(&columns)?;
            return Ok(false);
        }
        match split_values(text) {
            Some(values) => match self.summary_names.take() {
                Some(names) => table.summary(&names, &values)?,
                None => on_row(table.row(&values)?)?,
            },
            None => {
                if self.summary_names.is_some() || table.summarised {
                    return Err(Error::bad_reply("the bill has lines after its summary"));
                }
                self.summary_names = Some(text.split(',').map(str::to_owned).collect());
            }
        }
        Ok(false)
    }

    fn finish(
        mut self,
        table: &mut BillTable,
        on_row: &mut dyn FnMut(BillRow) -> Result<()>,
    ) -> Result<()> {
        let rest = std::mem::take(&mut self.partial);
        if !rest.is_empty() && self.line(&rest, table, on_row)? {
            self.xml = Some(rest);
        }
        if let Some(xml) = self.xml {
            let bill = Bill::parse(&xml)?;
            return table.feed_bill(&bill, on_row);
        }
        if !self.started {
            return Err(Error::bad_reply("the bill is empty"));
        }
        table.finish()
    }
}
