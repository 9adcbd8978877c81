//! Helpers shared by the simulator tests: a simulator per test, a client
//! pointed at it, and a scripted shop server that receives notifications.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use wxpay::{Client, ClientConfig, RetryPolicy, SignType, UnifiedOrder};
use wxpay_sim::{SimConfig, SimOptions, Simulator};

pub fn sim() -> Simulator {
    sim_with(SimConfig {
        time_scale: 0.001,
        ..SimConfig::default()
    })
}

pub fn sim_with(config: SimConfig) -> Simulator {
    Simulator::start_with(
        config,
        SimOptions {
            instant_bills: true,
        },
        "127.0.0.1",
        0,
    )
    .expect("simulator starts")
}

pub fn config(sim: &Simulator, sign_type: SignType) -> ClientConfig {
    let c = sim.config();
    let mut config =
        ClientConfig::new(&c.appid, &c.mch_id, &c.api_key).with_simulator(&sim.base_url());
    config.app_secret = Some(c.app_secret.clone());
    config.sign_type = sign_type;
    config.retry = RetryPolicy {
        retries: 1,
        backoff: Duration::from_millis(20),
        backoff_max: Duration::from_millis(100),
    };
    config
}

pub fn client(sim: &Simulator, sign_type: SignType) -> Client {
    Client::new(config(sim, sign_type)).expect("client builds")
}

pub fn order(no: &str, fee: u64, notify_url: &str) -> UnifiedOrder {
    UnifiedOrder::jsapi(
        "wxpay-sim-书店",
        no,
        fee,
        "127.0.0.1",
        notify_url,
        wxpay_sim::DEFAULT_OPENID,
    )
}

/// One request the shop server received.
#[derive(Debug, Clone)]
pub struct Received {
    pub at: Instant,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// A shop's notify endpoint on loopback. `answer(n, body)` gives the HTTP
/// body to reply to the n-th (0-based) request.
pub struct ShopServer {
    pub url: String,
    pub received: Arc<Mutex<Vec<Received>>>,
}

impl ShopServer {
    pub fn start(answer: impl Fn(usize, &[u8]) -> String + Send + Sync + 'static) -> ShopServer {
        ShopServer::answering(move |n, _, body| (200, answer(n, body)))
    }

    /// A server whose `answer(n, headers, body)` gives the HTTP status and
    /// body (API v3 notifications are answered by status).
    pub fn answering(
        answer: impl Fn(usize, &[(String, String)], &[u8]) -> (u16, String) + Send + Sync + 'static,
    ) -> ShopServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!(
            "http://127.0.0.1:{}/wxpay/notify",
            listener.local_addr().unwrap().port()
        );
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        let answer = Arc::new(answer);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let log = log.clone();
                let answer = answer.clone();
                thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut length = 0usize;
                    let mut headers = Vec::new();
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        if line == "\r\n" {
                            break;
                        }
                        if let Some((k, v)) = line.split_once(':') {
                            let (k, v) = (k.trim().to_ascii_lowercase(), v.trim().to_owned());
                            if k == "content-length" {
                                length = v.parse().unwrap_or(0);
                            }
                            headers.push((k, v));
                        }
                    }
                    let mut body = vec![0; length];
                    reader.read_exact(&mut body).unwrap();
                    let n = {
                        let mut log = log.lock().unwrap();
                        log.push(Received {
                            at: Instant::now(),
                            headers: headers.clone(),
                            body: body.clone(),
                        });
                        log.len() - 1
                    };
                    let (status, reply) = answer(n, &headers, &body);
                    let kind = if reply.starts_with('{') {
                        "application/json"
                    } else {
                        "text/xml"
                    };
                    let _ = write!(
                        stream,
                        "HTTP/1.1 {status} X\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
                        reply.len()
                    );
                });
            }
        });
        ShopServer { url, received }
    }

    pub fn count(&self) -> usize {
        self.received.lock().unwrap().len()
    }

    pub fn bodies(&self) -> Vec<Vec<u8>> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .map(|r| r.body.clone())
            .collect()
    }
}

/// Waits until `f` holds, up to `limit`.
pub fn wait_for(limit: Duration, mut f: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + limit;
    while Instant::now() < end {
        if f() {
            return true;
        }
        thread::sleep(Duration::from_millis(10));
    }
    f()
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .new_agent()
}

