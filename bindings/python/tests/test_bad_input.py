"""Wrong types and bad values give clear errors, never a crash."""

from typing import Any, Callable, Dict, Tuple

import pytest

import wxpay

from conftest import API_KEY, APP_SECRET

APPID = "wxd930ea5d5a258f4f"


def client(**extra: Any) -> wxpay.Client:
    return wxpay.Client(appid=APPID, mch_id="10000100", api_key=API_KEY, app_secret=APP_SECRET,
                        base_url="http://127.0.0.1:9", **extra)


ORDER = dict(body="b", out_trade_no="order-0001", spbill_create_ip="127.0.0.1", openid="o",
             notify_url="https://shop.example/n")


@pytest.mark.parametrize("fee", [1.0, "1", True, False, None, [1]])
def test_amounts_must_be_int(fee: Any) -> None:
    with pytest.raises(TypeError, match="total_fee"):
        client().unified_order(total_fee=fee, **ORDER)


@pytest.mark.parametrize("fee", [-1, 2**64, 0])
def test_amounts_must_be_positive_and_fit(fee: int) -> None:
    with pytest.raises(wxpay.InvalidInputError) as e:
        client().unified_order(total_fee=fee, **ORDER)
    assert e.value.field == "total_fee"
    assert isinstance(e.value, ValueError), "InvalidInputError is also a ValueError"


@pytest.mark.parametrize("name", ["body", "out_trade_no", "spbill_create_ip"])
def test_none_for_required_strings_is_a_type_error(name: str) -> None:
    order = dict(ORDER, total_fee=1)
    order[name] = None
    with pytest.raises(TypeError):
        client().unified_order(**order)


def test_invalid_values_are_refused_before_sending() -> None:
    c = client()
    for field, value in [("out_trade_no", "x" * 33), ("out_trade_no", "bad#no"), ("body", "x" * 128),
                         ("body", "emoji 😀"), ("spbill_create_ip", "localhost")]:
        with pytest.raises(wxpay.InvalidInputError) as e:
            c.unified_order(**dict(ORDER, total_fee=1, **{field: value}))
        assert e.value.field == field
    with pytest.raises(wxpay.InvalidInputError):
        c.unified_order(total_fee=1, time_expire="tomorrow", **ORDER)
    with pytest.raises(TypeError):
        c.unified_order(total_fee=1, attach=5.5, **ORDER)  # type: ignore[arg-type]
    with pytest.raises(wxpay.InvalidInputError):
        c.query_order()
    with pytest.raises(wxpay.InvalidInputError):
        c.query_order("order-0001", transaction_id="4200")


def test_sign_argument_types() -> None:
    with pytest.raises(TypeError):
        wxpay.sign(None, API_KEY)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        wxpay.sign({1: "a"}, API_KEY)  # type: ignore[dict-item]
    with pytest.raises(TypeError):
        wxpay.sign({"a": None}, API_KEY)  # type: ignore[dict-item]
    with pytest.raises(TypeError):
        wxpay.sign({"a": 1.5}, API_KEY)  # type: ignore[dict-item]
    with pytest.raises(TypeError):
        wxpay.sign({"a": True}, API_KEY)  # type: ignore[dict-item]
    assert wxpay.sign({"total_fee": 1}, API_KEY) == wxpay.sign({"total_fee": "1"}, API_KEY)
    with pytest.raises(wxpay.InvalidInputError):
        wxpay.sign({"a": "1"}, API_KEY, "md5")
    with pytest.raises(wxpay.ConfigError):
        wxpay.sign({"a": "1"}, "short")
    with pytest.raises(TypeError):
        wxpay.jssdk_signature("t", "n", 1.5, "https://x/")  # type: ignore[arg-type]


def test_bodies_as_bytes_bytearray_memoryview_and_str_agree() -> None:
    xml = "<xml><a><![CDATA[中]]></a></xml>"
    results = [wxpay.from_xml(x) for x in (xml, xml.encode(), bytearray(xml.encode()), memoryview(xml.encode()))]
    assert all(r == {"a": "中"} for r in results)
    # \udcff is the byte 0xFF decoded with surrogateescape: not UTF-8.
    with pytest.raises(wxpay.XmlError) as e:
        wxpay.from_xml("<xml><a>\udcff</a></xml>")
    assert e.value.reason == "Encoding"
    with pytest.raises(TypeError):
        wxpay.from_xml(123)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        client().verify_payment_notify(None)  # type: ignore[arg-type]


