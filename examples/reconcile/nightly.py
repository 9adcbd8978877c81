"""The nightly reconciliation of a shop: one day's orders and refunds from
its database against WeChat's trade bill.

    python nightly.py --db shop.sqlite3 [--date 20240102] [--out differences.csv] [--base-url URL]

The shop's database (SQLite here; any database works the same way) has
orders(out_trade_no, total_fee, transaction_id, paid_on) and
refunds(out_refund_no, out_trade_no, refund_fee, asked_on), days as yyyyMMdd.
The day's paid orders and asked refunds are read from a cursor in batches,
the bill is downloaded straight into the reconciliation, and memory stays
bounded however many orders the day had. Prints the totals, writes every
listed difference to --out, and exits 1 when there is any (for cron).

The merchant comes from WXPAY_APPID, WXPAY_MCH_ID and WXPAY_API_KEY (the
simulator's test merchant by default). The day defaults to yesterday in
Beijing time: WeChat's bill of a day is ready from 10:00 the next morning.
"""

import argparse
import csv
import datetime
import os
import sqlite3
import sys
from typing import Any, Dict, Iterator, List

import wxpay
from wxpay import types

BATCH = 10_000


def make_client(base_url: str) -> wxpay.Client:
    options: Dict[str, Any] = dict(appid=os.environ.get("WXPAY_APPID", "wxd930ea5d5a258f4f"),
                                   mch_id=os.environ.get("WXPAY_MCH_ID", "10000100"),
                                   api_key=os.environ.get("WXPAY_API_KEY", "192006250b4c09247ec02edce69f6a2d"))
    if base_url:
        options["base_url"] = base_url
    return wxpay.Client(**options)


def batches(db: sqlite3.Connection, day: str) -> Iterator[List[Dict[str, Any]]]:
    """The shop's records of the day, a batch at a time (never the whole day in memory)."""
    payments = db.execute("SELECT out_trade_no, total_fee, transaction_id FROM orders WHERE paid_on = ?", (day,))
    while rows := payments.fetchmany(BATCH):
        yield [{"out_trade_no": r[0], "total_fee": r[1], "transaction_id": r[2]} for r in rows]
    refunds = db.execute("SELECT out_refund_no, out_trade_no, refund_fee FROM refunds WHERE asked_on = ?", (day,))
    while rows := refunds.fetchmany(BATCH):
        yield [{"out_refund_no": r[0], "out_trade_no": r[1], "refund_fee": r[2]} for r in rows]


def reconcile(client: wxpay.Client, db: sqlite3.Connection, day: str) -> types.Reconciliation:
    rid = client.reconcile_start(list_limit=10_000)
    try:
        for batch in batches(db, day):
            client.reconcile_shop(rid, batch)
        client.reconcile_download_bill(rid, day)
    except Exception:
        try:
            client.reconcile_finish(rid)  # closes it; its error is not the one to report
        except wxpay.WxPayError:
            pass
        raise
    return client.reconcile_finish(rid)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True)
    beijing = datetime.timezone(datetime.timedelta(hours=8))
    yesterday = (datetime.datetime.now(beijing) - datetime.timedelta(days=1)).strftime("%Y%m%d")
    ap.add_argument("--date", default=yesterday)
    ap.add_argument("--out", default="differences.csv")
    ap.add_argument("--base-url", default="")
    args = ap.parse_args()
    client = make_client(args.base_url)
    with sqlite3.connect(args.db) as db:
        report = reconcile(client, db, args.date)

    def side(t: types.SideTotals) -> str:
        return (f"{t['payments']} payments {t['payment_fen'] / 100:.2f} yuan, "
                f"{t['refunds']} refunds {t['refund_fen'] / 100:.2f} yuan")

    print(f"{args.date}: WeChat {side(report['wechat'])}{' (no bill)' if report['no_bill'] else ''}")
    print(f"{args.date}: shop   {side(report['shop'])}")
    print(f"{args.date}: matched {side(report['matched'])}")
    counts = {k: v for k, v in report["counts"].items() if v}
    print(f"{args.date}: {'balanced' if report['balanced'] else 'differences ' + str(counts)}")
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["kind", "entry", "out_trade_no", "out_refund_no", "wechat_fen", "shop_fen"])
        for d in report["differences"]:
            out.writerow([d["kind"], d["entry"], d["out_trade_no"], d["out_refund_no"] or "",
                          "" if d["wechat_fen"] is None else d["wechat_fen"],
                          "" if d["shop_fen"] is None else d["shop_fen"]])
    if report["unlisted"]:
        print(f"{args.date}: {report['unlisted']} more not listed: run `wxpay reconcile` for all of them")
    return 0 if report["balanced"] else 1


if __name__ == "__main__":
    sys.exit(main())
