"""The whole flow from Python against wxpay-sim."""

import asyncio
import datetime
import json
import logging
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Dict, Optional, Tuple, Union

import pytest

import wxpay
from wxpay import _wxpay, types

from conftest import API_KEY, APP_SECRET, MCH_ID, OPENID, VECTORS, Receiver, Sim, make_client


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def follow_authorize(url: str) -> Tuple[str, str]:
    """What the WeChat client does with the authorize URL: returns the
    redirect's code and state."""
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(url.split("#")[0], timeout=10)
    except urllib.error.HTTPError as e:
        assert e.code == 302
        query = urllib.parse.parse_qs(urllib.parse.urlparse(e.headers["Location"]).query)
        return query["code"][0], query["state"][0]
    raise AssertionError("no redirect")


def wait_for(check: Any, limit: float = 5.0) -> bool:
    end = time.time() + limit
    while time.time() < end:
        if check():
            return True
        time.sleep(0.01)
    return bool(check())


def shaped(value: Any, shape: Any) -> None:
    """`value` has exactly the keys of the TypedDict `shape`."""
    assert set(value) == set(shape.__annotations__), (shape.__name__, sorted(value))


def test_whole_checkout(sim: Sim, client: wxpay.Client, receiver: Receiver) -> None:
    code, state = follow_authorize(client.oauth_authorize_url("https://shop.example/cb", state="abc123"))
    assert state == "abc123"
    token = client.oauth_exchange_code(code)
    assert token["openid"] == OPENID
    shaped(token, types.OAuthToken)

    order = client.unified_order(body="wxpay-书店", out_trade_no="py-flow-0001", total_fee=990,
                                 spbill_create_ip="127.0.0.1", openid=token["openid"],
                                 notify_url=receiver.url, attach="cart-7")
    assert order["trade_type"] == "JSAPI" and order["prepay_id"].startswith("wx")
    assert order["raw"]["result_code"] == "SUCCESS"
    shaped(order, types.UnifiedOrderReply)
    shaped(client.jssdk_pay_params(order["prepay_id"]), types.JssdkPayParams)
    shaped(client.app_pay_params(order["prepay_id"]), types.AppPayParams)

    config = client.jssdk_config("https://shop.example/pay?x=1#frag", ["chooseWXPay"])
    checked = sim.post("/sim/jsapi/config", {"appId": config["appId"], "timestamp": config["timestamp"],
                                             "nonceStr": config["nonceStr"], "signature": config["signature"],
                                             "url": "https://shop.example/pay?x=1"})
    assert checked["errMsg"] == "config:ok", checked
    shaped(config, types.JssdkConfig)

    params = client.jsapi_params(order["prepay_id"])
    shaped(params, types.BridgePayParams)
    paid = sim.post("/sim/jsapi/pay", params)
    assert paid["err_msg"] == "get_brand_wcpay_request:ok", paid

    assert wait_for(lambda: len(receiver.bodies) >= 1)
    notify = client.verify_payment_notify(receiver.bodies[0], total_fee=990)
    assert notify["paid"] and notify["attach"] == "cart-7"
    confirmed = client.confirm_payment(notify)
    assert confirmed["trade_state"] == "SUCCESS" and confirmed["total_fee"] == 990
    shaped(notify, types.PaymentNotify)
    shaped(confirmed, types.OrderQueryReply)

    refund = client.refund(out_trade_no="py-flow-0001", out_refund_no="py-flow-0001-r", total_fee=990, refund_fee=990)
    assert refund["refund_fee"] == 990
    refunds = client.query_refund(out_refund_no="py-flow-0001-r")
    assert refunds["refunds"][0]["refund_status"] == "SUCCESS"
    shaped(refund, types.RefundReply)
    shaped(refunds, types.RefundQueryReply)
    shaped(refunds["refunds"][0], types.RefundRecord)
    assert client.query_order("py-flow-0001")["trade_state"] == "REFUND"
    today = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).strftime("%Y%m%d")
    bill = client.download_bill(today, "ALL", True)
    assert len(bill["rows"]) == 2
    shaped(bill, types.Bill)


