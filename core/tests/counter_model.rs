//! The counter's state machine (`wxpay::Counter`) checked against a model
//! of WeChat's books, in virtual time.
//!
//! Each generated case is a WeChat that answers every call from the whole
//! alphabet — SUCCESS, USERPAYING, SYSTEMERROR, BANKERROR, the final codes,
//! ORDERPAID for a number used before, ORDERNOTEXIST, a reply lost before
//! or after WeChat processed the request (and processed late, after the
//! counter gave up), a signed reply about another amount, order, trade
//! type, currency or sub-merchant, a reply that does not verify, reverse
//! with `recall=Y`, reverse failures — with time passing between calls.
//! After the counter settles, time runs on until every late request and
//! every customer still typing has done what they will do, and the books
//! are compared with the outcome (docs/protocol.md §14):
//! - `paid` ⇔ this sale is charged and not reversed, for the amount asked;
//! - `failed` ⇒ this sale was never charged and never will be;
//! - `reversed` ⇒ WeChat reversed this sale's order (nothing charged);
//! - money charged and kept ⇒ `paid` or `unsettled`, never anything else;
//! - another sale's order under the same number is never reversed;
//! - calls and time are bounded by the policy.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

use std::time::Duration;

use proptest::prelude::*;
use wxpay::{
    ApiKey, Counter, CounterPolicy, CounterStep, Delivery, Error, FixedClock, FollowUp, Merchant,
    Micropay, MicropayOutcome, MicropayStatus, Params, SignType, SubMerchant,
};

const APPID: &str = "wxd930ea5d5a258f4f";
const MCH_ID: &str = "10000100";
const KEY: &str = "192006250b4c09247ec02edce69f6a2d";
const SUB: &str = "1900000109";
const NO: &str = "counter-0001";
const FEE: u64 = 1800;
/// The longest one call may take (the client's overall timeout).
const CALL_MAX_MS: u64 = 15_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    NotPay,
    UserPaying,
    Success,
    PayError,
    Revoked,
    Refund,
}

impl State {
    fn wire(self) -> &'static str {
        match self {
            State::NotPay => "NOTPAY",
            State::UserPaying => "USERPAYING",
            State::Success => "SUCCESS",
            State::PayError => "PAYERROR",
            State::Revoked => "REVOKED",
            State::Refund => "REFUND",
        }
    }
}

/// One order under the number, as WeChat holds it.
#[derive(Debug, Clone)]
struct Order {
    amount: u64,
    trade_type: &'static str,
    sub_mch_id: Option<&'static str>,
    state: State,
    /// Money taken from the customer and not given back.
    charged: bool,
    transaction_id: Option<String>,
    /// A customer typing the password finishes at this time (ms).
    pays_at: Option<u64>,
}

