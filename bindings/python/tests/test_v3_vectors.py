"""tests/vectors/v3/ through wxpay.ClientV3: the notify handler's security
fixtures (probe, stale, unknown serial, re-serialised body, wrong key,
replay) and the notifications, each verified by parse_notification at the
case's time, with the headers as a web framework hands them over."""

import json
import pathlib
from typing import Any, Dict, List

import pytest

import wxpay

V3 = pathlib.Path(__file__).resolve().parents[3] / "tests" / "vectors" / "v3"
KEYS = V3 / "keys"
# Files the bindings run through their client (the others are the engine's
# own contract, run by core/tests/v3_vectors.rs).
CLIENT_FILES = {"security.json", "notifications.json", "dispatch.json", "operations.json"}  # operations: test_stubs.py
ENGINE_FILES = {"signing.json", "verify.json", "aead.json", "pay_params.json", "certificates.json", "answers.json",
                "transactions.json", "bills.json", "oaep.json", "refunds.json", "paths.json"}
HEADERS = {"timestamp": "Wechatpay-Timestamp", "nonce": "Wechatpay-Nonce", "signature": "Wechatpay-Signature",
           "serial": "Wechatpay-Serial"}
KINDS = {"Config": wxpay.ConfigError, "Signature": wxpay.SignatureError, "Protocol": wxpay.ProtocolError}


def load(name: str) -> List[Dict[str, Any]]:
    cases: List[Dict[str, Any]] = json.loads((V3 / name).read_text(encoding="utf-8"))["cases"]
    return cases


def client_for(case: Dict[str, Any]) -> wxpay.ClientV3:
    options: Dict[str, Any] = {
        "mchid": "1900009191", "appid": "wxd930ea5d5a258f4f", "private_key_path": str(KEYS / "merchant_key.pem"),
        "merchant_serial": "1D3C5A7E9F0B2D4F6A8C0E1F3A5C7E9B1D3F5A70", "apiv3_key": case["apiv3_key"],
        "auto_certificates": False, "base_url": "http://127.0.0.1:9", "platform_certificates": []}
    for key in case["keys"]:
        if "certificate" in key:
            options["platform_certificates"].append((KEYS / key["certificate"]).read_bytes())
        else:
            options["public_key"] = (KEYS / key["public_key"]).read_bytes()
            options["public_key_id"] = key["id"]
    return wxpay.ClientV3(**options)


def run(case: Dict[str, Any]) -> None:
    headers = {HEADERS[k]: v for k, v in case["headers"].items() if v}
    expect = case["expect"]
    if "ok" in expect:
        got = client_for(case).parse_notification(headers, case["body"].encode(), now=case["now"])
        for k, v in expect["ok"].items():
            assert got[k] == v, (case["name"], k)
        return
    with pytest.raises(wxpay.WxPayError) as e:
        client_for(case).parse_notification(headers, case["body"].encode(), now=case["now"])
    want = expect["error"]
    assert isinstance(e.value, KINDS[want["kind"]]), (case["name"], repr(e.value))
    assert e.value.kind == want["kind"], case["name"]
    if "reason" in want:
        assert e.value.reason == want["reason"], case["name"]


def test_every_v3_vector_file_is_run() -> None:
    names = {p.name for p in V3.glob("*.json")}
    assert names == CLIENT_FILES | ENGINE_FILES, "a new v3 vector file: run it here or name it an engine file"


SECURITY = load("security.json")


def test_the_fixtures_cover_every_attack() -> None:
    attacks = {c["attack"] for c in SECURITY}
    assert {"probe", "stale", "unknown serial", "re-serialised body", "wrong key", "replay"} <= attacks


@pytest.mark.parametrize("case", SECURITY, ids=[c["name"] for c in SECURITY])
def test_security_fixture(case: Dict[str, Any]) -> None:
    run(case)


NOTIFICATIONS = load("notifications.json")


@pytest.mark.parametrize("case", NOTIFICATIONS, ids=[c["name"] for c in NOTIFICATIONS])
def test_notification(case: Dict[str, Any]) -> None:
    run(case)


def test_the_clock_judges_without_now() -> None:
    """A recorded notification is stale by the clock: `now` is what lets a
    test replay it, and only parse_notification takes it."""
    case = SECURITY[0]
    headers = {HEADERS[k]: v for k, v in case["headers"].items()}
    client = client_for(case)
    with pytest.raises(wxpay.SignatureError) as e:
        client.parse_notification(headers, case["body"].encode())
    assert e.value.reason == "Stale"
    with pytest.raises(TypeError, match="now"):  # Python's way for an argument of the wrong type
        client.parse_notification(headers, case["body"].encode(), now="soon")
