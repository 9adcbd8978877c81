//! The shop's records as CSV, read as the bytes arrive: a header naming
//! the columns (`out_trade_no`, `total_fee`, `transaction_id`,
//! `out_refund_no`, `refund_fee`, `refund_id`; others are ignored), then one
//! payment or refund per line — a line with an `out_refund_no` is a refund.
//! Amounts are whole fen. Quoted values (`"a,b"`, `""` for a quote) are
//! read as RFC 4180 writes them.

use super::shop_records::ShopRecord;
use crate::error::{Error, InputReason, Result};

/// The longest CSV line taken.
const MAX_LINE_BYTES: usize = 64 * 1024;

#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum Quote {
    /// Outside quotes, at the start of a value or inside an unquoted one.
    #[default]
    Plain,
    /// Inside a quoted value.
    Open,
    /// A quote inside a quoted value: the end, or the first of `""`.
    Closing,
}

#[derive(Default)]
struct Columns {
    out_trade_no: usize,
    total_fee: Option<usize>,
    transaction_id: Option<usize>,
    out_refund_no: Option<usize>,
    refund_fee: Option<usize>,
    refund_id: Option<usize>,
}

/// Shop CSV bytes in, records out.
#[derive(Default)]
pub(crate) struct ShopCsv {
    quote: Quote,
    value: Vec<u8>,
    values: Vec<String>,
    line_bytes: usize,
    /// Lines read, for messages (the header is line 1).
    line: u64,
    columns: Option<Columns>,
}

fn bad(line: u64, message: impl std::fmt::Display) -> Error {
    Error::invalid(format!("shop CSV line {line}"), message.to_string())
}

impl ShopCsv {
    pub fn write(
        &mut self,
        bytes: &[u8],
        on_record: &mut dyn FnMut(ShopRecord) -> Result<()>,
    ) -> Result<()> {
        for &b in bytes {
            self.line_bytes += 1;
            if self.line_bytes > MAX_LINE_BYTES {
                return Err(bad(self.line + 1, "is longer than 64 KiB"));
            }
            match (self.quote, b) {
                (Quote::Open, b'"') => self.quote = Quote::Closing,
                (Quote::Open, _) => self.value.push(b),
                (Quote::Closing, b'"') => {
                    self.value.push(b'"');
                    self.quote = Quote::Open;
                }
                (Quote::Plain, b'"') if self.value.is_empty() => self.quote = Quote::Open,
                (Quote::Plain | Quote::Closing, b',') => self.end_value()?,
                (Quote::Plain | Quote::Closing, b'\n') => self.end_line(on_record)?,
                (Quote::Closing, b'\r') => {}
                (Quote::Closing, _) => {
                    return Err(bad(self.line + 1, "has text after a closing quote"));
                }
                (Quote::Plain, _) => self.value.push(b),
            }
        }
        Ok(())
    }

    pub fn finish(mut self, on_record: &mut dyn FnMut(ShopRecord) -> Result<()>) -> Result<()> {
        if self.quote == Quote::Open {
            return Err(bad(self.line + 1, "ends inside a quoted value"));
        }
        if !self.value.is_empty() || !self.values.is_empty() {
            self.end_line(on_record)?;
        }
        if self.columns.is_none() {
            return Err(Error::invalid_because(
                InputReason::Missing,
                "shop CSV",
                "is empty: it needs a header line naming its columns",
            ));
        }
        Ok(())
    }

    fn end_value(&mut self) -> Result<()> {
        let mut value = std::mem::take(&mut self.value);
        if self.quote == Quote::Plain && value.last() == Some(&b'\r') {
            value.pop();
        }
        self.quote = Quote::Plain;
        let text = String::from_utf8(value).map_err(|_| bad(self.line + 1, "is not UTF-8"))?;
        self.values.push(text);
        Ok(())
    }

    fn end_line(&mut self, on_record: &mut dyn FnMut(ShopRecord) -> Result<()>) -> Result<()> {
        self.end_value()?;
        self.line += 1;
        self.line_bytes = 0;
        let values = std::mem::take(&mut self.values);
        if values.iter().all(|v| v.trim().is_empty()) {
            return Ok(());
        }
        match &self.columns {
            None => {
                self.columns = Some(header(&values).map_err(|m| bad(self.line, m))?);
                Ok(())
            }
            Some(c) => {
                let record = record(c, &values).map_err(|e| match e {
                    Error::InvalidInput { field, message, .. } => {
                        bad(self.line, format!("{field} {message}"))
                    }
                    other => other,
                })?;
                on_record(record)
            }
        }
    }
}

