"""examples/native/vending.py against wxpay-sim, as a machine runs it: the
printed link, a payer scanning it, the machine placing the order and
dispensing once on the notification; a sold-out product refused on the
payer's screen."""

import pathlib
import subprocess
import sys
import time
from typing import List

from conftest import Sim

VENDING = pathlib.Path(__file__).resolve().parents[3] / "examples" / "native" / "vending.py"


def test_the_machine_dispenses_what_was_paid_and_refuses_what_is_sold_out(sim: Sim) -> None:
    link = subprocess.run([sys.executable, str(VENDING), "--base-url", sim.url, "link", "cola-330"],
                          capture_output=True, text=True, timeout=60, check=True).stdout.strip()
    assert link.startswith("weixin://wxpay/s/"), link
    machine = subprocess.Popen([sys.executable, str(VENDING), "--base-url", sim.url, "serve", "--port", "0",
                                "--stock", "cola-330=1,tea-500=0"], stdout=subprocess.PIPE, text=True)
    try:
        assert machine.stdout is not None
        first = machine.stdout.readline().split()
        assert first[:2] == ["SCAN", "CALLBACK"], first
        callback = first[2]
        paid = sim.post("/sim/native/scan", {"link": link, "callback_url": callback})
        assert paid["result"] == "paid", paid
        lines: List[str] = []
        deadline = time.monotonic() + 10
        while not lines and time.monotonic() < deadline:
            lines.append(machine.stdout.readline().strip())
        assert lines == [f"DISPENSE cola-330 (order {paid['out_trade_no']})"], lines
        # The one can is gone, and tea was never stocked: the payer is told.
        for product in ("cola-330", "tea-500"):
            tea = subprocess.run([sys.executable, str(VENDING), "--base-url", sim.url, "link", product],
                                 capture_output=True, text=True, timeout=60, check=True).stdout.strip()
            refused = sim.post("/sim/native/scan", {"link": tea, "callback_url": callback})
            assert refused == {"result": "refused", "reason": "the shop refused the scan",
                               "message": "已售罄 sold out"}, refused
        assert sim.stats()["unifiedorder"] == 1
    finally:
        machine.terminate()
        machine.wait(timeout=10)
