# The native module's surface. Argument names, positions and rules are the
# core's (the README's operation table); defaults are the core's and shown
# here as `...`. `make test` checks this file against the module with
# mypy's stubtest.
from typing import Any, Callable, Dict, List, Mapping, Optional, Protocol, Sequence, Tuple, Union, final

from typing_extensions import disjoint_base

from . import types as _t
from .types import (
    AppPayParams,
    Bill,
    BridgePayParams,
    CloseOrderReply,
    JssdkConfig,
    JssdkPayParams,
    MicropayOutcome,
    NotifyDecision,
    OAuthToken,
    OrderQueryReply,
    PaymentNotify,
    RefundNotify,
    RefundQueryReply,
    RefundReply,
    ReverseOutcome,
    ShopOrder,
    UnifiedOrderReply,
)

__version__: str
__all__ = ["Client", "ClientV3", "__version__", "_operations", "decrypt_req_info", "from_xml", "jssdk_signature", "notify_ack", "notify_fail",
           "sign", "to_signed_xml", "to_xml", "verify"]

_Body = Union[bytes, bytearray, memoryview, str]
_FieldValue = Union[str, int]
# A notification's headers as a framework hands them over.
_Headers = Union[Mapping[str, str], Sequence[Tuple[str, str]]]

class _TokenStore(Protocol):
    def get(self, key: str) -> Optional[Union[str, bytes]]: ...
    def set(self, key: str, value: str, ttl: int) -> Any: ...

def sign(params: Mapping[str, _FieldValue], key: str, sign_type: Optional[str] = ...) -> str: ...
def verify(params: Mapping[str, _FieldValue], key: str, sign_type: Optional[str] = ...) -> bool: ...
def to_xml(params: Mapping[str, _FieldValue]) -> str: ...
def to_signed_xml(params: Mapping[str, _FieldValue], key: str, sign_type: Optional[str] = ...) -> str: ...
def from_xml(data: _Body) -> Dict[str, str]: ...
def jssdk_signature(jsapi_ticket: str, noncestr: str, timestamp: int, url: str) -> str: ...
def decrypt_req_info(req_info: str, api_key: str) -> Dict[str, str]: ...
def notify_ack() -> str: ...
def notify_fail(message: str) -> str: ...
def _operations() -> List[Tuple[str, List[str]]]: ...

