//! The counter's state machine (docs/protocol.md §14), with no I/O: from the
//! scan of a payment code to an outcome the cashier can act on.
//!
//! [`Counter`] says which call to make next (`pay/micropay`, then
//! `pay/orderquery` while the outcome is open, then `secapi/pay/reverse`)
//! or how long to wait, and takes each call's result back.
//! [`crate::Client::micropay`] drives it over the network; a shop with its
//! own HTTP stack can drive it the same way, and the model-based test
//! (`core/tests/counter_model.rs`) drives it against a scripted WeChat in
//! virtual time.
//!
//! The invariant it keeps, whatever WeChat answers:
//! - [`MicropayStatus::Paid`] only when WeChat holds a SUCCESS for exactly
//!   this `out_trade_no`, amount, currency, trade type (`MICROPAY`) and
//!   merchant (and sub-merchant), read from a signed reply;
//! - [`MicropayStatus::Reversed`] only when WeChat confirmed the reversal;
//! - [`MicropayStatus::Failed`] only when WeChat refused the payment with a
//!   final code, or the request never left this machine and WeChat holds
//!   no order under the number;
//! - anything else is [`MicropayStatus::Unsettled`]: money may have moved,
//!   the cashier must not ask for another code, and
//!   [`MicropayOutcome::follow_up`] says what to do later.

use std::time::Duration;

use serde::{Serialize, Serializer};

use crate::api::micropay::{check_sale, Micropay, MicropayReply, Reverse, ReverseAnswer};
use crate::api::OrderRef;
use crate::clock::Clock;
use crate::error::{Error, ErrorKind, Result};
use crate::merchant::{Merchant, SignedRequest};
use crate::sign::SignType;
use crate::{OrderQuery, OrderQueryReply, TradeState};

/// How long the counter waits for a customer (WeChat's advice: first query
/// after 5 s, then every 5 s, reverse after 30 s).
///
/// ```
/// let policy = wxpay::CounterPolicy::default();
/// assert!(policy.check().is_ok());
/// let bad = wxpay::CounterPolicy { max_reverses: 0, ..policy };
/// assert_eq!(bad.check().unwrap_err().field(), Some("max_reverses"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CounterPolicy {
    /// Before the first orderquery after an open answer (0 to 600 s).
    pub first_query_after: Duration,
    /// Between orderqueries, and between reverse calls (10 ms to 600 s).
    pub query_every: Duration,
    /// From the scan to the reverse of an order still unpaid (0 to 600 s).
    pub give_up_after: Duration,
    /// Reverse calls at most, while WeChat answers `recall=Y` or cannot be
    /// reached (1 to 10).
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

/// The longest wait a policy may set.
const MAX_WAIT: Duration = Duration::from_secs(600);
/// The shortest interval between two calls: keeps the number of calls
/// bounded by the policy.
const MIN_INTERVAL: Duration = Duration::from_millis(10);
/// The most reverse calls a policy may ask for.
const MAX_REVERSES: u32 = 10;

impl CounterPolicy {
    /// Refuses waits and counts outside their ranges, naming the option.
    pub fn check(&self) -> Result<()> {
        for (name, d, min) in [
            ("first_query_after", self.first_query_after, Duration::ZERO),
            ("query_every", self.query_every, MIN_INTERVAL),
            ("give_up_after", self.give_up_after, Duration::ZERO),
        ] {
            if d < min || d > MAX_WAIT {
                return Err(Error::invalid(
                    name,
                    format!(
                        "must be {} to 600 seconds",
                        if min.is_zero() { "0" } else { "0.01" }
                    ),
                ));
            }
        }
        if !(1..=MAX_REVERSES).contains(&self.max_reverses) {
            return Err(Error::invalid("max_reverses", "must be 1 to 10"));
        }
        Ok(())
    }

    /// The most orderqueries a counter payment can make under this policy.
    pub fn max_queries(&self) -> u32 {
        let every = self.query_every.max(MIN_INTERVAL).as_secs_f64();
        // One per interval within the limit, plus the first.
        (self.give_up_after.as_secs_f64() / every).floor() as u32 + 1
    }
}

