"""examples/miniprogram/backend.py against wxpay-sim, as a mini-program
uses it: a wx.login() code exchanged for a session of the backend's own,
an order whose wx.requestPayment params the payer pays with, the
notification marking it paid once; a code used twice and a stranger's
session refused."""

import json
import pathlib
import subprocess
import sys
import urllib.error
import urllib.request
from typing import Any, Dict, Tuple

from conftest import Sim

BACKEND = pathlib.Path(__file__).resolve().parents[3] / "examples" / "miniprogram" / "backend.py"


def post(url: str, body: Dict[str, Any]) -> Tuple[int, Dict[str, Any]]:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_a_mini_program_logs_in_and_pays(sim: Sim) -> None:
    backend = subprocess.Popen([sys.executable, str(BACKEND), "--base-url", sim.url, "--port", "0"],
                               stdout=subprocess.PIPE, text=True)
    try:
        assert backend.stdout is not None
        first = backend.stdout.readline().split()
        assert first[0] == "LISTENING", first
        base = first[1]
        code = sim.mini_login("o-mini-shop-1")
        status, login = post(f"{base}/login", {"code": code})
        assert status == 200 and set(login) == {"session"}, login  # the session_key stays on the server
        status, params = post(f"{base}/pay", {"session": login["session"], "product": "coffee"})
        assert status == 200, params
        assert set(params) == {"appId", "timeStamp", "nonceStr", "package", "signType", "paySign"}
        assert sim.pay(params)["err_msg"] == "get_brand_wcpay_request:ok"
        line = backend.stdout.readline().split()
        assert line[0] == "PAID" and line[2] == "coffee", line
        # A wx.login() code is good once; a session the backend never gave is nobody's.
        assert post(f"{base}/login", {"code": code}) == (400, {"error": "MpApiError"})
        assert post(f"{base}/pay", {"session": "forged", "product": "coffee"})[0] == 400
        assert sim.stats()["jscode2session"] == 2 and sim.stats()["unifiedorder"] == 1
    finally:
        backend.terminate()
        backend.wait(timeout=10)
