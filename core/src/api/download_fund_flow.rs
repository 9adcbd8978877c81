//! `pay/downloadfundflow` (docs/protocol.md §5.5): the day's movements of one
//! of the merchant's accounts, what finance reconciles the bank against.
//! Signed with HMAC-SHA256 whatever the merchant's default (WeChat accepts
//! nothing else here) and sent with the merchant's client certificate.
//!
//! The table is checked whole: its rows must add up to its summary line
//! (count, income and expense), so a statement cut short in transit is an
//! error, not a smaller day.

use serde::Serialize;

use crate::api::download_bill::{parse_table, statement, yuan_to_fen, Statement};
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::merchant::{Merchant, SignedRequest};
use crate::params::Params;
use crate::reply_fields::{check_result_code, check_return_code};
use crate::sign::SignType;
use crate::validate;

/// Which of the merchant's accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum AccountType {
    /// The basic account, where payments settle (default).
    #[default]
    Basic,
    /// The operation account (marketing funds).
    Operation,
    /// The fees account.
    Fees,
}

impl AccountType {
    /// The wire name, in WeChat's exact case.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountType::Basic => "Basic",
            AccountType::Operation => "Operation",
            AccountType::Fees => "Fees",
        }
    }

    /// Parses the wire name (`Basic`, `Operation`, `Fees`; the case must
    /// match, as WeChat's does).
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "Basic" => Ok(AccountType::Basic),
            "Operation" => Ok(AccountType::Operation),
            "Fees" => Ok(AccountType::Fees),
            _ => Err(Error::invalid(
                "account_type",
                "must be Basic, Operation or Fees",
            )),
        }
    }
}

/// Asks for one day's fund flow of one account.
///
/// ```
/// use wxpay::{AccountType, DownloadFundFlow, FixedClock, Merchant, SignType};
/// let m = Merchant::new("wxd930ea5d5a258f4f", "10000100", "192006250b4c09247ec02edce69f6a2d", SignType::Md5).unwrap();
/// let req = DownloadFundFlow { bill_date: "20240102".into(), account_type: AccountType::Basic, gzip: false };
/// let signed = req.sign(&m, &FixedClock::new(1_700_000_000, "n1")).unwrap();
/// assert_eq!(signed.fields["sign_type"], "HMAC-SHA256"); // whatever the merchant's default
/// assert_eq!(signed.fields["sign"].len(), 64);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadFundFlow {
    /// `yyyyMMdd`.
    pub bill_date: String,
    /// Which account.
    pub account_type: AccountType,
    /// Ask for a gzip body (`tar_type=GZIP`).
    pub gzip: bool,
}

impl DownloadFundFlow {
    /// Validates, adds the envelope and signs with HMAC-SHA256.
    pub fn sign(&self, merchant: &Merchant, clock: &dyn Clock) -> Result<SignedRequest> {
        validate::date("bill_date", &self.bill_date)?;
        let mut f = Params::new();
        f.insert("bill_date".into(), self.bill_date.clone());
        f.insert("account_type".into(), self.account_type.as_str().into());
        if self.gzip {
            f.insert("tar_type".into(), "GZIP".into());
        }
        merchant
            .with_sign_type(SignType::HmacSha256)
            .sign_request(f, clock)
    }
}

/// The summary line of a fund flow, amounts in fen.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FundFlowTotals {
    /// How many movements.
    pub count: u64,
    /// How many came in.
    pub income_count: u64,
    /// What came in, in fen.
    pub income_fen: u64,
    /// How many went out.
    pub expense_count: u64,
    /// What went out, in fen.
    pub expense_fen: u64,
}

/// A parsed fund flow: one row per movement (values without their leading
/// backtick, amounts in yuan as WeChat writes them) and the totals, checked
/// against the rows.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FundFlow {
    /// The account had no movement that day (`NO_BILL_EXIST`): no rows,
    /// zero totals. Not an error, and not worth asking again.
    pub no_bill: bool,
    /// Column names: 记账时间, 微信支付业务单号, 资金流水单号, 业务名称,
    /// 业务类型, 收支类型, 收支金额（元）, 账户结余（元）, …
    pub columns: Vec<String>,
    /// One entry per movement.
    pub rows: Vec<Vec<String>>,
    /// The summary line, in fen.
    pub totals: FundFlowTotals,
}