def test_configuration_errors() -> None:
    with pytest.raises(wxpay.ConfigError, match="32 bytes"):
        wxpay.Client(appid=APPID, mch_id="10000100", api_key="short")
    with pytest.raises(TypeError):
        wxpay.Client(appid=APPID, mch_id="10000100", api_key=API_KEY, timeout="5")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        wxpay.Client(appid=APPID, mch_id="10000100", api_key=API_KEY, tiemout=5)  # type: ignore[call-arg]
    with pytest.raises(wxpay.ConfigError):
        wxpay.Client(appid=APPID, mch_id="10000100", api_key=API_KEY, sign_type="SHA1")
    with pytest.raises(wxpay.ConfigError):
        wxpay.Client(appid=APPID, mch_id="10000100", api_key=API_KEY, cert=b"not a p12")
    with pytest.raises(TypeError):
        wxpay.Client(appid=APPID, mch_id="10000100", api_key=API_KEY, cert=("only one",))  # type: ignore[arg-type]


def test_secrets_stay_out_of_repr_and_errors() -> None:
    c = client()
    assert API_KEY not in repr(c) and APP_SECRET not in repr(c)
    assert c.appid == APPID
    with pytest.raises(wxpay.WxPayError) as e:
        wxpay.Client(appid=APPID, mch_id="10000100", api_key=API_KEY + "x")
    assert API_KEY not in str(e.value)