fn header(values: &[String]) -> std::result::Result<Columns, String> {
    let find = |name: &str| {
        values
            .iter()
            .position(|v| v.trim().trim_start_matches('\u{FEFF}') == name)
    };
    let out_trade_no = find("out_trade_no").ok_or(
        "the header has no out_trade_no column (columns: out_trade_no, total_fee, transaction_id, out_refund_no, refund_fee, refund_id)",
    )?;
    let c = Columns {
        out_trade_no,
        total_fee: find("total_fee"),
        transaction_id: find("transaction_id"),
        out_refund_no: find("out_refund_no"),
        refund_fee: find("refund_fee"),
        refund_id: find("refund_id"),
    };
    if c.total_fee.is_none() && c.refund_fee.is_none() {
        return Err(
            "the header has neither total_fee nor refund_fee: amounts are whole fen".into(),
        );
    }
    if c.out_refund_no.is_some() != c.refund_fee.is_some() {
        return Err("refunds need both out_refund_no and refund_fee columns".into());
    }
    Ok(c)
}

fn record(c: &Columns, values: &[String]) -> Result<ShopRecord> {
    let get = |i: Option<usize>| -> Option<String> {
        i.and_then(|i| values.get(i))
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let fen = |name: &str, i: Option<usize>| -> Result<Option<u64>> {
        get(i)
            .map(|v| {
                if !v.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(Error::invalid(
                        name,
                        format!("{v:?} is not a whole number of fen"),
                    ));
                }
                v.parse::<u64>()
                    .map_err(|_| Error::invalid(name, "is too large"))
            })
            .transpose()
    };
    let missing = |f: &str| Error::invalid_because(InputReason::Missing, f, "is empty");
    let out_trade_no = get(Some(c.out_trade_no)).ok_or_else(|| missing("out_trade_no"))?;
    Ok(match get(c.out_refund_no) {
        Some(out_refund_no) => ShopRecord::Refund {
            out_refund_no,
            out_trade_no,
            refund_fee: fen("refund_fee", c.refund_fee)?.ok_or_else(|| missing("refund_fee"))?,
            refund_id: get(c.refund_id),
        },
        None => ShopRecord::Payment {
            out_trade_no,
            total_fee: fen("total_fee", c.total_fee)?.ok_or_else(|| missing("total_fee"))?,
            transaction_id: get(c.transaction_id),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, chunk: usize) -> Result<Vec<ShopRecord>> {
        let mut csv = ShopCsv::default();
        let mut out = Vec::new();
        for part in text.as_bytes().chunks(chunk) {
            csv.write(part, &mut |r| {
                out.push(r);
                Ok(())
            })?;
        }
        csv.finish(&mut |r| {
            out.push(r);
            Ok(())
        })?;
        Ok(out)
    }

    #[test]
    fn payments_and_refunds_with_quotes_in_any_chunking() {
        let text = "\u{FEFF}note,out_trade_no,total_fee,out_refund_no,refund_fee\r\n\
                    \"a, \"\"b\"\"\",order-1,990,,\r\n\
                    ,order-1,,refund-1,100\r\n\r\n\
                    \"multi\nline\",order-2,5";
        for chunk in 1..text.len() {
            let got = read(text, chunk).unwrap();
            assert_eq!(got.len(), 3);
            assert_eq!(
                got[1],
                ShopRecord::Refund {
                    out_refund_no: "refund-1".into(),
                    out_trade_no: "order-1".into(),
                    refund_fee: 100,
                    refund_id: None
                }
            );
            assert!(matches!(&got[2], ShopRecord::Payment { total_fee: 5, .. }));
        }
    }

    #[test]
    fn bad_lines_name_their_line() {
        for (text, line) in [
            ("out_trade_no,total_fee\norder-1,9.90\n", "line 2"),
            ("out_trade_no,total_fee\norder-1,\n", "line 2"),
            ("out_trade_no,total_fee\norder-1,1\n\"x\"y,2\n", "line 3"),
            ("out_trade_no,amount\n", "line 1"),
            ("out_trade_no,total_fee\n\"open,1\n", "line 2"),
        ] {
            let e = read(text, 7).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidInput);
            assert!(e.to_string().contains(line), "{text:?}: {e}");
        }
        assert!(read("", 1).is_err());
    }
}