def test_async_client_does_the_same(sim: Sim, receiver: Receiver) -> None:
    async def run() -> Dict[str, Any]:
        c = wxpay.AsyncClient(appid="wxd930ea5d5a258f4f", mch_id="10000100", api_key=API_KEY,
                              app_secret=APP_SECRET, base_url=sim.url)
        order = await c.unified_order(body="async", out_trade_no="py-async-01", total_fee=1,
                                      spbill_create_ip="127.0.0.1", openid=OPENID, notify_url=receiver.url)
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.01)

        sim.fault("/pay/orderquery", "delay", delay_ms=500)
        t = asyncio.ensure_future(ticker())
        result = await c.query_order("py-async-01")
        t.cancel()
        assert ticks >= 20, f"the event loop kept running ({ticks} ticks)"
        assert "AsyncClient(" in repr(c) and API_KEY not in repr(c)
        assert (await c.jssdk_config("https://shop.example/", ["chooseWXPay"]))["appId"] == "wxd930ea5d5a258f4f"
        return {"order": order, "query": result}

    out = asyncio.run(run())
    assert out["query"]["trade_state"] == "NOTPAY"


def test_errors_carry_wechat_codes(sim: Sim, client: wxpay.Client) -> None:
    with pytest.raises(wxpay.BusinessError) as e:
        client.query_order("py-missing-1")
    assert e.value.err_code == "ORDERNOTEXIST" and not e.value.retryable
    assert e.value.code == "WXPAY_BUSINESS"

    with pytest.raises(wxpay.MpApiError) as m:
        client.oauth_exchange_code("never-issued-code")
    assert m.value.errcode == 40029

    wrong = make_client(sim, api_key="0123456789abcdef0123456789abcdef")
    with pytest.raises(wxpay.ProtocolError) as p:
        wrong.query_order("py-missing-1")
    assert p.value.return_msg == "签名错误"

    sim.fault("/pay/orderquery", "bad_sign")
    with pytest.raises(wxpay.SignatureError) as s:
        client.query_order("py-missing-1")
    assert s.value.reason == "Invalid"

    sim.fault("/pay/orderquery", "reset", count=5)
    with pytest.raises(wxpay.TransportError) as t:
        client.query_order("py-missing-1")
    assert t.value.retryable
    for err in (e.value, m.value, p.value, s.value, t.value):
        assert API_KEY not in str(err) and APP_SECRET not in str(err)


class DictStore:
    """A token store like Django's cache: get(key) / set(key, value, ttl)."""

    def __init__(self) -> None:
        self.data: Dict[str, str] = {}
        self.ttls: Dict[str, int] = {}

    def get(self, key: str) -> Optional[str]:
        return self.data.get(key)

    def set(self, key: str, value: str, ttl: int) -> None:
        self.data[key] = value
        self.ttls[key] = ttl


def test_a_python_token_store_is_shared_by_clients(sim: Sim) -> None:
    store = DictStore()
    first = make_client(sim, token_store=store)
    second = make_client(sim, token_store=store)
    token = first.access_token()
    assert second.access_token() == token
    assert second.jsapi_ticket() == first.jsapi_ticket()
    stats = sim.stats()
    assert stats["token_fetches"] == 1 and stats["ticket_fetches"] == 1
    assert set(store.data) == {"wxpay:wxd930ea5d5a258f4f:access_token", "wxpay:wxd930ea5d5a258f4f:jsapi_ticket"}
    assert all(isinstance(t, int) and t > 0 for t in store.ttls.values())
    assert not any(APP_SECRET in v or API_KEY in v for v in store.data.values()), "no secret in the store"


def test_a_failing_token_store_never_fails_a_call(sim: Sim, caplog: Any, capfd: Any) -> None:
    class Broken:
        def get(self, key: str) -> Optional[str]:
            raise RuntimeError("redis is down: password=hunter2")

        def set(self, key: str, value: str, ttl: int) -> None:
            raise RuntimeError("redis is down: password=hunter2")

    caplog.set_level(logging.INFO, logger="wxpay")
    c = make_client(sim, token_store=Broken())
    assert c.token_store_health() == {"store": "host", "healthy": True, "error": None}
    # The process keeps its own copy: one fetch, however many calls.
    tokens = {c.access_token() for _ in range(5)}
    assert len(tokens) == 1 and sim.stats()["token_fetches"] == 1
    # Said once, through logging (not stderr), and in the health call.
    records = [r for r in caplog.records if r.name == "wxpay"]
    assert [r.wxpay_event for r in records] == ["token_store_down", "token_refreshed"], records  # type: ignore[attr-defined]
    assert records[0].levelno == logging.WARNING and "token store" in records[0].getMessage()
    assert records[0].wxpay_fields["key"] == "wxpay:wxd930ea5d5a258f4f:access_token"  # type: ignore[attr-defined]
    assert "hunter2" not in records[0].getMessage()
    assert capfd.readouterr().err == "", "the library writes nothing to stderr"
    health = c.token_store_health()
    assert health["store"] == "host" and not health["healthy"] and "token store" in (health["error"] or "")
    assert "hunter2" not in str(health)
    with pytest.raises(TypeError):
        make_client(sim, token_store=object())


