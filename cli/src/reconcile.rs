//! `wxpay reconcile`: a day's trade bill against the shop's records, from
//! files, in bounded memory.

use std::fs::File;
use std::io::{BufWriter, Read, Write};

use wxpay::{Difference, ReconcileOptions, Reconciler};

use crate::args::Args;
use crate::sign_tools::Failure;

pub const HELP: &str = "wxpay reconcile — compare a day's trade bill with the shop's records

Usage: wxpay reconcile --bill BILL --shop SHOP.csv [--out REPORT.csv]
                       [--memory-mib N] [--spill-dir DIR] [--json]

BILL is the downloadbill body as WeChat sent it (the ALL bill: plain text
or gzip; \"No Bill Exist\" is an empty day). SHOP.csv has a header naming its
columns — out_trade_no, total_fee, transaction_id, out_refund_no,
refund_fee, refund_id (others are ignored) — and one payment or refund per
line (a line with an out_refund_no is a refund), amounts in whole fen.

Every difference is written as CSV to --out (default: standard output):
  difference,entry,out_trade_no,out_refund_no,wechat_fen,shop_fen,wechat_id,shop_wechat_id
where difference is wechat_only, shop_only, amount_differs, id_differs,
duplicate_at_wechat or duplicate_at_shop. The totals go to standard error,
or as JSON to standard output with --json (then --out is required).
Both sides are sorted in runs that share --memory-mib (default 48) and are
spilled to --spill-dir (default: the system's temporary directory), so a
day of millions of orders runs in bounded memory.

Exit status: 0 balanced, 1 differences found, 2 the files could not be read.

Example:
  wxpay reconcile --bill bill-20240102.csv --shop orders-20240102.csv --out diff.csv
";

fn io_failure(what: &str, e: std::io::Error) -> Failure {
    Failure {
        message: format!("{what}: {e}"),
        code: 2,
    }
}

fn lib_failure(e: wxpay::Error) -> Failure {
    Failure {
        message: e.to_string(),
        code: 2,
    }
}

/// Feeds a file (or standard input for `-`) in chunks.
fn feed(path: &str, mut take: impl FnMut(&[u8]) -> wxpay::Result<()>) -> Result<(), Failure> {
    let mut input: Box<dyn Read> = if path == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(File::open(path).map_err(|e| io_failure(path, e))?)
    };
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = input.read(&mut buf).map_err(|e| io_failure(path, e))?;
        if n == 0 {
            return Ok(());
        }
        take(&buf[..n]).map_err(lib_failure)?;
    }
}

pub fn run(raw: &[String]) -> Result<(), Failure> {
    let args = Args::parse(
        raw,
        &["bill", "shop", "out", "memory-mib", "spill-dir"],
        &["json"],
    )
    .map_err(Failure::usage)?;
    if !args.positional.is_empty() {
        return Err(Failure::usage("takes no positional arguments; see --help"));
    }
    let bill = args.require("bill").map_err(Failure::usage)?;
    let shop = args.require("shop").map_err(Failure::usage)?;
    if bill == "-" && shop == "-" {
        return Err(Failure::usage(
            "only one of --bill and --shop can be standard input",
        ));
    }
    let json = args.has("json");
    if json && args.get("out").is_none() {
        return Err(Failure::usage(
            "--json prints the totals on standard output: give --out for the differences",
        ));
    }
    let mut options = ReconcileOptions::default();
    if let Some(m) = args.get("memory-mib") {
        let mib: usize =
            m.parse().ok().filter(|&m| m > 0).ok_or_else(|| {
                Failure::usage("--memory-mib must be a whole number of MiB above 0")
            })?;
        options.memory_budget = mib.saturating_mul(1024 * 1024);
    }
    options.spill_dir = args.get("spill-dir").map(Into::into);
    let mut r = Reconciler::with_options(options);
    feed(shop, |chunk| r.shop_csv(chunk))?;
    feed(bill, |chunk| r.bill_bytes(chunk))?;

    let out: Box<dyn Write> = match args.get("out") {
        Some(path) => Box::new(File::create(path).map_err(|e| io_failure(path, e))?),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::new(out);
    let write_err = |e: std::io::Error| io_failure("writing the report", e);
    writeln!(out, "{}", Difference::CSV_HEADER).map_err(write_err)?;
    let report = r
        .finish_each(|d| {
            writeln!(out, "{}", d.csv_row())
                .map_err(|e| wxpay::Error::invalid("out", format!("cannot be written: {e}")))
        })
        .map_err(lib_failure)?;
    out.flush().map_err(write_err)?;
    drop(out);
    let balanced = report.balanced;
    if json {
        let mut report = report;
        report.differences.clear();
        let text =
            serde_json::to_string_pretty(&report).map_err(|e| Failure::invalid(e.to_string()))?;
        println!("{text}");
    } else {
        let (w, s, m, c) = (
            &report.wechat,
            &report.shop,
            &report.matched,
            &report.counts,
        );
        let yuan = |fen: u64| format!("{}.{:02}", fen / 100, fen % 100);
        eprintln!(
            "wechat: {} payments {} yuan, {} refunds {} yuan{}",
            w.payments,
            yuan(w.payment_fen),
            w.refunds,
            yuan(w.refund_fen),
            if report.no_bill {
                " (no bill that day)"
            } else {
                ""
            }
        );
        eprintln!(
            "shop:   {} payments {} yuan, {} refunds {} yuan",
            s.payments,
            yuan(s.payment_fen),
            s.refunds,
            yuan(s.refund_fen)
        );
        eprintln!(
            "matched: {} payments {} yuan, {} refunds {} yuan",
            m.payments,
            yuan(m.payment_fen),
            m.refunds,
            yuan(m.refund_fen)
        );
        eprintln!(
            "differences: {} (wechat_only {}, shop_only {}, amount_differs {}, id_differs {}, duplicate_at_wechat {}, duplicate_at_shop {})",
            c.total(),
            c.wechat_only,
            c.shop_only,
            c.amount_differs,
            c.id_differs,
            c.duplicate_at_wechat,
            c.duplicate_at_shop
        );
    }
    if balanced {
        Ok(())
    } else {
        // The differences are the answer, not an error message.
        std::process::exit(1)
    }
}
