//! The `wxpay-sim` binary as a shop's test-suite starts it.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

#[test]
fn first_line_is_the_listening_address_with_the_real_port() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wxpay-sim"))
        .args([
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--appid",
            "wx1234567890abcdef",
            "--time-scale",
            "0.5",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port: u16 = line
        .trim()
        .strip_prefix("wxpay-sim listening on http://127.0.0.1:")
        .unwrap_or_else(|| panic!("{line:?}"))
        .parse()
        .unwrap();
    assert_ne!(port, 0);
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        reply.contains("wx1234567890abcdef"),
        "the configured appid is served: {reply}"
    );
}

#[test]
fn bad_options_are_refused_with_exit_2() {
    for args in [
        vec!["--port", "http"],
        vec!["--time-scale", "-1"],
        vec!["--bogus"],
        vec!["--api-key", "x"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_wxpay-sim"))
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty());
    }
    let help = Command::new(env!("CARGO_BIN_EXE_wxpay-sim"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&help.stdout).contains("--time-scale"));
}
