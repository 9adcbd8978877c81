"""examples/reconcile/nightly.py against wxpay-sim, as a finance job runs
it: a day the simulator lived (paid orders, a refund, an order placed and
never paid) against a shop database that disagrees in known ways, the bill
downloaded straight into the reconciliation; then the same day balanced."""

import csv
import datetime
import pathlib
import sqlite3
import subprocess
import sys
from typing import List

import wxpay
from conftest import OPENID, Receiver, Sim

NIGHTLY = pathlib.Path(__file__).resolve().parents[3] / "examples" / "reconcile" / "nightly.py"


def today() -> str:
    return datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).strftime("%Y%m%d")


def place(client: wxpay.Client, receiver: Receiver, no: str, fee: int) -> str:
    order = client.unified_order(body="wxpay-书店", out_trade_no=no, total_fee=fee, spbill_create_ip="127.0.0.1",
                                 openid=OPENID, notify_url=receiver.url)
    return str(order["prepay_id"])


def run(sim: Sim, db: pathlib.Path, out: pathlib.Path) -> "subprocess.CompletedProcess[str]":
    return subprocess.run([sys.executable, str(NIGHTLY), "--base-url", sim.url, "--db", str(db), "--date", today(),
                           "--out", str(out)], capture_output=True, text=True, timeout=60)


def test_the_nightly_job_finds_what_the_books_got_wrong(sim: Sim, client: wxpay.Client, receiver: Receiver,
                                                        tmp_path: pathlib.Path) -> None:
    day = today()
    for no, fee in (("night-1", 990), ("night-2", 500), ("night-3", 120)):
        assert sim.pay(client.jsapi_params(place(client, receiver, no, fee)))["err_msg"] == "get_brand_wcpay_request:ok"
    place(client, receiver, "night-4", 250)  # never paid
    client.refund(out_trade_no="night-1", out_refund_no="night-1-r", total_fee=990, refund_fee=300)
    tx1 = client.query_order("night-1")["transaction_id"]

    db_path = tmp_path / "shop.sqlite3"
    with sqlite3.connect(db_path) as db:
        db.execute("CREATE TABLE orders (out_trade_no TEXT, total_fee INTEGER, transaction_id TEXT, paid_on TEXT)")
        db.execute("CREATE TABLE refunds (out_refund_no TEXT, out_trade_no TEXT, refund_fee INTEGER, asked_on TEXT)")
        db.executemany("INSERT INTO orders VALUES (?, ?, ?, ?)", [
            ("night-1", 990, tx1, day),
            ("night-3", 100, None, day),        # the shop charged 1.00, WeChat 1.20
            ("night-4", 250, None, day),        # marked paid, never paid
            ("night-0", 700, None, "20200101"),  # another day: not compared
        ])  # night-2 was paid and the shop never recorded it
        db.execute("INSERT INTO refunds VALUES ('night-1-r', 'night-1', 300, ?)", (day,))
    out = tmp_path / "differences.csv"
    job = run(sim, db_path, out)
    assert job.returncode == 1, job.stderr
    assert "WeChat 3 payments 16.10 yuan, 1 refunds 3.00 yuan" in job.stdout, job.stdout
    with open(out, encoding="utf-8") as f:
        rows: List[List[str]] = list(csv.reader(f))
    assert rows[1:] == [["wechat_only", "payment", "night-2", "", "500", ""],
                        ["amount_differs", "payment", "night-3", "", "120", "100"],
                        ["shop_only", "payment", "night-4", "", "", "250"]], rows

    # The books put right: balanced, exit 0.
    with sqlite3.connect(db_path) as db:
        db.execute("UPDATE orders SET total_fee = 120 WHERE out_trade_no = 'night-3'")
        db.execute("DELETE FROM orders WHERE out_trade_no = 'night-4'")
        db.execute("INSERT INTO orders VALUES ('night-2', 500, NULL, ?)", (day,))
    job = run(sim, db_path, out)
    assert job.returncode == 0, job.stdout + job.stderr
    assert f"{day}: balanced" in job.stdout
    assert sim.stats()["downloadbill"] == 2
