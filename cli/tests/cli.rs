//! The `wxpay` command, run as a user runs it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

use std::io::Write;
use std::process::{Command, Output, Stdio};

const KEY: &str = "192006250b4c09247ec02edce69f6a2d";
const OFFICIAL: [&str; 5] = [
    "appid=wxd930ea5d5a258f4f",
    "mch_id=10000100",
    "device_info=1000",
    "body=test",
    "nonce_str=ibuaiVcKdpRxkhJA",
];

fn wxpay(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wxpay"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("wxpay runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn sign_prints_the_official_vectors() {
    let mut args = vec!["sign", "--key", KEY];
    args.extend(OFFICIAL);
    let md5 = wxpay(&args, "");
    assert!(md5.status.success(), "{}", stderr(&md5));
    assert_eq!(stdout(&md5), "9A0A8659F005D6984697E2CA0A9CF3B7\n");
    args.extend(["--sign-type", "HMAC-SHA256"]);
    let hmac = wxpay(&args, "");
    assert_eq!(
        stdout(&hmac),
        "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6\n"
    );
}

#[test]
fn sign_reads_xml_or_json_on_stdin() {
    let xml = "<xml><appid>wxd930ea5d5a258f4f</appid><mch_id>10000100</mch_id><device_info>1000</device_info><body>test</body><nonce_str>ibuaiVcKdpRxkhJA</nonce_str></xml>";
    assert_eq!(
        stdout(&wxpay(&["sign", "--key", KEY], xml)),
        "9A0A8659F005D6984697E2CA0A9CF3B7\n"
    );
    let json = r#"{"appid":"wxd930ea5d5a258f4f","mch_id":10000100,"device_info":"1000","body":"test","nonce_str":"ibuaiVcKdpRxkhJA"}"#;
    assert_eq!(
        stdout(&wxpay(&["sign", "--key", KEY], json)),
        "9A0A8659F005D6984697E2CA0A9CF3B7\n"
    );
}

#[test]
fn verify_says_valid_or_why_not() {
    let good = "<xml><appid>wxd930ea5d5a258f4f</appid><mch_id>10000100</mch_id><device_info>1000</device_info><body>test</body><nonce_str>ibuaiVcKdpRxkhJA</nonce_str><sign>9A0A8659F005D6984697E2CA0A9CF3B7</sign></xml>";
    let ok = wxpay(&["verify", "--key", KEY], good);
    assert!(ok.status.success());
    assert!(stdout(&ok).starts_with("valid (MD5"), "{}", stdout(&ok));

    let tampered = good.replace("<body>test</body>", "<body>test2</body>");
    let bad = wxpay(&["verify", "--key", KEY], &tampered);
    assert_eq!(bad.status.code(), Some(1));
    let err = stderr(&bad);
    assert!(err.contains("invalid"), "{err}");
    assert!(err.contains("body=test2"), "names the signed string: {err}");
    assert!(
        err.contains("given sign:    9A0A8659F005D6984697E2CA0A9CF3B7"),
        "{err}"
    );
    assert!(!err.contains(KEY), "never prints the key: {err}");

    let downgrade = wxpay(
        &["verify", "--key", KEY, "--sign-type", "HMAC-SHA256"],
        good,
    );
    assert_eq!(downgrade.status.code(), Some(1));
    assert!(
        stderr(&downgrade).contains("TypeMismatch"),
        "{}",
        stderr(&downgrade)
    );

    let doctype = wxpay(&["verify", "--key", KEY], &format!("<!DOCTYPE xml>{good}"));
    assert_eq!(doctype.status.code(), Some(1));
    assert!(stderr(&doctype).contains("Doctype"));
}

#[test]
fn jssdk_sign_prints_the_official_vector() {
    let o = wxpay(
        &[
            "jssdk-sign",
            "--ticket",
            "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg",
            "--noncestr",
            "Wm3WZYTPz0wzccnW",
            "--timestamp",
            "1414587457",
            "--url",
            "http://mp.weixin.qq.com?params=value#frag",
        ],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "0f9de62fce790f9a083d5c99e95740ceb90c27ed\n");
    assert!(stderr(&o).contains("fragment"));
}

#[test]
fn xml_converts_both_ways() {
    let o = wxpay(&["xml"], "<xml><a><![CDATA[x&y]]></a><b>中</b></xml>");
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v, serde_json::json!({"a": "x&y", "b": "中"}));
    let back = wxpay(&["xml", "--to-xml"], &stdout(&o));
    assert_eq!(stdout(&back), "<xml><a>x&amp;y</a><b>中</b></xml>\n");
    let attack = wxpay(
        &["xml"],
        "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><xml><a>&e;</a></xml>",
    );
    assert_eq!(attack.status.code(), Some(1));
    assert!(!stdout(&attack).contains("root:"));
}