def test_refund_notifications_decrypt(sim: Sim, client: wxpay.Client, receiver: Receiver) -> None:
    order = client.unified_order(body="b", out_trade_no="py-refund-01", total_fee=500,
                                 spbill_create_ip="127.0.0.1", openid=OPENID, notify_url=receiver.url)
    sim.post("/sim/jsapi/pay", client.jsapi_params(order["prepay_id"]))
    assert wait_for(lambda: len(receiver.bodies) >= 1)
    client.refund(out_trade_no="py-refund-01", out_refund_no="py-refund-01-a", total_fee=500, refund_fee=200,
                  notify_url=receiver.url)
    assert wait_for(lambda: len(receiver.bodies) >= 2)
    note = client.parse_refund_notify(receiver.bodies[1])
    assert note["out_refund_no"] == "py-refund-01-a" and note["refund_fee"] == 200
    assert note["refund_status"] == "SUCCESS"
    # The one-call handler: decrypted, decided, and the reply to send.
    d = client.handle_refund_notify(receiver.bodies[1])
    assert d["status"] == "refunded" and d["reply"] == wxpay.notify_ack() and d["error"] is None
    assert d["refund"] is not None and d["refund"]["out_refund_no"] == "py-refund-01-a"
    forged = client.handle_refund_notify(receiver.bodies[1].replace(b"<req_info>", b"<req_info>AAAA"))
    assert forged["status"] == "refused" and forged["refund"] is None
    assert isinstance(forged["error"], wxpay.WxPayError)
    assert wxpay.from_xml(forged["reply"])["return_code"] == "FAIL"
    shaped(note, types.RefundNotify)
    closing = client.unified_order(body="b", out_trade_no="py-close-01", total_fee=1, spbill_create_ip="127.0.0.1",
                                   openid=OPENID, notify_url=receiver.url)
    assert closing["prepay_id"]
    closed: Optional[Any] = None
    for _ in range(200):  # WeChat refuses to close within 5 minutes of placing (scaled here)
        try:
            closed = client.close_order("py-close-01")
            break
        except wxpay.BusinessError:
            time.sleep(0.02)
    assert closed is not None and closed["already_closed"] is False
    shaped(closed, types.CloseOrderReply)


def test_refund_over_mutual_tls(sim: Sim, client: wxpay.Client) -> None:
    """The simulator's HTTPS port wants the merchant certificate for refunds, as WeChat does."""
    assert sim.tls_files() is None
    order = client.unified_order(body="b", out_trade_no="py-mtls-01", total_fee=700,
                                 spbill_create_ip="127.0.0.1", openid=OPENID, notify_url="http://127.0.0.1:9/n")
    assert sim.post("/sim/jsapi/pay", client.jsapi_params(order["prepay_id"]))["err_msg"] == "get_brand_wcpay_request:ok"

    options = sim.tls_client_options(retry_backoff=0.02)
    assert options["base_url"].startswith("https://127.0.0.1:")
    secure = wxpay.Client(**options)
    assert "PRIVATE KEY" not in repr(secure)
    refund = secure.refund(out_trade_no="py-mtls-01", out_refund_no="py-mtls-01-r", total_fee=700, refund_fee=300)
    assert refund["refund_fee"] == 300

    # Without the simulator's CA the server is not trusted; without the
    # certificate the client will not send a refund over https at all.
    untrusted = wxpay.Client(**{**options, "ca_pem": None})
    with pytest.raises(wxpay.TransportError) as e:
        untrusted.query_order("py-mtls-01")
    assert "TLS handshake failed" in str(e.value)
    bare = wxpay.Client(**{**options, "cert": None})
    with pytest.raises(wxpay.ConfigError):
        bare.refund(out_trade_no="py-mtls-01", out_refund_no="py-mtls-01-s", total_fee=700, refund_fee=100)
    with pytest.raises(wxpay.ConfigError):
        wxpay.Client(**{**options, "ca_pem": "not a certificate"})
    assert [r["out_refund_no"] for r in sim.order("py-mtls-01")["refunds"]] == ["py-mtls-01-r"]


