"""Every file in tests/vectors/, through the Python API."""

import base64
import contextlib
from typing import Any, Dict, List

import pytest

import wxpay

from conftest import VECTORS, Canned, load_vectors

KIND_TO_CLASS = {
    "Config": wxpay.ConfigError,
    "InvalidInput": wxpay.InvalidInputError,
    "Xml": wxpay.XmlError,
    "Signature": wxpay.SignatureError,
    "Mismatch": wxpay.MismatchError,
    "Protocol": wxpay.ProtocolError,
    "Business": wxpay.BusinessError,
    "MpApi": wxpay.MpApiError,
    "Transport": wxpay.TransportError,
}


def ids(cases: List[Dict[str, Any]]) -> List[str]:
    return [str(c["name"]) for c in cases]


def data(case: Dict[str, Any], key: str) -> bytes:
    if f"{key}_base64" in case:
        return base64.b64decode(case[f"{key}_base64"])
    return str(case[key]).encode()


def expect_error(excinfo: "pytest.ExceptionInfo[wxpay.WxPayError]", want: Dict[str, Any]) -> None:
    err = excinfo.value
    assert isinstance(err, KIND_TO_CLASS[want["kind"]]), repr(err)
    assert err.kind == want["kind"]
    if "reason" in want:
        assert err.reason == want["reason"]
    if "err_code" in want:
        assert err.err_code == want["err_code"]
    if "retryable" in want:
        assert err.retryable == want["retryable"]


def test_every_vector_file_is_exercised() -> None:
    names = sorted(p.name for p in VECTORS.glob("*.json"))
    covered = {"sign.json", "verify.json", "xml.json", "xml_roundtrip.json", "jssdk.json", "pay_params.json",
               "notify.json", "refund_notify.json", "oauth.json", "replies.json", "bill.json", "fund_flow.json", "native.json",
               "counter.json", "operations.json", "mini_program.json", "reconcile.json",
               "profit_sharing.json"}
    assert set(names) == covered, "a new vector file needs a Python test"


SIGN = load_vectors("sign.json")


@pytest.mark.parametrize("case", SIGN, ids=ids(SIGN))
def test_sign(case: Dict[str, Any]) -> None:
    call = lambda: wxpay.sign(case["params"], case["key"], case["sign_type"])  # noqa: E731
    if "ok" in case["expect"]:
        assert call() == case["expect"]["ok"]
    else:
        with pytest.raises(wxpay.WxPayError) as e:
            call()
        expect_error(e, case["expect"]["error"])


VERIFY = load_vectors("verify.json")


@pytest.mark.parametrize("case", VERIFY, ids=ids(VERIFY))
def test_verify(case: Dict[str, Any]) -> None:
    valid = wxpay.verify(case["params"], case["key"], case["sign_type"])
    assert valid == ("ok" in case["expect"])


XML = load_vectors("xml.json")


@pytest.mark.parametrize("case", XML, ids=ids(XML))
def test_from_xml(case: Dict[str, Any]) -> None:
    raw = data(case, "input")
    if "ok" in case["expect"]:
        assert wxpay.from_xml(raw) == case["expect"]["ok"]
        if "input" in case:
            assert wxpay.from_xml(case["input"]) == case["expect"]["ok"], "str and bytes agree"
    else:
        with pytest.raises(wxpay.WxPayError) as e:
            wxpay.from_xml(raw)
        expect_error(e, case["expect"]["error"])


ROUND = load_vectors("xml_roundtrip.json")


@pytest.mark.parametrize("case", ROUND, ids=ids(ROUND))
def test_xml_round_trip(case: Dict[str, Any]) -> None:
    if "expect" in case:
        with pytest.raises(wxpay.WxPayError) as e:
            wxpay.to_xml(case["fields"])
        expect_error(e, case["expect"]["error"])
    else:
        assert wxpay.from_xml(wxpay.to_xml(case["fields"])) == case["fields"]


JSSDK = load_vectors("jssdk.json")


@pytest.mark.parametrize("case", JSSDK, ids=ids(JSSDK))
def test_jssdk_signature(case: Dict[str, Any]) -> None:
    call = lambda: wxpay.jssdk_signature(case["jsapi_ticket"], case["noncestr"], case["timestamp"], case["url"])  # noqa: E731
    if "ok" in case["expect"]:
        assert call() == case["expect"]["ok"]
    else:
        with pytest.raises(wxpay.WxPayError) as e:
            call()
        expect_error(e, case["expect"]["error"])


def client_for(merchant: Dict[str, str], **extra: Any) -> wxpay.Client:
    return wxpay.Client(
        appid=merchant["appid"], mch_id=merchant["mch_id"], api_key=merchant["api_key"],
        sign_type=merchant["sign_type"], **extra,
    )