/// What the cashier's micropay does once WeChat processes it.
#[derive(Debug, Clone, Copy)]
enum Plan {
    PayNow,
    /// USERPAYING; the customer finishes after this many ms, or never.
    Typing(Option<u64>),
    /// The payment fails at the bank (PAYERROR).
    FailAtBank,
    /// A final refusal: nothing is created or charged.
    Refuse(&'static str),
}

/// What comes back to the counter for its micropay.
#[derive(Debug, Clone, Copy)]
enum PayReply {
    /// What WeChat's processing says.
    Truth,
    /// An open code, whatever happened.
    Open(&'static str),
    /// Processed, then the reply was lost.
    LostAfter,
    /// Lost before WeChat processed it: processed this many ms later
    /// (a late charge), or never.
    LostBefore(Option<u64>),
    /// Never left the cashier's machine.
    NotSent,
    /// A signed SUCCESS about something else (the field changed).
    Forged(Forge),
    /// A reply whose signature does not verify.
    BadSign,
}

#[derive(Debug, Clone, Copy)]
enum Forge {
    Amount,
    OutTradeNo,
    TradeType,
    FeeType,
    SubMerchant,
    Appid,
}

#[derive(Debug, Clone, Copy)]
enum QueryReply {
    Truth,
    Lost,
    NotSent,
    SystemError,
    BadSign,
    Forged(Forge),
}

#[derive(Debug, Clone, Copy)]
enum ReverseReply {
    Truth,
    Recall,
    SystemError,
    /// Reversed, then the reply was lost.
    LostAfter,
    LostBefore,
    NotSent,
    BadSign,
    /// A final refusal (REVERSE_EXPIRE).
    Refused,
}

/// The number was used before the cashier scanned.
#[derive(Debug, Clone, Copy)]
enum Before {
    /// This very sale, paid (the cashier retried the number).
    ThisSalePaid,
    /// This sale, paid and then refunded.
    ThisSaleRefunded,
    /// Another sale of another amount, paid at the counter.
    OtherAmountPaid,
    /// A JSAPI order of the same amount, unpaid.
    OtherJsapiUnpaid,
    /// Reversed before.
    Reversed,
}

#[derive(Debug, Clone)]
struct Script {
    policy: CounterPolicy,
    sub: bool,
    before: Option<Before>,
    plan: Plan,
    pay_reply: PayReply,
    queries: Vec<QueryReply>,
    reverses: Vec<ReverseReply>,
    /// How long each call takes, in turn (ms).
    durations: Vec<u64>,
}

/// WeChat's books for the one number, and what reached it.
struct World {
    now: u64,
    order: Option<Order>,
    /// The order that held the number before the scan (another sale's
    /// when it differs from this sale).
    before: Option<Order>,
    /// A micropay WeChat has not processed yet: when, and its plan.
    pending: Option<(u64, Plan)>,
    /// This sale's customer was charged at some point.
    ever_charged: bool,
    /// The counter reversed an order that was not this sale's.
    reversed_other_sale: bool,
    sub: Option<&'static str>,
    next_tid: u64,
    calls: (u32, u32, u32),
}

fn this_sale(o: &Order, sub: Option<&str>) -> bool {
    o.amount == FEE && o.trade_type == "MICROPAY" && o.sub_mch_id == sub
}

impl World {
    /// Lets time run to `t`: customers finish typing, late requests land.
    fn advance(&mut self, t: u64) {
        if let Some((at, plan)) = self.pending {
            if at <= t {
                self.pending = None;
                self.now = self.now.max(at);
                // Nobody is waiting for the answer of a late request.
                let _ = self.process(plan);
            }
        }
        if let Some(o) = &mut self.order {
            if o.state == State::UserPaying && o.pays_at.is_some_and(|p| p <= t) {
                o.state = State::Success;
                o.charged = true;
                o.pays_at = None;
                o.transaction_id = Some(format!("42000000{:020}", self.next_tid));
                self.next_tid += 1;
                self.ever_charged = true;
            }
        }
        self.now = self.now.max(t);
    }

    /// WeChat processes the micropay; returns its answer (`None`: paid).
    fn process(&mut self, plan: Plan) -> Result<(), (&'static str, &'static str)> {
        if let Some(o) = &self.order {
            return Err(match o.state {
                State::Success | State::Refund => ("ORDERPAID", "订单已支付"),
                State::Revoked => ("ORDERREVERSED", "订单已撤销"),
                State::UserPaying => ("USERPAYING", "需要用户输入支付密码"),
                _ => ("OUT_TRADE_NO_USED", "商户订单号重复"),
            });
        }
        let mut order = Order {
            amount: FEE,
            trade_type: "MICROPAY",
            sub_mch_id: self.sub,
            state: State::UserPaying,
            charged: false,
            transaction_id: None,
            pays_at: None,
        };
        let answer = match plan {
            Plan::Refuse(code) => return Err((code, "refused")),
            Plan::PayNow => {
                order.state = State::Success;
                order.charged = true;
                order.transaction_id = Some(format!("42000000{:020}", self.next_tid));
                self.next_tid += 1;
                self.ever_charged = true;
                Ok(())
            }
            Plan::Typing(after) => {
                order.pays_at = after.map(|a| self.now + a);
                Err(("USERPAYING", "需要用户输入支付密码"))
            }
            Plan::FailAtBank => {
                order.state = State::PayError;
                Err(("BANKERROR", "银行系统异常"))
            }
        };
        self.order = Some(order);
        answer
    }

