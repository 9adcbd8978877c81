"""examples/profit_sharing/commission.py against wxpay-sim: a commission
shared out of a paid order and the rest released, run twice without paying
twice; nothing to share from an order not placed for sharing; a partner's
share given back, and WeChat's refusal of more than it got."""

import pathlib
import subprocess
import sys

import wxpay
from conftest import OPENID, Receiver, Sim

COMMISSION = pathlib.Path(__file__).resolve().parents[3] / "examples" / "profit_sharing" / "commission.py"


def run(sim: Sim, *args: str) -> "subprocess.CompletedProcess[str]":
    return subprocess.run([sys.executable, str(COMMISSION), "--base-url", sim.url, *args],
                          capture_output=True, text=True, timeout=60)


def paid(sim: Sim, client: wxpay.Client, receiver: Receiver, no: str, sharing: bool) -> str:
    extra = {"profit_sharing": "Y"} if sharing else {}
    order = client.unified_order(body="wxpay-书店", out_trade_no=no, total_fee=1000, spbill_create_ip="127.0.0.1",
                                 openid=OPENID, notify_url=receiver.url, **extra)
    assert sim.pay(client.jsapi_params(order["prepay_id"]))["err_msg"] == "get_brand_wcpay_request:ok"
    return str(client.query_order(no)["transaction_id"])


def test_a_commission_is_paid_once_and_the_rest_released(sim: Sim, client: wxpay.Client, receiver: Receiver) -> None:
    tx = paid(sim, client, receiver, "py-commission-1", True)
    job = run(sim, "pay-out", "--transaction-id", tx, "--referrer", OPENID, "--percent", "10")
    assert job.returncode == 0, job.stderr
    assert f"COMMISSION 100 fen to {OPENID}: SUCCESS" in job.stdout
    assert f"FINISHED {tx}: 0 fen left to share" in job.stdout
    # After the finish nothing more can be shared: a second run is refused, not paid again.
    again = run(sim, "pay-out", "--transaction-id", tx, "--referrer", OPENID, "--percent", "10")
    assert again.returncode == 0 and again.stdout == f"NOTHING TO SHARE {tx}\n", again.stdout + again.stderr
    assert sim.stats()["multiprofitsharing"] == 1

    plain = paid(sim, client, receiver, "py-commission-2", False)
    refused = run(sim, "pay-out", "--transaction-id", plain, "--referrer", OPENID)
    assert refused.returncode == 0 and refused.stdout == f"NOTHING TO SHARE {plain}\n", refused.stdout + refused.stderr


def test_a_partner_gives_back(sim: Sim, client: wxpay.Client, receiver: Receiver) -> None:
    tx = paid(sim, client, receiver, "py-commission-3", True)
    client.add_profit_sharing_receiver(type="MERCHANT_ID", account="190001001", name="示例合作商户有限公司",
                                       relation_type="PARTNER")
    client.profit_sharing(transaction_id=tx, out_order_no="PS-PARTNER", multi=True, receivers=[
        {"type": "MERCHANT_ID", "account": "190001001", "amount": 200, "description": "合作分成"}])
    job = run(sim, "give-back", "--out-order-no", "PS-PARTNER", "--partner", "190001001", "--amount", "120")
    assert job.returncode == 0 and "RETURN 120 fen from 190001001: SUCCESS" in job.stdout, job.stdout + job.stderr
    too_much = run(sim, "give-back", "--out-order-no", "PS-PARTNER", "--partner", "190001001", "--amount", "81")
    assert too_much.returncode == 2 and "REFUSED Business" in too_much.stderr, too_much.stderr
