//! `pay/downloadbill` (docs/protocol.md §5.4): the daily statement. Success is a
//! text table (optionally gzip), failure is XML.

use std::io::Read;

use serde::Serialize;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::merchant::{Merchant, SignedRequest};
use crate::params::Params;
use crate::reply_fields::check_return_code;
use crate::validate;
use crate::xml::{self, XmlLimits};

/// Which rows the bill holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum BillType {
    /// Payments and refunds (default).
    #[default]
    All,
    /// Payments only.
    Success,
    /// Refunds only.
    Refund,
    /// Refunds of recharge coupons.
    RechargeRefund,
}

impl BillType {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            BillType::All => "ALL",
            BillType::Success => "SUCCESS",
            BillType::Refund => "REFUND",
            BillType::RechargeRefund => "RECHARGE_REFUND",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "ALL" => Ok(BillType::All),
            "SUCCESS" => Ok(BillType::Success),
            "REFUND" => Ok(BillType::Refund),
            "RECHARGE_REFUND" => Ok(BillType::RechargeRefund),
            _ => Err(Error::invalid(
                "bill_type",
                "must be ALL, SUCCESS, REFUND or RECHARGE_REFUND",
            )),
        }
    }
}

/// Asks for one day's bill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadBill {
    /// `yyyyMMdd`.
    pub bill_date: String,
    /// Which rows.
    pub bill_type: BillType,
    /// Ask for a gzip body (`tar_type=GZIP`).
    pub gzip: bool,
}

impl DownloadBill {
    /// Validates, adds the envelope and signs.
    pub fn sign(&self, merchant: &Merchant, clock: &dyn Clock) -> Result<SignedRequest> {
        validate::date("bill_date", &self.bill_date)?;
        let mut f = Params::new();
        f.insert("bill_date".into(), self.bill_date.clone());
        f.insert("bill_type".into(), self.bill_type.as_str().into());
        if self.gzip {
            f.insert("tar_type".into(), "GZIP".into());
        }
        merchant.sign_request(f, clock)
    }
}

/// The largest bill accepted once decompressed.
pub const MAX_BILL_BYTES: u64 = 256 * 1024 * 1024;

/// A parsed bill. Values have their leading backtick removed; amounts stay
/// as WeChat writes them (yuan, e.g. `0.01`): see [`yuan_to_fen`].
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bill {
    /// WeChat has no bill for that day (`No Bill Exist`: no payment and no
    /// refund): everything else is empty. Not an error, and not worth
    /// asking again.
    pub no_bill: bool,
    /// Column names of the rows.
    pub columns: Vec<String>,
    /// One entry per order or refund.
    pub rows: Vec<Vec<String>>,
    /// Column names of the summary.
    pub summary_columns: Vec<String>,
    /// The summary values.
    pub summary: Vec<String>,
}

impl Bill {
    /// Reads a downloadbill reply: gzip or plain text is a bill; XML is
    /// WeChat's refusal (`Protocol`, e.g. `Bill Creating`), except `No Bill
    /// Exist`, which is a bill with [`Bill::no_bill`] set and no rows.
    ///
    /// ```
    /// let body = "交易时间,商户订单号,应结订单金额\r\n`2024-01-02 10:00:00,`order-0001,`0.01\r\n\
    ///             总交易单数,应结订单总金额\r\n`1,`0.01\r\n";
    /// let bill = wxpay::Bill::parse(body.as_bytes()).unwrap();
    /// assert_eq!(bill.rows[0][1], "order-0001");
    /// assert_eq!(wxpay::yuan_to_fen(&bill.summary[1]).unwrap(), 1);
    /// let none = b"<xml><return_code>FAIL</return_code><return_msg>No Bill Exist</return_msg><error_code>20002</error_code></xml>";
    /// assert!(wxpay::Bill::parse(none).unwrap().no_bill);
    /// ```
    pub fn parse(body: &[u8]) -> Result<Bill> {
        match statement(body)? {
            Statement::Refusal(fields) => {
                let no_bill = fields
                    .get("return_msg")
                    .is_some_and(|m| m.trim().eq_ignore_ascii_case("No Bill Exist"))
                    || fields.get("error_code").is_some_and(|c| c == "20002");
                if no_bill {
                    return Ok(Bill::none());
                }
                check_return_code(&fields)?;
                Err(Error::bad_reply(
                    "downloadbill answered XML with return_code=SUCCESS instead of a bill",
                ))
            }
            Statement::Table(text) => parse_table(&text),
        }
    }

    /// The bill of a day without one.
    fn none() -> Bill {
        Bill {
            no_bill: true,
            columns: Vec::new(),
            rows: Vec::new(),
            summary_columns: Vec::new(),
            summary: Vec::new(),
        }
    }

    /// The rows as maps from column name to value.
    pub fn row_maps(&self) -> Vec<Params> {
        self.rows
            .iter()
            .map(|r| {
                self.columns
                    .iter()
                    .cloned()
                    .zip(r.iter().cloned())
                    .collect()
            })
            .collect()
    }
}

