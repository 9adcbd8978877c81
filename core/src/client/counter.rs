//! The counter in one bounded call: the cashier scans a payment code, and
//! [`Client::micropay`] ends paid, reversed or failed — never "unknown".
//!
//! micropay can answer before the customer is done (`USERPAYING` while they
//! type the password) or without saying what happened (`SYSTEMERROR`,
//! `BANKERROR`, a timeout). Then the order is queried until it settles or
//! the shop's limit passes; an order still unpaid at the limit, or one that
//! failed after such an open answer, is reversed (repeating while WeChat
//! answers `recall=Y`), so the customer is never charged after leaving.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::api::micropay::{
    AuthCodeToOpenid, Micropay, MicropayReply, Reverse, ReverseAnswer, MICROPAY_OPTIONAL,
};
use crate::api::OrderRef;
use crate::client::retry::{Budget, RetryPolicy};
use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::merchant::Merchant;
use crate::requests::{named, optional_fields, read, Fen};
use crate::TradeState;

/// How long the counter waits for a customer (WeChat's advice: first query
/// after 5 s, then every 5 s, reverse after 30 s).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CounterPolicy {
    /// Before the first orderquery after an open answer.
    pub first_query_after: Duration,
    /// Between orderqueries.
    pub query_every: Duration,
    /// From the scan to the reverse of an order still unpaid.
    pub give_up_after: Duration,
    /// Reverse calls at most, while WeChat answers `recall=Y`.
    pub max_reverses: u32,
}

impl Default for CounterPolicy {
    fn default() -> Self {
        CounterPolicy {
            first_query_after: Duration::from_secs(5),
            query_every: Duration::from_secs(5),
            give_up_after: Duration::from_secs(30),
            max_reverses: 5,
        }
    }
}

/// How a counter payment ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MicropayStatus {
    /// The customer paid: hand over the goods.
    Paid,
    /// Not paid in time, or failed after an open answer: the order was
    /// reversed, nothing is (or will be) charged. `err_code` says why.
    Reversed,
    /// WeChat refused the payment (`err_code`: `NOTENOUGH`,
    /// `AUTHCODEEXPIRE`, …): nothing was charged; ask for another code.
    Failed,
}

/// What the cashier's screen needs to know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MicropayOutcome {
    /// How it ended.
    pub status: MicropayStatus,
    /// The shop's order number.
    pub out_trade_no: String,
    /// WeChat's transaction, when paid.
    pub transaction_id: Option<String>,
    /// Fen paid, when paid.
    pub total_fee: Option<u64>,
    /// For `failed` and `reversed`: WeChat's `err_code`, or the order's
    /// last `trade_state` (`USERPAYING` when the customer ran out of time).
    pub err_code: Option<String>,
    /// WeChat's description, when it gave one.
    pub err_code_des: Option<String>,
    /// orderqueries made.
    pub queries: u32,
    /// reverse calls made.
    pub reverses: u32,
}

impl MicropayOutcome {
    fn ended(mut self, status: MicropayStatus, code: Option<String>, des: Option<String>) -> Self {
        self.status = status;
        self.err_code = code;
        self.err_code_des = des;
        self
    }
}

/// The micropay answers that leave the outcome open (docs/protocol.md §14).
fn open_answer(e: &Error) -> Option<(String, String)> {
    match e {
        Error::Business {
            err_code,
            err_code_des,
            ..
        } if matches!(
            err_code.as_str(),
            "USERPAYING" | "SYSTEMERROR" | "BANKERROR"
        ) =>
        {
            Some((err_code.clone(), err_code_des.clone()))
        }
        // A final refusal.
        Error::Business { .. } => None,
        // Timeouts, resets, a reply that does not verify: WeChat may have
        // charged the customer.
        other => Some((other.kind().as_str().to_uppercase(), other.to_string())),
    }
}

