"""The exceptions wxpay raises: one base class, one subclass per error kind.

Every exception carries ``kind`` (e.g. ``"Signature"``), ``code``
(``"WXPAY_SIGNATURE"``, the same string in every language), ``retryable`` (whether the same call may be made
again), and the fields that apply to its kind: ``err_code`` /
``err_code_des`` (BusinessError), ``return_msg`` (ProtocolError),
``errcode`` / ``errmsg`` (MpApiError), ``field`` (InvalidInputError,
MismatchError), ``expected`` / ``actual`` (MismatchError) and ``reason``
(XmlError, SignatureError, InvalidInputError). Arguments of the wrong type,
missing or unknown raise ``TypeError`` instead, as for any Python call.
Messages never contain keys, secrets or tokens.
"""

from typing import Any, Optional


class WxPayError(Exception):
    """Base class of every wxpay error."""

    kind: str = "WxPay"
    code: str = "WXPAY"
    retryable: bool = False
    reason: Optional[str] = None
    field: Optional[str] = None
    err_code: Optional[str] = None
    err_code_des: Optional[str] = None
    return_msg: Optional[str] = None
    errcode: Optional[int] = None
    errmsg: Optional[str] = None
    expected: Optional[str] = None
    actual: Optional[str] = None

    def __init__(self, message: str, **attrs: Any) -> None:
        super().__init__(message)
        for name, value in attrs.items():
            setattr(self, name, value)


class ConfigError(WxPayError):
    """Bad or missing configuration (e.g. an API key that is not 32 bytes)."""


class InvalidInputError(WxPayError, ValueError):
    """An argument breaks a documented rule; ``field`` names it."""


class XmlError(WxPayError):
    """Malformed or forbidden XML (DOCTYPE, too big, nested, duplicates…)."""


class SignatureError(WxPayError):
    """Missing or wrong signature, or a sign type other than the pinned one."""


class MismatchError(WxPayError):
    """appid / mch_id / amount / order state differ from what was expected."""


class ProtocolError(WxPayError):
    """WeChat answered ``return_code=FAIL``, or a reply broke the protocol."""


class BusinessError(WxPayError):
    """WeChat answered ``result_code=FAIL``; see ``err_code``."""


class MpApiError(WxPayError):
    """The MP platform answered ``errcode != 0`` (OAuth, token, ticket)."""


class TransportError(WxPayError):
    """The request did not complete (connect, timeout, HTTP status, cut reply)."""


class CacheError(WxPayError):
    """The token store failed."""


class InternalError(WxPayError):
    """A bug in wxpay itself: please report it."""


__all__ = [
    "WxPayError",
    "ConfigError",
    "InvalidInputError",
    "XmlError",
    "SignatureError",
    "MismatchError",
    "ProtocolError",
    "BusinessError",
    "MpApiError",
    "TransportError",
    "CacheError",
    "InternalError",
]
