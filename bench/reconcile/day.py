"""A generated day of 1,000,000 orders reconciled, for make bench: time and
peak memory of `wxpay reconcile` (the release build) and of the Python
binding streaming the same files, written to target/bench/reconcile.json.

The day: every order paid at WeChat (the bill, gzip as WeChat sends it with
tar_type=GZIP), 1 % of them refunded, and the shop's records in another
order with known faults (orders it missed, orders it believes paid that
WeChat never charged, wrong amounts, orders recorded twice, a refund it
never asked). Before anything is reported, the counts each run finds are
checked against the faults that were planted.

    python3 bench/reconcile/day.py --wxpay target/release/wxpay [--orders N] [--python]
Standard library only (the Python run needs wxpay installed).
"""

import argparse
import gzip
import json
import pathlib
import random
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "target" / "bench" / "reconcile"
HEADER = ("交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,"
          "应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,"
          "手续费,费率,订单金额,申请退款金额,费率备注")
SUMMARY = "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额"


def yuan(fen: int) -> str:
    return "%d.%02d" % (fen // 100, fen % 100)


def generate(orders: int) -> dict:
    """Writes bill.gz and shop.csv; returns the differences planted."""
    rng = random.Random(20240102)
    OUT.mkdir(parents=True, exist_ok=True)
    fen = [rng.randrange(1, 100000) for _ in range(orders)]
    refunded = set(rng.sample(range(orders), orders // 100))
    planted = {"wechat_only": 100, "shop_only": 50, "amount_differs": 30, "duplicate_at_shop": 20, "refund_shop_only": 1}
    faulty = rng.sample(range(orders), planted["wechat_only"] + planted["amount_differs"] + planted["duplicate_at_shop"])
    missed = set(faulty[:100])
    wrong = set(faulty[100:130])
    twice = set(faulty[130:])
    paid = refund_total = 0
    rows = 0
    with gzip.open(OUT / "bill.gz", "wt", encoding="utf-8", compresslevel=1, newline="") as bill:
        bill.write(HEADER + "\r\n")
        for i in range(orders):
            paid += fen[i]
            rows += 1
            bill.write(f"`2024-01-02 10:00:00,`wxd930ea5d5a258f4f,`10000100,`0,`,`42000000012024010{i:010d},"
                       f"`day-{i:08d},`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,`JSAPI,`SUCCESS,`OTHERS,`CNY,`{yuan(fen[i])},`0.00,"
                       f"`0,`0,`0.00,`0.00,`,`,`书店-图书,`,`0.00000,`0.60%,`{yuan(fen[i])},`0.00,`\r\n")
            if i in refunded:
                refund_total += fen[i] // 2
                rows += 1
                bill.write(f"`2024-01-02 12:00:00,`wxd930ea5d5a258f4f,`10000100,`0,`,`42000000012024010{i:010d},"
                           f"`day-{i:08d},`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,`JSAPI,`REFUND,`OTHERS,`CNY,`0.00,`0.00,"
                           f"`50300000{i:010d},`day-{i:08d}-r,`{yuan(fen[i] // 2)},`0.00,`ORIGINAL,`SUCCESS,`书店-图书,`,"
                           f"`0.00000,`0.60%,`0.00,`{yuan(fen[i] // 2)},`\r\n")
        bill.write(SUMMARY + "\r\n")
        bill.write(f"`{rows},`{yuan(paid)},`{yuan(refund_total)},`0.00,`0.00000,`{yuan(paid)},`{yuan(refund_total)}\r\n")
    records = []
    for i in range(orders):
        if i in missed:
            continue
        amount = fen[i] + 1 if i in wrong else fen[i]
        records.append(f"day-{i:08d},{amount},,")
        if i in twice:
            records.append(f"day-{i:08d},{amount},,")
        if i in refunded:
            records.append(f"day-{i:08d},,day-{i:08d}-r,{fen[i] // 2}")
    records += [f"never-{i:04d},990,," for i in range(planted["shop_only"])]
    records.append("day-00000000,,never-refund,1")
    rng.shuffle(records)  # the shop's database has its own order
    with open(OUT / "shop.csv", "w", encoding="utf-8") as shop:
        shop.write("out_trade_no,total_fee,out_refund_no,refund_fee\n")
        shop.write("\n".join(records) + "\n")
    # An order the shop missed: its refund too, when it had one.
    return {"wechat_only": planted["wechat_only"] + len(missed & refunded), "shop_only": planted["shop_only"] + 1,
            "amount_differs": planted["amount_differs"], "id_differs": 0, "duplicate_at_wechat": 0,
            "duplicate_at_shop": planted["duplicate_at_shop"]}


# Runs its arguments and prints their peak resident memory (KiB) on the last
# line of standard error. A fresh small process: the peak a child reports
# includes what it inherited before exec, so it must not be this script,
# which holds the generated day.
PEAK = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:]); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(p.returncode)")


def measured(cmd: list) -> tuple:
    """Runs cmd; its wall time, peak resident memory in MiB, and its output."""
    start = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", PEAK, *cmd], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    *rest, peak = p.stderr.rstrip("\n").split("\n")
    p.stderr = "\n".join(rest)
    return seconds, int(peak) / 1024, p


PY_RUN = r"""
import json, sys, wxpay
c = wxpay.Client(appid="wxd930ea5d5a258f4f", mch_id="10000100", api_key="192006250b4c09247ec02edce69f6a2d")
rid = c.reconcile_start(memory_mib=32)
for path, feed in ((sys.argv[1], c.reconcile_shop_csv), (sys.argv[2], c.reconcile_bill)):
    with open(path, "rb") as f:
        while chunk := f.read(256 * 1024):
            feed(chunk, rid)
print(json.dumps(c.reconcile_finish(rid)["counts"]))
"""


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--wxpay", required=True)
    ap.add_argument("--orders", type=int, default=1_000_000)
    ap.add_argument("--python", action="store_true", help="also stream the day through the Python binding")
    args = ap.parse_args()
    t = time.perf_counter()
    expected = generate(args.orders)
    print(f"reconcile: generated a day of {args.orders:,} orders in {time.perf_counter() - t:.1f} s "
          f" (bill {(OUT / 'bill.gz').stat().st_size / 2**20:.0f} MiB gzip, shop {(OUT / 'shop.csv').stat().st_size / 2**20:.0f} MiB)")
    results = {"orders": args.orders}
    for label, memory in (("cli", None), ("cli_16mib", "16")):
        cmd = [args.wxpay, "reconcile", "--bill", str(OUT / "bill.gz"), "--shop", str(OUT / "shop.csv"),
               "--out", str(OUT / "differences.csv"), "--json"] + (["--memory-mib", memory] if memory else [])
        seconds, peak, p = measured(cmd)
        if p.returncode != 1:
            print(p.stderr, file=sys.stderr)
            raise SystemExit(f"wxpay reconcile exited {p.returncode}, expected 1 (differences)")
        counts = json.loads(p.stdout)["counts"]
        if counts != expected:
            raise SystemExit(f"wxpay reconcile found {counts}, planted {expected}")
        results[label] = {"seconds": round(seconds, 2), "peak_mib": round(peak, 1)}
        print(f"reconcile: wxpay reconcile{' --memory-mib ' + memory if memory else ''}: {seconds:.1f} s, "
              f"peak {peak:.0f} MiB, every planted difference found")
    if args.python:
        seconds, peak, p = measured([sys.executable, "-c", PY_RUN, str(OUT / "shop.csv"), str(OUT / "bill.gz")])
        if p.returncode != 0 or json.loads(p.stdout) != expected:
            raise SystemExit(f"the Python run failed: {p.stdout} {p.stderr}")
        results["python"] = {"seconds": round(seconds, 2), "peak_mib": round(peak, 1)}
        print(f"reconcile: Python, streamed in 256 KiB chunks, {seconds:.1f} s, peak {peak:.0f} MiB")
    (OUT.parent / "reconcile.json").write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
