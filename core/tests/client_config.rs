//! Building a Client: configuration checks, the refund certificate, and
//! secrets kept out of Debug output. No network is touched.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

use std::path::PathBuf;

use wxpay::*;

const KEY: &str = "192006250b4c09247ec02edce69f6a2d";

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/cert")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn config() -> ClientConfig {
    let mut c = ClientConfig::new("wxd930ea5d5a258f4f", "10000100", KEY);
    c.app_secret = Some("s3cr3t-app-secret-value".into());
    c
}

fn config_error(c: ClientConfig) -> String {
    match Client::new(c) {
        Err(Error::Config { message }) => message,
        other => panic!("expected Config, got {other:?}"),
    }
}

#[test]
fn certificates_load_from_pem_and_pkcs12() {
    let mut c = config();
    c.cert = Some(CertSource::Pem {
        cert: fixture("apiclient_cert.pem"),
        key: fixture("apiclient_key.pem"),
    });
    Client::new(c).unwrap();
    for file in ["apiclient_cert.p12", "apiclient_cert_legacy.p12"] {
        let mut c = config();
        // The password defaults to the merchant number.
        c.cert = Some(CertSource::Pkcs12 {
            data: fixture(file),
            password: None,
        });
        Client::new(c).unwrap_or_else(|e| panic!("{file}: {e}"));
    }
}

#[test]
fn bad_certificates_fail_when_the_client_is_built() {
    let mut c = config();
    c.cert = Some(CertSource::Pkcs12 {
        data: fixture("apiclient_cert.p12"),
        password: Some("wrong".into()),
    });
    assert!(config_error(c).contains("PKCS#12"));
    let mut c = config();
    c.cert = Some(CertSource::Pkcs12 {
        data: b"not a p12".to_vec(),
        password: None,
    });
    config_error(c);
    let mut c = config();
    c.cert = Some(CertSource::Pem {
        cert: fixture("apiclient_key.pem"),
        key: fixture("apiclient_key.pem"),
    });
    assert!(config_error(c).contains("CERTIFICATE"));
    let mut c = config();
    c.cert = Some(CertSource::Pem {
        cert: fixture("apiclient_cert.pem"),
        key: fixture("apiclient_cert.pem"),
    });
    assert!(config_error(c).contains("PRIVATE KEY"));
}

#[test]
fn a_refund_over_https_without_a_certificate_is_refused_before_sending() {
    let mut c = config();
    // An address nothing listens on: if anything were sent, this would be a
    // Transport error instead.
    c.pay_base_url = "https://127.0.0.1:9".into();
    c.pay_backup_url = None;
    let client = Client::new(c).unwrap();
    let refund = Refund::new(
        OrderRef::OutTradeNo("order-0001".into()),
        "refund-0001",
        100,
        100,
    );
    let err = client.refund(&refund).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config, "{err}");
    assert!(err.to_string().contains("certificate"));
}

#[test]
fn configuration_is_checked() {
    let mut c = config();
    c.api_key = "short".into();
    assert!(config_error(c).contains("32 bytes"));
    let mut c = config();
    c.pay_base_url = "ftp://x".into();
    config_error(c);
    let mut c = config();
    c.mp_base_url = "https://api.weixin.qq.com/?x=1".into();
    config_error(c);
    let mut c = config();
    c.notify_url = Some("https://shop.example/notify?order=1".into());
    config_error(c);
    let mut c = config();
    c.timeouts.connect = std::time::Duration::ZERO;
    config_error(c);
    // No app secret: OAuth and tokens say so.
    let mut c = config();
    c.app_secret = None;
    let client = Client::new(c).unwrap();
    assert_eq!(client.access_token().unwrap_err().kind(), ErrorKind::Config);
    // No default notify_url and none given.
    let order = UnifiedOrder::jsapi("b", "order-0001", 1, "127.0.0.1", "", "openid");
    assert_eq!(
        client.unified_order(&order).unwrap_err().field(),
        Some("notify_url")
    );
}

#[test]
fn secrets_never_show_in_debug() {
    let mut c = config();
    c.cert = Some(CertSource::Pem {
        cert: fixture("apiclient_cert.pem"),
        key: fixture("apiclient_key.pem"),
    });
    let client = Client::new(c.clone()).unwrap();
    for text in [format!("{c:?}"), format!("{client:?}")] {
        assert!(!text.contains(KEY), "{text}");
        assert!(!text.contains("s3cr3t"), "{text}");
        assert!(!text.contains("PRIVATE"), "{text}");
        assert!(text.contains("wxd930ea5d5a258f4f"), "{text}");
    }
}

