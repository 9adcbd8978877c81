//! One HTTP exchange with WeChat, with timeouts and failover, sorting
//! each failure by the ambiguity rule: a failure before the request left
//! (DNS, connect, TLS handshake) proves WeChat did nothing; a failure after
//! sending (read timeout, reset, truncated reply, 5xx) leaves the outcome
//! unknown. Whether and when to try again is the retry module's call.

use std::io::ErrorKind as IoKind;
use std::time::Duration;

use ureq::tls::{ClientCert, RootCerts, TlsConfig};

use crate::client::failover::Domains;
use crate::client::retry::{Budget, Cause, Retry};
use crate::client::Timeouts;
use crate::error::{Error, Result, XmlReason};

pub(crate) enum Method<'a> {
    Get,
    Post {
        body: &'a [u8],
        content_type: &'a str,
    },
}

/// Headers made afresh for each attempt (an API v3 request is signed with
/// a new timestamp and nonce each time it is sent; its body stays the same).
pub(crate) type HeaderFn<'a> = &'a (dyn Fn() -> Result<Vec<(&'static str, String)>> + 'a);

/// One logical call.
pub(crate) struct Call<'a> {
    /// Path and query after the base URL (may hold secrets: never shown).
    pub path: &'a str,
    /// What to call it in messages, e.g. `pay/orderquery`.
    pub label: &'a str,
    pub method: Method<'a>,
    pub retry: Retry,
    pub use_cert: bool,
    pub max_body: u64,
    /// Extra headers for each attempt.
    pub headers: Option<HeaderFn<'a>>,
    /// Hand back an answer of any status with its `Wechatpay-*` headers
    /// (API v3, whose refusals are JSON bodies under 4xx and 5xx) instead
    /// of treating everything but 200 as a failed exchange.
    pub any_status: bool,
}

/// An answer: its status, the `Wechatpay-*` headers (kept only for
/// [`Call::any_status`] calls) and the body.
pub(crate) struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

enum Failure {
    PreSend(Error),
    PostSend(Error),
    /// Not worth another attempt anywhere (bad configuration).
    Final(Error),
}

pub(crate) struct Transport {
    /// Whether each exchange's bodies go into a `body` event (redacted).
    pub log_bodies: bool,
    agent: ureq::Agent,
    cert_agent: Option<ureq::Agent>,
    pub timeouts: Timeouts,
}

fn agent(timeouts: &Timeouts, cert: Option<ClientCert>, roots: Option<&RootCerts>) -> ureq::Agent {
    let mut tls = TlsConfig::builder();
    if cert.is_some() {
        tls = tls.client_cert(cert);
    }
    if let Some(roots) = roots {
        tls = tls.root_certs(roots.clone());
    }
    ureq::Agent::config_builder()
        .timeout_connect(Some(timeouts.connect))
        .timeout_global(Some(timeouts.attempt))
        .http_status_as_error(false)
        .max_redirects(0)
        .user_agent(concat!("wxpay/", env!("CARGO_PKG_VERSION")))
        .tls_config(tls.build())
        .build()
        .new_agent()
}

impl Transport {
    /// `roots`: trusted instead of the public roots when given.
    pub fn new(timeouts: Timeouts, cert: Option<ClientCert>, roots: Option<RootCerts>) -> Self {
        Transport {
            log_bodies: false,
            agent: agent(&timeouts, None, roots.as_ref()),
            cert_agent: cert.map(|c| agent(&timeouts, Some(c), roots.as_ref())),
            timeouts,
        }
    }

    /// Runs `call` until it succeeds or `budget` says to stop. Returns the
    /// body of a 200 reply.
    pub fn execute(
        &self,
        domains: &Domains,
        call: &Call<'_>,
        budget: &mut Budget,
    ) -> Result<Vec<u8>> {
        self.exchange(domains, call, budget).map(|r| r.body)
    }

