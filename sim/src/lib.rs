//! # wxpay-sim
//!
//! An offline stand-in for `api.mch.weixin.qq.com`, `api.weixin.qq.com` and
//! `open.weixin.qq.com`: one base URL serving the same paths, XML and JSON,
//! signatures and error codes, with a real order state machine,
//! notifications on WeChat's retry schedule, token rotation, fault
//! injection, and browser shims that play the WeChat client.
//!
//! ```no_run
//! let sim = wxpay_sim::Simulator::start(wxpay_sim::SimConfig::default(), "127.0.0.1", 0)?;
//! println!("point your client at {}", sim.base_url());
//! # Ok::<(), std::io::Error>(())
//! ```

#![forbid(unsafe_code)]

pub mod cli;
mod control;
mod fund_flow;
mod http;
mod mp;
mod native;
mod notifier;
mod pay;
mod profit_sharing;
mod state;
mod tls;
pub mod v3;

use std::collections::BTreeMap;
use std::io;
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::thread;
use std::time::Duration;

use wxpay::SignType;

pub use notifier::SCHEDULE;
pub use state::{
    beijing_time, Attempt, Fault, Notification, Order, RefundRecord, SimConfig, SimProvider,
    SimSubMerchant, DEFAULT_API_KEY, DEFAULT_APPID, DEFAULT_APP_SECRET, DEFAULT_MCH_ID,
    DEFAULT_OPENID, FAULT_KINDS, PROVIDER_API_KEY, PROVIDER_APPID, PROVIDER_MCH_ID, SUB_APPID_1,
    SUB_APPID_2, SUB_MCH_ID_1, SUB_MCH_ID_2, SUB_OPENID_1, SUB_OPENID_2,
};

use http::{Request, Response};
use state::State;
use tls::SimTls;
pub use tls::TlsFiles;

const DIALOG_JS: &str = include_str!("../assets/dialog.js");
const JSBRIDGE_JS: &str = include_str!("../assets/jsbridge.js");
const JWEIXIN_JS: &str = include_str!("../assets/jweixin.js");

