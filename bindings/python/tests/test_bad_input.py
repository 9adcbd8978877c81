"""Wrong types and bad values give clear errors, never a crash."""

from typing import Any

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
    with pytest.raises(ValueError):
        wxpay.from_xml("<xml><a>\udcff</a></xml>")
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
