"""Runs bench/c/bench (wxpay through its C ABI) on bench/workload.json and
writes target/bench/c.json. Standard library only.

    python3 bench/c/run.py BENCH_BINARY
"""

import json
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]


def main() -> int:
    binary = sys.argv[1]
    w = json.loads((ROOT / "bench" / "workload.json").read_text())
    m, js = w["merchant"], w["jssdk"]
    with tempfile.TemporaryDirectory() as tmp:
        order = pathlib.Path(tmp, "order.json")
        # Compact, as C JSON writers such as cJSON_PrintUnformatted write it.
        order.write_text(json.dumps(w["unified_order"], ensure_ascii=False, separators=(",", ":")))
        notify = pathlib.Path(tmp, "notify.xml")
        notify.write_text(w["notify_xml"])
        config = pathlib.Path(tmp, "config.json")
        config.write_text(json.dumps({"appid": m["appid"], "mch_id": m["mch_id"], "api_key": w["api_key"],
                                      "sign_type": "MD5"}))
        # API v3: the notification case every language's bench uses, and a client holding its keys.
        v3, keys = w["v3"], ROOT / "tests" / "vectors" / "v3" / "keys"
        case = next(c for c in json.loads((ROOT / "tests" / "vectors" / "v3" / "notifications.json").read_text(
            encoding="utf-8"))["cases"] if c["name"] == v3["notification"])
        config_v3 = pathlib.Path(tmp, "config_v3.json")
        config_v3.write_text(json.dumps({
            "mchid": v3["request"]["mchid"], "appid": m["appid"], "merchant_serial": v3["request"]["serial"],
            "apiv3_key": case["apiv3_key"], "private_key_path": str(keys / "merchant_key.pem"),
            "platform_certificates": [(keys / "platform_cert.pem").read_text()],
            "public_key_id": "PUB_KEY_ID_0114232025120400000000000000000001",
            "public_key_path": str(keys / "wechatpay_public_key.pem"), "auto_certificates": False,
            "base_url": "http://127.0.0.1:9"}))
        body = pathlib.Path(tmp, "v3_body.json")
        body.write_bytes(case["body"].encode())
        args = pathlib.Path(tmp, "v3_args.json")
        h = case["headers"]
        args.write_text(json.dumps({"headers": [["Wechatpay-Timestamp", h["timestamp"]], ["Wechatpay-Nonce", h["nonce"]],
                                                ["Wechatpay-Signature", h["signature"]], ["Wechatpay-Serial", h["serial"]]],
                                    "now": int(h["timestamp"])}))
        out = subprocess.run(
            [binary, str(order), str(notify), str(config), w["api_key"], w["prepay_id"], js["jsapi_ticket"],
             js["noncestr"], str(js["timestamp"]), js["url"], w["expected"]["sign_md5"],
             w["expected"]["sign_hmac"], js["signature"], str(config_v3), str(body), str(args),
             case["expect"]["ok"]["resource"]["out_trade_no"]],
            check=True, capture_output=True, text=True).stdout
    results = json.loads(out)
    names = dict(w["operations"], **w["v3"]["operations"])
    for op, ns in results.items():
        print(f"{names[op]:40} {'outputs disagree: not timed' if ns is None else f'{ns:10.0f} ns/op'}")
    target = ROOT / "target" / "bench"
    target.mkdir(parents=True, exist_ok=True)
    (target / "c.json").write_text(json.dumps({"wxpay": results}, indent=1))
    return 1 if None in results.values() else 0


if __name__ == "__main__":
    sys.exit(main())