/// GET, returning status, Location header and body.
pub fn get(url: &str) -> (u16, Option<String>, String) {
    let mut r = agent().get(url).call().unwrap();
    let loc = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (
        r.status().as_u16(),
        loc,
        r.body_mut().read_to_string().unwrap_or_default(),
    )
}

/// POST JSON, returning the parsed JSON reply.
pub fn post_json(url: &str, body: &serde_json::Value) -> serde_json::Value {
    let mut r = agent()
        .post(url)
        .header("Content-Type", "application/json")
        .send(body.to_string().as_bytes())
        .unwrap();
    serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap()
}

/// POST raw bytes, returning the body.
pub fn post_raw(url: &str, body: &[u8]) -> Vec<u8> {
    let mut r = agent()
        .post(url)
        .header("Content-Type", "text/xml")
        .send(body)
        .unwrap();
    r.body_mut().read_to_vec().unwrap()
}

/// Follows the simulator's OAuth authorize redirect and returns the code.
pub fn authorize(client: &Client, redirect: &str, state: &str) -> String {
    let url = client
        .oauth_authorize_url(redirect, wxpay::Scope::Base, Some(state))
        .unwrap();
    let (status, location, _) = get(url.split('#').next().unwrap());
    assert_eq!(status, 302);
    let location = location.expect("redirect");
    assert!(location.starts_with(redirect), "{location}");
    assert!(location.ends_with(&format!("&state={state}")), "{location}");
    let code = location
        .split("code=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_owned();
    assert!(!code.is_empty());
    code
}

/// The page's side: pays a prepay_id the way the bridge shim does.
pub fn pay_in_browser(sim: &Simulator, params: &wxpay::BridgePayParams) -> serde_json::Value {
    let body: serde_json::Value = serde_json::from_str(&params.to_json()).unwrap();
    post_json(&format!("{}/sim/jsapi/pay", sim.base_url()), &body)
}

/// Today in Beijing, `yyyyMMdd`: the day of the simulator's bills.
pub fn today() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    wxpay_sim::beijing_time(now, false)[..8].to_owned()
}

/// An order of `fee` fen placed (with `extra` fields, e.g.
/// `profit_sharing=Y`) and paid in the simulated client; its
/// transaction_id.
pub fn paid_order_with(
    sim: &Simulator,
    client: &Client,
    no: &str,
    fee: u64,
    extra: &[(&str, &str)],
) -> String {
    let shop = ShopServer::start(|_, _| wxpay::notify_ack().to_owned());
    let mut order = order(no, fee, &shop.url);
    for (k, v) in extra {
        order.extra.insert((*k).to_owned(), (*v).to_owned());
    }
    let reply = client.unified_order(&order).unwrap();
    let params = client.jsapi_params(&reply.prepay_id).unwrap();
    assert_eq!(
        pay_in_browser(sim, &params)["err_msg"],
        "get_brand_wcpay_request:ok"
    );
    client
        .query_order(wxpay::OrderRef::OutTradeNo(no.into()))
        .unwrap()
        .transaction_id
        .clone()
        .unwrap()
}

/// An HTTPS agent trusting only the simulator's CA, with no client
/// certificate.
pub fn tls_agent(ca_pem: &str) -> ureq::Agent {
    let roots: Vec<_> = ureq::tls::parse_pem(ca_pem.as_bytes())
        .filter_map(|i| match i {
            Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
            _ => None,
        })
        .collect();
    ureq::Agent::config_builder()
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::new_with_certs(&roots))
                .build(),
        )
        .build()
        .new_agent()
}

/// An API v3 client's configuration for merchant `mchid` of the simulator
/// at `base_url` (the direct merchant and the service provider share the
/// test key pair and APIv3 key), retrying quickly.
pub fn v3_config(base_url: &str, mchid: &str, appid: &str) -> wxpay::ClientV3Config {
    let mut config = wxpay::ClientV3Config::new(
        mchid,
        appid,
        wxpay_sim::v3::MERCHANT_KEY_PEM,
        &wxpay_sim::v3::merchant_serial(),
        wxpay_sim::v3::APIV3_KEY,
    )
    .with_simulator(base_url);
    config.retry.backoff = Duration::from_millis(10);
    config
}