/// Where the direction (收入 / 支出) and the amount sit in a row: by
/// position, since the header's parentheses may be full- or half-width.
const DIRECTION: usize = 5;
const AMOUNT: usize = 6;

impl FundFlow {
    /// Reads a downloadfundflow reply: gzip or plain text is the statement;
    /// XML is WeChat's refusal (`Business` with its `err_code`, e.g.
    /// `BILL_CREATING`), except `NO_BILL_EXIST`, which is an empty statement.
    ///
    /// ```
    /// let body = "记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额（元）,账户结余（元）\r\n\
    ///             `2024-01-02 10:00:00,`4200000001,`F1,`交易,`交易,`收入,`0.10,`0.10\r\n\
    ///             资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额\r\n`1.0,`1.0,`0.10,`0.0,`0.00\r\n";
    /// let flow = wxpay::FundFlow::parse(body.as_bytes()).unwrap();
    /// assert_eq!((flow.rows.len(), flow.totals.income_fen), (1, 10));
    /// ```
    pub fn parse(body: &[u8]) -> Result<FundFlow> {
        let text = match statement(body)? {
            Statement::Refusal(fields) => return Self::refusal(&fields),
            Statement::Table(text) => text,
        };
        let table = parse_table(&text)?;
        if table.columns.len() <= AMOUNT {
            return Err(Error::bad_reply(format!(
                "the fund flow has {} columns; its direction and amount are missing",
                table.columns.len()
            )));
        }
        let totals = totals(&table.summary)?;
        let mut seen = FundFlowTotals {
            count: table.rows.len() as u64,
            ..FundFlowTotals::default()
        };
        for (n, row) in table.rows.iter().enumerate() {
            let fen = yuan_to_fen(&row[AMOUNT]).map_err(|_| {
                Error::bad_reply(format!("fund flow row {} has a malformed amount", n + 1))
            })?;
            let (count, sum) = match row[DIRECTION].as_str() {
                "收入" => (&mut seen.income_count, &mut seen.income_fen),
                "支出" => (&mut seen.expense_count, &mut seen.expense_fen),
                _ => {
                    return Err(Error::bad_reply(format!(
                        "fund flow row {} is neither 收入 nor 支出",
                        n + 1
                    )))
                }
            };
            *count += 1;
            *sum = sum
                .checked_add(fen)
                .ok_or_else(|| Error::bad_reply("the fund flow's amounts overflow"))?;
        }
        if seen != totals {
            return Err(Error::bad_reply(format!(
                "the fund flow's rows do not add up to its summary (rows: {} movements, \
                 {} in for {} fen, {} out for {} fen; summary: {} movements, {} in for {} fen, \
                 {} out for {} fen): it may have been cut short",
                seen.count,
                seen.income_count,
                seen.income_fen,
                seen.expense_count,
                seen.expense_fen,
                totals.count,
                totals.income_count,
                totals.income_fen,
                totals.expense_count,
                totals.expense_fen,
            )));
        }
        Ok(FundFlow {
            no_bill: false,
            columns: table.columns,
            rows: table.rows,
            totals,
        })
    }

    fn refusal(fields: &Params) -> Result<FundFlow> {
        if fields.get("err_code").is_some_and(|c| c == "NO_BILL_EXIST") {
            return Ok(FundFlow {
                no_bill: true,
                columns: Vec::new(),
                rows: Vec::new(),
                totals: FundFlowTotals::default(),
            });
        }
        if fields.contains_key("result_code") {
            check_result_code(fields)?;
        }
        check_return_code(fields)?;
        Err(Error::bad_reply(
            "downloadfundflow answered XML with return_code=SUCCESS instead of a statement",
        ))
    }
}

/// A count as the summary writes it: `20`, or `20.0`.
fn count(value: &str) -> Result<u64> {
    let whole = value.strip_suffix(".0").unwrap_or(value);
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::bad_reply(format!(
            "the fund flow's summary count {:?} is not a whole number",
            crate::message::truncate_for_message(value)
        )));
    }
    whole
        .parse()
        .map_err(|_| Error::bad_reply("the fund flow's summary count is too large"))
}

