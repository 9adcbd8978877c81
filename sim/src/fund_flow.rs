//! `pay/downloadfundflow`: a day's movements of a merchant's account, made
//! from the simulator's own orders, so a test can pay and refund and then
//! read the money move. As WeChat: HMAC-SHA256 only, the client certificate
//! over HTTPS (checked with the `/secapi/` paths), account types in their
//! exact case, and no statement before the day is over (unless
//! `instant_bills`).
//!
//! The basic account takes each payment of the merchant's own orders (a
//! provider's sub-merchants are paid into their own accounts) and gives
//! back each refund; the operation and fees accounts never move here
//! (fees are zero in the simulator), so they have no statement.

use wxpay::{Params, SignType};

use crate::http::Response;
use crate::pay::{Call, Reply};
use crate::state::{beijing_time, unix_now, State};

const HEADER: &str = "记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额（元）,账户结余（元）,资金变更提交申请人,备注,业务凭证号";
const SUMMARY: &str = "资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额";

/// WeChat's failure body here: unsigned, with both codes.
fn fail(err_code: &str, des: &str) -> Reply {
    let mut f = Params::new();
    f.insert("return_code".into(), "FAIL".into());
    f.insert("return_msg".into(), des.into());
    f.insert("result_code".into(), "FAIL".into());
    f.insert("err_code".into(), err_code.into());
    f.insert("err_code_des".into(), des.into());
    Reply::Raw(Response::xml(wxpay::to_xml(&f).unwrap_or_default()))
}

fn yuan(fen: u64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

/// One movement of the basic account.
struct Movement {
    at: u64,
    transaction_id: String,
    flow_id: String,
    business: &'static str,
    income: bool,
    fen: u64,
    note: String,
    voucher: String,
}

pub fn download_fund_flow(state: &mut State, f: &Params, call: &Call) -> Reply {
    if call.sign_type != SignType::HmacSha256 {
        return fail("PARAM_ERROR", "sign_type仅支持HMAC-SHA256");
    }
    let date = match f.get("bill_date") {
        Some(d) if d.len() == 8 && d.bytes().all(|b| b.is_ascii_digit()) => d.clone(),
        _ => return fail("PARAM_ERROR", "bill_date参数错误"),
    };
    let account = f.get("account_type").map(String::as_str).unwrap_or("");
    if !matches!(account, "Basic" | "Operation" | "Fees") {
        return fail("PARAM_ERROR", "account_type参数错误");
    }
    if f.get("tar_type").is_some_and(|t| t != "GZIP") {
        return fail("PARAM_ERROR", "tar_type参数错误");
    }
    let today = beijing_time(unix_now(), false)[..8].to_owned();
    if date > today || (date == today && !call.instant_bills) {
        return fail("BILL_CREATING", "账单生成中");
    }
    let mch_id = f["mch_id"].as_str();
    let mut all: Vec<Movement> = Vec::new();
    if account == "Basic" {
        for o in state
            .orders
            .values()
            .filter(|o| o.mch_id == mch_id && o.sub_mch_id.is_none())
        {
            let transaction_id = o.transaction_id.clone().unwrap_or_default();
            if let Some(at) = o.paid_at {
                all.push(Movement {
                    at,
                    flow_id: format!("F{transaction_id}"),
                    transaction_id: transaction_id.clone(),
                    business: "交易",
                    income: true,
                    fen: o.total_fee,
                    note: String::new(),
                    voucher: o.out_trade_no.clone(),
                });
            }
            for r in &o.refunds {
                all.push(Movement {
                    at: r.requested_at,
                    transaction_id: r.refund_id.clone(),
                    flow_id: format!("F{}", r.refund_id),
                    business: "退款",
                    income: false,
                    fen: r.refund_fee,
                    note: String::new(),
                    voucher: format!("REF{transaction_id}"),
                });
            }
        }
    }
    all.sort_by(|a, b| (a.at, &a.flow_id).cmp(&(b.at, &b.flow_id)));
    let day = |unix: u64| beijing_time(unix, false)[..8].to_owned();
    // The balance runs over every movement before and on the day.
    let mut balance: i128 = 0;
    let mut rows = Vec::new();
    let (mut in_count, mut in_fen, mut out_count, mut out_fen) = (0u64, 0u64, 0u64, 0u64);
    for m in all.iter().filter(|m| day(m.at) <= date) {
        balance += if m.income {
            m.fen as i128
        } else {
            -(m.fen as i128)
        };
        if day(m.at) != date {
            continue;
        }
        if m.income {
            in_count += 1;
            in_fen += m.fen;
        } else {
            out_count += 1;
            out_fen += m.fen;
        }
        let shown = if balance < 0 {
            format!("-{}", yuan(balance.unsigned_abs() as u64))
        } else {
            yuan(balance as u64)
        };
        rows.push([
            beijing_time(m.at, true),
            m.transaction_id.clone(),
            m.flow_id.clone(),
            m.business.to_owned(),
            m.business.to_owned(),
            if m.income { "收入" } else { "支出" }.to_owned(),
            yuan(m.fen),
            shown,
            "system".to_owned(),
            m.note.clone(),
            m.voucher.clone(),
        ]);
    }
    if rows.is_empty() {
        return fail("NO_BILL_EXIST", "该日期无资金流水");
    }
    let mut text = format!("{HEADER}\r\n");
    for row in &rows {
        let line: Vec<String> = row.iter().map(|v| format!("`{v}")).collect();
        text.push_str(&line.join(","));
        text.push_str("\r\n");
    }
    // WeChat writes the counts as decimals ("20.0").
    text.push_str(&format!(
        "{SUMMARY}\r\n`{}.0,`{in_count}.0,`{},`{out_count}.0,`{}\r\n",
        rows.len(),
        yuan(in_fen),
        yuan(out_fen)
    ));
    crate::pay::statement_body(f, text)
}
