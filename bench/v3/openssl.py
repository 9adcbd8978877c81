"""The floors of API v3 in make bench (BENCHMARKS.md, "API v3"): OpenSSL's
RSA-2048 signature of the request wxpay signs (through Python
`cryptography`, on the same key), a bare OpenSSL verification of the
payment notification wxpay opens, and wechatpayv3 handling that same
notification (verify, decrypt, parse). Writes target/bench/v3.json, in
nanoseconds per operation; bench/report.py sets them against the Rust
numbers (core/benches/speed.rs, `v3_sign_request`, `v3_notification`).

    .venv-bench/bin/python bench/v3/openssl.py
"""

import base64
import json
import pathlib
import statistics
import tempfile
import time
from typing import Callable

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from wechatpayv3 import WeChatPay, WeChatPayType

ROOT = pathlib.Path(__file__).resolve().parents[2]
KEYS = ROOT / "tests" / "vectors" / "v3" / "keys"
V3 = json.loads((ROOT / "bench" / "workload.json").read_text())["v3"]


def per_op(f: Callable[[], object], seconds: float = 1.0) -> float:
    """Median of five runs, nanoseconds per call."""
    f()
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < 0.2:
        f()
        n += 1
    batch = max(1, int(n * seconds / 5 / 0.2))
    runs = []
    for _ in range(5):
        t = time.perf_counter_ns()
        for _ in range(batch):
            f()
        runs.append((time.perf_counter_ns() - t) / batch)
    return statistics.median(runs)


def main() -> None:
    r = V3["request"]
    message = "%s\n%s\n%d\n%s\n%s\n" % (r["method"], r["path"], r["timestamp"], r["nonce"], r["body"])
    key = serialization.load_pem_private_key((KEYS / "merchant_key.pem").read_bytes(), password=None)
    sign = lambda: key.sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())  # noqa: E731

    cases = json.loads((ROOT / "tests" / "vectors" / "v3" / "notifications.json").read_text())["cases"]
    case = next(c for c in cases if c["name"] == V3["notification"])
    h, body = case["headers"], case["body"]
    cert_pem = (KEYS / "platform_cert.pem").read_bytes()
    public = x509.load_pem_x509_certificate(cert_pem).public_key()
    signed = ("%s\n%s\n%s\n" % (h["timestamp"], h["nonce"], body)).encode()
    signature = base64.b64decode(h["signature"])
    verify = lambda: public.verify(signature, signed, padding.PKCS1v15(), hashes.SHA256())  # noqa: E731
    verify()

    with tempfile.TemporaryDirectory() as certs:
        # wechatpayv3 reads the platform certificate a merchant saved from
        # its last download; it is never asked to reach WeChat here.
        (pathlib.Path(certs) / "platform.pem").write_bytes(cert_pem)
        peer = WeChatPay(
            wechatpay_type=WeChatPayType.JSAPI,
            mchid=r["mchid"],
            private_key=(KEYS / "merchant_key.pem").read_text(),
            cert_serial_no=r["serial"],
            appid="wxd930ea5d5a258f4f",
            apiv3_key=case["apiv3_key"],
            cert_dir=certs,
        )
        headers = {
            "Wechatpay-Timestamp": h["timestamp"],
            "Wechatpay-Nonce": h["nonce"],
            "Wechatpay-Signature": h["signature"],
            "Wechatpay-Serial": h["serial"],
            "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
        }
        opened = peer.callback(headers, body)
        assert opened and opened["resource"]["trade_state"] == "SUCCESS", "wechatpayv3 did not open it"
        result = {
            "openssl_sign": per_op(sign),
            "openssl_verify": per_op(verify),
            "wechatpayv3_notification": per_op(lambda: peer.callback(headers, body)),
        }
    out = ROOT / "target" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "v3.json").write_text(json.dumps(result, indent=2) + "\n")
    for name, ns in result.items():
        print(f"{name}: {ns / 1000:,.1f} µs")


if __name__ == "__main__":
    main()