impl Client {
    /// A payment at the counter, to its end: paid, reversed or failed
    /// (see [`MicropayStatus`]), within `policy.give_up_after` plus the
    /// reverse. An `Err` is returned for bad input before anything is sent,
    /// and when the order could not be settled (WeChat unreachable through
    /// the queries and every reverse): then the outcome is unknown — query
    /// the order later, or reverse it again.
    ///
    /// ```no_run
    /// # let client: wxpay::Client = unimplemented!();
    /// let pay = wxpay::Micropay::new("Shop-Coffee", "counter-0001", 1800, "10.0.0.8", "134567890123450000");
    /// let outcome = client.micropay(&pay, &wxpay::CounterPolicy::default())?;
    /// match outcome.status {
    ///     wxpay::MicropayStatus::Paid => println!("paid {}", outcome.transaction_id.unwrap()),
    ///     _ => println!("not paid: {}", outcome.err_code.unwrap_or_default()),
    /// }
    /// # Ok::<(), wxpay::Error>(())
    /// ```
    pub fn micropay(&self, pay: &Micropay, policy: &CounterPolicy) -> Result<MicropayOutcome> {
        self.micropay_as(&self.merchant, pay, policy)
    }

    pub(super) fn micropay_as(
        &self,
        m: &Merchant,
        pay: &Micropay,
        policy: &CounterPolicy,
    ) -> Result<MicropayOutcome> {
        let scanned = Instant::now();
        let request = pay.sign(m, self.config.clock.as_ref())?;
        let mut out = MicropayOutcome {
            status: MicropayStatus::Failed,
            out_trade_no: pay.out_trade_no.clone(),
            transaction_id: None,
            total_fee: None,
            err_code: None,
            err_code_des: None,
            queries: 0,
            reverses: 0,
        };
        // Never sent twice: an open answer is settled by querying, not by
        // charging the same code again.
        let once = Budget::new(
            RetryPolicy {
                retries: 0,
                ..self.config.retry
            },
            Instant::now() + self.transport.timeouts.overall,
        );
        let answer = self.pay_call("/pay/micropay", &request, false, 1 << 20, once, |body| {
            MicropayReply::parse(m, pay, &request, body)
        });
        let (mut code, mut des) = match answer {
            Ok(paid) => {
                out.transaction_id = Some(paid.transaction_id);
                out.total_fee = Some(paid.total_fee);
                return Ok(out.ended(MicropayStatus::Paid, None, None));
            }
            Err(e) => match open_answer(&e) {
                Some(open) => open,
                None => match e {
                    Error::Business {
                        err_code,
                        err_code_des,
                        ..
                    } => {
                        return Ok(out.ended(
                            MicropayStatus::Failed,
                            Some(err_code),
                            Some(err_code_des),
                        ))
                    }
                    other => return Err(other),
                },
            },
        };
        let order = || OrderRef::OutTradeNo(pay.out_trade_no.clone());
        let mut wait = policy.first_query_after;
        while scanned.elapsed() + wait <= policy.give_up_after {
            std::thread::sleep(wait);
            wait = policy.query_every;
            out.queries += 1;
            match self.query_order_within(m, order(), self.budget()) {
                Ok(q) if q.trade_state.is_paid() => {
                    out.transaction_id = q.transaction_id;
                    out.total_fee = q.total_fee;
                    return Ok(out.ended(MicropayStatus::Paid, None, None));
                }
                Ok(q) => match q.trade_state {
                    TradeState::UserPaying | TradeState::NotPay | TradeState::Accept => {
                        code = q.trade_state.as_str().to_owned();
                        des = q.trade_state_desc.unwrap_or_default();
                    }
                    // Failed after an open answer: reversed below, so that
                    // nothing can still be charged.
                    _ => {
                        code = q.trade_state.as_str().to_owned();
                        des = q.trade_state_desc.unwrap_or_default();
                        break;
                    }
                },
                // The open answer created no order: nothing was charged.
                Err(Error::Business {
                    err_code,
                    err_code_des,
                    ..
                }) if err_code == "ORDERNOTEXIST" => {
                    return Ok(out.ended(MicropayStatus::Failed, Some(code), Some(err_code_des)));
                }
                // A query that failed is asked again, within the limit.
                Err(_) => {}
            }
        }
        self.reverse_until_done(m, order(), policy, &mut out)?;
        Ok(out.ended(MicropayStatus::Reversed, Some(code), Some(des)))
    }

