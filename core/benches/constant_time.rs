//! Does checking a signature take longer the more of it is right? A
//! dudect-style test (Reparaz, Balasch, Verbauwhede): time many calls whose
//! forged signature differs from the right one in its first hex digit, and
//! as many differing in its last, in random order, drop the slowest tail
//! (interrupts, page faults), and compare the two means with Welch's t. An
//! |t| above 4.5 is evidence that the position of the first wrong digit,
//! which an attacker would search digit by digit, shows in the time.
//!
//! A naive `==` on the same strings runs first as the control: the test
//! must see its early exit, or it has no power on this machine.
//!
//!     cargo bench -p wxpay --bench constant_time
//!
//! Writes target/bench/constant_time.json for bench/report.py.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise
use std::hint::black_box;
use std::time::Instant;

use subtle::ConstantTimeEq;
use wxpay::{sign, verify, ApiKey, Params, SignType};

const SAMPLES: usize = 200_000;

/// xorshift: the order of the classes must not follow a pattern the
/// machine's own rhythms could line up with.
struct Rng(u64);

impl Rng {
    fn bit(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 & 1) as usize
    }
}

/// Welch's t of the two classes' timings after dropping each class's
/// slowest `crop` fraction.
fn welch_t(classes: &mut [Vec<u64>; 2], crop: f64) -> f64 {
    let stats: Vec<(f64, f64, f64)> = classes
        .iter_mut()
        .map(|c| {
            c.sort_unstable();
            let kept = &c[..((c.len() as f64) * (1.0 - crop)) as usize];
            let n = kept.len() as f64;
            let mean = kept.iter().map(|&x| x as f64).sum::<f64>() / n;
            let var = kept.iter().map(|&x| (x as f64 - mean).powi(2)).sum::<f64>() / (n - 1.0);
            (mean, var, n)
        })
        .collect();
    let ((m0, v0, n0), (m1, v1, n1)) = (stats[0], stats[1]);
    (m0 - m1) / (v0 / n0 + v1 / n1).sqrt()
}

/// Times `run` on what `prepare(class)` made, SAMPLES times per class in
/// random order; |t| over the cropped timings (the most telling of a few
/// crops, as dudect does). Inputs are made afresh for each call, outside
/// the timing, so neither class keeps its own memory (where an object
/// sits shows in the time as much as what it holds).
fn measure<T>(mut prepare: impl FnMut(usize) -> T, mut run: impl FnMut(&T)) -> f64 {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut classes = [Vec::with_capacity(SAMPLES), Vec::with_capacity(SAMPLES)];
    for _ in 0..SAMPLES * 2 {
        let class = rng.bit();
        let input = prepare(class);
        let start = Instant::now();
        run(&input);
        classes[class].push(start.elapsed().as_nanos() as u64);
        drop(input);
    }
    [0.5, 0.3, 0.1]
        .iter()
        .map(|&crop| welch_t(&mut classes.clone(), crop).abs())
        .fold(0.0, f64::max)
}

/// `right` with one hex digit changed at `at`.
fn flipped(right: &str, at: usize) -> String {
    let mut b = right.as_bytes().to_vec();
    b[at] = if b[at] == b'0' { b'1' } else { b'0' };
    String::from_utf8(b).unwrap()
}

fn main() {
    // `cargo bench` passes --bench; a filter naming another bench skips this one.
    if std::env::args()
        .skip(1)
        .any(|a| !a.starts_with('-') && a != "constant_time")
    {
        return;
    }
    let key = ApiKey::new("192006250b4c09247ec02edce69f6a2d").unwrap();
    let mut results = serde_json::Map::new();
    for sign_type in [SignType::Md5, SignType::HmacSha256] {
        let mut p: Params = [
            ("appid", "wxd930ea5d5a258f4f"),
            ("mch_id", "10000100"),
            ("nonce_str", "5d2b6c2a8db53831f7eda20af46e531c"),
            ("out_trade_no", "order-A-0001"),
            ("result_code", "SUCCESS"),
            ("return_code", "SUCCESS"),
            ("total_fee", "10000"),
            ("transaction_id", "1004400740201409030005092168"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let right = sign(&p, &key, sign_type).unwrap();
        let forged = [flipped(&right, 0), flipped(&right, right.len() - 1)];
        let messages: Vec<Params> = forged
            .iter()
            .map(|f| {
                p.insert("sign".into(), f.clone());
                p.clone()
            })
            .collect();

        let control = measure(
            |c| forged[c].clone(),
            |f| {
                black_box(black_box(f.as_bytes()) == black_box(right.as_bytes()));
            },
        );
        let primitive = measure(
            |c| forged[c].clone(),
            |f| {
                black_box(bool::from(
                    black_box(f.as_bytes()).ct_eq(black_box(right.as_bytes())),
                ));
            },
        );
        let whole = measure(
            |c| messages[c].clone(),
            |m| {
                black_box(verify(black_box(m), &key, sign_type).is_err());
            },
        );
        // Two copies of one forgery: what the machine alone shows.
        let baseline = measure(
            |_| messages[0].clone(),
            |m| {
                black_box(verify(black_box(m), &key, sign_type).is_err());
            },
        );
        println!(
            "{:<12} |t| naive == (control) {control:>7.1}   constant-time compare {primitive:>5.1}   verify() {whole:>5.1}   same input twice {baseline:>5.1}",
            sign_type.as_str()
        );
        results.insert(
            sign_type.as_str().to_owned(),
            serde_json::json!({"control": control, "compare": primitive, "verify": whole, "baseline": baseline, "samples": SAMPLES}),
        );
    }
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/bench");
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        format!("{dir}/constant_time.json"),
        serde_json::Value::Object(results).to_string(),
    )
    .unwrap();
}