/// 资金流水总笔数, 收入笔数, 收入金额, 支出笔数, 支出金额.
fn totals(summary: &[String]) -> Result<FundFlowTotals> {
    let [all, in_count, in_yuan, out_count, out_yuan] = summary else {
        return Err(Error::bad_reply(format!(
            "the fund flow's summary has {} values, not 5",
            summary.len()
        )));
    };
    let fen = |v: &str| {
        yuan_to_fen(v)
            .map_err(|_| Error::bad_reply("the fund flow's summary has a malformed amount"))
    };
    Ok(FundFlowTotals {
        count: count(all)?,
        income_count: count(in_count)?,
        income_fen: fen(in_yuan)?,
        expense_count: count(out_count)?,
        expense_fen: fen(out_yuan)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额（元）,账户结余（元）,资金变更提交申请人,备注,业务凭证号";

    fn body(rows: &[&str], summary: &str) -> String {
        let mut s = format!("{HEADER}\r\n");
        for r in rows {
            s.push_str(r);
            s.push_str("\r\n");
        }
        s.push_str("资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额\r\n");
        s.push_str(summary);
        s.push_str("\r\n");
        s
    }

    const PAID: &str = "`2024-01-02 10:00:00,`4200000001202401020000000001,`F1,`交易,`交易,`收入,`0.35,`0.35,`system,`,`order-1";
    const REFUNDED: &str = "`2024-01-02 11:00:00,`50000305742018020103387128253,`F2,`退款,`退款,`支出,`0.18,`0.17,`system,`缺货,`REF1";

    #[test]
    fn rows_and_totals_agree() {
        let flow =
            FundFlow::parse(body(&[PAID, REFUNDED], "`2.0,`1.0,`0.35,`1.0,`0.18").as_bytes())
                .unwrap();
        assert!(!flow.no_bill);
        assert_eq!(flow.columns.len(), 11);
        assert_eq!(flow.rows[1][9], "缺货");
        assert_eq!(
            flow.totals,
            FundFlowTotals {
                count: 2,
                income_count: 1,
                income_fen: 35,
                expense_count: 1,
                expense_fen: 18
            }
        );
    }

    #[test]
    fn a_statement_cut_short_does_not_add_up() {
        let e =
            FundFlow::parse(body(&[PAID], "`2.0,`1.0,`0.35,`1.0,`0.18").as_bytes()).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Protocol);
        assert!(e.to_string().contains("do not add up"), "{e}");
        let e = FundFlow::parse(body(&[PAID, REFUNDED], "`2.0,`1.0,`0.36,`1.0,`0.18").as_bytes())
            .unwrap_err();
        assert!(e.to_string().contains("do not add up"), "{e}");
    }

    #[test]
    fn refusals() {
        let none = b"<xml><return_code>FAIL</return_code><return_msg>no bill</return_msg><result_code>FAIL</result_code><err_code>NO_BILL_EXIST</err_code></xml>";
        let flow = FundFlow::parse(none).unwrap();
        assert!(flow.no_bill && flow.rows.is_empty());
        let creating = b"<xml><return_code>FAIL</return_code><return_msg>x</return_msg><result_code>FAIL</result_code><err_code>BILL_CREATING</err_code></xml>";
        let e = FundFlow::parse(creating).unwrap_err();
        assert!(
            matches!(&e, Error::Business { err_code, .. } if err_code == "BILL_CREATING"),
            "{e:?}"
        );
        let sign = b"<xml><return_code>FAIL</return_code><return_msg>sign error</return_msg></xml>";
        assert_eq!(
            FundFlow::parse(sign).unwrap_err().kind(),
            crate::ErrorKind::Protocol
        );
    }

    #[test]
    fn counts_and_directions_are_strict() {
        for bad in [
            "`2.5,`1.0,`0.35,`1.0,`0.18",
            "`x,`1.0,`0.35,`1.0,`0.18",
            "`2.0,`1.0,`0.35,`1.0",
        ] {
            assert!(
                FundFlow::parse(body(&[PAID, REFUNDED], bad).as_bytes()).is_err(),
                "{bad}"
            );
        }
        let odd = PAID.replace("`收入", "`其他");
        assert!(FundFlow::parse(body(&[&odd], "`1.0,`1.0,`0.35,`0.0,`0.00").as_bytes()).is_err());
        assert_eq!(count("20").unwrap(), 20);
    }
}