/// State shared by the listeners and the notifier.
pub(crate) struct Shared {
    state: Mutex<State>,
    wake: Condvar,
    stop: Arc<AtomicBool>,
    instant_bills: bool,
    /// Made on the first HTTPS listener.
    tls: OnceLock<SimTls>,
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn is_pay_path(path: &str) -> bool {
    pay::api(path).is_some()
}

fn route(shared: &Arc<Shared>, req: &Request, base: &str) -> Response {
    let fault = if req.path.starts_with("/sim/") {
        None
    } else {
        shared.lock().take_fault(&req.path)
    };
    if let Some(f) = &fault {
        match f.kind.as_str() {
            "delay" => thread::sleep(Duration::from_millis(f.delay_ms)),
            "reset" => {
                return Response {
                    reset: true,
                    ..Response::not_found()
                }
            }
            "late" => {
                // WeChat gets the request but answers nothing before the
                // client gives up; it is processed later all the same.
                let (shared, req, base) = (shared.clone(), req.clone(), base.to_owned());
                let delay = Duration::from_millis(f.delay_ms);
                thread::spawn(move || {
                    thread::sleep(delay);
                    let _ = dispatch(&shared, &req, &base, None);
                    shared.wake.notify_all();
                });
                return Response {
                    reset: true,
                    ..Response::not_found()
                };
            }
            "http_error" => {
                let status = f.status.unwrap_or(502);
                return Response::new(
                    status,
                    "text/html; charset=utf-8",
                    format!("<html><head><title>{status}</title></head><body><h1>{status} Bad Gateway</h1><hr>nginx</body></html>"),
                );
            }
            _ => {}
        }
    }
    let kind = fault.as_ref().map(|f| f.kind.as_str()).unwrap_or("");
    let mut response = dispatch(shared, req, base, fault.as_ref());
    if kind == "truncate" {
        response.truncate_at = Some(response.body.len() / 2);
    }
    if kind == "bad_sign" && !is_pay_path(&req.path) {
        // Only pay replies carry a signature; MP replies get a garbled token.
        response.body = String::from_utf8_lossy(&response.body)
            .replace("\"access_token\":\"", "\"access_token\":\"x")
            .into_bytes();
    }
    shared.wake.notify_all();
    response
}

fn dispatch(shared: &Shared, req: &Request, base: &str, fault: Option<&Fault>) -> Response {
    let path = req.path.as_str();
    let forged = fault
        .filter(|f| f.kind == "forge")
        .map(|f| f.fields.clone())
        .unwrap_or_default();
    let fault = fault.map(|f| f.kind.as_str()).unwrap_or("");
    if req.tls && pay::needs_client_cert(path) {
        // WeChat wants the merchant's own API certificate here; over plain
        // HTTP the simulator cannot ask for one and lets the call through.
        let issued = shared.tls.get().map(|t| t.client_der.as_slice());
        if req.client_cert.as_deref() != issued || issued.is_none() {
            let state = shared.lock();
            return pay::render(
                &state,
                None,
                SignType::Md5,
                pay::Reply::ReturnFail(
                    "CERT_ERROR: 证书错误 (the merchant's API client certificate is required)"
                        .into(),
                ),
                &pay::Tamper::None,
            );
        }
    }
    if (req.method.as_str(), path) == ("POST", "/sim/native/scan") {
        return native::scan(shared, req);
    }
    let mut state = shared.lock();
    if path.starts_with("/v3/") {
        if fault == "systemerror" {
            return v3::refusal(500, "SYSTEM_ERROR", "系统繁忙，请稍后重试");
        }
        if fault == "rate_limited" {
            return v3::refusal(429, "RATELIMIT_EXCEEDED", "请求超过频率限制");
        }
        return v3::handle(&mut state, req, fault, shared.instant_bills);
    }
    if is_pay_path(path) {
        let (fields, sign_type) = match pay::check_request(&state, req) {
            Ok(ok) => ok,
            Err(reply) => {
                return pay::render(&state, None, SignType::Md5, reply, &pay::Tamper::None)
            }
        };
        if let Err(reply) = pay::check_sub_merchant(&state, &fields, path) {
            return pay::render(&state, Some(&fields), sign_type, reply, &pay::Tamper::None);
        }
        if fault == "systemerror" && path == "/pay/downloadbill" {
            // downloadbill fails as return_code=FAIL, never result_code.
            return pay::render(
                &state,
                Some(&fields),
                sign_type,
                pay::Reply::ReturnFail("SYSTEMERROR: 下载失败，系统超时".into()),
                &pay::Tamper::None,
            );
        }
        if fault == "systemerror" {
            return pay::render(
                &state,
                Some(&fields),
                sign_type,
                pay::Reply::BizFail("SYSTEMERROR", "系统超时".into()),
                &pay::Tamper::None,
            );
        }
        let Some(api) = pay::api(path) else {
            return Response::not_found();
        };
        state.count(api.stat);
        let call = pay::Call {
            sign_type,
            instant_bills: shared.instant_bills,
            recall: fault == "recall",
        };
        let reply = (api.handle)(&mut state, &fields, &call);
        let tamper = match fault {
            "bad_sign" => pay::Tamper::BadSign,
            "forge" => pay::Tamper::Forge(forged),
            _ => pay::Tamper::None,
        };
        return pay::render(&state, Some(&fields), sign_type, reply, &tamper);
    }
    if fault == "systemerror" && (path.starts_with("/sns/") || path.starts_with("/cgi-bin/")) {
        return Response::json(&serde_json::json!({ "errcode": -1, "errmsg": "system error" }));
    }
    match (req.method.as_str(), path) {
        ("GET", "/connect/oauth2/authorize") => mp::authorize(&mut state, req),
        ("GET", "/sns/oauth2/access_token") => Response::json(&mp::oauth_exchange(&mut state, req)),
        ("GET", "/sns/jscode2session") => Response::json(&mp::jscode2session(&mut state, req)),
        ("POST", "/sim/mini/login") => mp::mini_login_request(&mut state, req),
        ("GET", "/sns/oauth2/refresh_token") => Response::json(&mp::oauth_refresh(&mut state, req)),
        ("GET", "/sns/userinfo") => Response::json(&mp::userinfo(&mut state, req)),
        ("GET", "/cgi-bin/token") => Response::json(&mp::token(&mut state, req)),
        ("POST", "/cgi-bin/stable_token") => Response::json(&mp::stable_token(&mut state, req)),
        ("GET", "/cgi-bin/ticket/getticket") => Response::json(&mp::ticket(&mut state, req)),
        ("POST", "/sim/jsapi/pay") => control::jsapi_pay(&mut state, req),
        ("POST", "/sim/jsapi/config") => control::jssdk_config(&mut state, req),
        ("GET", "/sim/jsbridge.js") => Response::new(
            200,
            "application/javascript; charset=utf-8",
            format!("{DIALOG_JS}\n{JSBRIDGE_JS}"),
        ),
        ("GET", "/sim/jweixin.js") => Response::new(
            200,
            "application/javascript; charset=utf-8",
            format!("{DIALOG_JS}\n{JWEIXIN_JS}"),
        ),
        ("GET", "/sim/stats") => control::stats(&state),
        ("GET", p) if p.starts_with("/sim/tls/") => match shared.tls.get() {
            None => Response::new(
                404,
                "text/plain",
                "no HTTPS listener: start one (--tls-port)",
            ),
            Some(t) => match &p["/sim/tls/".len()..] {
                "ca.pem" => Response::new(200, "application/x-pem-file", t.files.ca_pem.clone()),
                "apiclient_cert.pem" => Response::new(
                    200,
                    "application/x-pem-file",
                    t.files.client_cert_pem.clone(),
                ),
                "apiclient_key.pem" => Response::new(
                    200,
                    "application/x-pem-file",
                    t.files.client_key_pem.clone(),
                ),
                _ => Response::not_found(),
            },
        },
        ("GET", "/sim/notifications") => control::notifications(&state),
        (_, "/sim/faults") => control::faults(&mut state, req),
        ("GET", "/sim/v3/merchant") => Response::json(&serde_json::json!({
            // What the merchant platform hands this simulator's v3 merchant
            // (the key files themselves are tests/vectors/v3/keys/).
            "mchid": state.config.mch_id,
            "serial": v3::merchant_serial(),
            "apiv3_key": v3::APIV3_KEY,
            "public_key_id": v3::PUBLIC_KEY_ID,
            "platform_serial": v3::platform_serial(),
        })),
        ("POST", "/sim/v3/rotate") => {
            state.v3_rotated = true;
            Response::json(&serde_json::json!({"rotated": true}))
        }
        ("GET", "/") => control::index(&state, base),
        ("GET", p) if p.starts_with("/sim/orders/") => {
            control::order(&state, &http::percent_decode(&p["/sim/orders/".len()..]))
        }
        ("GET", p) if p.starts_with("/sim/prepay/") => {
            control::prepay_info(&state, &http::percent_decode(&p["/sim/prepay/".len()..]))
        }
        (_, p) if p.starts_with("/sns/") || p.starts_with("/cgi-bin/") => Response::json(
            &serde_json::json!({ "errcode": 43002, "errmsg": "require GET/POST method, or unknown api" }),
        ),
        _ => Response::not_found(),
    }
}

/// Options beyond the merchant identity.
#[derive(Debug, Clone, Default)]
pub struct SimOptions {
    /// Serve a day's bill on that same day (WeChat: from 09:00 the next day).
    pub instant_bills: bool,
}

/// A running simulator. Dropping it stops it.
pub struct Simulator {
    shared: Arc<Shared>,
    listeners: Mutex<Vec<(String, std::net::SocketAddr)>>,
}

impl Simulator {
    /// Starts a simulator on `host:port` (`port` 0 picks a free one).
    pub fn start(config: SimConfig, host: &str, port: u16) -> io::Result<Simulator> {
        Self::start_with(config, SimOptions::default(), host, port)
    }