PAY = load_vectors("pay_params.json")


@pytest.mark.parametrize("case", PAY, ids=ids(PAY))
def test_pay_params(case: Dict[str, Any]) -> None:
    """The binding adds its own time and nonce, so the shape and the
    signature are checked rather than the fixed vector values."""
    c = client_for(case["merchant"])
    method = {"bridge": c.jsapi_params, "jssdk": c.jssdk_pay_params, "app": c.app_pay_params}[case["shape"]]
    if "error" in case["expect"]:
        with pytest.raises(wxpay.WxPayError) as e:
            method(case["prepay_id"])
        expect_error(e, case["expect"]["error"])
        return
    got = method(case["prepay_id"])
    want = case["expect"]["ok"]
    assert set(got) == set(want)
    key, st = case["merchant"]["api_key"], case["merchant"]["sign_type"]
    if case["shape"] == "app":
        assert got["package"] == "Sign=WXPay" and got["prepayid"] == case["prepay_id"]
        fields = {k: v for k, v in got.items() if k != "sign"}
        assert wxpay.sign(fields, key, st) == got["sign"]
    else:
        assert got["package"] == f"prepay_id={case['prepay_id']}"
        assert got["signType"] == st
        ts = got.get("timeStamp", got.get("timestamp"))
        fields = {"appId": case["merchant"]["appid"], "timeStamp": ts, "nonceStr": got["nonceStr"],
                  "package": got["package"], "signType": got["signType"]}
        assert wxpay.sign(fields, key, st) == got["paySign"]


NOTIFY = load_vectors("notify.json")


@pytest.mark.parametrize("case", NOTIFY, ids=ids(NOTIFY))
def test_payment_notify(case: Dict[str, Any]) -> None:
    c = client_for(case["merchant"])
    body = data(case, "body")
    if "error" in case["expect"]:
        with pytest.raises(wxpay.WxPayError) as e:
            c.verify_payment_notify(body)
        expect_error(e, case["expect"]["error"])
        return
    n = c.verify_payment_notify(body)
    ok = case["expect"]["ok"]
    assert n["paid"] == ok["paid"]
    assert n["out_trade_no"] == ok["out_trade_no"]
    assert n["transaction_id"] == ok["transaction_id"]
    assert n["total_fee"] == ok["total_fee"]
    assert n["raw"] == wxpay.from_xml(body)
    if "expected_total_fee" in case:
        if "ok" in case["amount_expect"]:
            c.verify_payment_notify(body, total_fee=case["expected_total_fee"])
        else:
            with pytest.raises(wxpay.WxPayError) as e:
                c.verify_payment_notify(body, total_fee=case["expected_total_fee"])
            expect_error(e, case["amount_expect"]["error"])


REFUND = load_vectors("refund_notify.json")


@pytest.mark.parametrize("case", REFUND, ids=ids(REFUND))
def test_refund_notify(case: Dict[str, Any]) -> None:
    def call() -> Dict[str, str]:
        if "req_info" in case:
            return wxpay.decrypt_req_info(case["req_info"], case["api_key"])
        info: Dict[str, str] = client_for(case["merchant"]).parse_refund_notify(case["body"])["info"]
        return info

    if "ok" in case["expect"]:
        assert call() == case["expect"]["ok"]
    else:
        with pytest.raises(wxpay.WxPayError) as e:
            call()
        expect_error(e, case["expect"]["error"])


OAUTH = load_vectors("oauth.json")


@pytest.mark.parametrize("case", OAUTH, ids=ids(OAUTH))
def test_oauth_url(case: Dict[str, Any]) -> None:
    c = wxpay.Client(appid=case["appid"], mch_id="10000100", api_key="192006250b4c09247ec02edce69f6a2d",
                     open_base_url=case["base_url"])
    call = lambda: c.oauth_authorize_url(case["redirect_uri"], case["scope"], case["state"])  # noqa: E731
    if "ok" in case["expect"]:
        assert call() == case["expect"]["ok"]
    else:
        with pytest.raises(wxpay.WxPayError) as e:
            call()
        expect_error(e, case["expect"]["error"])


REPLIES = load_vectors("replies.json")