/// How a counter payment ended.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MicropayStatus {
    /// WeChat holds a SUCCESS for exactly this sale: hand over the goods.
    Paid,
    /// WeChat confirmed the reversal: nothing is charged (a charge that
    /// happened was refunded), and nothing can be charged any more.
    /// `err_code` says why it was reversed.
    Reversed,
    /// WeChat refused the payment with a final code (`NOTENOUGH`,
    /// `AUTHCODEEXPIRE`, …), or the request never left this machine and
    /// WeChat holds no order under the number: nothing was charged; ask
    /// for another code.
    Failed,
    /// The outcome could not be settled within the shop's limits: money may
    /// have moved. Do not ask for another code; see
    /// [`MicropayOutcome::follow_up`] for what to do later.
    Unsettled,
}

impl MicropayStatus {
    /// The status as bindings show it, e.g. `"unsettled"`.
    pub fn as_str(self) -> &'static str {
        match self {
            MicropayStatus::Paid => "paid",
            MicropayStatus::Reversed => "reversed",
            MicropayStatus::Failed => "failed",
            MicropayStatus::Unsettled => "unsettled",
        }
    }
}

/// What to do later with an [`MicropayStatus::Unsettled`] payment.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUp {
    /// Look at the order first (`query_order`): WeChat could not be asked,
    /// the order had not appeared, or the number holds an order that is not
    /// this sale (another amount, a refund). Reverse it only once it is
    /// known to be this sale's.
    Query,
    /// The order is this sale's and WeChat did not confirm the reverse:
    /// call `reverse` for this `out_trade_no` again later.
    Reverse,
}

/// What the cashier's screen needs to know.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MicropayOutcome {
    /// How it ended.
    pub status: MicropayStatus,
    /// The shop's order number.
    pub out_trade_no: String,
    /// WeChat's transaction, when paid.
    pub transaction_id: Option<String>,
    /// Fen paid, when paid (always the amount asked for).
    pub total_fee: Option<u64>,
    /// Why it did not end paid: WeChat's `err_code` (`NOTENOUGH`,
    /// `ORDERPAID`, `ORDERNOTEXIST`, …) or the order's last `trade_state`
    /// (`USERPAYING` when the customer ran out of time).
    pub err_code: Option<String>,
    /// WeChat's description, when it gave one.
    pub err_code_des: Option<String>,
    /// For `unsettled`: what to do later.
    pub follow_up: Option<FollowUp>,
    /// For `unsettled` (and `failed` when the payment was never sent): the
    /// error that kept it from settling, as [`Error::details`] in every
    /// language.
    #[serde(serialize_with = "error_details")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::ErrorDetails>")
    )]
    pub error: Option<Error>,
    /// orderqueries made.
    pub queries: u32,
    /// reverse calls made.
    pub reverses: u32,
}

fn error_details<S: Serializer>(e: &Option<Error>, s: S) -> std::result::Result<S::Ok, S::Error> {
    e.as_ref().map(Error::details).serialize(s)
}

/// One call the counter asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounterCall {
    /// The path on the pay host, e.g. `/pay/orderquery`.
    pub path: &'static str,
    /// What to POST (`request.xml`).
    pub request: SignedRequest,
    /// Whether the call needs the merchant's client certificate (reverse).
    pub cert: bool,
    /// Whether the same bytes may be sent again after a failure that came
    /// after sending (orderquery and reverse; never micropay, whose
    /// outcome is settled by querying instead).
    pub resend: bool,
}

/// What the counter wants next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CounterStep {
    /// Make this call, then hand its result to [`Counter::answer`].
    Call(CounterCall),
    /// Wait this long, then ask [`Counter::next`] again.
    Wait(Duration),
    /// Settled.
    Done(MicropayOutcome),
}

