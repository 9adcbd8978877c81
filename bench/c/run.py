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
        out = subprocess.run(
            [binary, str(order), str(notify), str(config), w["api_key"], w["prepay_id"], js["jsapi_ticket"],
             js["noncestr"], str(js["timestamp"]), js["url"], w["expected"]["sign_md5"],
             w["expected"]["sign_hmac"], js["signature"]],
            check=True, capture_output=True, text=True).stdout
    results = json.loads(out)
    for op, ns in results.items():
        print(f"{w['operations'][op]:40} {'outputs disagree: not timed' if ns is None else f'{ns:10.0f} ns/op'}")
    target = ROOT / "target" / "bench"
    target.mkdir(parents=True, exist_ok=True)
    (target / "c.json").write_text(json.dumps({"wxpay": results}, indent=1))
    return 1 if None in results.values() else 0


if __name__ == "__main__":
    sys.exit(main())