def run_reply(c: wxpay.Client, case: Dict[str, Any]) -> Dict[str, Any]:
    req = case["request"]
    api = case["api"]
    # The sub-merchant a provider calls for, when the vector names one.
    sub: Dict[str, Any] = {k: req[k] for k in ("sub_mch_id", "sub_appid") if k in req}
    if api == "unifiedorder":
        extra: Dict[str, Any] = {"product_id": "p1"} if req["trade_type"] == "NATIVE" else {}
        return c.unified_order(body="shop", out_trade_no=req["out_trade_no"], total_fee=10000,
                               spbill_create_ip="127.0.0.1", notify_url="https://shop.example/notify",
                               openid="openid", trade_type=req["trade_type"], **extra, **sub)
    if api == "orderquery":
        return c.query_order(req["out_trade_no"], **sub)
    if api == "closeorder":
        return c.close_order(req["out_trade_no"], **sub)
    if api == "refundquery":
        return c.query_refund(out_trade_no=req["out_trade_no"], **sub)
    if api == "refund":
        return c.refund(out_trade_no=req["out_trade_no"], out_refund_no=req["out_refund_no"],
                        total_fee=req["total_fee"], refund_fee=req["refund_fee"], **sub)
    if api == "micropay":
        return dict(c.micropay(body="counter", out_trade_no=req["out_trade_no"], total_fee=req["total_fee"],
                               spbill_create_ip="127.0.0.1", auth_code=req["auth_code"], **sub))
    if api == "authcodetoopenid":
        return {"openid": c.auth_code_to_openid(req["auth_code"], **sub)}
    raise AssertionError(api)


def project(api: str, got: Dict[str, Any], want: Dict[str, Any]) -> Dict[str, Any]:
    """The fields a vector names, in the vector's shape."""
    out: Dict[str, Any] = {}
    for k in want:
        if api == "refundquery" and k == "refunds":
            out[k] = [{"out_refund_no": r["out_refund_no"], "refund_fee": r["refund_fee"],
                       "refund_status": r["refund_status"], "coupons": len(r["coupons"])} for r in got["refunds"]]
        elif k == "coupons":
            out[k] = [{"id": c["id"], "fee": c["fee"], "coupon_type": c["coupon_type"]} for c in got["coupons"]]
        else:
            out[k] = got[k]
    return out


@pytest.mark.parametrize("case", REPLIES, ids=ids(REPLIES))
def test_replies(case: Dict[str, Any], canned: Canned) -> None:
    canned.body = case["body"].encode()
    c = client_for(case["merchant"], base_url=canned.url, retries=0)
    if "ok" in case["expect"]:
        want = case["expect"]["ok"]
        assert project(case["api"], run_reply(c, case), want) == want
    else:
        with pytest.raises(wxpay.WxPayError) as e:
            run_reply(c, case)
        expect_error(e, case["expect"]["error"])


BILLS = load_vectors("bill.json")


@pytest.mark.parametrize("case", BILLS, ids=ids(BILLS))
def test_bills(case: Dict[str, Any], canned: Canned) -> None:
    canned.body = data(case, "body")
    c = wxpay.Client(appid="wxd930ea5d5a258f4f", mch_id="10000100", api_key="192006250b4c09247ec02edce69f6a2d",
                     base_url=canned.url, retries=0)
    if "error" in case["expect"]:
        with pytest.raises(wxpay.WxPayError) as e:
            c.download_bill("20240102")
        expect_error(e, case["expect"]["error"])
        return
    bill = c.download_bill("20240102")
    ok = case["expect"]["ok"]
    assert bill["no_bill"] == ok["no_bill"]
    assert len(bill["columns"]) == ok["columns"]
    assert len(bill["rows"]) == ok["rows"]
    if "first_row" in ok:
        assert bill["rows"][0] == ok["first_row"]
    assert bill["summary"] == ok["summary"]


FUND_FLOWS = load_vectors("fund_flow.json")


@pytest.mark.parametrize("case", FUND_FLOWS, ids=ids(FUND_FLOWS))
def test_fund_flows(case: Dict[str, Any], canned: Canned) -> None:
    canned.body = data(case, "body")
    c = wxpay.Client(appid="wxd930ea5d5a258f4f", mch_id="10000100", api_key="192006250b4c09247ec02edce69f6a2d",
                     base_url=canned.url, retries=0)
    if "error" in case["expect"]:
        with pytest.raises(wxpay.WxPayError) as e:
            c.download_fund_flow("20180201")
        expect_error(e, case["expect"]["error"])
        return
    flow = c.download_fund_flow("20180201")
    ok = case["expect"]["ok"]
    assert flow["no_bill"] == ok["no_bill"]
    assert len(flow["columns"]) == ok["columns"]
    assert len(flow["rows"]) == ok["rows"]
    if "first_row" in ok:
        assert flow["rows"][0] == ok["first_row"]
    assert flow["totals"] == ok["totals"]


NATIVE = load_vectors("native.json")