def test_exception_hierarchy() -> None:
    for cls in (wxpay.ConfigError, wxpay.InvalidInputError, wxpay.XmlError, wxpay.SignatureError,
                wxpay.MismatchError, wxpay.ProtocolError, wxpay.BusinessError, wxpay.MpApiError,
                wxpay.TransportError, wxpay.CacheError):
        assert issubclass(cls, wxpay.WxPayError) and issubclass(cls, Exception)
    with pytest.raises(wxpay.XmlError) as e:
        wxpay.from_xml(b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><xml><a>&e;</a></xml>")
    assert e.value.reason == "Doctype" and e.value.code == "WXPAY_XML" and not e.value.retryable


def test_transport_failure_when_nothing_listens() -> None:
    with pytest.raises(wxpay.TransportError) as e:
        client(retries=0, connect_timeout=1).query_order("order-0001")
    assert "not sent" in str(e.value)


def test_default_sign_type_is_the_cores_hmac_sha256() -> None:
    params = {"test1": "test1", "test2": "test2"}
    assert wxpay.sign(params, API_KEY) == wxpay.sign(params, API_KEY, "HMAC-SHA256")
    assert len(wxpay.sign(params, API_KEY)) == 64
    assert wxpay.sign(params, API_KEY, "MD5") == "1E3A8D73B5A4AEE787C0F68B5DAB8520"
    assert wxpay.verify(dict(params, sign=wxpay.sign(params, API_KEY)), API_KEY)
    assert not wxpay.verify(dict(params, sign=wxpay.sign(params, API_KEY, "MD5")), API_KEY)


def test_arguments_are_judged_by_the_core_with_wechat_names() -> None:
    c = client()
    # Positional or keyword, as the core's table says; a name given twice is a TypeError.
    with pytest.raises(TypeError, match="out_trade_no"):
        c.query_order("order-0001", out_trade_no="order-0001")
    with pytest.raises(TypeError, match="at most 1"):
        c.close_order("a", "b")
    with pytest.raises(TypeError, match="operation"):
        c.call("no_such_operation")
    # A documented optional WeChat field by name; anything else is refused, never sent.
    with pytest.raises(TypeError, match="atach"):
        c.unified_order(total_fee=1, atach="x", **ORDER)
    with pytest.raises(wxpay.InvalidInputError) as e:
        c.unified_order(total_fee=1, attach="x", extra={"attach": "y"}, **ORDER)
    assert e.value.field == "attach" and e.value.reason == "Rule"
    # OAuth defaults come from the core too.
    url = c.oauth_authorize_url("https://shop.example/cb")
    assert "scope=snsapi_base" in url
    assert c.call("oauth_authorize_url", "https://shop.example/cb") == url
    state = c.oauth_state("session-1")
    assert c.check_oauth_state(state, "session-1") is None
    with pytest.raises(TypeError, match="max_age"):
        c.check_oauth_state(state, "session-1", 1.5)


def test_check_amount_is_the_librarys(sim_notify_body: "tuple[wxpay.Client, bytes]") -> None:
    c, body = sim_notify_body
    note = c.verify_payment_notify(body)
    assert c.check_amount(note, note["total_fee"]) is None
    with pytest.raises(wxpay.MismatchError) as e:
        c.check_amount(note, note["total_fee"] + 1)
    assert e.value.field == "total_fee"
    with pytest.raises(TypeError, match="notify"):
        c.check_amount({"paid": True}, 1)
    with pytest.raises(wxpay.MismatchError):
        c.verify_payment_notify(body, note["total_fee"] + 1)


def test_internal_error_is_a_wxpay_error() -> None:
    assert issubclass(wxpay.InternalError, wxpay.WxPayError)


def test_to_signed_xml_is_sign_then_to_xml() -> None:
    params = {"appid": "wxd930ea5d5a258f4f", "body": "腾讯-游戏", "total_fee": 1}
    for sign_type in ("MD5", "HMAC-SHA256"):
        xml = wxpay.to_signed_xml(params, API_KEY, sign_type)
        fields = wxpay.from_xml(xml)
        assert fields["sign"] == wxpay.sign(params, API_KEY, sign_type)
        assert wxpay.verify(fields, API_KEY, sign_type)
    assert wxpay.from_xml(wxpay.to_signed_xml(params, API_KEY))["sign"] == wxpay.sign(params, API_KEY)
    with pytest.raises(wxpay.InvalidInputError):
        wxpay.to_signed_xml(dict(params, sign="x"), API_KEY)


def test_str_bodies_that_are_not_unicode_give_wxpay_errors() -> None:
    c = wxpay.Client(appid=APPID, mch_id="10000100", api_key=API_KEY, sign_type="MD5")
    fields = dict(appid=APPID, mch_id="10000100", nonce_str="n1", result_code="SUCCESS", return_code="SUCCESS",
                  out_trade_no="order-0001", transaction_id="4200000001", total_fee="1", attach="支付")
    body = wxpay.to_signed_xml(fields, API_KEY, "MD5")
    assert c.verify_payment_notify(body)["paid"]
    # A framework that decoded a GBK body with surrogateescape hands over
    # the bytes that arrived, which are not UTF-8.
    gbk = body.encode("gbk").decode("utf-8", "surrogateescape")
    for call in (lambda: c.verify_payment_notify(gbk), lambda: wxpay.from_xml(gbk)):
        with pytest.raises(wxpay.XmlError) as e:
            call()
        assert e.value.reason == "Encoding"
    # A lone surrogate that stands for no byte.
    with pytest.raises(wxpay.InvalidInputError) as invalid:
        c.verify_payment_notify(body.replace("支付", "\ud800"))
    assert invalid.value.field == "body"


LONE = "a\ud800b"  # a str no bytes encode
_client = wxpay.Client(appid=APPID, mch_id="10000100", api_key=API_KEY, app_secret="x" * 32,
                       base_url="http://127.0.0.1:9", retries=0)
NOT_UNICODE: Dict[str, Tuple[Callable[[], Any], str]] = {
    "sign value": (lambda: wxpay.sign({"a": LONE}, API_KEY), "a"),
    "sign key": (lambda: wxpay.sign({LONE: "1"}, API_KEY), "params"),
    "sign api key": (lambda: wxpay.sign({"a": "1"}, LONE), "key"),
    "sign type": (lambda: wxpay.sign({"a": "1"}, API_KEY, LONE), "sign_type"),
    "verify": (lambda: wxpay.verify({"a": LONE, "sign": "x"}, API_KEY), "a"),
    "to_xml": (lambda: wxpay.to_xml({"a": LONE}), "a"),
    "to_signed_xml": (lambda: wxpay.to_signed_xml({"a": LONE}, API_KEY), "a"),
    "jssdk_signature": (lambda: wxpay.jssdk_signature("t", "n", 1, "https://x/" + LONE), "url"),
    "notify_fail": (lambda: wxpay.notify_fail(LONE), "message"),
    "decrypt_req_info": (lambda: wxpay.decrypt_req_info(LONE, API_KEY), "req_info"),
    "Client option": (lambda: wxpay.Client(appid=LONE, mch_id="1", api_key=API_KEY), "appid"),
    "Client option name": (lambda: wxpay.Client(**{"appid": "wx", "mch_id": "1", "api_key": API_KEY, LONE: 1}),
                           "options"),
    "positional argument": (lambda: _client.query_order(LONE), "out_trade_no"),
    "keyword argument": (lambda: _client.unified_order(body=LONE, out_trade_no="o1", total_fee=1,
                                                       spbill_create_ip="127.0.0.1", openid="o"), "body"),
    "nested argument": (lambda: _client.unified_order(body="b", out_trade_no="o1", total_fee=1,
                                                      spbill_create_ip="127.0.0.1", openid="o", extra={LONE: "1"}),
                        "extra"),
    "shop order record": (lambda: _client.settle_payment_notify("<xml/>", {"total_fee": 1, "transaction_id": LONE}),
                          "transaction_id"),
    "operation name": (lambda: _client.call(LONE), "op"),
}


@pytest.mark.parametrize("name", sorted(NOT_UNICODE))
def test_text_that_is_not_unicode_is_an_invalid_input_error_naming_it(name: str) -> None:
    call, field = NOT_UNICODE[name]
    with pytest.raises(wxpay.InvalidInputError) as e:
        call()
    assert e.value.field == field
    assert "\ud800" not in str(e.value)
