"""examples/reconcile/fund_flow.py against wxpay-sim: a day's movements of
the basic account (a payment in, a refund out) with their totals, and an
account that did not move."""

import csv
import datetime
import pathlib
import subprocess
import sys

import wxpay
from conftest import OPENID, Receiver, Sim

FUND_FLOW = pathlib.Path(__file__).resolve().parents[3] / "examples" / "reconcile" / "fund_flow.py"


def test_the_days_movements_and_totals(sim: Sim, client: wxpay.Client, receiver: Receiver,
                                       tmp_path: pathlib.Path) -> None:
    day = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).strftime("%Y%m%d")
    order = client.unified_order(body="wxpay-书店", out_trade_no="py-flow-ex-1", total_fee=990,
                                 spbill_create_ip="127.0.0.1", openid=OPENID, notify_url=receiver.url)
    assert sim.pay(client.jsapi_params(order["prepay_id"]))["err_msg"] == "get_brand_wcpay_request:ok"
    client.refund(out_trade_no="py-flow-ex-1", out_refund_no="py-flow-ex-1-r", total_fee=990, refund_fee=300)
    out = tmp_path / "movements.csv"
    job = subprocess.run([sys.executable, str(FUND_FLOW), "--base-url", sim.url, "--date", day, "--out", str(out)],
                         capture_output=True, text=True, timeout=60)
    assert job.returncode == 0, job.stderr
    assert job.stdout == f"{day} Basic: 2 movements, in 1 9.90 yuan, out 1 3.00 yuan\n"
    with open(out, encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert len(rows) == 3 and rows[0][0] == "记账时间"
    fees = subprocess.run([sys.executable, str(FUND_FLOW), "--base-url", sim.url, "--date", day, "--account", "Fees"],
                          capture_output=True, text=True, timeout=60)
    assert fees.stdout == f"{day} Fees: no movement\n", fees.stdout + fees.stderr