    /// The openid of the customer whose payment code was scanned
    /// (`tools/authcodetoopenid`); afterwards only this merchant can charge
    /// that code.
    pub fn auth_code_to_openid(&self, auth_code: &str) -> Result<String> {
        self.auth_code_to_openid_as(&self.merchant, auth_code)
    }

    pub(super) fn auth_code_to_openid_as(&self, m: &Merchant, auth_code: &str) -> Result<String> {
        let request = AuthCodeToOpenid {
            auth_code: auth_code.to_owned(),
        }
        .sign(m, self.config.clock.as_ref())?;
        self.pay_call(
            "/tools/authcodetoopenid",
            &request,
            false,
            1 << 20,
            self.budget(),
            |body| AuthCodeToOpenid::parse(m, &request, body),
        )
    }

    /// Calls reverse until it is done, while WeChat answers `recall=Y` or
    /// a retryable failure, at most `policy.max_reverses` times.
    fn reverse_until_done(
        &self,
        m: &Merchant,
        order: OrderRef,
        policy: &CounterPolicy,
        out: &mut MicropayOutcome,
    ) -> Result<()> {
        let reverse = Reverse { order };
        let mut last = None;
        while out.reverses < policy.max_reverses.max(1) {
            if out.reverses > 0 {
                std::thread::sleep(policy.query_every);
            }
            out.reverses += 1;
            let request = reverse.sign(m, self.config.clock.as_ref())?;
            match self.pay_call(
                "/secapi/pay/reverse",
                &request,
                true,
                1 << 20,
                self.budget(),
                |body| ReverseAnswer::parse(m, &request, body),
            ) {
                Ok(ReverseAnswer::Done) => return Ok(()),
                Ok(ReverseAnswer::Recall) => {}
                Err(e) if e.retryable() || e.kind() == ErrorKind::Transport => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last.unwrap_or_else(|| Error::Protocol {
            return_msg: None,
            message: format!(
                "secapi/pay/reverse still answered recall=Y after {} calls: the order is not settled",
                out.reverses
            ),
            retryable: true,
        }))
    }
}

/// The `micropay` operation's arguments as bindings hand them over: the
/// payment's fields by name (camelCase too), and the waits in seconds
/// (`first_query_after`, `query_every`, `give_up_after`, `max_reverses`;
/// WeChat's advice when left out).
pub(crate) fn micropay_from_value(args: Value) -> Result<(Micropay, CounterPolicy)> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Args {
        body: String,
        out_trade_no: String,
        total_fee: Fen,
        spbill_create_ip: String,
        auth_code: String,
        first_query_after: Option<f64>,
        query_every: Option<f64>,
        give_up_after: Option<f64>,
        max_reverses: Option<u32>,
    }
    let mut args = named(args, "micropay")?;
    let extra = optional_fields(&mut args, MICROPAY_OPTIONAL)?;
    let a: Args = read(Value::Object(args), "micropay")?;
    let seconds = |name: &str, v: Option<f64>, default: Duration| match v {
        None => Ok(default),
        Some(s) if (0.0..=600.0).contains(&s) => Ok(Duration::from_secs_f64(s)),
        Some(_) => Err(Error::invalid(name, "must be 0 to 600 seconds")),
    };
    let d = CounterPolicy::default();
    let policy = CounterPolicy {
        first_query_after: seconds(
            "first_query_after",
            a.first_query_after,
            d.first_query_after,
        )?,
        query_every: seconds("query_every", a.query_every, d.query_every)?,
        give_up_after: seconds("give_up_after", a.give_up_after, d.give_up_after)?,
        max_reverses: a.max_reverses.unwrap_or(d.max_reverses),
    };
    let mut pay = Micropay::new(
        &a.body,
        &a.out_trade_no,
        a.total_fee.0,
        &a.spbill_create_ip,
        &a.auth_code,
    );
    pay.extra = extra;
    Ok((pay, policy))
}
