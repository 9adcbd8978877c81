//! What a message body looks like in a log when a shop turns on
//! `log_bodies`: the fields a support ticket needs, with every value that
//! could let someone pay, sign or call WeChat as the shop replaced by
//! `***` (docs/bindings.md, "Events and logging").
//!
//! Only bodies the library can read are shown: a flat `<xml>` message or a
//! JSON object. Anything else (a bill, a body that does not parse) is
//! described by its size, never shown, because its secrets could not be
//! found and hidden.

use crate::client::transport::{Call, Method};

/// A body longer than this (after redaction) is cut, saying how long it was.
const SHOWN: usize = 8 * 1024;

/// Whether a field's value is kept out of logs: signatures, keys, secrets,
/// tokens, tickets and the one-time codes that stand for a payer
/// (`auth_code` from a payment code, `code` from OAuth or `wx.login`).
/// `sign_type`, `openid` and the order's numbers stay visible.
fn hidden(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    matches!(name.as_str(), "sign" | "paysign" | "auth_code" | "code")
        || ["key", "secret", "token", "ticket", "password"]
            .iter()
            .any(|part| name.contains(part))
}

/// The body as it may be logged.
pub(crate) fn redacted(body: &[u8]) -> String {
    let trimmed = body.trim_ascii_start();
    let shown = if trimmed.starts_with(b"<") {
        xml(body)
    } else if trimmed.starts_with(b"{") {
        json(body)
    } else if trimmed.is_empty() {
        Some(String::new())
    } else {
        None
    };
    match shown {
        Some(text) if text.len() > SHOWN => {
            let mut cut = SHOWN;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            format!("{}… ({} bytes in all)", &text[..cut], body.len())
        }
        Some(text) => text,
        None => format!(
            "({} bytes, not a message wxpay reads: not shown)",
            body.len()
        ),
    }
}

fn xml(body: &[u8]) -> Option<String> {
    let mut params = crate::from_xml(body).ok()?;
    for (name, value) in params.iter_mut() {
        if hidden(name) {
            *value = "***".into();
        }
    }
    crate::to_xml(&params).ok()
}

fn json(body: &[u8]) -> Option<String> {
    let mut value: serde_json::Value = serde_json::from_slice(body).ok()?;
    hide_json(&mut value);
    Some(value.to_string())
}

fn hide_json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (name, v) in map.iter_mut() {
                if hidden(name) {
                    *v = serde_json::Value::String("***".into());
                } else {
                    hide_json(v);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(hide_json),
        _ => {}
    }
}

/// The `body` event of one exchange, at `debug`: the request and, when a
/// reply came, the reply, both redacted. The URL is never shown (a token
/// request carries the app secret in its query).
pub(crate) fn body_event(call: &Call<'_>, attempt: u32, reply: Option<&[u8]>) {
    let (request, sent_bytes) = match call.method {
        Method::Get => (String::from("(GET, no body)"), 0),
        Method::Post { body, .. } => (redacted(body), body.len()),
    };
    let (response, got_bytes) = match reply {
        Some(r) => (redacted(r), r.len().to_string()),
        None => ("(no reply read)".to_owned(), String::new()),
    };
    crate::events::emit(
        crate::events::Level::Debug,
        "body",
        format!(
            "{} attempt {attempt}: sent {request} received {response}",
            call.label
        ),
        &[
            ("call", call.label.to_owned()),
            ("attempt", attempt.to_string()),
            ("request_bytes", sent_bytes.to_string()),
            ("response_bytes", got_bytes),
        ],
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_hold_secrets_are_hidden() {
        for name in [
            "sign",
            "paySign",
            "auth_code",
            "code",
            "access_token",
            "jsapi_ticket",
            "ticket",
            "session_key",
            "sandbox_signkey",
            "refresh_token",
            "app_secret",
            "cert_password",
        ] {
            assert!(hidden(name), "{name} must be hidden");
        }
        for name in [
            "out_trade_no",
            "total_fee",
            "sign_type",
            "err_code",
            "return_msg",
            "openid",
            "expires_in",
            "prepay_id",
        ] {
            assert!(!hidden(name), "{name} is what a support ticket needs");
        }
    }

    #[test]
    fn xml_keeps_the_ticket_fields_and_hides_the_rest() {
        let body = b"<xml><out_trade_no>T1</out_trade_no><auth_code>134567890123456789</auth_code><sign>ABCDEF</sign><total_fee>101</total_fee></xml>";
        let shown = redacted(body);
        assert!(
            shown.contains("<out_trade_no><![CDATA[T1]]></out_trade_no>")
                || shown.contains("<out_trade_no>T1</out_trade_no>"),
            "{shown}"
        );
        assert!(shown.contains("101"), "{shown}");
        assert!(
            !shown.contains("134567890123456789") && !shown.contains("ABCDEF"),
            "{shown}"
        );
        assert_eq!(shown.matches("***").count(), 2, "{shown}");
    }

    #[test]
    fn json_is_hidden_at_every_depth() {
        let body =
            br#"{"access_token":"TOKEN-1","expires_in":7200,"inner":[{"session_key":"SK=="}]}"#;
        let shown = redacted(body);
        assert!(
            !shown.contains("TOKEN-1") && !shown.contains("SK=="),
            "{shown}"
        );
        assert!(shown.contains("7200"), "{shown}");
    }

    #[test]
    fn what_cannot_be_read_is_not_shown() {
        let bill = b"Trade time,ghid,appid\n`2026-12-01 10:00:00,`gh_1,`wx1\n";
        let shown = redacted(bill);
        assert!(!shown.contains("gh_1"), "{shown}");
        assert!(shown.contains(&bill.len().to_string()), "{shown}");
        // XML that does not parse (a DOCTYPE, a cut body) is not echoed either.
        let doctype =
            b"<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><xml><sign>S</sign></xml>";
        assert!(!redacted(doctype).contains("<sign>"));
        let cut = b"<xml><sign>SECRET</sign><a>";
        assert!(!redacted(cut).contains("SECRET"));
    }

    #[test]
    fn long_bodies_are_cut_on_a_character() {
        let long = format!(r#"{{"out_trade_no":"{}"}}"#, "订".repeat(SHOWN));
        let shown = redacted(long.as_bytes());
        assert!(
            shown.ends_with(&format!("({} bytes in all)", long.len())),
            "{}",
            &shown[shown.len() - 40..]
        );
        assert!(shown.len() < SHOWN + 64);
    }
}