@final
class Client:
    def __new__(
        cls,
        *,
        appid: str,
        mch_id: str,
        api_key: str,
        app_secret: Optional[str] = ...,
        notify_url: Optional[str] = ...,
        sign_type: Optional[str] = ...,
        base_url: Optional[str] = ...,
        pay_base_url: Optional[str] = ...,
        pay_backup_url: Optional[str] = ...,
        mp_base_url: Optional[str] = ...,
        mp_backup_url: Optional[str] = ...,
        open_base_url: Optional[str] = ...,
        connect_timeout: Optional[float] = ...,
        timeout: Optional[float] = ...,
        overall_timeout: Optional[float] = ...,
        confirm_timeout: Optional[float] = ...,
        retries: Optional[int] = ...,
        retry_backoff: Optional[float] = ...,
        token_source: Optional[str] = ...,
        token_refresh_margin: Optional[float] = ...,
        cert: Union[bytes, Tuple[Union[bytes, str], Union[bytes, str]], None] = ...,
        cert_password: Optional[str] = ...,
        ca_pem: Optional[str] = ...,
        token_store: Optional[_TokenStore] = ...,
        token_dir: Optional[str] = ...,
        token_store_required: Optional[bool] = ...,
        log_bodies: Optional[bool] = ...,
    ) -> Client: ...
    @property
    def appid(self) -> str: ...
    @property
    def mch_id(self) -> str: ...
    def call(self, op: str, *args: Any, **kwargs: Any) -> Any: ...
    def unified_order(
        self,
        *,
        sub_mch_id: Optional[str] = ...,
        sub_appid: Optional[str] = ...,
        body: str,
        out_trade_no: str,
        total_fee: int,
        spbill_create_ip: str,
        openid: Optional[str] = ...,
        sub_openid: Optional[str] = ...,
        notify_url: Optional[str] = ...,
        trade_type: Optional[str] = ...,
        product_id: Optional[str] = ...,
        extra: Optional[Mapping[str, _FieldValue]] = ...,
        **optional_fields: _FieldValue,
    ) -> UnifiedOrderReply: ...
    def query_order(
        self, out_trade_no: Optional[str] = ..., *, transaction_id: Optional[str] = ..., sub_mch_id: Optional[str] = ..., sub_appid: Optional[str] = ...
    ) -> OrderQueryReply: ...
    def refund(
        self,
        *,
        sub_mch_id: Optional[str] = ...,
        sub_appid: Optional[str] = ...,
        out_refund_no: str,
        total_fee: int,
        refund_fee: int,
        out_trade_no: Optional[str] = ...,
        transaction_id: Optional[str] = ...,
        refund_desc: Optional[str] = ...,
        notify_url: Optional[str] = ...,
        refund_account: Optional[str] = ...,
        refund_fee_type: Optional[str] = ...,
        extra: Optional[Mapping[str, _FieldValue]] = ...,
    ) -> RefundReply: ...
    def query_refund(
        self,
        *,
        sub_mch_id: Optional[str] = ...,
        sub_appid: Optional[str] = ...,
        refund_id: Optional[str] = ...,
        out_refund_no: Optional[str] = ...,
        transaction_id: Optional[str] = ...,
        out_trade_no: Optional[str] = ...,
        offset: Optional[int] = ...,
    ) -> RefundQueryReply: ...
    def micropay(
        self,
        *,
        sub_mch_id: Optional[str] = ...,
        sub_appid: Optional[str] = ...,
        body: str,
        out_trade_no: str,
        total_fee: int,
        spbill_create_ip: str,
        auth_code: str,
        attach: Optional[str] = ...,
        device_info: Optional[str] = ...,
        goods_tag: Optional[str] = ...,
        detail: Optional[str] = ...,
        scene_info: Optional[str] = ...,
        limit_pay: Optional[str] = ...,
        extra: Optional[Mapping[str, _FieldValue]] = ...,
        first_query_after: Optional[float] = ...,
        query_every: Optional[float] = ...,
        give_up_after: Optional[float] = ...,
        max_reverses: Optional[int] = ...,
    ) -> MicropayOutcome: ...
    def handle_payment_notify(
        self, body: _Body, find_order: Callable[[str], Optional[ShopOrder]]
    ) -> NotifyDecision: ...
    # <generated by packaging/gen_hosts.py from the core's operation table: do not edit>
    def jsapi_params(
        self,
        prepay_id: str,
        *,
        sub_mch_id: Optional[str] = ...,
        sub_appid: Optional[str] = ...,
    ) -> _t.BridgePayParams: ...
    def jssdk_pay_params(
        self,
        prepay_id: str,
        *,
        sub_mch_id: Optional[str] = ...,
        sub_appid: Optional[str] = ...,
    ) -> _t.JssdkPayParams: ...
    def app_pay_params(
        self,
        prepay_id: str,
        *,
        sub_mch_id: Optional[str] = ...,
        sub_appid: Optional[str] = ...,
    ) -> _t.AppPayParams: ...
    def close_order(
        self,
        out_trade_no: str,
        *,
        sub_mch_id: Optional[str] = ...,
        sub_appid: Optional[str] = ...,
    ) -> _t.CloseOrderReply: ...
    def download_bill(
        self,
        bill_date: str,
        bill_type: Optional[str] = ...,
        gzip: Optional[bool] = ...,
        *,
        sub_mch_id: Optional[str] = ...,
        sub_appid: Optional[str] = ...,
    ) -> _t.Bill: ...
    def download_fund_flow(
        self,
        bill_date: str,
        account_type: Optional[str] = ...,
        gzip: Optional[bool] = ...,
    ) -> _t.FundFlow: ...
    def reverse(
        self,
        out_trade_no: str,
        *,
        sub_mch_id: Optional[str] = ...,
        sub_appid: Optional[str] = ...,
    ) -> _t.ReverseOutcome: ...
    def auth_code_to_openid(
        self,
        auth_code: str,
        *,
        sub_mch_id: Optional[str] = ...,
        sub_appid: Optional[str] = ...,
    ) -> str: ...
    def add_profit_sharing_receiver(
        self,
        *,
        sub_mch_id: Optional[str] = ...,
        sub_appid: Optional[str] = ...,
        **args: Any,
    ) -> None: ...
    def remove_profit_sharing_receiver(
        self,
        *,
        sub_mch_id: Optional[str] = ...,
        sub_appid: Optional[str] = ...,
        **args: Any,
    ) -> None: ...
    def profit_sharing(
        self,
        *,
        sub_mch_id: Optional[str] = ...,
        sub_appid: Optional[str] = ...,
        **args: Any,
    ) -> _t.ProfitSharingState: ...
    def query_profit_sharing(
        self,
        transaction_id: str,
        out_order_no: str,
        *,
        sub_mch_id: Optional[str] = ...,
        sub_appid: Optional[str] = ...,
    ) -> _t.ProfitSharingState: ...
    def finish_profit_sharing(
        self,
        transaction_id: str,
        out_order_no: str,
        description: str,
        *,
        sub_mch_id: Optional[str] = ...,
        sub_appid: Optional[str] = ...,
    ) -> _t.ProfitSharingState: ...
    def profit_sharing_unsplit_amount(
        self,
        transaction_id: str,
        *,
        sub_mch_id: Optional[str] = ...,
        sub_appid: Optional[str] = ...,
    ) -> _t.UnsplitAmount: ...
    def profit_sharing_return(
        self,
        *,
        sub_mch_id: Optional[str] = ...,
        sub_appid: Optional[str] = ...,
        **args: Any,
    ) -> _t.ReturnState: ...
    def query_profit_sharing_return(
        self,
        *,
        sub_mch_id: Optional[str] = ...,
        sub_appid: Optional[str] = ...,
        **args: Any,
    ) -> _t.ReturnState: ...
    def profit_sharing_max_ratio(
        self,
        brand_mch_id: Optional[str] = ...,
        *,
        sub_mch_id: Optional[str] = ...,
        sub_appid: Optional[str] = ...,
    ) -> _t.MaxRatio: ...
    def reconcile(self, body: _Body, records: Sequence[Mapping[str, Any]]) -> _t.Reconciliation: ...
    def reconcile_start(self, **args: Any) -> str: ...
    def reconcile_bill(self, body: _Body, reconciliation: str) -> None: ...
    def reconcile_download_bill(
        self,
        reconciliation: str,
        bill_date: str,
        *,
        sub_mch_id: Optional[str] = ...,
        sub_appid: Optional[str] = ...,
    ) -> None: ...
    def reconcile_shop(self, reconciliation: str, records: Sequence[Mapping[str, Any]]) -> None: ...
    def reconcile_shop_csv(self, body: _Body, reconciliation: str) -> None: ...
    def reconcile_finish(self, reconciliation: str) -> _t.Reconciliation: ...
    def native_qr_link(self, product_id: str) -> str: ...
    def short_url(self, long_url: str, *, sub_mch_id: Optional[str] = ..., sub_appid: Optional[str] = ...) -> str: ...
    def verify_scan_callback(self, body: _Body) -> _t.ScanCallback: ...
    def native_scan_reply(self, prepay_id: str) -> str: ...
    def native_scan_refusal(self, message: str) -> str: ...
    def verify_payment_notify(self, body: _Body, total_fee: Optional[int] = ...) -> _t.PaymentNotify: ...
    def check_amount(self, notify: _t.PaymentNotify, total_fee: int) -> None: ...
    def confirm_payment(self, notify: _t.PaymentNotify) -> _t.OrderQueryReply: ...
    def payment_notify_order(self, body: _Body) -> Optional[str]: ...
    def settle_payment_notify(self, body: _Body, order: Optional[_t.ShopOrder]) -> _t.NotifyDecision: ...
    def parse_refund_notify(self, body: _Body) -> _t.RefundNotify: ...
    def handle_refund_notify(self, body: _Body) -> _t.RefundNotifyDecision: ...
    def oauth_authorize_url(self, redirect_uri: str, scope: Optional[str] = ..., state: Optional[str] = ...) -> str: ...
    def oauth_state(self, context: str) -> str: ...
    def check_oauth_state(self, state: str, context: str, max_age: Optional[float] = ...) -> None: ...
    def oauth_exchange_code(self, code: str) -> _t.OAuthToken: ...
    def jscode2session(self, code: str) -> _t.MiniProgramSession: ...
    def access_token(self) -> str: ...
    def jsapi_ticket(self) -> str: ...
    def metrics(self) -> _t.ClientMetrics: ...
    def metrics_prometheus(self) -> str: ...
    def token_store_health(self) -> _t.TokenStoreHealth: ...
    def jssdk_config(self, url: str, js_api_list: List[str]) -> _t.JssdkConfig: ...
    # </generated>