    /// [`Simulator::start`] with options.
    pub fn start_with(
        config: SimConfig,
        options: SimOptions,
        host: &str,
        port: u16,
    ) -> io::Result<Simulator> {
        let state = State::new(config)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))?;
        let shared = Arc::new(Shared {
            state: Mutex::new(state),
            wake: Condvar::new(),
            stop: Arc::new(AtomicBool::new(false)),
            instant_bills: options.instant_bills,
            tls: OnceLock::new(),
        });
        let sim = Simulator {
            shared: shared.clone(),
            listeners: Mutex::new(Vec::new()),
        };
        sim.listen(host, port)?;
        thread::spawn(move || notifier::run(shared));
        Ok(sim)
    }

    /// Opens one more base URL on the same WeChat (e.g. to play the backup
    /// domain `api2`); returns it.
    pub fn listen(&self, host: &str, port: u16) -> io::Result<String> {
        self.open(host, port, None)
    }

    /// Opens an HTTPS base URL (`https://127.0.0.1:…`) serving the same
    /// paths, where `/secapi/pay/refund` needs the merchant certificate as
    /// on WeChat. The certificates are made on the first call; see
    /// [`Simulator::tls_files`] for the CA to trust and the certificate to
    /// present.
    ///
    /// ```no_run
    /// let sim = wxpay_sim::Simulator::start(wxpay_sim::SimConfig::default(), "127.0.0.1", 0)?;
    /// let https = sim.listen_tls("127.0.0.1", 0)?;
    /// let files = sim.tls_files().expect("made by listen_tls");
    /// println!("{https}: trust {} bytes of CA", files.ca_pem.len());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn listen_tls(&self, host: &str, port: u16) -> io::Result<String> {
        if self.shared.tls.get().is_none() {
            let made =
                SimTls::generate(&self.shared.lock().config.mch_id).map_err(io::Error::other)?;
            // Another thread may have won the race; either set is fine.
            let _ = self.shared.tls.set(made);
        }
        let config = self.shared.tls.get().map(|t| t.config.clone());
        self.open(host, port, config)
    }

    /// The CA and merchant certificate of the HTTPS listeners, once one is
    /// open.
    pub fn tls_files(&self) -> Option<TlsFiles> {
        self.shared.tls.get().map(|t| t.files.clone())
    }

    fn open(
        &self,
        host: &str,
        port: u16,
        tls: Option<Arc<rustls::ServerConfig>>,
    ) -> io::Result<String> {
        let listener = TcpListener::bind((host, port))?;
        let addr = listener.local_addr()?;
        let scheme = if tls.is_some() { "https" } else { "http" };
        let base = format!("{scheme}://{}:{}", host, addr.port());
        let shared = self.shared.clone();
        let route_base = base.clone();
        let handler = Arc::new(move |req: &Request| route(&shared, req, &route_base));
        let stop = self.shared.stop.clone();
        thread::spawn(move || http::serve(listener, stop, handler, tls));
        self.listeners
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push((base.clone(), addr));
        Ok(base)
    }

    /// The first base URL, e.g. `http://127.0.0.1:8400`.
    pub fn base_url(&self) -> String {
        self.listeners
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .first()
            .map(|l| l.0.clone())
            .unwrap_or_default()
    }

    /// Call counters (`token_fetches`, `unifiedorder`, `notify_attempts`, …).
    pub fn stats(&self) -> BTreeMap<String, u64> {
        self.shared
            .lock()
            .stats
            .iter()
            .map(|(k, v)| ((*k).to_owned(), *v))
            .collect()
    }

    /// An order as the simulator holds it (the first of that number, when
    /// several merchants or sub-merchants use it; see [`Simulator::order_of`]).
    pub fn order(&self, out_trade_no: &str) -> Option<Order> {
        self.shared.lock().order_by_number(out_trade_no).cloned()
    }

    /// The order of number `out_trade_no` of merchant `mch_id` (and
    /// sub-merchant `sub_mch_id`): WeChat keeps numbers unique per
    /// merchant and sub-merchant only.
    pub fn order_of(
        &self,
        mch_id: &str,
        sub_mch_id: Option<&str>,
        out_trade_no: &str,
    ) -> Option<Order> {
        let key = state::order_key(mch_id, sub_mch_id, out_trade_no);
        self.shared.lock().orders.get(&key).cloned()
    }

    /// Every notification with its attempts.
    pub fn notifications(&self) -> Vec<Notification> {
        self.shared.lock().notifications.clone()
    }

    /// The payer pays in the simulated WeChat client: `params` is the object
    /// the page hands `getBrandWCPayRequest` (what `jsapi_params` returns),
    /// checked as WeChat's client checks it; the answer the page would get
    /// (`err_msg` `get_brand_wcpay_request:ok` when paid, else why not). The
    /// same as `POST /sim/jsapi/pay`; the notification follows.
    pub fn pay(&self, params: &serde_json::Value) -> serde_json::Value {
        control::pay(&mut self.shared.lock(), params)
    }

    /// What `wx.login()` gives a mini-program: a single-use code for
    /// `openid` (default the test user, [`DEFAULT_OPENID`]) that
    /// `sns/jscode2session` exchanges within 5 minutes; `refuse` (40226 a
    /// risky user, 45011 the minute quota) makes it answer that errcode
    /// instead. The same as `POST /sim/mini/login`.
    pub fn mini_login(&self, openid: Option<&str>, refuse: Option<i64>) -> Result<String, String> {
        mp::mini_login(&mut self.shared.lock(), openid, refuse)
    }

    /// Injects a fault; an unknown kind is refused.
    pub fn add_fault(&self, fault: Fault) -> Result<(), String> {
        fault.check()?;
        self.shared.lock().faults.push(fault);
        Ok(())
    }

    /// Rotates the v3 platform certificate: answers and notifications are
    /// signed with a second certificate from now on, and
    /// `/v3/certificates` lists both (a client holding only the first must
    /// fetch the listing again). The same as `POST /sim/v3/rotate`.
    pub fn rotate_v3_certificate(&self) {
        self.shared.lock().v3_rotated = true;
    }

    /// Removes every fault not yet met.
    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }

    /// The configuration it plays.
    pub fn config(&self) -> SimConfig {
        self.shared.lock().config.clone()
    }

    /// Stops every listener and the notifier.
    pub fn stop(&self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        self.shared.wake.notify_all();
        // Wake each accept loop so it sees the flag.
        for (_, addr) in self
            .listeners
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
        {
            let _ = TcpStream::connect_timeout(addr, Duration::from_millis(200));
        }
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.stop();
    }
}