    /// [`Transport::execute`], handing back the whole answer (any status
    /// for an [`Call::any_status`] call).
    pub fn exchange(
        &self,
        domains: &Domains,
        call: &Call<'_>,
        budget: &mut Budget,
    ) -> Result<Reply> {
        let mut base = domains.pick().to_owned();
        // Whether any attempt may have reached WeChat: a call whose every
        // attempt failed before sending is known to have done nothing.
        let mut sent = false;
        let seen = |e: Error, sent: bool| match e {
            Error::Transport {
                message, retryable, ..
            } => Error::Transport {
                message,
                retryable,
                sent,
            },
            other => other,
        };
        loop {
            budget.attempt();
            let remaining = budget.remaining();
            if remaining.is_zero() {
                return Err(Error::Transport {
                    message: format!("{}: no reply within the overall timeout", call.label),
                    retryable: call.retry == Retry::AfterSend,
                    sent,
                });
            }
            let started = std::time::Instant::now();
            let result = self.attempt(&base, call, remaining.min(self.timeouts.attempt));
            if crate::events::enabled(crate::events::Level::Debug) {
                attempt_event(call, &base, budget.attempts(), &result, started.elapsed());
                if self.log_bodies {
                    let reply = result.as_ref().ok().map(|r| r.body.as_slice());
                    crate::client::body_log::body_event(call, budget.attempts(), reply);
                }
            }
            let failure = match result {
                Ok(reply) => {
                    domains.report_success(&base);
                    return Ok(reply);
                }
                Err(f) => f,
            };
            match failure {
                Failure::Final(e) => return Err(e),
                Failure::PreSend(e) => {
                    domains.report_pre_send_failure(&base);
                    // Nothing reached WeChat: the other domain may be tried at once.
                    match domains.other(&base) {
                        Some(other) if budget.again(Cause::PreSendElsewhere) => {
                            crate::events::emit(
                                crate::events::Level::Warning,
                                "failover",
                                format!(
                                    "{}: {base} did not answer ({e}); trying {other}",
                                    call.label
                                ),
                                &[
                                    ("call", call.label.to_owned()),
                                    ("from", base.clone()),
                                    ("to", other.to_owned()),
                                ],
                            );
                            base = other.to_owned();
                        }
                        Some(_) => return Err(seen(e, sent)),
                        None if budget.again(Cause::PreSend) => {}
                        None => return Err(seen(e, sent)),
                    }
                }
                Failure::PostSend(e) => {
                    sent = true;
                    if !budget.again(Cause::PostSend(&e, call.retry)) {
                        return Err(e);
                    }
                }
            }
        }
    }

    fn attempt(&self, base: &str, call: &Call<'_>, timeout: Duration) -> Result<Reply, Failure> {
        let agent = if call.use_cert {
            match (&self.cert_agent, base.starts_with("https://")) {
                (Some(a), _) => a,
                // Plain http is only ever a local simulator, which has no TLS.
                (None, false) => &self.agent,
                (None, true) => {
                    return Err(Failure::Final(Error::config(format!(
                        "{} needs the merchant's client certificate (cert)",
                        call.label
                    ))))
                }
            }
        } else {
            &self.agent
        };
        let url = format!("{base}{}", call.path);
        let extra = match call.headers {
            Some(make) => make().map_err(Failure::Final)?,
            None => Vec::new(),
        };
        let sent = match call.method {
            Method::Get => {
                let mut request = agent
                    .get(&url)
                    .config()
                    .timeout_global(Some(timeout))
                    .build();
                for (name, value) in &extra {
                    request = request.header(*name, value);
                }
                request.call()
            }
            Method::Post { body, content_type } => {
                let mut request = agent
                    .post(&url)
                    .config()
                    .timeout_global(Some(timeout))
                    .build()
                    .header("Content-Type", content_type);
                for (name, value) in &extra {
                    request = request.header(*name, value);
                }
                request.send(body)
            }
        };
        let mut response = sent.map_err(|e| classify(e, call))?;
        let status = response.status().as_u16();
        let html = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().contains("html"));
        let retryable = call.retry == Retry::AfterSend;
        let answered = if call.any_status {
            !(300..400).contains(&status)
        } else {
            status == 200
        };
        if !answered {
            let what = if html { " (an HTML error page)" } else { "" };
            let message = if (300..400).contains(&status) {
                format!("{}: HTTP {status} redirect, not followed{what}", call.label)
            } else {
                format!("{}: HTTP {status}{what}", call.label)
            };
            return Err(Failure::PostSend(Error::Transport {
                message,
                retryable: retryable && status >= 500,
                sent: true,
            }));
        }
        let body = match response
            .body_mut()
            .with_config()
            .limit(call.max_body)
            .read_to_vec()
        {
            Ok(b) => b,
            Err(ureq::Error::BodyExceedsLimit(_)) => {
                return Err(Failure::PostSend(Error::xml(
                    XmlReason::TooLarge,
                    format!(
                        "{}: the reply is larger than {} bytes",
                        call.label, call.max_body
                    ),
                )))
            }
            Err(e) => return Err(Failure::PostSend(post_send(e, call))),
        };
        let headers = if call.any_status {
            response
                .headers()
                .iter()
                .filter(|(name, _)| name.as_str().starts_with("wechatpay-"))
                .filter_map(|(name, value)| {
                    Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned()))
                })
                .collect()
        } else {
            Vec::new()
        };
        let head: Vec<u8> = body
            .iter()
            .copied()
            .skip_while(u8::is_ascii_whitespace)
            .take(16)
            .collect();
        let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
        if head.starts_with("<!doctype html") || head.starts_with("<html") {
            return Err(Failure::PostSend(Error::Transport {
                message: format!(
                    "{}: got an HTML page instead of WeChat's reply (a proxy or gateway error?)",
                    call.label
                ),
                retryable,
                sent: true,
            }));
        }
        Ok(Reply {
            status,
            headers,
            body,
        })
    }
}

