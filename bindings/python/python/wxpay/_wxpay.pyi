from typing import Any, Dict, List, Mapping, Optional, Protocol, Tuple, Union

__version__: str

Body = Union[bytes, bytearray, memoryview, str]
FieldValue = Union[str, int]

class TokenStore(Protocol):
    def get(self, key: str) -> Optional[Union[str, bytes]]: ...
    def set(self, key: str, value: str, ttl: int) -> Any: ...

def sign(params: Mapping[str, FieldValue], key: str, sign_type: str = "MD5") -> str: ...
def verify(params: Mapping[str, FieldValue], key: str, sign_type: str = "MD5") -> bool: ...
def to_xml(params: Mapping[str, FieldValue]) -> str: ...
def from_xml(data: Body) -> Dict[str, str]: ...
def jssdk_signature(jsapi_ticket: str, noncestr: str, timestamp: int, url: str) -> str: ...
def decrypt_req_info(req_info: str, api_key: str) -> Dict[str, str]: ...
def notify_ack() -> str: ...
def notify_fail(message: str) -> str: ...

class Client:
    def __init__(
        self,
        *,
        appid: str,
        mch_id: str,
        api_key: str,
        app_secret: Optional[str] = None,
        notify_url: Optional[str] = None,
        sign_type: str = "HMAC-SHA256",
        base_url: Optional[str] = None,
        pay_base_url: Optional[str] = None,
        pay_backup_url: Optional[str] = None,
        mp_base_url: Optional[str] = None,
        mp_backup_url: Optional[str] = None,
        open_base_url: Optional[str] = None,
        connect_timeout: Optional[float] = None,
        timeout: Optional[float] = None,
        overall_timeout: Optional[float] = None,
        confirm_timeout: Optional[float] = None,
        retries: Optional[int] = None,
        retry_backoff: Optional[float] = None,
        token_source: Optional[str] = None,
        token_refresh_margin: Optional[float] = None,
        cert: Union[bytes, Tuple[Union[bytes, str], Union[bytes, str]], None] = None,
        cert_password: Optional[str] = None,
        token_store: Optional[TokenStore] = None,
    ) -> None: ...
    @property
    def appid(self) -> str: ...
    @property
    def mch_id(self) -> str: ...
    def unified_order(
        self,
        *,
        body: str,
        out_trade_no: str,
        total_fee: int,
        spbill_create_ip: str,
        openid: Optional[str] = None,
        notify_url: Optional[str] = None,
        trade_type: str = "JSAPI",
        product_id: Optional[str] = None,
        **extra: str,
    ) -> Dict[str, Any]: ...
    def jsapi_params(self, prepay_id: str) -> Dict[str, str]: ...
    def jssdk_pay_params(self, prepay_id: str) -> Dict[str, str]: ...
    def app_pay_params(self, prepay_id: str) -> Dict[str, str]: ...
    def query_order(self, out_trade_no: Optional[str] = None, *, transaction_id: Optional[str] = None) -> Dict[str, Any]: ...
    def close_order(self, out_trade_no: str) -> Dict[str, Any]: ...
    def refund(
        self,
        *,
        out_refund_no: str,
        total_fee: int,
        refund_fee: int,
        out_trade_no: Optional[str] = None,
        transaction_id: Optional[str] = None,
        refund_desc: Optional[str] = None,
        notify_url: Optional[str] = None,
        **extra: str,
    ) -> Dict[str, Any]: ...
    def query_refund(
        self,
        *,
        refund_id: Optional[str] = None,
        out_refund_no: Optional[str] = None,
        transaction_id: Optional[str] = None,
        out_trade_no: Optional[str] = None,
        offset: Optional[int] = None,
    ) -> Dict[str, Any]: ...
    def download_bill(self, bill_date: str, bill_type: str = "ALL", gzip: bool = False) -> Dict[str, Any]: ...
    def verify_payment_notify(self, body: Body, *, total_fee: Optional[int] = None) -> Dict[str, Any]: ...
    def confirm_payment(self, notify: Dict[str, Any]) -> Dict[str, Any]: ...
    def parse_refund_notify(self, body: Body) -> Dict[str, Any]: ...
    def oauth_authorize_url(self, redirect_uri: str, scope: str = "snsapi_base", state: Optional[str] = None) -> str: ...
    def oauth_exchange_code(self, code: str) -> Dict[str, Any]: ...
    def access_token(self) -> str: ...
    def jsapi_ticket(self) -> str: ...
    def jssdk_config(self, url: str, js_api_list: List[str]) -> Dict[str, Any]: ...