def test_clients_sharing_token_dir_fetch_one_token(sim: Sim, tmp_path: Any) -> None:
    """A client per request (or per worker process) still fetches one token and one ticket."""
    tickets = {make_client(sim, token_dir=str(tmp_path)).jsapi_ticket() for _ in range(4)}
    assert len(tickets) == 1
    assert sim.stats()["token_fetches"] == 1 and sim.stats()["ticket_fetches"] == 1
    with pytest.raises(TypeError):
        make_client(sim, token_dir=str(tmp_path), token_store={})


class _Store:
    def get(self, key: str) -> None:
        return None

    def set(self, key: str, value: str, ttl: int) -> None:
        pass


def test_a_store_beside_token_dir_is_refused_as_every_language_refuses_it(sim: Sim, tmp_path: Any) -> None:
    with pytest.raises(wxpay.ConfigError) as e:
        make_client(sim, token_dir=str(tmp_path), token_store=_Store())
    assert str(e.value) == "configuration error: give token_store or token_dir, not both"


def test_every_operation_is_a_method_as_the_table_spells_it() -> None:
    """tests/vectors/operations.json: the core's name is the Python method's."""
    table = json.loads((VECTORS / "operations.json").read_text())["cases"]
    assert len(table) >= 25
    assert [op["name"] for op in table] == [name for name, _ in _wxpay._operations()]
    for op in table:
        assert callable(getattr(wxpay.Client, op["name"], None)), op["name"]
        if op["io"]:
            assert callable(getattr(wxpay.AsyncClient, op["name"], None)), op["name"]


def test_oauth_state_is_bound_to_the_session(sim: Sim, client: wxpay.Client) -> None:
    state = client.oauth_state("django-session-1")
    code, returned = follow_authorize(client.oauth_authorize_url("https://shop.example/cb", state=state))
    assert returned == state and code
    assert client.check_oauth_state(returned, "django-session-1") is None
    for bad_state, context in [(returned, "django-session-2"), (returned[:-1] + ("0" if returned[-1] != "0" else "1"),
                                                                 "django-session-1"), ("", "django-session-1")]:
        with pytest.raises(wxpay.InvalidInputError):
            client.check_oauth_state(bad_state, context)
    with pytest.raises(wxpay.InvalidInputError):
        client.oauth_state("")


def test_a_store_that_must_answer_and_a_cache_that_is_not_shared(sim: Sim, caplog: Any) -> None:
    class Broken:
        def get(self, key: str) -> Optional[str]:
            raise RuntimeError("down")

        def set(self, key: str, value: str, ttl: int) -> None:
            raise RuntimeError("down")

    strict = make_client(sim, token_store=Broken(), token_store_required=True)
    with pytest.raises(wxpay.CacheError):
        strict.access_token()
    assert sim.stats()["token_fetches"] == 0, "nothing fetched that the workers could not share"

    # A per-process cache handed over as the store: said at once, through logging.
    LocMemCache = type("LocMemCache", (), {"__module__": "django.core.cache.backends.locmem",
                                           "get": lambda self, k: None, "set": lambda self, k, v, t: None})
    caplog.set_level(logging.WARNING, logger="wxpay")
    make_client(sim, token_store=LocMemCache())
    warned = [r for r in caplog.records if getattr(r, "wxpay_event", None) == "token_store_not_shared"]
    assert len(warned) == 1 and "each process keeps for itself" in warned[0].getMessage()
    caplog.clear()
    make_client(sim, token_store=Broken())
    assert not [r for r in caplog.records if getattr(r, "wxpay_event", None) == "token_store_not_shared"]


