"""wxpay — WeChat Pay API v2 and v3 done right, on one Rust core.

    import wxpay
    client = wxpay.Client(appid="wx…", mch_id="…", api_key="…", app_secret="…",
                          notify_url="https://shop.example/wxpay/notify")
    order = client.unified_order(body="Shop-Books", out_trade_no="order-0001",
                                 total_fee=990, spbill_create_ip="127.0.0.1", openid=openid)
    params = client.jsapi_params(order["prepay_id"])   # for WeixinJSBridge

Errors are subclasses of :class:`wxpay.WxPayError`; see :mod:`wxpay.errors`.
"""

from ._wxpay import (
    Client,
    ClientV3,
    __version__,
    decrypt_req_info,
    from_xml,
    jssdk_signature,
    notify_ack,
    notify_fail,
    sign,
    to_signed_xml,
    to_xml,
    verify,
)
from .aio import AsyncClient, AsyncClientV3
from .errors import (
    BusinessError,
    CacheError,
    ConfigError,
    InternalError,
    InvalidInputError,
    MismatchError,
    MpApiError,
    ProtocolError,
    SignatureError,
    TransportError,
    WxPayError,
    XmlError,
)

__all__ = [
    "AsyncClient",
    "AsyncClientV3",
    "BusinessError",
    "CacheError",
    "Client",
    "ClientV3",
    "ConfigError",
    "InternalError",
    "InvalidInputError",
    "MismatchError",
    "MpApiError",
    "ProtocolError",
    "SignatureError",
    "TransportError",
    "WxPayError",
    "XmlError",
    "__version__",
    "decrypt_req_info",
    "from_xml",
    "jssdk_signature",
    "notify_ack",
    "notify_fail",
    "sign",
    "to_signed_xml",
    "to_xml",
    "verify",
]
