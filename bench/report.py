"""The one table of make bench: every operation of bench/workload.json in
every language, with each target of BENCHMARKS.md marked met or missed.

Reads what the runs before it wrote (API v3's client rows in a table of
their own): criterion's estimates for plain Rust
(target/criterion/<id>/new/estimates.json), target/bench/{c,python,node,jvm}.json
the constant-time check's target/bench/constant_time.json, the reconciled
day's target/bench/reconcile.json and API v3's floors, target/bench/v3.json.
Standard library only.

    python3 bench/report.py [--check]
"""

import json
import pathlib
import sys
from typing import Any, Dict, List, Optional

ROOT = pathlib.Path(__file__).resolve().parents[1]
WORKLOAD = json.loads((ROOT / "bench" / "workload.json").read_text())
TARGETS = WORKLOAD["targets"]


def load(name: str) -> Dict[str, Any]:
    path = ROOT / "target" / "bench" / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def rust_ns(op: str) -> Optional[float]:
    path = ROOT / "target" / "criterion" / op / "new" / "estimates.json"
    if not path.exists():
        return None
    return float(json.loads(path.read_text())["median"]["point_estimate"])


def main() -> int:
    c = load("c").get("wxpay", {})
    python, node, jvm = load("python"), load("node"), load("jvm")
    missed: List[str] = []

    def mark(ok: bool, what: str) -> str:
        if not ok:
            missed.append(what)
        return "met" if ok else "MISSED"

    def vs_rust(ns: Optional[float], rust: Optional[float], limit: float, who: str, name: str) -> str:
        if ns is None:
            return "—"
        if rust is None:
            return f"{ns:,.0f}"
        ratio = ns / rust
        return f"{ns:,.0f} ({ratio:.1f}x Rust, {mark(ratio <= limit, f'{who} within {limit:g}x of Rust: {name}')})"

    def vs_peers(result: Optional[Dict[str, Any]], who: str, name: str) -> str:
        if not result or not result.get("peers"):
            return "no peer" if result else "—"
        speedup = min(result["peers"].values()) / result["wxpay"]
        target = result["target"]
        return f"{speedup:.1f}x (target {target:g}x, {mark(speedup >= target, f'{who} {target:g}x its peers: {name}')})"

    def cells(op: str, name: str) -> List[str]:
        """One operation in every language: against Rust, and against the language's peers."""
        rust = rust_ns(op)
        py, js, jv = python.get(op), node.get(op), jvm.get(op)
        return [
            name,
            "—" if rust is None else f"{rust:,.0f}",
            vs_rust(c.get(op), rust, TARGETS["c_vs_rust"], "C ABI", name),
            vs_rust(py["wxpay"] if py else None, rust, TARGETS["binding_vs_rust"], "Python", name),
            vs_peers(py, "Python", name),
            vs_rust(js["wxpay"] if js else None, rust, TARGETS["binding_vs_rust"], "Node", name),
            vs_peers(js, "Node", name),
            vs_rust(jv["wxpay"] if jv else None, rust, TARGETS["binding_vs_rust"], "JVM", name),
            vs_peers(jv, "JVM", name),
        ]

    rows = [cells(op, name) for op, name in WORKLOAD["operations"].items()]
    head = ["operation", "Rust ns/op", "C ABI ns/op", "Python ns/op", "Python vs wechatpy", "Node ns/op",
            "Node vs fastest JS peer", "JVM ns/op", "JVM vs WxJava"]
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    # API v3's client in every language against that language's v3 peers.
    # (v3_sign_request is the engine's alone, set against OpenSSL below.)
    v3_rows = [cells(op, name) for op, name in WORKLOAD["v3"]["operations"].items() if op != "v3_sign_request"]
    if any(cell != "—" for row in v3_rows for cell in row[1:]):
        head = ["API v3", "Rust ns/op", "C ABI ns/op", "Python ns/op", "Python vs wechatpayv3", "Node ns/op",
                "Node vs fastest JS v3 peer", "JVM ns/op", "JVM vs wechatpay-java"]
        print("| " + " | ".join(head) + " |")
        print("|" + "|".join("---" for _ in head) + "|")
        for row in v3_rows:
            print("| " + " | ".join(row) + " |")
        print()
    timing = load("constant_time")
    if timing:
        # dudect's threshold: |t| above 4.5 is evidence of a difference.
        print("Signature comparison, first vs last hex digit wrong (Welch |t|, 4.5 = evidence of a leak):")
        for sign_type, t in timing.items():
            print(f"  {sign_type}: verify() {t['verify']:.1f} ({mark(t['verify'] < 4.5, f'verify() constant time, {sign_type}')}), "
                  f"compare {t['compare']:.1f} ({mark(t['compare'] < 4.5, f'compare constant time, {sign_type}')}), "
                  f"same input twice {t['baseline']:.1f}, naive == control {t['control']:.1f} "
                  f"({'the test sees its early exit' if t['control'] >= 4.5 else 'too short to show here'})")
        print()
    v3 = load("v3")
    if v3:
        t = WORKLOAD["v3"]["targets"]
        sign, note = rust_ns("v3_sign_request"), rust_ns("v3_notification")
        print("API v3, Rust against OpenSSL (Python cryptography) on the same keys:")
        if sign is not None:
            ratio = sign / v3["openssl_sign"]
            print(f"  request signature: Rust {sign / 1000:,.1f} µs, OpenSSL {v3['openssl_sign'] / 1000:,.1f} µs: "
                  f"{ratio:.2f}x (target {t['sign_vs_openssl']:g}x, "
                  f"{mark(ratio <= t['sign_vs_openssl'], 'v3 signing within its target of OpenSSL')})")
        if note is not None:
            ratio = note / v3["openssl_verify"]
            print(f"  notification (verify, decrypt, read the order): Rust {note / 1000:,.1f} µs, a bare OpenSSL "
                  f"verification {v3['openssl_verify'] / 1000:,.1f} µs: {ratio:.2f}x (target "
                  f"{t['notification_vs_openssl_verify']:g}x, "
                  f"{mark(ratio <= t['notification_vs_openssl_verify'], 'v3 notification within its target of OpenSSL verify')}); "
                  f"wechatpayv3 {v3['wechatpayv3_notification'] / 1000:,.1f} µs "
                  f"({v3['wechatpayv3_notification'] / note:.1f}x Rust's time)")
        print()
    day = load("reconcile")
    if day:
        runs = {"cli": "wxpay reconcile", "cli_16mib": "wxpay reconcile --memory-mib 16",
                "python": "Python, streamed"}
        print(f"Reconciliation of a generated day of {day['orders']:,} orders (bill gzip, shop CSV, every planted "
              "difference found):")
        for key, label in runs.items():
            if key in day:
                print(f"  {label}: {day[key]['seconds']:.1f} s, peak {day[key]['peak_mib']:.0f} MiB")
        print()
    if missed:
        print(f"{len(missed)} target(s) missed:")
        for what in missed:
            print(f"  - {what}")
    else:
        print("every target met")
    return 1 if "--check" in sys.argv and missed else 0


if __name__ == "__main__":
    sys.exit(main())