@final
class ClientV3:
    """WeChat Pay API v3 for one merchant (see README, "API v3")."""
    def __new__(
        cls,
        *,
        mchid: str,
        appid: str,
        merchant_serial: str,
        apiv3_key: str,
        private_key: Optional[Union[str, bytes]] = ...,
        private_key_path: Optional[str] = ...,
        public_key_id: Optional[str] = ...,
        public_key: Optional[Union[str, bytes]] = ...,
        public_key_path: Optional[str] = ...,
        platform_certificates: Optional[Sequence[Union[str, bytes]]] = ...,
        auto_certificates: Optional[bool] = ...,
        notify_url: Optional[str] = ...,
        base_url: Optional[str] = ...,
        backup_url: Optional[str] = ...,
        connect_timeout: Optional[float] = ...,
        timeout: Optional[float] = ...,
        overall_timeout: Optional[float] = ...,
        confirm_timeout: Optional[float] = ...,
        retries: Optional[int] = ...,
        retry_backoff: Optional[float] = ...,
        ca_pem: Optional[str] = ...,
        token_dir: Optional[str] = ...,
        token_store: Optional[str] = ...,
        log_bodies: Optional[bool] = ...,
    ) -> ClientV3: ...
    @property
    def mchid(self) -> str: ...
    @property
    def appid(self) -> str: ...
    def call(self, op: str, *args: Any, **kwargs: Any) -> Any: ...
    def parse_notification(self, headers: _Headers, body: _Body, now: Optional[int] = None) -> _t.Notification: ...
    def handle_payment_notify(
        self, headers: _Headers, body: _Body, find_order: Callable[[str], Optional[ShopOrder]]
    ) -> _t.NotifyDecisionV3: ...
    def payment_notify_order(self, headers: _Headers, body: _Body) -> Optional[str]: ...
    def settle_payment_notify(
        self, headers: _Headers, body: _Body, order: Optional[ShopOrder]
    ) -> _t.NotifyDecisionV3: ...
    def handle_refund_notify(self, headers: _Headers, body: _Body) -> _t.RefundNotifyDecisionV3: ...
    def prepay(
        self,
        *,
        kind: str,
        description: str,
        out_trade_no: str,
        total: int,
        openid: Optional[str] = ...,
        notify_url: Optional[str] = ...,
        attach: Optional[str] = ...,
        time_expire: Optional[str] = ...,
        payer_client_ip: Optional[str] = ...,
        h5_type: Optional[str] = ...,
        sub_mchid: Optional[str] = ...,
        sub_appid: Optional[str] = ...,
    ) -> _t.PrepayAnswer: ...
    def refund(
        self,
        *,
        out_refund_no: str,
        refund: int,
        total: int,
        out_trade_no: Optional[str] = ...,
        transaction_id: Optional[str] = ...,
        reason: Optional[str] = ...,
        notify_url: Optional[str] = ...,
        sub_mchid: Optional[str] = ...,
    ) -> _t.RefundStateV3: ...
    def query_refund(
        self,
        *,
        out_refund_no: str,
        refund: int,
        total: int,
        out_trade_no: Optional[str] = ...,
        transaction_id: Optional[str] = ...,
        reason: Optional[str] = ...,
        notify_url: Optional[str] = ...,
        sub_mchid: Optional[str] = ...,
    ) -> _t.RefundStateV3: ...
    def query_order(
        self,
        out_trade_no: Optional[str] = ...,
        *,
        transaction_id: Optional[str] = ...,
        total: Optional[int] = ...,
        sub_mchid: Optional[str] = ...,
        sub_appid: Optional[str] = ...,
    ) -> _t.TransactionV3: ...
    # <generated by packaging/gen_hosts.py from the core's v3 operation table: do not edit>
    def jsapi_params(self, prepay_id: str, appid: Optional[str] = ...) -> _t.JsapiPayParamsV3: ...
    def app_params(self, prepay_id: str) -> _t.AppPayParamsV3: ...
    def close_order(self, out_trade_no: str, sub_mchid: Optional[str] = ...) -> None: ...
    def download_trade_bill(self, bill_date: str, bill_type: Optional[str] = ...) -> _t.Bill: ...
    def download_fund_flow_bill(self, bill_date: str, account_type: Optional[str] = ...) -> _t.FundFlow: ...
    def encrypt_sensitive(self, text: str) -> _t.SealedField: ...
    # </generated>
