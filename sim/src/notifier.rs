//! Notifications POSTed to the shop, retried on WeChat's schedule until the
//! shop answers `return_code=SUCCESS`.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use wxpay::{Params, SignType};

use crate::state::{
    random_token, unix_millis, Attempt, Notification, Order, RefundRecord, Stat, State,
};
use crate::Shared;

/// Seconds between attempts: 15s/15s/30s/3m/10m/20m/30m/30m/30m/60m/3h/3h/3h/6h/6h.
pub const SCHEDULE: [u64; 15] = [
    15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600,
];

/// How long the shop has to answer one attempt.
const REPLY_TIMEOUT: Duration = Duration::from_secs(5);

fn enqueue(state: &mut State, kind: &str, out_trade_no: &str, url: &str, body: String) {
    push(state, kind, out_trade_no, url, body, false);
}

/// Queues an API v3 notification (the JSON envelope; signed at delivery).
pub fn enqueue_v3(state: &mut State, kind: &str, out_trade_no: &str, url: &str, body: String) {
    push(state, kind, out_trade_no, url, body, true);
}

fn push(state: &mut State, kind: &str, out_trade_no: &str, url: &str, body: String, api_v3: bool) {
    let id = state.notifications.len() as u64 + 1;
    state.notifications.push(Notification {
        id,
        kind: kind.into(),
        out_trade_no: out_trade_no.into(),
        url: url.into(),
        attempts: Vec::new(),
        status: "pending".into(),
        body,
        api_v3,
        v3_headers: Default::default(),
        next_due: Some(Instant::now()),
    });
}

/// The signed payment notification of a paid order.
pub fn payment_body(state: &State, order: &Order) -> String {
    let Some((appid, key)) = state.account(&order.mch_id) else {
        return String::new();
    };
    let mut f = Params::new();
    for (k, v) in [
        ("return_code", "SUCCESS".to_owned()),
        ("return_msg", "OK".to_owned()),
        ("appid", appid.to_owned()),
        ("mch_id", order.mch_id.clone()),
        ("sub_mch_id", order.sub_mch_id.clone().unwrap_or_default()),
        ("sub_appid", order.sub_appid.clone().unwrap_or_default()),
        ("sub_openid", order.sub_openid.clone().unwrap_or_default()),
        ("nonce_str", random_token(32)),
        ("result_code", "SUCCESS".to_owned()),
        ("openid", order.openid.clone().unwrap_or_default()),
        ("is_subscribe", "N".to_owned()),
        ("trade_type", order.trade_type.clone()),
        ("bank_type", "OTHERS".to_owned()),
        ("total_fee", order.total_fee.to_string()),
        ("fee_type", "CNY".to_owned()),
        ("cash_fee", order.total_fee.to_string()),
        (
            "transaction_id",
            order.transaction_id.clone().unwrap_or_default(),
        ),
        ("out_trade_no", order.out_trade_no.clone()),
        ("attach", order.attach.clone().unwrap_or_default()),
        ("time_end", order.time_end.clone().unwrap_or_default()),
    ] {
        if !v.is_empty() {
            f.insert(k.into(), v);
        }
    }
    let sign_type = SignType::parse(&order.sign_type).unwrap_or(SignType::Md5);
    if order.sub_openid.is_some() {
        f.insert("sub_is_subscribe".into(), "N".into());
    }
    if let Ok(sign) = wxpay::sign(&f, key, sign_type) {
        f.insert("sign".into(), sign);
    }
    wxpay::to_xml(&f).unwrap_or_default()
}

pub fn enqueue_payment(state: &mut State, order: &Order) {
    if order.api_v3 {
        let body = crate::v3::payment_notification(state, order);
        enqueue_v3(
            state,
            "payment",
            &order.out_trade_no,
            &order.notify_url,
            body,
        );
        return;
    }
    let body = payment_body(state, order);
    enqueue(
        state,
        "payment",
        &order.out_trade_no,
        &order.notify_url,
        body,
    );
}

pub fn enqueue_refund(state: &mut State, order: &Order, refund: &RefundRecord, url: &str) {
    let mut info = Params::new();
    for (k, v) in [
        (
            "transaction_id",
            order.transaction_id.clone().unwrap_or_default(),
        ),
        ("out_trade_no", order.out_trade_no.clone()),
        ("refund_id", refund.refund_id.clone()),
        ("out_refund_no", refund.out_refund_no.clone()),
        ("total_fee", order.total_fee.to_string()),
        ("refund_fee", refund.refund_fee.to_string()),
        ("settlement_refund_fee", refund.refund_fee.to_string()),
        ("refund_status", refund.status.clone()),
        (
            "success_time",
            refund.success_time.clone().unwrap_or_default(),
        ),
        ("refund_recv_accout", "支付用户零钱".to_owned()),
        ("refund_account", "REFUND_SOURCE_UNSETTLED_FUNDS".to_owned()),
        ("refund_request_source", "API".to_owned()),
    ] {
        if !v.is_empty() {
            info.insert(k.into(), v);
        }
    }
    let Some((appid, key)) = state.account(&order.mch_id) else {
        return;
    };
    let req_info = wxpay::encrypt_req_info(&info, key).unwrap_or_default();
    let mut f = Params::new();
    f.insert("return_code".into(), "SUCCESS".into());
    f.insert("appid".into(), appid.to_owned());
    f.insert("mch_id".into(), order.mch_id.clone());
    for (name, value) in [
        ("sub_mch_id", &order.sub_mch_id),
        ("sub_appid", &order.sub_appid),
    ] {
        if let Some(v) = value {
            f.insert(name.into(), v.clone());
        }
    }
    f.insert("nonce_str".into(), random_token(32));
    f.insert("req_info".into(), req_info);
    let body = wxpay::to_xml(&f).unwrap_or_default();
    enqueue(state, "refund", &order.out_trade_no, url, body);
}