def native_reply_matches(xml: str, merchant: Dict[str, str], want: Dict[str, str]) -> None:
    """The binding draws its own nonce: every other field as the vector
    says, and an MD5 signature with the merchant's key."""
    got = wxpay.from_xml(xml)
    assert wxpay.verify(got, merchant["api_key"], "MD5")
    skip = {"nonce_str", "sign"}
    assert {k: v for k, v in got.items() if k not in skip} == {k: v for k, v in want.items() if k not in skip}


@pytest.mark.parametrize("case", NATIVE, ids=ids(NATIVE))
def test_native(case: Dict[str, Any]) -> None:
    m = case["merchant"]
    c = client_for(m)
    call = {
        "qr_link": lambda: c.native_qr_link(case["product_id"]),
        "scan_callback": lambda: c.verify_scan_callback(data(case, "body")),
        "scan_reply": lambda: c.native_scan_reply(case["prepay_id"]),
        "scan_refusal": lambda: c.native_scan_refusal(case["message"]),
    }[case["kind"]]
    if "error" in case["expect"]:
        with pytest.raises(wxpay.WxPayError) as e:
            call()
        expect_error(e, case["expect"]["error"])
        return
    ok = case["expect"]["ok"]
    got = call()
    if case["kind"] == "qr_link":
        prefix = "weixin://wxpay/bizpayurl?"
        assert got.startswith(prefix)
        params = dict(pair.split("=", 1) for pair in got[len(prefix):].split("&"))
        want = dict(pair.split("=", 1) for pair in ok[len(prefix):].split("&"))
        assert sorted(params) == sorted(want)
        for k in ("appid", "mch_id", "product_id"):
            assert params[k] == want[k]
        assert wxpay.verify(params, m["api_key"], "MD5")
        assert not wxpay.verify(params, m["api_key"], "HMAC-SHA256")
    elif case["kind"] == "scan_callback":
        assert {k: got[k] for k in ("openid", "product_id", "is_subscribe")} == ok
    else:
        native_reply_matches(got, m, ok)


RECONCILE = load_vectors("reconcile.json")


def reconcile_streaming(c: "wxpay.Client", case: Dict[str, Any], csv: bool) -> Any:
    """The day fed in pieces: the bill 7 bytes at a time, the records two by two (or the CSV in 5-byte pieces),
    with a memory budget of 1 MiB; the reconciliation is closed whatever happens."""
    rid = c.reconcile_start(memory_mib=1, list_limit=1000)
    try:
        bill = data(case, "bill")
        for i in range(0, len(bill), 7):
            c.reconcile_bill(bill[i:i + 7], rid)
        if csv:
            text = case["shop_csv"].encode()
            for i in range(0, len(text), 5):
                c.reconcile_shop_csv(text[i:i + 5], rid)
        else:
            records = case["records"]
            for i in range(0, len(records), 2):
                c.reconcile_shop(rid, records[i:i + 2])
    except (wxpay.WxPayError, TypeError):
        # A refused batch changed nothing, so the rest may still reconcile; close it either way.
        with contextlib.suppress(wxpay.WxPayError):
            c.reconcile_finish(rid)
        raise
    return c.reconcile_finish(rid)


@pytest.mark.parametrize("case", RECONCILE, ids=ids(RECONCILE))
def test_reconcile(case: Dict[str, Any]) -> None:
    c = wxpay.Client(appid="wxd930ea5d5a258f4f", mch_id="10000100", api_key="192006250b4c09247ec02edce69f6a2d")
    runs = [lambda: c.reconcile(data(case, "bill"), case["records"]),
            lambda: reconcile_streaming(c, case, csv=False)]
    if "shop_csv" in case:
        runs.append(lambda: reconcile_streaming(c, case, csv=True))
    for run in runs:
        if "error" in case["expect"]:
            # A record of the wrong shape is a TypeError, as for any Python call (wxpay/errors.py).
            with pytest.raises((wxpay.WxPayError, TypeError)) as e:
                run()
            if isinstance(e.value, wxpay.WxPayError):
                expect_error(e, case["expect"]["error"])  # type: ignore[arg-type]
            else:
                assert case["expect"]["error"]["kind"] == "InvalidInput"
        else:
            assert run() == case["expect"]["ok"]
    # Every reconciliation above was closed: a finished id is unknown, and
    # the client has room for all 16 it may hold open.
    with pytest.raises(wxpay.InvalidInputError):
        c.reconcile_finish("reconciliation-1")
    opened = [c.reconcile_start() for _ in range(16)]
    with pytest.raises(wxpay.InvalidInputError):
        c.reconcile_start()
    for rid in opened:
        with pytest.raises(wxpay.InvalidInputError):  # no bill was given
            c.reconcile_finish(rid)
