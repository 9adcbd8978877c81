"""`make demo` is the first thing a newcomer runs: demo.py end to end, twice
in a row as they would run it again, each run against a new simulator that
must not be handed tokens an earlier run (or the shop's tests) cached."""

import pathlib
import subprocess
import sys

DEMO = pathlib.Path(__file__).resolve().parent / "demo.py"


def test_the_demo_pays_its_order_every_time() -> None:
    for run in range(2):
        done = subprocess.run([sys.executable, str(DEMO)], cwd=DEMO.parent, capture_output=True, text=True,
                              timeout=180)
        assert done.returncode == 0, f"run {run + 1}:\n{done.stdout}\n{done.stderr}"
        assert "[5/9] wx.config:" in done.stdout and "config:ok" in done.stdout, done.stdout
        assert "RESULT: order" in done.stdout and "trade_state=SUCCESS" in done.stdout, done.stdout


def test_the_demo_pays_over_api_v3() -> None:
    """`make demo V3=1`: the same checkout with the shop on API v3 — RSA pay
    params, the encrypted notification verified with its headers and
    answered 204, the order confirmed by a v3 query."""
    done = subprocess.run([sys.executable, str(DEMO), "--v3"], cwd=DEMO.parent, capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    assert "POST /v3/pay/transactions/jsapi" in done.stdout, done.stdout
    assert "signType=RSA" in done.stdout and "answered HTTP 204" in done.stdout, done.stdout
    assert "orderquery (v3): trade_state=SUCCESS" in done.stdout, done.stdout
    assert "RESULT: order" in done.stdout and "trade_state=SUCCESS" in done.stdout, done.stdout