/// What came of one call.
#[derive(Debug, Clone)]
pub enum Delivery<'a> {
    /// WeChat's reply body (HTTP 200).
    Reply(&'a [u8]),
    /// The request never left this machine (DNS, connect, TLS handshake):
    /// WeChat did nothing.
    NotSent(Error),
    /// The request may have reached WeChat, but no usable reply came back
    /// (timeout, reset, 5xx, a cut reply).
    Lost(Error),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// The micropay is to be sent.
    Pay,
    AwaitPay,
    /// The next orderquery is due at `at` (since the scan). `paid_before`:
    /// micropay answered ORDERPAID, so the order is never reversed here.
    Query {
        at: Duration,
        paid_before: bool,
    },
    AwaitQuery {
        paid_before: bool,
    },
    /// The next reverse is due at `at`.
    Reverse {
        at: Duration,
    },
    AwaitReverse,
    Done,
}

/// The micropay answers that leave the outcome open (docs/protocol.md §14).
const OPEN_CODES: [&str; 3] = ["USERPAYING", "SYSTEMERROR", "BANKERROR"];

/// One counter payment, from the scan to its outcome, with no I/O.
///
/// ```
/// use std::time::Duration;
/// use wxpay::{Counter, CounterPolicy, CounterStep, Delivery, FixedClock, Merchant, Micropay, SignType};
/// let m = Merchant::new("wxd930ea5d5a258f4f", "10000100",
///     "192006250b4c09247ec02edce69f6a2d", SignType::HmacSha256).unwrap();
/// let clock = FixedClock::new(1_700_000_000, "nonce");
/// let pay = Micropay::new("Shop-Coffee", "counter-0001", 1800, "127.0.0.1", "134567890123450000");
/// let mut counter = Counter::new(&m, &pay, CounterPolicy::default(), &clock).unwrap();
/// let CounterStep::Call(call) = counter.next(Duration::ZERO, &clock) else { unreachable!() };
/// assert_eq!(call.path, "/pay/micropay");
/// // POST call.request.xml and hand back what came of it; here the
/// // network failed before sending:
/// counter.answer(Duration::from_millis(5), Delivery::NotSent(wxpay::Error::internal("offline")));
/// // Nothing left, but the number may have been paid before: it asks.
/// let CounterStep::Call(call) = counter.next(Duration::from_millis(5), &clock) else { unreachable!() };
/// assert_eq!(call.path, "/pay/orderquery");
/// ```
#[derive(Debug, Clone)]
pub struct Counter {
    merchant: Merchant,
    pay: Micropay,
    policy: CounterPolicy,
    micropay: Option<SignedRequest>,
    sign_type: SignType,
    phase: Phase,
    out: MicropayOutcome,
    /// Why the order is not settled yet, as the last answer said it.
    last_error: Option<Error>,
    /// What the last orderquery that got an answer said the number holds.
    seen: Seen,
    /// The micropay never left this machine.
    not_sent: bool,
}

/// What the number holds, as far as the orderqueries could tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    /// No orderquery got an answer about the order.
    Nothing,
    /// No order (yet).
    NoOrder,
    /// An unpaid order of this sale's amount and trade type.
    ThisSale,
}

impl Counter {
    /// Checks the policy and signs the payment; an error here means nothing
    /// was sent.
    pub fn new(
        merchant: &Merchant,
        pay: &Micropay,
        policy: CounterPolicy,
        clock: &dyn Clock,
    ) -> Result<Self> {
        policy.check()?;
        let request = pay.sign(merchant, clock)?;
        Ok(Counter {
            merchant: merchant.clone(),
            pay: pay.clone(),
            policy,
            sign_type: request.sign_type,
            micropay: Some(request),
            phase: Phase::Pay,
            out: MicropayOutcome {
                status: MicropayStatus::Unsettled,
                out_trade_no: pay.out_trade_no.clone(),
                transaction_id: None,
                total_fee: None,
                err_code: None,
                err_code_des: None,
                follow_up: None,
                error: None,
                queries: 0,
                reverses: 0,
            },
            last_error: None,
            seen: Seen::Nothing,
            not_sent: false,
        })
    }

