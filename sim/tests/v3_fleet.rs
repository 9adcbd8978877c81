//! A fleet of API v3 clients — several OS processes, several threads each —
//! on one shared token store downloads the platform certificates once:
//! once at start, and once more when answers name serials nobody holds,
//! however many processes and threads meet them at the same moment.
//! Counted where it matters, at the simulator.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

mod common;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::*;
use wxpay::v3::{Prepay, PrepayKind};
use wxpay::{ClientV3, Clock, FileStore, OrderRef, SystemClock};
use wxpay_sim::v3::V3Keys;
use wxpay_sim::SimConfig;

const TEST: &str =
    "a_fleet_downloads_the_certificates_once_at_start_and_once_per_unknown_serial_storm";
const WORKER_ENV: &str = "WXPAY_V3_FLEET_WORKER";

/// Runs `processes` workers at once; every line each printed.
fn fleet(base: &str, store: &std::path::Path, phase: &str, processes: usize) -> Vec<String> {
    let start_at = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
        + 1500;
    let children: Vec<_> = (0..processes)
        .map(|_| {
            // This test binary again, as a worker process.
            Command::new(std::env::current_exe().unwrap())
                .args(["--exact", TEST, "--nocapture", "--test-threads=1"])
                .env(
                    WORKER_ENV,
                    format!("{base}|{}|{start_at}|{phase}|4", store.to_str().unwrap()),
                )
                .stdout(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    children
        .into_iter()
        .flat_map(|c| {
            let out = c.wait_with_output().unwrap();
            assert!(out.status.success(), "a worker failed");
            String::from_utf8(out.stdout)
                .unwrap()
                .lines()
                .filter_map(|l| l.strip_prefix("worker: "))
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn a_fleet_downloads_the_certificates_once_at_start_and_once_per_unknown_serial_storm() {
    if let Ok(spec) = std::env::var(WORKER_ENV) {
        worker_main(&spec);
    }
    let sim = sim_with(SimConfig {
        time_scale: 0.001,
        v3_keys: V3Keys::Certificate,
        ..SimConfig::default()
    });
    let store = tempdir();
    // The order the fleet asks about, placed by a client of its own.
    let mut config = v3_config(
        &sim.base_url(),
        wxpay_sim::DEFAULT_MCH_ID,
        wxpay_sim::DEFAULT_APPID,
    );
    config.notify_url = Some("https://shop.example/notify".into());
    let placer = wxpay::ClientV3::new(config).unwrap();
    placer
        .prepay(&Prepay {
            kind: PrepayKind::Native,
            appid: String::new(),
            mchid: String::new(),
            description: "书店-图书".into(),
            out_trade_no: "v3-fleet".into(),
            notify_url: String::new(),
            total: 100,
            attach: None,
            time_expire: None,
            sub: None,
        })
        .unwrap();
    let stat = || sim.stats().get("v3_certificates").copied().unwrap_or(0);
    let before = stat();

    let first = fleet(&sim.base_url(), &store, "first", 4);
    assert_eq!(first.len(), 16);
    assert!(first.iter().all(|l| l == "ok NOTPAY"), "{first:?}");
    assert_eq!(stat() - before, 1, "16 threads in 4 processes at start");

    let storm = fleet(&sim.base_url(), &store, "storm", 4);
    assert!(storm.iter().all(|l| l == "refused UnknownKey"), "{storm:?}");
    assert_eq!(
        stat() - before,
        2,
        "made-up serials in 4 processes a minute later: one more download"
    );
    let _ = std::fs::remove_dir_all(&store);
}

fn tempdir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "wxpay-v3-fleet-{}-{}",
        std::process::id(),
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// One process of the fleet: a `ClientV3` on the shared file token store
/// that, at the agreed moment, queries an order from several threads at
/// once (the first download of the certificates) or — a minute later by
/// its clock — meets answers signed with serials it does not hold. Prints
/// what each thread saw. `spec`: `BASE|STORE_DIR|START_AT_MS|PHASE|THREADS`.
fn worker_main(spec: &str) -> ! {
    let args: Vec<String> = spec.split('|').map(str::to_owned).collect();
    let (base, dir, start_at, phase, threads) = (
        &args[0],
        &args[1],
        args[2].parse::<u64>().unwrap(),
        args[3].as_str(),
        args[4].parse::<usize>().unwrap(),
    );
    let later = Arc::new(Later(AtomicU64::new(0)));
    let mut config = v3_config(base, wxpay_sim::DEFAULT_MCH_ID, wxpay_sim::DEFAULT_APPID);
    config.token_store = Some(Arc::new(FileStore::new(dir).unwrap()));
    config.clock = later.clone();
    let client = Arc::new(ClientV3::new(config).unwrap());
    let query = |c: &ClientV3| c.query_order(&OrderRef::OutTradeNo("v3-fleet".into()), Some(100));
    if phase == "storm" {
        // This process holds the listing (from the store), then a minute passes.
        query(&client).unwrap();
        later.0.store(61, Ordering::SeqCst);
    }
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    std::thread::sleep(Duration::from_millis(start_at.saturating_sub(now_ms)));
    let workers: Vec<_> = (0..threads)
        .map(|t| {
            let client = client.clone();
            let phase = phase.to_owned();
            std::thread::spawn(move || {
                if phase == "first" {
                    return match query(&client) {
                        Ok(order) => format!("ok {}", order.trade_state),
                        Err(e) => format!("error {e}"),
                    };
                }
                let serial = format!("{:040X}", std::process::id() as usize * 100 + t + 1);
                let ts = SystemClock.now_unix().to_string();
                let headers = [
                    ("Wechatpay-Serial", serial.as_str()),
                    ("Wechatpay-Timestamp", ts.as_str()),
                    ("Wechatpay-Nonce", "n"),
                    ("Wechatpay-Signature", "c2lnbmF0dXJl"),
                ];
                match client.parse_notification(headers, b"{}") {
                    Ok(_) => "accepted".to_owned(),
                    Err(e) => format!("refused {}", e.reason().unwrap_or_default()),
                }
            })
        })
        .collect();
    // After a line break: the harness may have begun a line of its own.
    let mut out = String::from("\n");
    for w in workers {
        out.push_str(&format!("worker: {}\n", w.join().unwrap()));
    }
    use std::io::Write;
    std::io::stdout().write_all(out.as_bytes()).unwrap();
    std::io::stdout().flush().unwrap();
    // Ends the process before the test harness reports on this run.
    std::process::exit(0);
}

/// The time, moved forward by hand (within WeChat's five minutes).
struct Later(AtomicU64);

impl Clock for Later {
    fn now_unix(&self) -> u64 {
        SystemClock.now_unix() + self.0.load(Ordering::SeqCst)
    }
    fn nonce(&self) -> String {
        SystemClock.nonce()
    }
}