#[test]
fn authorize_url_uses_the_configured_host() {
    let client = Client::new(config().with_simulator("http://127.0.0.1:8400/")).unwrap();
    let url = client
        .oauth_authorize_url("https://shop.example/cb", Scope::Base, Some("abc"))
        .unwrap();
    assert!(url.starts_with("http://127.0.0.1:8400/connect/oauth2/authorize?appid=wxd930ea5d5a258f4f&redirect_uri=https%3A%2F%2Fshop.example%2Fcb"));
    assert!(url.ends_with("&state=abc#wechat_redirect"));
}

#[test]
fn options_from_json_apply_defaults_and_refuse_typos_without_echoing_values() {
    let base = r#""appid": "wxd930ea5d5a258f4f", "mch_id": "10000100", "api_key": "192006250b4c09247ec02edce69f6a2d""#;
    let c = ClientOptions::from_json(&format!("{{{base}}}"))
        .unwrap()
        .into_config()
        .unwrap();
    assert_eq!(c.pay_base_url, PAY_BASE_URL);
    assert_eq!(c.pay_backup_url.as_deref(), Some(PAY_BACKUP_URL));
    assert_eq!(c.sign_type, SignType::HmacSha256);
    let c = ClientOptions::from_json(&format!(r#"{{{base}, "pay_base_url": "https://pay.example", "sign_type": "MD5", "retries": 0, "token_source": "classic"}}"#))
        .unwrap()
        .into_config()
        .unwrap();
    assert_eq!(
        (c.pay_base_url.as_str(), c.pay_backup_url.clone()),
        ("https://pay.example", None)
    );
    assert_eq!(
        (c.sign_type, c.retry.retries, c.token_source),
        (SignType::Md5, 0, TokenSource::Classic)
    );
    // A wrong name or type is a wrong argument, named, with the value never echoed.
    for (json, field, reason) in [
        (format!(r#"{{{base}, "tiemout": 1}}"#), "tiemout", "Unknown"),
        (
            format!(r#"{{{base}, "connectTimeout": 1, "connect_timeout": 2}}"#),
            "connect_timeout",
            "Unknown",
        ),
        (r#"{"appid": "x"}"#.to_owned(), "mch_id", "Missing"),
        (
            format!(r#"{{{base}, "app_secret": 12345678}}"#),
            "app_secret",
            "WrongType",
        ),
        (
            format!(r#"{{{base}, "timeout": "12345678"}}"#),
            "timeout",
            "WrongType",
        ),
    ] {
        let err = ClientOptions::from_json(&json).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert_eq!(
            (err.field(), err.reason()),
            (Some(field), Some(reason)),
            "{json}"
        );
        let text = err.to_string();
        assert!(text.contains(field), "{text}");
        assert!(!text.contains("12345678") && !text.contains(KEY), "{text}");
    }
    // camelCase names are the same options.
    let c = ClientOptions::from_json(
        r#"{"appid": "wxd930ea5d5a258f4f", "mchId": "10000100",
        "apiKey": "192006250b4c09247ec02edce69f6a2d", "payBaseUrl": "https://pay.example"}"#,
    )
    .unwrap()
    .into_config()
    .unwrap();
    assert_eq!(
        (c.mch_id.as_str(), c.pay_base_url.as_str()),
        ("10000100", "https://pay.example")
    );
    for bad in [
        r#""sign_type": "md5""#,
        r#""token_source": "x""#,
        r#""cert_pem": "x""#,
    ] {
        let opts = ClientOptions::from_json(&format!("{{{base}, {bad}}}")).unwrap();
        assert_eq!(
            opts.into_config().unwrap_err().kind(),
            ErrorKind::Config,
            "{bad}"
        );
    }
    // Durations and counts out of range, NaN and the infinities (as every
    // binding writes them) are the caller's argument, named; never "not
    // given" with the default applied.
    for (bad, field) in [
        (r#""timeout": -1"#, "timeout"),
        (r#""timeout": 0"#, "timeout"),
        (r#""timeout": "NaN""#, "timeout"),
        (r#""connect_timeout": "Infinity""#, "connect_timeout"),
        (r#""overall_timeout": "-Infinity""#, "overall_timeout"),
        (r#""confirm_timeout": 86400"#, "confirm_timeout"),
        (r#""retry_backoff": "NaN""#, "retry_backoff"),
        (r#""token_refresh_margin": -0.5"#, "token_refresh_margin"),
        (r#""retries": 9"#, "retries"),
        (r#""retries": -1"#, "retries"),
        (r#""retries": "NaN""#, "retries"),
    ] {
        let err = ClientOptions::from_json(&format!("{{{base}, {bad}}}"))
            .and_then(ClientOptions::into_config)
            .unwrap_err();
        assert_eq!(
            (err.kind(), err.field(), err.reason()),
            (ErrorKind::InvalidInput, Some(field), Some("Rule")),
            "{bad}: {err}"
        );
    }
    let err = ClientOptions::from_json(&format!(r#"{{{base}, "retries": 1.5}}"#)).unwrap_err();
    assert_eq!(
        (err.field(), err.reason()),
        (Some("retries"), Some("WrongType"))
    );
}

#[test]
fn oauth_states_bind_to_a_session_and_expire() {
    use std::sync::Arc;
    use std::time::Duration;
    let at = |now: u64| {
        let mut config = wxpay::ClientConfig::new(
            "wxd930ea5d5a258f4f",
            "10000100",
            "192006250b4c09247ec02edce69f6a2d",
        );
        config.clock = Arc::new(wxpay::FixedClock::new(now, "n"));
        wxpay::Client::new(config).unwrap()
    };
    let state = at(1_800_000_000).oauth_state("session-1").unwrap();
    assert_eq!(state.len(), 58);
    assert!(state.bytes().all(|b| b.is_ascii_alphanumeric()), "{state}");
    let later = at(1_800_000_500);
    let ten_minutes = Duration::from_secs(600);
    assert!(later
        .check_oauth_state(&state, "session-1", ten_minutes)
        .is_ok());
    for (s, ctx) in [(state.as_str(), "session-2"), (&state[..57], "session-1")] {
        let e = later.check_oauth_state(s, ctx, ten_minutes).unwrap_err();
        assert_eq!(
            (e.kind(), e.details()["field"] == "state"),
            (wxpay::ErrorKind::InvalidInput, true),
            "{e}"
        );
    }
    let mut flipped = state.clone().into_bytes();
    flipped[57] = if flipped[57] == b'0' { b'1' } else { b'0' };
    assert!(later
        .check_oauth_state(
            std::str::from_utf8(&flipped).unwrap(),
            "session-1",
            ten_minutes
        )
        .is_err());
    assert!(
        at(1_800_000_601)
            .check_oauth_state(&state, "session-1", ten_minutes)
            .is_err(),
        "expired"
    );
    assert!(
        later.oauth_state("").is_err(),
        "an empty context binds nothing"
    );
    // Another merchant's key does not accept it.
    let mut other = wxpay::ClientConfig::new(
        "wxd930ea5d5a258f4f",
        "10000100",
        "qazwsxedcrfvtgbyhnujmikolp111111",
    );
    other.clock = Arc::new(wxpay::FixedClock::new(1_800_000_500, "n"));
    assert!(wxpay::Client::new(other)
        .unwrap()
        .check_oauth_state(&state, "session-1", ten_minutes)
        .is_err());

    // The same through the JSON calls the bindings use.
    let issued = later
        .call_json("oauth_state", r#"{"context": "s"}"#)
        .unwrap();
    let issued: String = serde_json::from_str(&issued).unwrap();
    let ok = later
        .call_json(
            "check_oauth_state",
            &serde_json::json!({"state": issued, "context": "s", "max_age": 60}).to_string(),
        )
        .unwrap();
    assert_eq!(ok, "null");
    assert!(later
        .call_json(
            "check_oauth_state",
            &serde_json::json!({"state": issued, "context": "t"}).to_string()
        )
        .is_err());
}

#[test]
fn options_nested_too_deep_are_refused_before_parsing() {
    // serde_json's own nesting limit can be switched off by a feature some
    // other crate in a build enables; the core's holds regardless.
    let deep = format!(
        r#"{{"appid": "wx", "mch_id": "1", "api_key": "k", "extra": {}{}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let e = ClientOptions::from_json(&deep).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert_eq!(e.reason(), Some("Rule"));
    assert!(e.to_string().contains("128 levels deep"), "{e}");
    // At the limit the text is parsed, and judged as usual (no such option).
    let at_limit = format!(
        r#"{{"appid": "wx", "mch_id": "1", "api_key": "k", "extra": {}{}}}"#,
        "[".repeat(127),
        "]".repeat(127)
    );
    let e = ClientOptions::from_json(&at_limit).unwrap_err();
    assert!(!e.to_string().contains("levels deep"), "{e}");
}