    /// The next step at `now` (the time since the scan). Asked again before
    /// the last call's result was handed over, the counter takes that call
    /// as lost.
    pub fn next(&mut self, now: Duration, clock: &dyn Clock) -> CounterStep {
        match self.phase {
            Phase::AwaitPay | Phase::AwaitQuery { .. } | Phase::AwaitReverse => {
                self.answer(
                    now,
                    Delivery::Lost(Error::internal(
                        "the counter was asked for its next step before the call's result",
                    )),
                );
                self.next(now, clock)
            }
            Phase::Pay => match self.micropay.take() {
                Some(request) => {
                    self.phase = Phase::AwaitPay;
                    CounterStep::Call(CounterCall {
                        path: "/pay/micropay",
                        request,
                        cert: false,
                        resend: false,
                    })
                }
                // Never twice: the request is taken when it is sent.
                None => self.unsettled_step(
                    FollowUp::Query,
                    Error::internal("the micropay request was already sent"),
                ),
            },
            Phase::Query { at, .. } | Phase::Reverse { at } if now < at => {
                CounterStep::Wait(at - now)
            }
            Phase::Query { paid_before, .. } => {
                let query = OrderQuery {
                    order: self.order(),
                };
                match query.sign(&self.merchant, clock) {
                    Ok(request) => {
                        self.out.queries += 1;
                        self.phase = Phase::AwaitQuery { paid_before };
                        CounterStep::Call(CounterCall {
                            path: "/pay/orderquery",
                            request,
                            cert: false,
                            resend: true,
                        })
                    }
                    Err(e) => self.unsettled_step(FollowUp::Query, e),
                }
            }
            Phase::Reverse { .. } => {
                let reverse = Reverse {
                    order: self.order(),
                };
                match reverse.sign(&self.merchant, clock) {
                    Ok(request) => {
                        self.out.reverses += 1;
                        self.phase = Phase::AwaitReverse;
                        CounterStep::Call(CounterCall {
                            path: "/secapi/pay/reverse",
                            request,
                            cert: true,
                            resend: true,
                        })
                    }
                    Err(e) => self.unsettled_step(FollowUp::Reverse, e),
                }
            }
            Phase::Done => CounterStep::Done(self.out.clone()),
        }
    }

    /// Hands over what came of the call [`Counter::next`] asked for, at
    /// `now` (the time since the scan). A result no call was waiting for is
    /// ignored.
    pub fn answer(&mut self, now: Duration, delivery: Delivery<'_>) {
        match self.phase {
            Phase::AwaitPay => self.on_pay(now, delivery),
            Phase::AwaitQuery { paid_before } => self.on_query(now, delivery, paid_before),
            Phase::AwaitReverse => self.on_reverse(now, delivery),
            _ => {}
        }
    }

    /// The outcome, once settled.
    pub fn outcome(&self) -> Option<&MicropayOutcome> {
        (self.phase == Phase::Done).then_some(&self.out)
    }

    fn order(&self) -> OrderRef {
        OrderRef::OutTradeNo(self.pay.out_trade_no.clone())
    }

    fn on_pay(&mut self, now: Duration, delivery: Delivery<'_>) {
        let body = match delivery {
            Delivery::Reply(body) => body,
            // Nothing left this machine, so this request cannot charge;
            // but the number may have been paid before (a retried sale):
            // failed only once WeChat says it holds no such order.
            Delivery::NotSent(e) => {
                self.not_sent = true;
                self.out.error = Some(e.clone());
                self.last_error = Some(e);
                self.phase = Phase::Query {
                    at: now,
                    paid_before: false,
                };
                return;
            }
            Delivery::Lost(e) => return self.open(now, e),
        };
        // The request is gone; only its sign type is needed from here on.
        match MicropayReply::parse_with(&self.merchant, &self.pay, self.sign_type, body) {
            Ok(paid) => {
                self.out.transaction_id = paid.payment.transaction_id;
                self.out.total_fee = paid.payment.total_fee;
                self.finish(MicropayStatus::Paid)
            }
            Err(Error::Business {
                err_code,
                err_code_des,
                ..
            }) if err_code == "ORDERPAID" => {
                // The number was paid before: this sale only if WeChat's
                // order is exactly it. Never reversed here, since it may be
                // another sale's.
                self.note(err_code, err_code_des);
                self.phase = Phase::Query {
                    at: now,
                    paid_before: true,
                };
            }
            Err(e @ Error::Business { .. }) if !OPEN_CODES.contains(&business_code(&e)) => {
                let Error::Business {
                    err_code,
                    err_code_des,
                    ..
                } = e
                else {
                    return;
                };
                self.note(err_code, err_code_des);
                self.finish(MicropayStatus::Failed)
            }
            // USERPAYING, SYSTEMERROR, BANKERROR, a reply that does not
            // verify or is about another sale: WeChat may have charged.
            Err(e) => self.open(now, e),
        }
    }

