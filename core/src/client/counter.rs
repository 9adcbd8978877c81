//! The counter over the network: [`Client::micropay`] drives the pure
//! state machine of [`crate::Counter`] (docs/protocol.md §14) with the
//! transport, and [`Client::reverse`] reverses a counter payment later,
//! for a payment that ended `unsettled` with `follow_up = reverse`.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::api::micropay::{AuthCodeToOpenid, Micropay, Reverse, ReverseAnswer, MICROPAY_OPTIONAL};
use crate::api::OrderRef;
use crate::client::retry::Retry;
use crate::client::transport::{Call, Method};
use crate::client::Client;
use crate::counter::{Counter, CounterCall, CounterPolicy, CounterStep, Delivery, MicropayOutcome};
use crate::error::{Error, ErrorKind, Result};
use crate::merchant::Merchant;
use crate::requests::{count_in, named, optional_fields, read, seconds_in, Count, Fen, Seconds};

/// How many reverse calls [`Client::reverse`] makes at most while WeChat
/// answers `recall=Y` or cannot be reached.
const REVERSE_CALLS: u32 = 5;

/// A reversal WeChat confirmed.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReverseOutcome {
    /// The order reversed.
    pub out_trade_no: String,
    /// reverse calls made.
    pub reverses: u32,
}

impl Client {
    /// A payment at the counter, to its end: `paid`, `reversed`, `failed`
    /// or `unsettled` (see [`crate::MicropayStatus`]), within
    /// `policy.give_up_after` plus the reverse. An `Err` only for bad input
    /// or configuration, before anything is sent: once the payment code is
    /// sent, every end is an outcome.
    ///
    /// ```no_run
    /// # let client: wxpay::Client = unimplemented!();
    /// let pay = wxpay::Micropay::new("Shop-Coffee", "counter-0001", 1800, "10.0.0.8", "134567890123450000");
    /// let outcome = client.micropay(&pay, &wxpay::CounterPolicy::default())?;
    /// match outcome.status {
    ///     wxpay::MicropayStatus::Paid => println!("paid {}", outcome.transaction_id.unwrap()),
    ///     wxpay::MicropayStatus::Unsettled => println!("do not ask for another code: {:?}", outcome.follow_up),
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
        let clock = self.config.clock.as_ref();
        let mut counter = Counter::new(m, pay, *policy, clock)?;
        loop {
            match counter.next(scanned.elapsed(), clock) {
                CounterStep::Done(outcome) => return Ok(outcome),
                CounterStep::Wait(d) => std::thread::sleep(d),
                CounterStep::Call(call) => {
                    let result = self.counter_call(&call);
                    let delivery = match &result {
                        Ok(body) => Delivery::Reply(body),
                        Err(e) if e.request_not_sent() => Delivery::NotSent(e.clone()),
                        Err(e) => Delivery::Lost(e.clone()),
                    };
                    counter.answer(scanned.elapsed(), delivery);
                }
            }
        }
    }

    /// One call of the counter: micropay is never sent twice (an open
    /// answer is settled by querying); orderquery and reverse are retried
    /// within the usual budget.
    fn counter_call(&self, call: &CounterCall) -> Result<Vec<u8>> {
        let wire = Call {
            path: call.path,
            label: call.path.trim_start_matches('/'),
            method: Method::Post {
                body: call.request.xml.as_bytes(),
                content_type: "text/xml; charset=utf-8",
            },
            retry: if call.resend {
                Retry::AfterSend
            } else {
                Retry::PreSendOnly
            },
            use_cert: call.cert,
            max_body: 1 << 20,
            headers: None,
            any_status: false,
        };
        let mut budget = self.budget();
        self.transport
            .execute(&self.pay_domains, &wire, &mut budget)
    }

    /// Reverses a counter payment (`secapi/pay/reverse`, with the client
    /// certificate) until WeChat confirms it, calling again while it
    /// answers `recall=Y` or cannot be reached (at most five calls). An
    /// unpaid order is closed for good, a paid one refunded. For a payment
    /// that ended `unsettled` with `follow_up = reverse`.
    ///
    /// ```no_run
    /// # let client: wxpay::Client = unimplemented!();
    /// let done = client.reverse("counter-0001")?;
    /// assert_eq!(done.out_trade_no, "counter-0001");
    /// # Ok::<(), wxpay::Error>(())
    /// ```
    pub fn reverse(&self, out_trade_no: &str) -> Result<ReverseOutcome> {
        self.reverse_as(&self.merchant, out_trade_no)
    }

    pub(super) fn reverse_as(&self, m: &Merchant, out_trade_no: &str) -> Result<ReverseOutcome> {
        let reverse = Reverse {
            order: OrderRef::OutTradeNo(out_trade_no.to_owned()),
        };
        let mut last = None;
        for n in 1..=REVERSE_CALLS {
            if n > 1 {
                std::thread::sleep(self.config.retry.backoff);
            }
            let request = reverse.sign(m, self.config.clock.as_ref())?;
            match self.pay_call(
                "/secapi/pay/reverse",
                &request,
                true,
                1 << 20,
                self.budget(),
                |body| ReverseAnswer::parse(m, &request, body),
            ) {
                Ok(ReverseAnswer::Done) => {
                    return Ok(ReverseOutcome {
                        out_trade_no: out_trade_no.to_owned(),
                        reverses: n,
                    })
                }
                Ok(ReverseAnswer::Recall) => {}
                Err(e) if e.retryable() || e.kind() == ErrorKind::Transport => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last.unwrap_or_else(|| Error::Protocol {
            return_msg: None,
            message: format!(
                "secapi/pay/reverse still answered recall=Y after {REVERSE_CALLS} calls: the order is not reversed yet"
            ),
            retryable: true,
        }))
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
        first_query_after: Option<Seconds>,
        query_every: Option<Seconds>,
        give_up_after: Option<Seconds>,
        max_reverses: Option<Count>,
    }
    let mut args = named(args, "micropay")?;
    let extra = optional_fields(&mut args, MICROPAY_OPTIONAL)?;
    let a: Args = read(Value::Object(args), "micropay")?;
    // Finite and non-negative here; the policy's own ranges in check().
    let wait = |name: &str, v: Option<Seconds>, default: Duration| {
        seconds_in(name, v, |s| (0.0..=600.0).contains(&s), "0 to 600")
            .map(|d| d.unwrap_or(default))
    };
    let d = CounterPolicy::default();
    let policy = CounterPolicy {
        first_query_after: wait(
            "first_query_after",
            a.first_query_after,
            d.first_query_after,
        )?,
        query_every: wait("query_every", a.query_every, d.query_every)?,
        give_up_after: wait("give_up_after", a.give_up_after, d.give_up_after)?,
        max_reverses: count_in("max_reverses", a.max_reverses, 1..=10)?
            .map_or(d.max_reverses, |n| n as u32),
    };
    policy.check()?;
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
