"""Mini-program login from Python: tests/vectors/mini_program.json against
the in-process simulator (wx.login() codes from Simulator.mini_login)."""

import asyncio
import json
from typing import Any, Dict

import pytest

import wxpay
from wxpay.aio import AsyncClient

from conftest import VECTORS, Sim, make_client

CASES = json.loads((VECTORS / "mini_program.json").read_text())["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_mini_program_login(sim: Sim, case: Dict[str, Any]) -> None:
    extra = {"app_secret": case["app_secret"]} if "app_secret" in case else {}
    client = make_client(sim, **extra)
    login = case.get("login")
    code = sim.mini_login(login.get("openid"), login.get("errcode")) if login is not None else case["code"]
    before = sim.stats()["jscode2session"]
    for want in case["expect"]:
        if "ok" in want:
            session = client.jscode2session(code)
            assert session["openid"] == want["ok"]["openid"]
            assert isinstance(session["session_key"], str) and session["session_key"]
            assert set(session) == {"openid", "session_key", "unionid"}
        else:
            with pytest.raises(wxpay.WxPayError) as e:
                client.jscode2session(code)
            err, expected = e.value, want["error"]
            assert err.kind == expected["kind"], repr(err)
            if "errcode" in expected:
                assert isinstance(err, wxpay.MpApiError) and err.errcode == expected["errcode"], repr(err)
            if "field" in expected:
                assert err.field == expected["field"], repr(err)
            assert code not in str(err) or code == "never-issued-code"
            assert "app_secret" not in repr(err) and (case.get("app_secret") or "\0") not in str(err)
    assert sim.stats()["jscode2session"] - before == case["sent"]


def test_the_async_client_logs_in_off_the_event_loop(sim: Sim) -> None:
    client = AsyncClient(**sim.client_options())
    code = sim.mini_login("o-mini-async")
    session = asyncio.run(client.jscode2session(code))
    assert session["openid"] == "o-mini-async"


def test_the_simulator_refuses_a_login_it_cannot_play(sim: Sim) -> None:
    with pytest.raises(ValueError):
        sim.mini_login(errcode=40001)
