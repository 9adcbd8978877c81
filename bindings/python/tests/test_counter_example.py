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