    /// An open answer: query from `first_query_after` on.
    fn open(&mut self, now: Duration, e: Error) {
        match &e {
            Error::Business {
                err_code,
                err_code_des,
                ..
            } => self.note(err_code.clone(), err_code_des.clone()),
            other => {
                self.out.err_code = Some(other.kind().as_str().to_uppercase());
                self.out.err_code_des = Some(other.to_string());
            }
        }
        self.last_error = Some(e);
        // At least one orderquery, even past the limit: the reverse needs
        // to know what the number holds.
        self.phase = Phase::Query {
            at: now + self.policy.first_query_after,
            paid_before: false,
        };
    }

    /// The next orderquery at `at` if that is within the limit; else the
    /// reverse, if the number is known to hold this sale's order or none
    /// at all; else the end.
    fn query_or_reverse(&mut self, at: Duration, now: Duration, paid_before: bool) {
        if at <= self.policy.give_up_after {
            self.phase = Phase::Query { at, paid_before };
        } else if paid_before || self.seen == Seen::Nothing {
            // After ORDERPAID the order may be another sale's; and an order
            // never seen may be one too (a reused number): a reverse could
            // refund someone else. Left to the shop to look at.
            let e = self.last_error.take().unwrap_or_else(|| {
                Error::mismatch("trade_state", "SUCCESS", "no answer within give_up_after")
            });
            self.unsettled(FollowUp::Query, e);
        } else {
            self.phase = Phase::Reverse { at: now };
        }
    }

    fn on_query(&mut self, now: Duration, delivery: Delivery<'_>, paid_before: bool) {
        let next = now + self.policy.query_every;
        let reply = match delivery {
            Delivery::Reply(body) => {
                let query = OrderQuery {
                    order: self.order(),
                };
                OrderQueryReply::parse_with(&self.merchant, &query, self.sign_type, body)
            }
            Delivery::NotSent(e) | Delivery::Lost(e) => Err(e),
        };
        let q = match reply {
            Ok(q) => q,
            Err(e) => {
                if let Error::Business {
                    err_code,
                    err_code_des,
                    ..
                } = &e
                {
                    // ORDERNOTEXIST after an open answer is not final: a
                    // request that timed out may still be processed.
                    if err_code == "ORDERNOTEXIST" && !paid_before {
                        if self.not_sent {
                            // No order, and none can come: the micropay
                            // never left.
                            self.note(err_code.clone(), err_code_des.clone());
                            return self.finish(MicropayStatus::Failed);
                        }
                        self.note(err_code.clone(), err_code_des.clone());
                        self.seen = Seen::NoOrder;
                    }
                }
                self.last_error = Some(e);
                return self.query_or_reverse(next, now, paid_before);
            }
        };
        match q.trade_state {
            TradeState::Success => match check_sale(&self.merchant, &self.pay, &q.raw) {
                Ok(sale) => {
                    self.out.transaction_id = Some(sale.transaction_id);
                    self.out.total_fee = Some(sale.total_fee);
                    self.out.err_code = None;
                    self.out.err_code_des = None;
                    self.finish(MicropayStatus::Paid)
                }
                // Another sale holds the number: never reversed here.
                Err(e) => self.unsettled(FollowUp::Query, e),
            },
            state => {
                let wrong_state = || Error::mismatch("trade_state", "SUCCESS", state.as_str());
                self.note(
                    state.as_str().to_owned(),
                    q.trade_state_desc.clone().unwrap_or_default(),
                );
                if state == TradeState::Refund || paid_before {
                    // Paid and refunded, or ORDERPAID while WeChat's order
                    // says otherwise: not this sale paid, and not for the
                    // counter to reverse.
                    return self.unsettled(FollowUp::Query, wrong_state());
                }
                if let Err(e) = check_unpaid(&self.pay, &q) {
                    return self.unsettled(FollowUp::Query, e);
                }
                self.seen = Seen::ThisSale;
                self.last_error = Some(wrong_state());
                if state.is_pending() {
                    self.query_or_reverse(next, now, false);
                } else {
                    // PAYERROR, CLOSED, REVOKED: reversed so that nothing
                    // can still be charged after the customer has left.
                    self.phase = Phase::Reverse { at: now };
                }
            }
        }
    }

