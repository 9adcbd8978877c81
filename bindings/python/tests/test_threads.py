"""The GIL is released while WeChat answers, and one client serves many
threads."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import wxpay

from conftest import OPENID, Sim, make_client


def test_a_slow_call_does_not_block_other_threads(sim: Sim) -> None:
    client = make_client(sim)
    client.unified_order(body="b", out_trade_no="py-gil-0001", total_fee=1, spbill_create_ip="127.0.0.1",
                         openid=OPENID, notify_url="http://127.0.0.1:9/n")
    sim.fault("/pay/orderquery", "delay", delay_ms=2000)
    result: dict = {}

    def slow() -> None:
        result["reply"] = client.query_order("py-gil-0001")

    worker = threading.Thread(target=slow)
    started = time.monotonic()
    worker.start()
    ticks = 0
    while worker.is_alive():
        ticks += 1  # pure Python work: only runs if the GIL is free
        time.sleep(0.001)
    elapsed = time.monotonic() - started
    assert elapsed >= 1.9, elapsed
    assert ticks > 200, f"the main thread ran only {ticks} times in {elapsed:.1f}s"
    assert result["reply"]["trade_state"] == "NOTPAY"


def test_one_client_many_threads_one_token(sim: Sim) -> None:
    client = make_client(sim)
    with ThreadPoolExecutor(max_workers=32) as pool:
        configs = list(pool.map(lambda i: client.jssdk_config(f"https://shop.example/{i}", ["chooseWXPay"]),
                                range(64)))
    assert len({c["signature"] for c in configs}) > 1
    stats = sim.stats()
    assert stats["token_fetches"] == 1 and stats["ticket_fetches"] == 1
    with ThreadPoolExecutor(max_workers=8) as pool:
        orders = list(pool.map(
            lambda i: client.unified_order(body="b", out_trade_no=f"py-threads-{i:03}", total_fee=1,
                                           spbill_create_ip="127.0.0.1", openid=OPENID,
                                           notify_url="http://127.0.0.1:9/n")["prepay_id"],
            range(40)))
    assert len(set(orders)) == 40
    assert isinstance(wxpay.notify_ack(), str)