    fn reverse(&mut self) -> Result<(), (&'static str, &'static str)> {
        let sub = self.sub;
        let Some(o) = &mut self.order else {
            // The stricter reading: no order, nothing recorded, and a late
            // request can still charge.
            return Err(("ORDERNOTEXIST", "订单不存在"));
        };
        if o.trade_type != "MICROPAY" && o.charged {
            return Err(("TRADE_ERROR", "订单不是付款码支付"));
        }
        if !this_sale(o, sub) && o.state != State::Revoked {
            self.reversed_other_sale = true;
        }
        o.state = State::Revoked;
        o.charged = false;
        o.pays_at = None;
        Ok(())
    }
}

fn merchant(sub: bool) -> Merchant {
    let m = Merchant::new(APPID, MCH_ID, KEY, SignType::HmacSha256).unwrap();
    if sub {
        m.for_sub_merchant(SubMerchant::new(SUB, None).unwrap())
    } else {
        m
    }
}

/// A signed reply from this merchant's WeChat.
fn reply(world: &World, mut f: Params, forge: Option<Forge>, bad_sign: bool) -> Vec<u8> {
    f.insert("return_code".into(), "SUCCESS".into());
    f.insert("return_msg".into(), "OK".into());
    f.insert("appid".into(), APPID.into());
    f.insert("mch_id".into(), MCH_ID.into());
    if let Some(sub) = world.sub {
        f.insert("sub_mch_id".into(), sub.into());
    }
    f.insert(
        "nonce_str".into(),
        "5K8264ILTKCH16CQ2502SI8ZNMTM67VS".into(),
    );
    match forge {
        Some(Forge::Amount) => {
            f.insert("total_fee".into(), "1".into());
        }
        Some(Forge::OutTradeNo) => {
            f.insert("out_trade_no".into(), "counter-0002".into());
        }
        Some(Forge::TradeType) => {
            f.insert("trade_type".into(), "JSAPI".into());
        }
        Some(Forge::FeeType) => {
            f.insert("fee_type".into(), "USD".into());
        }
        Some(Forge::SubMerchant) => {
            f.insert("sub_mch_id".into(), "1900000999".into());
        }
        Some(Forge::Appid) => {
            f.insert("appid".into(), "wx2421b1c4370ec43b".into());
        }
        None => {}
    }
    let key = ApiKey::new(KEY).unwrap();
    let mut sign = wxpay::sign(&f, &key, SignType::HmacSha256).unwrap();
    if bad_sign {
        sign.replace_range(..1, if sign.starts_with('0') { "1" } else { "0" });
    }
    f.insert("sign".into(), sign);
    wxpay::to_xml(&f).unwrap().into_bytes()
}

fn fail(code: &str, des: &str) -> Params {
    Params::from([
        ("result_code".to_string(), "FAIL".to_string()),
        ("err_code".to_string(), code.to_string()),
        ("err_code_des".to_string(), des.to_string()),
    ])
}

/// The fields of a paid order, as micropay and orderquery carry them.
fn paid_fields(o: &Order) -> Params {
    let mut f = Params::new();
    f.insert("out_trade_no".into(), NO.into());
    f.insert("total_fee".into(), o.amount.to_string());
    f.insert("cash_fee".into(), o.amount.to_string());
    f.insert("fee_type".into(), "CNY".into());
    f.insert("trade_type".into(), o.trade_type.into());
    f.insert("bank_type".into(), "OTHERS".into());
    f.insert("is_subscribe".into(), "N".into());
    f.insert("openid".into(), "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o".into());
    f.insert("time_end".into(), "20261203140000".into());
    if let Some(t) = &o.transaction_id {
        f.insert("transaction_id".into(), t.clone());
    }
    f
}

fn micropay_answer(
    world: &World,
    answer: Result<(), (&str, &str)>,
    reply_kind: PayReply,
) -> Vec<u8> {
    let forge = match reply_kind {
        PayReply::Forged(f) => Some(f),
        _ => None,
    };
    let bad = matches!(reply_kind, PayReply::BadSign);
    match (reply_kind, answer) {
        (PayReply::Open(code), _) => reply(world, fail(code, "系统超时"), None, bad),
        (PayReply::Forged(_), _) => {
            // A SUCCESS about something else, whatever really happened.
            let mut o = world.order.clone().unwrap_or(Order {
                amount: FEE,
                trade_type: "MICROPAY",
                sub_mch_id: world.sub,
                state: State::Success,
                charged: false,
                transaction_id: None,
                pays_at: None,
            });
            o.transaction_id
                .get_or_insert_with(|| "4200000000000000000000000999".into());
            let mut f = paid_fields(&o);
            f.insert("result_code".into(), "SUCCESS".into());
            reply(world, f, forge, bad)
        }
        (_, Ok(())) => {
            let o = world.order.as_ref().expect("paid");
            let mut f = paid_fields(o);
            f.insert("result_code".into(), "SUCCESS".into());
            reply(world, f, None, bad)
        }
        (_, Err((code, des))) => reply(world, fail(code, des), None, bad),
    }
}

fn query_answer(world: &World, kind: QueryReply) -> Vec<u8> {
    let (forge, bad) = match kind {
        QueryReply::Forged(f) => (Some(f), false),
        QueryReply::BadSign => (None, true),
        _ => (None, false),
    };
    if matches!(kind, QueryReply::SystemError) {
        return reply(world, fail("SYSTEMERROR", "系统超时"), None, false);
    }
    let Some(o) = &world.order else {
        if forge.is_some() {
            // A SUCCESS for an order WeChat does not hold.
            let o = Order {
                amount: FEE,
                trade_type: "MICROPAY",
                sub_mch_id: world.sub,
                state: State::Success,
                charged: true,
                transaction_id: Some("4200000000000000000000000998".into()),
                pays_at: None,
            };
            let mut f = paid_fields(&o);
            f.insert("result_code".into(), "SUCCESS".into());
            f.insert("trade_state".into(), "SUCCESS".into());
            return reply(world, f, forge, bad);
        }
        return reply(world, fail("ORDERNOTEXIST", "订单不存在"), None, bad);
    };
    let mut f = if o.transaction_id.is_some() {
        paid_fields(o)
    } else {
        let mut f = Params::new();
        f.insert("out_trade_no".into(), NO.into());
        f.insert("total_fee".into(), o.amount.to_string());
        if o.trade_type != "MICROPAY" {
            f.insert("trade_type".into(), o.trade_type.into());
        }
        f
    };
    f.insert("result_code".into(), "SUCCESS".into());
    f.insert("trade_state".into(), o.state.wire().into());
    f.insert("trade_state_desc".into(), "state".into());
    reply(world, f, forge, bad)
}

fn reverse_answer(world: &World, answer: Result<(), (&str, &str)>, bad: bool) -> Vec<u8> {
    match answer {
        Ok(()) => {
            let f = Params::from([
                ("result_code".to_string(), "SUCCESS".to_string()),
                ("recall".to_string(), "N".to_string()),
            ]);
            reply(world, f, None, bad)
        }
        Err((code, des)) => {
            let mut f = fail(code, des);
            f.insert("recall".into(), "N".into());
            reply(world, f, None, bad)
        }
    }
}

fn before_order(before: Before, sub: Option<&'static str>) -> Order {
    let paid = |amount: u64| Order {
        amount,
        trade_type: "MICROPAY",
        sub_mch_id: sub,
        state: State::Success,
        charged: true,
        transaction_id: Some("4200000000000000000000000001".into()),
        pays_at: None,
    };
    match before {
        Before::ThisSalePaid => paid(FEE),
        Before::ThisSaleRefunded => Order {
            state: State::Refund,
            charged: false,
            ..paid(FEE)
        },
        Before::OtherAmountPaid => paid(1),
        Before::OtherJsapiUnpaid => Order {
            trade_type: "JSAPI",
            state: State::NotPay,
            charged: false,
            transaction_id: None,
            ..paid(FEE)
        },
        Before::Reversed => Order {
            state: State::Revoked,
            charged: false,
            ..paid(FEE)
        },
    }
}

/// Runs one script and checks the books once every late event happened;
/// returns the outcome, or a description of the broken invariant.
fn run(script: &Script) -> Result<MicropayOutcome, String> {
    let sub = script.sub.then_some(SUB);
    let merchant = merchant(script.sub);
    let clock = FixedClock::new(1_764_700_000, "nonce");
    let pay = Micropay::new("Shop-Coffee", NO, FEE, "127.0.0.1", "134567890123450000");
    let mut counter =
        Counter::new(&merchant, &pay, script.policy, &clock).map_err(|e| e.to_string())?;
    let before = script.before.map(|b| before_order(b, sub));
    let mut world = World {
        now: 0,
        order: before.clone(),
        before,
        pending: None,
        ever_charged: false,
        reversed_other_sale: false,
        sub,
        next_tid: 100,
        calls: (0, 0, 0),
    };
    if let Some(o) = &world.order {
        world.ever_charged = this_sale(o, sub) && o.charged;
    }
    let mut queries = script.queries.iter().copied();
    let mut reverses = script.reverses.iter().copied();
    let mut durations = script.durations.iter().copied().cycle();
    let outcome: MicropayOutcome;
    let mut steps = 0;
    loop {
        steps += 1;
        if steps > 500 {
            return Err("the counter did not settle within 500 steps".into());
        }
        let now = Duration::from_millis(world.now);
        match counter.next(now, &clock) {
            CounterStep::Done(out) => {
                outcome = out;
                break;
            }
            CounterStep::Wait(d) => {
                let t = world.now + d.as_millis() as u64;
                world.advance(t);
            }
            CounterStep::Call(call) => {
                let took = durations.next().unwrap_or(100).min(CALL_MAX_MS);
                world.advance(world.now);
                let lost = || Error::Transport {
                    message: "timed out".into(),
                    retryable: true,
                    sent: true,
                };
                let not_sent = || Error::Transport {
                    message: "refused".into(),
                    retryable: true,
                    sent: false,
                };
                let delivery: Result<Vec<u8>, Error> = match call.path {
                    "/pay/micropay" => {
                        world.calls.0 += 1;
                        match script.pay_reply {
                            PayReply::NotSent => Err(not_sent()),
                            PayReply::LostBefore(late) => {
                                world.pending = late.map(|l| (world.now + l, script.plan));
                                Err(lost())
                            }
                            kind => {
                                let answer = world.process(script.plan);
                                if matches!(kind, PayReply::LostAfter) {
                                    Err(lost())
                                } else {
                                    Ok(micropay_answer(&world, answer, kind))
                                }
                            }
                        }
                    }
                    "/pay/orderquery" => {
                        world.calls.1 += 1;
                        match queries.next().unwrap_or(QueryReply::Truth) {
                            QueryReply::Lost => Err(lost()),
                            QueryReply::NotSent => Err(not_sent()),
                            kind => Ok(query_answer(&world, kind)),
                        }
                    }
                    "/secapi/pay/reverse" => {
                        world.calls.2 += 1;
                        match reverses.next().unwrap_or(ReverseReply::Truth) {
                            ReverseReply::Truth => {
                                let answer = world.reverse();
                                Ok(reverse_answer(&world, answer, false))
                            }
                            ReverseReply::BadSign => {
                                let answer = world.reverse();
                                Ok(reverse_answer(&world, answer, true))
                            }
                            ReverseReply::Recall => {
                                let mut f = fail("SYSTEMERROR", "系统繁忙");
                                f.insert("recall".into(), "Y".into());
                                Ok(reply(&world, f, None, false))
                            }
                            ReverseReply::SystemError => {
                                Ok(reply(&world, fail("SYSTEMERROR", "系统超时"), None, false))
                            }
                            ReverseReply::LostAfter => {
                                let _ = world.reverse();
                                Err(lost())
                            }
                            ReverseReply::LostBefore => Err(lost()),
                            ReverseReply::NotSent => Err(not_sent()),
                            ReverseReply::Refused => Ok(reverse_answer(
                                &world,
                                Err(("REVERSE_EXPIRE", "订单无法撤销")),
                                false,
                            )),
                        }
                    }
                    other => return Err(format!("an unexpected call to {other}")),
                };
                world.advance(world.now + took);
                let now = Duration::from_millis(world.now);
                match &delivery {
                    Ok(body) => counter.answer(now, Delivery::Reply(body)),
                    Err(e) if e.request_not_sent() => {
                        counter.answer(now, Delivery::NotSent(e.clone()))
                    }
                    Err(e) => counter.answer(now, Delivery::Lost(e.clone())),
                }
            }
        }
    }
    let settled_at = world.now;
    // The rest of the world: late requests land, customers finish typing.
    world.advance(u64::MAX / 2);
    check(script, &outcome, &world, settled_at)?;
    Ok(outcome)
}

fn check(
    script: &Script,
    out: &MicropayOutcome,
    world: &World,
    settled_at: u64,
) -> Result<(), String> {
    let sub = world.sub;
    let kept = world
        .order
        .as_ref()
        .is_some_and(|o| this_sale(o, sub) && o.charged && o.state == State::Success);
    let why = |what: &str| format!("{what}: outcome {out:?}, order {:?}", world.order);
    match out.status {
        MicropayStatus::Paid => {
            if !kept {
                return Err(why("paid, but WeChat does not hold this sale as paid"));
            }
            let o = world.order.as_ref().unwrap();
            if out.total_fee != Some(FEE) || out.transaction_id != o.transaction_id {
                return Err(why("paid with another amount or transaction"));
            }
            if out.follow_up.is_some() {
                return Err(why("paid with a follow-up"));
            }
        }
        MicropayStatus::Failed => {
            if world.ever_charged {
                return Err(why("failed, but this sale was charged"));
            }
        }
        MicropayStatus::Reversed => {
            if kept {
                return Err(why("reversed, but the charge was kept"));
            }
            if !world
                .order
                .as_ref()
                .is_some_and(|o| o.state == State::Revoked)
            {
                return Err(why("reversed, but WeChat holds no reversed order"));
            }
        }
        MicropayStatus::Unsettled => {
            if out.follow_up.is_none() || out.error.is_none() {
                return Err(why("unsettled without a follow-up and a reason"));
            }
        }
    }
    if kept && !matches!(out.status, MicropayStatus::Paid | MicropayStatus::Unsettled) {
        return Err(why(
            "the customer was charged and the outcome says otherwise",
        ));
    }
    if world.reversed_other_sale {
        return Err(why("another sale's order was reversed"));
    }
    if let Some(before) = &world.before {
        if !this_sale(before, sub) && out.status == MicropayStatus::Paid {
            return Err(why("paid for another sale's order"));
        }
    }
    if out.follow_up == Some(FollowUp::Reverse) && out.reverses < script.policy.max_reverses {
        return Err(why("follow-up reverse before the reverses ran out"));
    }
    // Bounded calls and time.
    let p = &script.policy;
    if world.calls.0 != 1 {
        return Err(why(&format!("micropay sent {} times", world.calls.0)));
    }
    if world.calls.1 > p.max_queries() || out.queries != world.calls.1 {
        return Err(why(&format!("{} orderqueries", world.calls.1)));
    }
    if world.calls.2 > p.max_reverses || out.reverses != world.calls.2 {
        return Err(why(&format!("{} reverses", world.calls.2)));
    }
    let ms = |d: Duration| d.as_millis() as u64;
    let bound = ms(p.give_up_after)
        + ms(p.first_query_after)
        + CALL_MAX_MS * (2 + u64::from(p.max_reverses))
        + (ms(p.query_every) + CALL_MAX_MS) * u64::from(p.max_reverses);
    if settled_at > bound {
        return Err(why(&format!(
            "settled after {settled_at} ms, beyond {bound} ms"
        )));
    }
    Ok(())
}

fn forge() -> impl Strategy<Value = Forge> {
    prop_oneof![
        Just(Forge::Amount),
        Just(Forge::OutTradeNo),
        Just(Forge::TradeType),
        Just(Forge::FeeType),
        Just(Forge::SubMerchant),
        Just(Forge::Appid),
    ]
}

fn script() -> impl Strategy<Value = Script> {
    let secs =
        |choices: &'static [u64]| proptest::sample::select(choices).prop_map(Duration::from_millis);
    let policy = (
        secs(&[0, 2_000, 5_000]),
        secs(&[1_000, 5_000]),
        secs(&[0, 10_000, 30_000]),
        1u32..=4,
    )
        .prop_map(
            |(first_query_after, query_every, give_up_after, max_reverses)| CounterPolicy {
                first_query_after,
                query_every,
                give_up_after,
                max_reverses,
            },
        );
    let before = prop_oneof![
        6 => Just(None),
        1 => Just(Some(Before::ThisSalePaid)),
        1 => Just(Some(Before::ThisSaleRefunded)),
        1 => Just(Some(Before::OtherAmountPaid)),
        1 => Just(Some(Before::OtherJsapiUnpaid)),
        1 => Just(Some(Before::Reversed)),
    ];
    let plan = prop_oneof![
        3 => Just(Plan::PayNow),
        3 => proptest::option::of(0u64..60_000).prop_map(Plan::Typing),
        1 => Just(Plan::FailAtBank),
        2 => proptest::sample::select(&[
            "NOTENOUGH", "AUTHCODEEXPIRE", "AUTH_CODE_INVALID", "NOTSUPORTCARD",
            "BUYER_MISMATCH", "TRADE_ERROR", "ORDERREVERSED", "PARAM_ERROR",
        ][..]).prop_map(Plan::Refuse),
    ];
    let pay_reply = prop_oneof![
        4 => Just(PayReply::Truth),
        2 => proptest::sample::select(&["USERPAYING", "SYSTEMERROR", "BANKERROR"][..]).prop_map(PayReply::Open),
        2 => Just(PayReply::LostAfter),
        3 => proptest::option::of(0u64..90_000).prop_map(PayReply::LostBefore),
        1 => Just(PayReply::NotSent),
        2 => forge().prop_map(PayReply::Forged),
        1 => Just(PayReply::BadSign),
    ];
    let query = prop_oneof![
        6 => Just(QueryReply::Truth),
        1 => Just(QueryReply::Lost),
        1 => Just(QueryReply::NotSent),
        1 => Just(QueryReply::SystemError),
        1 => Just(QueryReply::BadSign),
        1 => forge().prop_map(QueryReply::Forged),
    ];
    let reverse = prop_oneof![
        4 => Just(ReverseReply::Truth),
        2 => Just(ReverseReply::Recall),
        1 => Just(ReverseReply::SystemError),
        1 => Just(ReverseReply::LostAfter),
        1 => Just(ReverseReply::LostBefore),
        1 => Just(ReverseReply::NotSent),
        1 => Just(ReverseReply::BadSign),
        1 => Just(ReverseReply::Refused),
    ];
    (
        policy,
        any::<bool>(),
        before,
        plan,
        pay_reply,
        proptest::collection::vec(query, 0..12),
        proptest::collection::vec(reverse, 0..6),
        proptest::collection::vec(
            prop_oneof![8 => 0u64..3_000, 1 => 3_000u64..=CALL_MAX_MS],
            1..8,
        ),
    )
        .prop_map(
            |(policy, sub, before, plan, pay_reply, queries, reverses, durations)| Script {
                policy,
                sub,
                before,
                plan,
                pay_reply,
                queries,
                reverses,
                durations,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_counter_keeps_the_books(script in script()) {
        if let Err(e) = run(&script).map(drop) {
            prop_assert!(false, "{}\n{:?}", e, script);
        }
    }
}

/// The defects the model is there to catch, each as one fixed script.
mod known_paths {
    use super::*;

    fn base(plan: Plan, pay_reply: PayReply) -> Script {
        Script {
            policy: CounterPolicy {
                first_query_after: Duration::from_secs(5),
                query_every: Duration::from_secs(5),
                give_up_after: Duration::from_secs(30),
                max_reverses: 3,
            },
            sub: false,
            before: None,
            plan,
            pay_reply,
            queries: vec![],
            reverses: vec![],
            durations: vec![200],
        }
    }

    /// The outcome, once the books were checked.
    fn outcome(script: &Script) -> MicropayOutcome {
        run(script).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_query_for_another_amount_is_not_paid() {
        // SYSTEMERROR, then orderquery says SUCCESS for 1 fen.
        let mut s = base(Plan::PayNow, PayReply::Open("SYSTEMERROR"));
        s.queries = vec![QueryReply::Forged(Forge::Amount); 10];
        let out = outcome(&s);
        assert_ne!(out.status, MicropayStatus::Paid, "{out:?}");
    }

    #[test]
    fn orderpaid_is_paid_only_for_this_sale() {
        let mut s = base(Plan::PayNow, PayReply::Truth);
        s.before = Some(Before::ThisSalePaid);
        assert_eq!(outcome(&s).status, MicropayStatus::Paid);
        s.before = Some(Before::OtherAmountPaid);
        let out = outcome(&s);
        assert_eq!(out.status, MicropayStatus::Unsettled, "{out:?}");
        assert_eq!(out.err_code.as_deref(), Some("ORDERPAID"));
        assert_eq!(out.reverses, 0, "another sale's order is not reversed");
        s.before = Some(Before::ThisSaleRefunded);
        assert_eq!(outcome(&s).status, MicropayStatus::Unsettled);
    }

    #[test]
    fn a_late_charge_after_ordernotexist_is_never_failed() {
        // Lost before processing; WeChat charges 45 s later, after the
        // counter gave up on an order that did not exist yet.
        let s = base(Plan::PayNow, PayReply::LostBefore(Some(45_000)));
        let out = outcome(&s);
        assert_eq!(out.status, MicropayStatus::Unsettled, "{out:?}");
        assert_eq!(out.follow_up, Some(FollowUp::Query));
        // Charged 10 s later: the queries see it and it is paid.
        let s = base(Plan::PayNow, PayReply::LostBefore(Some(10_000)));
        assert_eq!(outcome(&s).status, MicropayStatus::Paid);
    }

    #[test]
    fn a_customer_who_never_finishes_is_reversed() {
        let s = base(Plan::Typing(None), PayReply::Truth);
        let out = outcome(&s);
        assert_eq!(out.status, MicropayStatus::Reversed, "{out:?}");
        assert_eq!(out.err_code.as_deref(), Some("USERPAYING"));
    }

    #[test]
    fn reverses_that_never_confirm_end_unsettled() {
        let mut s = base(Plan::Typing(None), PayReply::Truth);
        s.reverses = vec![ReverseReply::Recall; 6];
        let out = outcome(&s);
        assert_eq!(
            (out.status, out.follow_up),
            (MicropayStatus::Unsettled, Some(FollowUp::Reverse))
        );
        assert_eq!(out.reverses, 3);
    }

    #[test]
    fn a_refusal_before_anything_was_charged_is_failed() {
        let out = outcome(&base(Plan::Refuse("NOTENOUGH"), PayReply::Truth));
        assert_eq!(
            (out.status, out.err_code.as_deref()),
            (MicropayStatus::Failed, Some("NOTENOUGH"))
        );
        // Never sent: failed once WeChat says the number holds no order.
        let out = outcome(&base(Plan::PayNow, PayReply::NotSent));
        assert_eq!((out.status, out.queries), (MicropayStatus::Failed, 1));
        // Never sent, but the number was this sale's, paid before: paid.
        let mut s = base(Plan::PayNow, PayReply::NotSent);
        s.before = Some(Before::ThisSalePaid);
        assert_eq!(outcome(&s).status, MicropayStatus::Paid);
    }
}
