#!/usr/bin/env python3
"""Seeds each fuzz target's corpus (fuzz/corpus/<target>/) from the shared
vectors in tests/vectors/, so fuzzing starts from every message shape the
tests know. Inputs that once crashed a target are kept in
fuzz/regressions/<target>/ (committed) and replayed by every run.

Run from the repository root: python3 fuzz/seed.py
"""

import base64
import hashlib
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VECTORS = os.path.join(ROOT, "tests", "vectors")
CORPUS = os.path.join(ROOT, "fuzz", "corpus")
TARGETS = ["xml", "payment_notify", "refund_notify", "replies", "requests", "v3_notify", "v3_answers"]
# The replies target's first byte: the API, plus 128 for a sub-merchant's call.
REPLY_API = {"unifiedorder": 0, "orderquery": 1, "closeorder": 2, "refund": 3, "refundquery": 4,
             "micropay": 6, "reverse": 7, "authcodetoopenid": 8}
SUB_MERCHANT = 128


def cases(name):
    with open(os.path.join(VECTORS, name), encoding="utf-8") as f:
        return json.load(f)["cases"]


def data(case, key):
    if key + "_base64" in case:
        return base64.b64decode(case[key + "_base64"])
    value = case.get(key)
    return value.encode() if isinstance(value, str) else None


def main():
    seeds = {t: set() for t in TARGETS}
    for c in cases("xml.json"):
        seeds["xml"].add(data(c, "input"))
    for c in cases("notify.json") + cases("security/notify_handler.json"):
        seeds["payment_notify"].add(data(c, "body"))
        seeds["xml"].add(data(c, "body"))
    for c in cases("refund_notify.json"):
        for key in ("body", "req_info"):
            if data(c, key):
                seeds["refund_notify"].add(data(c, key))
    for c in cases("replies.json"):
        sub = SUB_MERCHANT if "sub_mch_id" in c.get("request", {}) else 0
        seeds["replies"].add(bytes([REPLY_API[c["api"]] + sub]) + data(c, "body"))
        seeds["xml"].add(data(c, "body"))
    for c in cases("bill.json") + cases("fund_flow.json"):
        seeds["replies"].add(bytes([5]) + data(c, "body"))
    for c in cases("native.json"):
        if c["kind"] == "scan_callback":
            seeds["replies"].add(bytes([5]) + data(c, "body"))
    requests = [
        {"body": "shop", "out_trade_no": "order-0001", "total_fee": 990, "spbill_create_ip": "127.0.0.1",
         "openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "attach": "cart&x=1", "extra": {"goods_tag": "wx"}},
        {"out_trade_no": "order-0001"},
        {"out_trade_no": "order-0001", "out_refund_no": "r1", "total_fee": 990, "refund_fee": 100},
        {"refund_id": "50000000001", "offset": 10},
        {"bill_date": "20261201", "bill_type": "ALL", "gzip": True},
    ]
    for pick, r in enumerate(requests):
        seeds["requests"].add(bytes([pick]) + json.dumps(r, ensure_ascii=False).encode())
    for c in cases("sign.json"):
        if isinstance(c.get("params"), dict):
            seeds["requests"].add(bytes([5]) + json.dumps(c["params"], ensure_ascii=False).encode())
    for c in cases("v3/notifications.json") + cases("v3/verify.json"):
        h = c["headers"]
        seeds["v3_notify"].add("\n".join([h["timestamp"], h["nonce"], h["signature"], h["serial"], c["body"]]).encode())
    for c in cases("v3/certificates.json") + cases("v3/answers.json"):
        seeds["v3_notify"].add(("\n\n\n\n" + c["body"]).encode())
    for c in cases("v3/transactions.json"):
        if "order" in c:
            seeds["v3_answers"].add(json.dumps(c["order"], ensure_ascii=False).encode())
    for c in cases("v3/refunds.json"):
        if "answer" in c:
            seeds["v3_answers"].add(json.dumps(c["answer"], ensure_ascii=False).encode())
    for c in cases("v3/bills.json"):
        raw = base64.b64decode(c["body_base64"]) if "body_base64" in c else c["body"].encode()
        seeds["v3_answers"].add(raw)
    for target, inputs in seeds.items():
        folder = os.path.join(CORPUS, target)
        os.makedirs(folder, exist_ok=True)
        os.makedirs(os.path.join(ROOT, "fuzz", "regressions", target), exist_ok=True)
        for raw in filter(None, inputs):
            with open(os.path.join(folder, "seed-" + hashlib.sha1(raw).hexdigest()), "wb") as f:
                f.write(raw)
        print(f"{target}: {len(inputs)} seeds")


if __name__ == "__main__":
    main()