    fn on_reverse(&mut self, now: Duration, delivery: Delivery<'_>) {
        let answer = match delivery {
            Delivery::Reply(body) => {
                ReverseAnswer::parse_with(&self.merchant, self.sign_type, body)
            }
            Delivery::NotSent(e) | Delivery::Lost(e) => Err(e),
        };
        match answer {
            Ok(ReverseAnswer::Done) => {
                self.out.error = None;
                self.finish(MicropayStatus::Reversed)
            }
            Ok(ReverseAnswer::Recall) => {
                self.last_error = Some(Error::Protocol {
                    return_msg: None,
                    message: format!(
                        "secapi/pay/reverse still answered recall=Y after {} calls",
                        self.out.reverses
                    ),
                    retryable: true,
                });
                self.reverse_again(now)
            }
            // A final refusal: no order yet (a late request may still
            // create one), too old, refused by rules. Repeating it would
            // not change the answer.
            Err(e) if e.kind() == ErrorKind::Business && !e.retryable() => {
                self.unsettled(FollowUp::Query, e)
            }
            Err(e) => {
                self.last_error = Some(e);
                self.reverse_again(now)
            }
        }
    }

    fn reverse_again(&mut self, now: Duration) {
        if self.out.reverses < self.policy.max_reverses {
            self.phase = Phase::Reverse {
                at: now + self.policy.query_every,
            };
        } else {
            let e = self
                .last_error
                .take()
                .unwrap_or_else(|| Error::internal("reverse gave no answer"));
            self.unsettled(FollowUp::Reverse, e);
        }
    }

    fn note(&mut self, code: String, des: String) {
        self.out.err_code = Some(code);
        self.out.err_code_des = Some(des).filter(|d| !d.is_empty());
    }

    fn unsettled(&mut self, follow_up: FollowUp, e: Error) {
        self.out.follow_up = Some(follow_up);
        self.out.error = Some(e);
        self.finish(MicropayStatus::Unsettled);
    }

    /// Ends unsettled, as the step to hand back.
    fn unsettled_step(&mut self, follow_up: FollowUp, e: Error) -> CounterStep {
        self.unsettled(follow_up, e);
        CounterStep::Done(self.out.clone())
    }

    fn finish(&mut self, status: MicropayStatus) {
        self.out.status = status;
        if status != MicropayStatus::Unsettled {
            self.out.follow_up = None;
        }
        self.phase = Phase::Done;
    }
}

fn business_code(e: &Error) -> &str {
    match e {
        Error::Business { err_code, .. } => err_code,
        _ => "",
    }
}

/// An unpaid order under our number must still be this sale: what the
/// reply says of its amount and trade type must match (a number reused for
/// another order is not this sale's to reverse).
fn check_unpaid(pay: &Micropay, q: &OrderQueryReply) -> Result<()> {
    if let Some(fee) = q.total_fee {
        if fee != pay.total_fee {
            return Err(Error::mismatch(
                "total_fee",
                pay.total_fee.to_string(),
                fee.to_string(),
            ));
        }
    }
    match q.raw.get("trade_type").map(String::as_str) {
        None | Some("") | Some("MICROPAY") => Ok(()),
        Some(other) => Err(Error::mismatch(
            "trade_type",
            "MICROPAY",
            crate::message::truncate_for_message(other),
        )),
    }
}