def test_metrics_count_the_calls_and_what_reached_wechat(sim: Sim) -> None:
    c = make_client(sim)
    assert c.metrics()["operations"] == [] and c.metrics()["requests"] == 0
    c.access_token()
    c.access_token()
    with pytest.raises(wxpay.InvalidInputError):
        c.check_oauth_state("forged-state", "session-1")
    m = c.metrics()
    ops = {o["operation"]: o for o in m["operations"]}
    assert ops["access_token"]["calls"] == 2 and ops["access_token"]["outcomes"] == {"ok": 2}
    assert ops["check_oauth_state"]["outcomes"] == {"InvalidInput": 1}
    assert (m["requests"], m["token_fetches"], m["retries"], m["failovers"]) == (1, 1, 0, 0)
    assert m["requests"] == sim.stats()["token_fetches"], "one request is the one token fetch the simulator saw"
    text = c.metrics_prometheus()
    assert f'wxpay_calls_total{{mch_id="{MCH_ID}",operation="access_token",outcome="ok"}} 2' in text
    assert f'wxpay_token_fetches_total{{mch_id="{MCH_ID}"}} 1' in text


def test_events_follow_the_wxpay_logger_level(sim: Sim, client: wxpay.Client, caplog: Any) -> None:
    """At INFO no call lines are built; with the wxpay logger at DEBUG each
    call to WeChat is one `call` record with its outcome and WeChat's code;
    a refused notification is a warning with its reason; nothing secret."""
    def events(name: str) -> list:
        return [r for r in caplog.records if getattr(r, "wxpay_event", None) == name]

    caplog.set_level(logging.INFO, logger="wxpay")
    with pytest.raises(wxpay.BusinessError):
        client.query_order(out_trade_no="py-events-none")
    assert events("call") == []
    caplog.set_level(logging.DEBUG, logger="wxpay")
    with pytest.raises(wxpay.BusinessError):
        client.query_order(out_trade_no="py-events-none")
    (call,) = events("call")
    assert call.levelno == logging.DEBUG
    assert call.wxpay_fields["operation"] == "query_order"  # type: ignore[attr-defined]
    assert call.wxpay_fields["outcome"] == "Business"  # type: ignore[attr-defined]
    assert call.wxpay_fields["err_code"] == "ORDERNOTEXIST"  # type: ignore[attr-defined]
    assert any(r.wxpay_fields["call"] == "pay/orderquery" for r in events("attempt"))  # type: ignore[attr-defined]
    decision = client.handle_payment_notify(b"<xml><return_code>SUCCESS</return_code></xml>", lambda n: None)
    assert decision["status"] == "refused"
    (refused,) = events("notify_refused")
    assert refused.levelno == logging.WARNING
    assert refused.wxpay_fields["notification"] == "payment"  # type: ignore[attr-defined]
    text = " ".join(f"{r.getMessage()} {getattr(r, 'wxpay_fields', '')}" for r in caplog.records)
    assert API_KEY not in text and APP_SECRET not in text
    caplog.clear()
    caplog.set_level(logging.INFO, logger="wxpay")
    with pytest.raises(wxpay.BusinessError):
        client.query_order(out_trade_no="py-events-none")
    assert events("call") == [] and events("attempt") == []


def test_log_bodies_shows_redacted_bodies_at_debug(sim: Sim, caplog: Any) -> None:
    """With log_bodies the wxpay logger at DEBUG gets each exchange's
    request and reply, the order's numbers shown and signatures and tokens
    hidden; without it, no body record."""
    caplog.set_level(logging.DEBUG, logger="wxpay")
    quiet = make_client(sim)
    with pytest.raises(wxpay.BusinessError):
        quiet.query_order(out_trade_no="py-bodies-none")
    assert [r for r in caplog.records if getattr(r, "wxpay_event", None) == "body"] == []
    client = make_client(sim, log_bodies=True)
    with pytest.raises(wxpay.BusinessError):
        client.query_order(out_trade_no="py-bodies-none")
    client.jssdk_config(url="https://shop.example/p", js_api_list=[])
    bodies = [r for r in caplog.records if getattr(r, "wxpay_event", None) == "body"]
    query = next(r for r in bodies if r.wxpay_fields["call"] == "pay/orderquery")  # type: ignore[attr-defined]
    assert "py-bodies-none" in query.getMessage() and "ORDERNOTEXIST" in query.getMessage()
    assert "***" in query.getMessage()
    token = next(r for r in bodies if "access_token" in r.getMessage())
    assert '"access_token":"***"' in token.getMessage()
    text = " ".join(r.getMessage() for r in bodies)
    assert API_KEY not in text and APP_SECRET not in text
    assert not re.search(r"[0-9A-F]{32}", text), "a signature was logged"