/// A delivery counts only when the shop answers HTTP 200 with an XML body
/// whose `return_code` is `SUCCESS` — or, for API v3, 200 or 204.
fn acknowledged(status: Option<u16>, reply: &[u8], api_v3: bool) -> bool {
    if api_v3 {
        return matches!(status, Some(200 | 204));
    }
    status == Some(200)
        && wxpay::from_xml(reply)
            .is_ok_and(|f| f.get("return_code").map(String::as_str) == Some("SUCCESS"))
}

fn deliver(shared: Arc<Shared>, index: usize, due: Due) {
    let Due {
        url,
        body,
        attempt,
        v3_headers,
    } = due;
    let agent = ureq::Agent::config_builder()
        .timeout_global(Some(REPLY_TIMEOUT))
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .new_agent();
    let api_v3 = v3_headers.is_some();
    let sent_headers = v3_headers.clone().unwrap_or_default();
    let mut request = agent.post(&url).header(
        "Content-Type",
        if api_v3 {
            "application/json"
        } else {
            "text/xml"
        },
    );
    for (name, value) in v3_headers.unwrap_or_default() {
        request = request.header(name, value);
    }
    let result = request.send(body.as_bytes());
    let (status, reply) = match result {
        Ok(mut r) => {
            let status = r.status().as_u16();
            let bytes = r
                .body_mut()
                .with_config()
                .limit(64 * 1024)
                .read_to_vec()
                .unwrap_or_default();
            (Some(status), bytes)
        }
        Err(e) => (None, format!("(no reply: {e})").into_bytes()),
    };
    let ok = acknowledged(status, &reply, api_v3);
    let mut state = shared.lock();
    state.count(Stat::NotifyAttempts);
    let scale = state.config.time_scale;
    if let Some(n) = state.notifications.get_mut(index) {
        if api_v3 {
            n.v3_headers = sent_headers.into_iter().collect();
        }
        n.attempts.push(Attempt {
            attempt,
            at_ms: unix_millis(),
            http_status: status,
            reply: String::from_utf8_lossy(&reply).chars().take(500).collect(),
            acknowledged: ok,
        });
        if ok {
            n.status = "acknowledged".into();
        } else if let Some(wait) = SCHEDULE.get(attempt as usize - 1) {
            n.next_due = Some(Instant::now() + Duration::from_secs(*wait).mul_f64(scale.max(0.0)));
        } else {
            n.status = "gave_up".into();
        }
    }
    drop(state);
    shared.wake.notify_all();
}

/// One delivery to make.
struct Due {
    url: String,
    body: String,
    attempt: u32,
    /// The signature headers of an API v3 notification.
    v3_headers: Option<Vec<(String, String)>>,
}

/// Runs until the simulator stops: sends every due notification.
pub fn run(shared: Arc<Shared>) {
    let mut state = shared.lock();
    while !shared.stop.load(Ordering::SeqCst) {
        let now = Instant::now();
        let mut next: Option<Instant> = None;
        let mut due = Vec::new();
        let (v3_keys, rotated) = (state.config.v3_keys, state.v3_rotated);
        for (i, n) in state.notifications.iter_mut().enumerate() {
            match n.next_due {
                Some(t) if t <= now => {
                    n.next_due = None;
                    let attempt = n.attempts.len() as u32 + 1;
                    due.push((
                        i,
                        Due {
                            url: n.url.clone(),
                            body: n.body.clone(),
                            attempt,
                            // Signed afresh at each delivery, as WeChat does;
                            // during a migration by either key in turn.
                            v3_headers: n.api_v3.then(|| {
                                crate::v3::notification_headers(
                                    v3_keys,
                                    rotated,
                                    n.id + u64::from(attempt),
                                    &n.body,
                                )
                            }),
                        },
                    ));
                }
                Some(t) => next = Some(next.map_or(t, |x: Instant| x.min(t))),
                None => {}
            }
        }
        for (i, d) in due {
            let shared = shared.clone();
            thread::spawn(move || deliver(shared, i, d));
        }
        let wait = next
            .map_or(Duration::from_millis(500), |t| {
                t.saturating_duration_since(Instant::now())
            })
            .min(Duration::from_millis(500));
        state = shared
            .wake
            .wait_timeout(state, wait)
            .map(|(g, _)| g)
            .unwrap_or_else(|p| p.into_inner().0);
    }
}