/// What a statement download answered: WeChat's XML refusal, or the table.
pub(crate) enum Statement {
    Refusal(Params),
    Table(String),
}

/// A statement's bytes as text bytes: a gzip body (it starts with the gzip
/// magic) decompressed, capped at [`MAX_BILL_BYTES`]; anything else as it is.
pub(crate) fn inflated(body: &[u8]) -> Result<Vec<u8>> {
    if !body.starts_with(&[0x1f, 0x8b]) {
        return Ok(body.to_vec());
    }
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(body)
        .take(MAX_BILL_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| Error::bad_reply(format!("the gzip statement cannot be read: {e}")))?;
    if out.len() as u64 > MAX_BILL_BYTES {
        return Err(Error::bad_reply(
            "the statement is larger than 256 MiB once decompressed",
        ));
    }
    Ok(out)
}

/// Reads a statement reply (downloadbill, downloadfundflow): gzip or plain
/// UTF-8 text is the table; XML, even after asking for gzip, is a refusal.
pub(crate) fn statement(body: &[u8]) -> Result<Statement> {
    let text = inflated(body)?;
    let trimmed = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&text);
    if trimmed.trim_ascii_start().starts_with(b"<") {
        return Ok(Statement::Refusal(xml::from_xml_with(
            trimmed,
            &XmlLimits::reply(),
        )?));
    }
    let text =
        std::str::from_utf8(trimmed).map_err(|_| Error::bad_reply("the statement is not UTF-8"))?;
    Ok(Statement::Table(text.to_owned()))
}

/// Values are each prefixed by a backtick; splitting on ",`" keeps commas
/// inside a product name intact.
pub(crate) fn split_values(line: &str) -> Option<Vec<String>> {
    let rest = line.strip_prefix('`')?;
    Some(rest.split(",`").map(str::to_owned).collect())
}

pub(crate) fn parse_table(text: &str) -> Result<Bill> {
    let mut lines = text
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.is_empty());
    let header = lines
        .next()
        .ok_or_else(|| Error::bad_reply("the bill is empty"))?;
    let columns: Vec<String> = header.split(',').map(str::to_owned).collect();
    let mut rows = Vec::new();
    let summary_columns: Vec<String> = loop {
        let line = lines
            .next()
            .ok_or_else(|| Error::bad_reply("the bill has no summary"))?;
        match split_values(line) {
            Some(values) => {
                if values.len() != columns.len() {
                    return Err(Error::bad_reply(format!(
                        "bill row {} has {} values for {} columns",
                        rows.len() + 1,
                        values.len(),
                        columns.len()
                    )));
                }
                rows.push(values);
            }
            None => break line.split(',').map(str::to_owned).collect(),
        }
    };
    let summary_line = lines
        .next()
        .ok_or_else(|| Error::bad_reply("the bill has no summary values"))?;
    let summary = split_values(summary_line)
        .ok_or_else(|| Error::bad_reply("the bill's summary values are malformed"))?;
    if summary.len() != summary_columns.len() {
        return Err(Error::bad_reply(
            "the bill's summary has the wrong number of values",
        ));
    }
    if lines.next().is_some() {
        return Err(Error::bad_reply("the bill has lines after its summary"));
    }
    Ok(Bill {
        no_bill: false,
        columns,
        rows,
        summary_columns,
        summary,
    })
}

/// Converts a bill amount in yuan (`"0.01"`, `"5.76"`, `"12"`) to fen.
/// Refuses anything that is not a plain non-negative amount with at most
/// two decimals.
pub fn yuan_to_fen(yuan: &str) -> Result<u64> {
    let bad = || {
        Error::invalid(
            "amount",
            format!(
                "{:?} is not an amount in yuan",
                crate::message::truncate_for_message(yuan)
            ),
        )
    };
    let (int, frac) = match yuan.split_once('.') {
        Some((i, f)) => (i, f),
        None => (yuan, ""),
    };
    if int.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 2
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || (yuan.contains('.') && frac.is_empty())
    {
        return Err(bad());
    }
    let int: u64 = int.parse().map_err(|_| bad())?;
    let frac: u64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    int.checked_mul(100)
        .and_then(|v| v.checked_add(frac))
        .ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_conversion() {
        assert_eq!(yuan_to_fen("0.01").unwrap(), 1);
        assert_eq!(yuan_to_fen("5.7").unwrap(), 570);
        assert_eq!(yuan_to_fen("12").unwrap(), 1200);
        for bad in ["", ".5", "1.", "1.234", "-1", "1e2", " 1"] {
            assert!(yuan_to_fen(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_comma_inside_a_value_does_not_split_it() {
        let body = "a,b\n`x, y,`2\n总,金额\n`1,`0.01\n";
        let bill = Bill::parse(body.as_bytes()).unwrap();
        assert_eq!(bill.rows, vec![vec!["x, y".to_string(), "2".to_string()]]);
    }
}
