"""examples/counter/cashier.py against wxpay-sim, as a cashier runs it."""

import pathlib
import subprocess
import sys

from conftest import Sim

CASHIER = pathlib.Path(__file__).resolve().parents[3] / "examples" / "counter" / "cashier.py"


def cashier(sim: Sim, code: str) -> "subprocess.CompletedProcess[str]":
    return subprocess.run([sys.executable, str(CASHIER), "--base-url", sim.url, "--query-every", "0.02",
                           "--give-up-after", "0.5", "1800", code], capture_output=True, text=True, timeout=60)


def test_the_cashier_screen_says_what_happened(sim: Sim) -> None:
    paid = cashier(sim, "134567890123450000")
    assert paid.returncode == 0 and paid.stdout.startswith("PAID"), paid
    gone = cashier(sim, "134567890123452000")
    assert gone.returncode == 1 and "cancelled" in gone.stdout and "USERPAYING" in gone.stdout, gone
    poor = cashier(sim, "134567890123453000")
    assert poor.returncode == 1 and "another payment code" in poor.stdout and "NOTENOUGH" in poor.stdout, poor
    bad = cashier(sim, "1234")
    assert bad.returncode == 2 and bad.stdout.startswith("CHECK THE INPUT"), bad


def test_the_cashier_never_asks_for_another_code_when_unsettled(sim: Sim) -> None:
    # Every reverse answers recall=Y: the customer may still be charged.
    sim.fault("/secapi/pay/reverse", "recall", count=10)
    open_ = cashier(sim, "134567890123452000")
    assert open_.returncode == 3 and open_.stdout.startswith("NOT SETTLED — do not ask for another code"), open_
    assert "reverse it later" in open_.stdout, open_