#[test]
fn errors_are_one_clear_line_and_help_has_examples() {
    for (args, needle) in [
        (vec!["sign"], "--key is required"),
        (
            vec!["sign", "--key", "short", "a=1"],
            "api_key must be exactly 32 bytes",
        ),
        (
            vec!["sign", "--key", KEY, "--bogus"],
            "unknown option --bogus",
        ),
        (vec!["sign", "--key", KEY, "noequals"], "is not name=value"),
        (
            vec!["sign", "--key", KEY, "--sign-type", "SHA1", "a=1"],
            "sign_type",
        ),
        (vec!["frobnicate"], "unknown command"),
        (
            vec![
                "jssdk-sign",
                "--ticket",
                "t",
                "--noncestr",
                "n",
                "--timestamp",
                "soon",
                "--url",
                "http://x/",
            ],
            "Unix seconds",
        ),
    ] {
        let o = wxpay(&args, "");
        assert!(!o.status.success(), "{args:?}");
        let err = stderr(&o);
        assert!(err.contains(needle), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    }
    for cmd in ["sign", "verify", "jssdk-sign", "xml"] {
        let o = wxpay(&[cmd, "--help"], "");
        assert!(o.status.success());
        assert!(stdout(&o).contains("Example"), "{cmd}");
    }
    assert!(stdout(&wxpay(&["--help"], "")).contains("jssdk-sign"));
}

#[test]
fn sim_prints_its_address_first_and_serves() {
    use std::io::{BufRead, BufReader, Read};
    let mut child = Command::new(env!("CARGO_BIN_EXE_wxpay"))
        .args(["sim", "--port", "0", "--time-scale", "0.01"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .strip_prefix("wxpay-sim listening on ")
        .unwrap_or_else(|| panic!("{line:?}"))
        .to_owned();
    assert!(
        base.starts_with("http://127.0.0.1:") && !base.ends_with(":0"),
        "{base}"
    );
    let port: u16 = base.rsplit(':').next().unwrap().parse().unwrap();
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .write_all(b"GET /sim/stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.contains("\"token_fetches\":0"), "{reply}");

    let bad = wxpay(&["sim", "--api-key", "short"], "");
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("32 bytes"));
}

/// bindings/results.schema.json is what `wxpay schema` prints now: the
/// host types (packaging/gen_hosts.py) are generated from the committed
/// copy, so a result type changed in the core without regenerating fails
/// here.
#[test]
fn the_committed_result_schema_is_current() {
    let out = wxpay(&["schema"], "");
    assert!(out.status.success());
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../bindings/results.schema.json");
    let committed = std::fs::read_to_string(&path).unwrap();
    assert!(
        String::from_utf8(out.stdout).unwrap() == committed,
        "bindings/results.schema.json is stale: run `cargo run -p wxpay-cli -- schema > bindings/results.schema.json` \
         and `python3 packaging/gen_hosts.py`"
    );
}

/// `wxpay reconcile` on every case of tests/vectors/reconcile.json that has
/// the shop's records as CSV: the exit status, every difference as a CSV
/// line, and the totals with --json.
#[test]
fn reconcile_runs_the_shared_vectors() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/reconcile.json"
    );
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let dir = std::env::temp_dir().join(format!("wxpay-cli-reconcile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut ran = 0;
    for case in doc["cases"].as_array().unwrap() {
        let Some(csv) = case["shop_csv"].as_str() else {
            continue;
        };
        let name = case["name"].as_str().unwrap();
        let bill = match case.get("bill_base64") {
            Some(b) => decode_base64(b.as_str().unwrap()),
            None => case["bill"].as_str().unwrap().as_bytes().to_vec(),
        };
        let (bill_path, shop_path, out_path) =
            (dir.join("bill"), dir.join("shop.csv"), dir.join("diff.csv"));
        std::fs::write(&bill_path, bill).unwrap();
        std::fs::write(&shop_path, csv).unwrap();
        let _ = std::fs::remove_file(&out_path);
        let args = [
            "reconcile",
            "--bill",
            bill_path.to_str().unwrap(),
            "--shop",
            shop_path.to_str().unwrap(),
            "--out",
            out_path.to_str().unwrap(),
            "--json",
        ];
        let o = wxpay(&args, "");
        ran += 1;
        let Some(ok) = case["expect"].get("ok") else {
            assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
            assert!(!stderr(&o).is_empty(), "{name}");
            continue;
        };
        let balanced = ok["balanced"].as_bool().unwrap();
        assert_eq!(
            o.status.code(),
            Some(if balanced { 0 } else { 1 }),
            "{name}: {}",
            stderr(&o)
        );
        let mut totals: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        let mut want = ok.clone();
        want["differences"] = serde_json::json!([]);
        totals["differences"] = serde_json::json!([]);
        assert_eq!(totals, want, "{name}");
        let lines: Vec<String> = std::fs::read_to_string(&out_path)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect();
        assert_eq!(lines[0], wxpay::Difference::CSV_HEADER, "{name}");
        let text = |v: &serde_json::Value| match v {
            serde_json::Value::Null => String::new(),
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let expected: Vec<String> = ok["differences"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                [
                    "kind",
                    "entry",
                    "out_trade_no",
                    "out_refund_no",
                    "wechat_fen",
                    "shop_fen",
                    "wechat_id",
                    "shop_wechat_id",
                ]
                .iter()
                .map(|k| text(&d[*k]))
                .collect::<Vec<_>>()
                .join(",")
            })
            .collect();
        assert_eq!(lines[1..], expected[..], "{name}");
    }
    assert!(ran >= 6, "only {ran} cases had a CSV");
    // Without --json the totals are on standard error, the differences on standard output.
    let case = &doc["cases"][1];
    std::fs::write(dir.join("bill"), case["bill"].as_str().unwrap()).unwrap();
    std::fs::write(dir.join("shop.csv"), case["shop_csv"].as_str().unwrap()).unwrap();
    let (bill, shop) = (dir.join("bill"), dir.join("shop.csv"));
    let plain = || {
        let args = [
            "reconcile",
            "--bill",
            bill.to_str().unwrap(),
            "--shop",
            shop.to_str().unwrap(),
        ];
        wxpay(&args, "")
    };
    let o = plain();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).starts_with("difference,entry,"),
        "{}",
        stdout(&o)
    );
    assert!(stderr(&o).contains("differences: 9 "), "{}", stderr(&o));
    // A shop CSV in yuan is refused with its line, and nothing is reported.
    std::fs::write(
        dir.join("shop.csv"),
        "out_trade_no,total_fee\norder-0001,9.90\n",
    )
    .unwrap();
    let o = plain();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("line 2"), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

fn decode_base64(s: &str) -> Vec<u8> {
    let table = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes().filter(|&c| c != b'=') {
        acc = (acc << 6) | table.iter().position(|&t| t == c).unwrap() as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}