/// Sorts a ureq error into before-send and after-send. Messages name the
/// operation, never the URL (which may carry a secret or a token).
fn classify(e: ureq::Error, call: &Call<'_>) -> Failure {
    use ureq::Timeout;
    let pre = |what: &str| {
        Failure::PreSend(Error::Transport {
            message: format!("{}: {what} (the request was not sent)", call.label),
            retryable: true,
            sent: false,
        })
    };
    match e {
        ureq::Error::HostNotFound => pre("DNS lookup failed"),
        ureq::Error::ConnectionFailed => pre("connection failed"),
        ureq::Error::Timeout(Timeout::Resolve) => pre("DNS lookup timed out"),
        ureq::Error::Timeout(Timeout::Connect) => pre("connect timed out"),
        ureq::Error::Io(ref io)
            if matches!(
                io.kind(),
                IoKind::ConnectionRefused | IoKind::AddrNotAvailable
            ) =>
        {
            pre("connection refused")
        }
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) | ureq::Error::Pem(_) => {
            pre("TLS handshake failed")
        }
        // rustls reports a refused certificate (ours or the server's) as an
        // I/O error. Only handshake failures are proof that nothing was
        // acted on; other TLS errors may come after the request was sent.
        ureq::Error::Io(ref io) if io_is_handshake_refusal(io) => {
            pre("TLS handshake failed (certificate refused)")
        }
        ureq::Error::BadUri(_) => Failure::Final(Error::config(format!(
            "{}: the base URL is not a valid URL",
            call.label
        ))),
        other => Failure::PostSend(post_send(other, call)),
    }
}

fn io_is_handshake_refusal(io: &std::io::Error) -> bool {
    use rustls::AlertDescription as Alert;
    let Some(tls) = io.get_ref().and_then(|e| e.downcast_ref::<rustls::Error>()) else {
        return false;
    };
    matches!(
        tls,
        rustls::Error::InvalidCertificate(_)
            | rustls::Error::NoCertificatesPresented
            | rustls::Error::PeerIncompatible(_)
            | rustls::Error::AlertReceived(
                Alert::BadCertificate
                    | Alert::UnsupportedCertificate
                    | Alert::CertificateRevoked
                    | Alert::CertificateExpired
                    | Alert::CertificateUnknown
                    | Alert::CertificateRequired
                    | Alert::UnknownCA
                    | Alert::HandshakeFailure
                    // A certificate signature that does not verify (RFC 8446
                    // sends decrypt_error only during the handshake).
                    | Alert::DecryptError
                    | Alert::ProtocolVersion
                    | Alert::AccessDenied
            )
    )
}

fn post_send(e: ureq::Error, call: &Call<'_>) -> Error {
    let what = match &e {
        ureq::Error::Timeout(_) => "no complete reply in time".to_owned(),
        ureq::Error::Io(io) => match io.kind() {
            IoKind::ConnectionReset | IoKind::ConnectionAborted | IoKind::BrokenPipe => {
                "the connection was reset".to_owned()
            }
            IoKind::UnexpectedEof => "the reply was cut short".to_owned(),
            kind => format!("I/O error ({kind})"),
        },
        ureq::Error::Protocol(_) => "a malformed HTTP reply".to_owned(),
        _ => "the exchange failed".to_owned(),
    };
    Error::Transport {
        message: format!(
            "{}: {what}; WeChat may have received the request",
            call.label
        ),
        retryable: call.retry == Retry::AfterSend,
        sent: true,
    }
}

/// The `attempt` event: one line per HTTP exchange (which domain, which
/// attempt, how it ended), at `debug`.
fn attempt_event(
    call: &Call<'_>,
    base: &str,
    attempt: u32,
    result: &Result<Reply, Failure>,
    took: Duration,
) {
    let outcome = match result {
        Ok(r) if r.status == 200 => "ok".to_owned(),
        Ok(r) => format!("HTTP {}", r.status),
        Err(Failure::PreSend(e)) => format!("not sent: {e}"),
        Err(Failure::PostSend(e) | Failure::Final(e)) => e.to_string(),
    };
    let ms = format!("{:.1}", took.as_secs_f64() * 1000.0);
    crate::events::emit(
        crate::events::Level::Debug,
        "attempt",
        format!(
            "{} attempt {attempt} to {base}: {outcome} in {ms} ms",
            call.label
        ),
        &[
            ("call", call.label.to_owned()),
            ("domain", base.to_owned()),
            ("attempt", attempt.to_string()),
            ("outcome", outcome),
            ("latency_ms", ms),
        ],
    );
}
