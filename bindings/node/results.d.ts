// The shapes of what wxpay returns (field names are WeChat's).
// Generated from bindings/results.schema.json (the core's result types) by
// packaging/gen_hosts.py: do not edit; run the script after changing a
// result type in the core.

/** App `PayReq` params. */
export interface AppPayParams {
  appid: string;
  noncestr: string;
  package: string;
  partnerid: string;
  prepayid: string;
  sign: string;
  timestamp: string;
}

/** What an app hands to the WeChat SDK's `PayReq` for a v3 order. */
export interface AppPayParamsV3 {
  appid: string;
  noncestr: string;
  package: string;
  partnerid: string;
  prepayid: string;
  sign: string;
  timestamp: string;
}

/** A parsed bill. Values have their leading backtick removed; amounts stay as WeChat writes them (yuan,
 * e.g. `0.01`): see `yuan_to_fen`. */
export interface Bill {
  columns: string[];
  no_bill: boolean;
  rows: string[][];
  summary: string[];
  summary_columns: string[];
}

/** `WeixinJSBridge.invoke('getBrandWCPayRequest')` params. */
export interface BridgePayParams {
  appId: string;
  nonceStr: string;
  package: string;
  paySign: string;
  signType: string;
  timeStamp: string;
}

/** Call durations in milliseconds; the percentiles are the upper bounds of the buckets that hold them
 * (5, 10, 25, 50, 100, 250, 500 ms, 1, 2.5, 5, 10, 30 s), never more than the slowest call. */
export interface Latency {
  max: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
}

/** The calls of one operation. */
export interface OperationMetrics {
  calls: number;
  latency_ms: Latency;
  operation: string;
  outcomes: Record<string, number>;
}

/** What one client did since it was made (the `metrics` call). */
export interface ClientMetrics {
  failovers: number;
  operations: OperationMetrics[];
  requests: number;
  retries: number;
  token_fetches: number;
  token_store_failures: number;
}

/** A verified closeorder reply. */
export interface CloseOrderReply {
  already_closed: boolean;
  raw: Record<string, string>;
}

/** One coupon applied to a payment (`coupon_*_$n`). */
export interface Coupon {
  coupon_type: string | null;
  fee: number;
  id: string;
}

/** How one payment or refund differs between WeChat's bill and the shop. */
export type DifferenceKind = 'wechat_only' | 'shop_only' | 'amount_differs' | 'id_differs' | 'duplicate_at_wechat' | 'duplicate_at_shop';

/** One difference, in key order (payments by `out_trade_no`, then refunds by `out_refund_no`). */
export interface Difference {
  entry: string;
  kind: DifferenceKind;
  out_refund_no: string | null;
  out_trade_no: string;
  shop_fen: number | null;
  shop_wechat_id: string | null;
  wechat_fen: number | null;
  wechat_id: string | null;
}

/** How many differences of each kind. */
export interface DifferenceCounts {
  amount_differs: number;
  duplicate_at_shop: number;
  duplicate_at_wechat: number;
  id_differs: number;
  shop_only: number;
  wechat_only: number;
}

/** The stable code of an error kind, e.g. `WXPAY_SIGNATURE`. */
export type ErrorCode = 'WXPAY_CONFIG' | 'WXPAY_INVALID_INPUT' | 'WXPAY_XML' | 'WXPAY_SIGNATURE' | 'WXPAY_MISMATCH' | 'WXPAY_PROTOCOL' | 'WXPAY_BUSINESS' | 'WXPAY_MP_API' | 'WXPAY_TRANSPORT' | 'WXPAY_CACHE' | 'WXPAY_INTERNAL';

/** The kind of an error, the same in every language. */
export type ErrorKind = 'Config' | 'InvalidInput' | 'Xml' | 'Signature' | 'Mismatch' | 'Protocol' | 'Business' | 'MpApi' | 'Transport' | 'Cache' | 'Internal';

/** What to do later with an `MicropayStatus::Unsettled` payment. */
export type FollowUp = 'query' | 'reverse';

/** The summary line of a fund flow, amounts in fen. */
export interface FundFlowTotals {
  count: number;
  expense_count: number;
  expense_fen: number;
  income_count: number;
  income_fen: number;
}

/** A parsed fund flow: one row per movement (values without their leading backtick, amounts in yuan as
 * WeChat writes them) and the totals, checked against the rows. */
export interface FundFlow {
  columns: string[];
  no_bill: boolean;
  rows: string[][];
  totals: FundFlowTotals;
}

/** What `WeixinJSBridge.invoke('getBrandWCPayRequest', …)` and `wx.requestPayment` take (the
 * mini-program leaves `appId` out; it is signed all the same). */
export interface JsapiPayParamsV3 {
  appId: string;
  nonceStr: string;
  package: string;
  paySign: string;
  signType: string;
  timeStamp: string;
}

/** The object for `wx.config`. */
export interface JssdkConfig {
  appId: string;
  debug: boolean;
  jsApiList: string[];
  nonceStr: string;
  signature: string;
  timestamp: number;
}

/** `wx.chooseWXPay` params (note `timestamp`, lower-case). */
export interface JssdkPayParams {
  nonceStr: string;
  package: string;
  paySign: string;
  signType: string;
  timestamp: string;
}

/** The share of its sub-merchants' orders a service provider may take
 * (`pay/profitsharingmerchantratioquery`). */
export interface MaxRatio {
  max_ratio: number;
}

/** How a counter payment ended. */
export type MicropayStatus = 'paid' | 'reversed' | 'failed' | 'unsettled';

/** What the cashier's screen needs to know. */
export interface MicropayOutcome {
  err_code: string | null;
  err_code_des: string | null;
  error: import('./index').WxPayError | null;
  follow_up: FollowUp | null;
  out_trade_no: string;
  queries: number;
  reverses: number;
  status: MicropayStatus;
  total_fee: number | null;
  transaction_id: string | null;
}

/** What a mini-program login (`sns/jscode2session`) yields. */
export interface MiniProgramSession {
  openid: string;
  session_key: string;
  unionid: string | null;
}

/** A verified, decrypted notification. */
export interface Notification {
  create_time: string;
  event_type: string;
  id: string;
  original_type: string;
  resource: unknown;
  resource_type: string;
  summary: string;
}

/** How a notification ended. */
export type NotifyStatus = 'paid' | 'already_paid' | 'not_paid' | 'refused';

/** `trade_state` of an order. */
export type TradeState = 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR' | 'ACCEPT';

/** A verified orderquery reply. */
export interface OrderQueryReply {
  attach: string | null;
  cash_fee: number | null;
  coupons: Coupon[];
  fee_type: string;
  openid: string | null;
  out_trade_no: string;
  raw: Record<string, string>;
  sub_appid: string | null;
  sub_mch_id: string | null;
  sub_openid: string | null;
  time_end: string | null;
  total_fee: number | null;
  trade_state: TradeState;
  trade_state_desc: string | null;
  trade_type: string | null;
  transaction_id: string | null;
}

/** A verified payment notification. */
export interface PaymentNotify {
  attach: string | null;
  cash_fee: number | null;
  coupons: Coupon[];
  err_code: string | null;
  err_code_des: string | null;
  fee_type: string;
  openid: string | null;
  out_trade_no: string;
  paid: boolean;
  raw: Record<string, string>;
  result_code: string;
  sub_appid: string | null;
  sub_mch_id: string | null;
  sub_openid: string | null;
  time_end: string | null;
  total_fee: number | null;
  trade_type: string | null;
  transaction_id: string | null;
}

/** What to do with one payment notification, and what to answer WeChat. */
export interface NotifyDecision {
  confirmation: OrderQueryReply | null;
  error: import('./index').WxPayError | null;
  notify: PaymentNotify | null;
  out_trade_no: string | null;
  reply: string;
  status: NotifyStatus;
  total_fee: number | null;
  transaction_id: string | null;
}

/** An order as WeChat describes it, checked. */
export interface TransactionV3 {
  out_trade_no: string;
  paid: boolean;
  payer_total: number | null;
  raw: unknown;
  sub_mchid: string | null;
  success_time: string | null;
  total: number;
  trade_state: string;
  transaction_id: string | null;
}

/** What to do with one v3 payment notification, and what to answer. */
export interface NotifyDecisionV3 {
  body: string;
  confirmation: TransactionV3 | null;
  error: import('./index').WxPayError | null;
  http_status: number;
  notification: Notification | null;
  out_trade_no: string | null;
  status: NotifyStatus;
  total: number | null;
  transaction_id: string | null;
}

/** What an OAuth code exchange yields. */
export interface OAuthToken {
  access_token: string;
  expires_in: number;
  is_snapshotuser: number | null;
  openid: string;
  refresh_token: string;
  scope: string;
  unionid: string | null;
}

/** What a prepay answers: the one thing its kind of order needs next. */
export interface PrepayAnswer {
  code_url: string | null;
  h5_url: string | null;
  prepay_id: string | null;
}

/** One receiver's part of a sharing as WeChat reports it. */
export interface ShareResult {
  account: string;
  amount: number;
  description: string | null;
  detail_id: string | null;
  fail_reason: string | null;
  finish_time: string | null;
  result: string | null;
  type: string;
}

/** What WeChat says of a sharing: `status` `PROCESSING` or `FINISHED`, each receiver's `result`
 * (`PENDING`, `SUCCESS`, `CLOSED`). */
export interface ProfitSharingState {
  close_reason: string | null;
  order_id: string;
  out_order_no: string;
  raw: Record<string, string>;
  receivers: ShareResult[];
  status: string | null;
  transaction_id: string;
}

/** Counts and sums of one side (or of what matched). */
export interface SideTotals {
  payment_fen: number;
  payments: number;
  refund_fen: number;
  refunds: number;
}

/** The result of a reconciliation. */
export interface Reconciliation {
  balanced: boolean;
  counts: DifferenceCounts;
  differences: Difference[];
  matched: SideTotals;
  no_bill: boolean;
  shop: SideTotals;
  unlisted: number;
  wechat: SideTotals;
  wechat_revoked: number;
}

/** One coupon returned by a refund (`coupon_*_$n_$m`). */
export interface RefundCoupon {
  coupon_type: string | null;
  fee: number;
  id: string;
}

/** A decrypted refund notification. */
export interface RefundNotify {
  info: Record<string, string>;
  out_refund_no: string;
  out_trade_no: string;
  raw: Record<string, string>;
  refund_fee: number;
  refund_id: string;
  refund_status: string;
  success_time: string | null;
  total_fee: number;
  transaction_id: string;
}

/** How a refund notification ended. */
export type RefundNotifyStatus = 'refunded' | 'not_refunded' | 'refused';

/** What to do with one refund notification, and what to answer WeChat. */
export interface RefundNotifyDecision {
  error: import('./index').WxPayError | null;
  refund: RefundNotify | null;
  reply: string;
  status: RefundNotifyStatus;
}

/** A refund as WeChat describes it, checked. */
export interface RefundStateV3 {
  out_refund_no: string;
  raw: unknown;
  refund: number;
  refund_id: string;
  status: string;
  success_time: string | null;
  total: number;
}

/** What to do with one v3 refund notification, and what to answer. */
export interface RefundNotifyDecisionV3 {
  body: string;
  error: import('./index').WxPayError | null;
  http_status: number;
  notification: Notification | null;
  refund: RefundStateV3 | null;
  status: RefundNotifyStatus;
}

/** `refund_status_$n` of a refund. */
export type RefundStatus = 'SUCCESS' | 'REFUNDCLOSE' | 'PROCESSING' | 'CHANGE' | 'FAIL';

/** One refund of the order (`*_$n`). */
export interface RefundRecord {
  coupons: RefundCoupon[];
  out_refund_no: string;
  refund_account: string | null;
  refund_channel: string | null;
  refund_fee: number;
  refund_id: string;
  refund_recv_accout: string | null;
  refund_status: RefundStatus;
  refund_success_time: string | null;
}

/** A verified refundquery reply. */
export interface RefundQueryReply {
  cash_fee: number | null;
  out_trade_no: string;
  raw: Record<string, string>;
  refunds: RefundRecord[];
  total_fee: number;
  total_refund_count: number | null;
  transaction_id: string;
}

/** A verified refund reply: WeChat accepted the refund (the outcome comes later, from refundquery or
 * the refund notification). */
export interface RefundReply {
  cash_fee: number | null;
  out_refund_no: string;
  out_trade_no: string;
  raw: Record<string, string>;
  refund_fee: number;
  refund_id: string;
  total_fee: number;
  transaction_id: string;
}

/** How a return went. */
export interface ReturnState {
  fail_reason: string | null;
  finish_time: string | null;
  order_id: string | null;
  out_order_no: string | null;
  out_return_no: string;
  raw: Record<string, string>;
  result: string;
  return_account: string;
  return_amount: number;
  return_no: string | null;
}

/** A reversal WeChat confirmed. */
export interface ReverseOutcome {
  out_trade_no: string;
  reverses: number;
}

/** A verified scan callback: who scanned which product's QR code. */
export interface ScanCallback {
  is_subscribe: boolean;
  openid: string;
  product_id: string;
  raw: Record<string, string>;
}

/** A sensitive field encrypted for WeChat (`encrypt_sensitive`). */
export interface SealedField {
  ciphertext: string;
  serial: string;
}

/** How the token store is doing (`Client::token_store_health`). */
export interface TokenStoreHealth {
  error: string | null;
  healthy: boolean;
  store: string;
}

/** A successful unifiedorder reply. */
export interface UnifiedOrderReply {
  code_url: string | null;
  mweb_url: string | null;
  prepay_id: string;
  raw: Record<string, string>;
  trade_type: string;
}

/** What of a paid order is still unshared. */
export interface UnsplitAmount {
  unsplit_amount: number;
}

/** The options of a client, the same in every language (camelCase in JavaScript).
 * The names and types the core reads; types.d.ts adds what only JavaScript can pass. */
export interface CoreClientOptions {
  /** Official-account appid. */
  appid: string;
  /** Merchant number. */
  mchId: string;
  /** The 32-byte API key. */
  apiKey: string;
  /** The official account's AppSecret. */
  appSecret?: string;
  /** One simulator for pay, MP and OAuth, without backups. */
  baseUrl?: string;
  /** PEM certificates trusted instead of the public roots (the simulator's HTTPS port); not for WeChat itself. */
  caPem?: string;
  /** Client certificate as PKCS#12, base64. */
  certP12Base64?: string;
  /** PKCS#12 password (default: the mch_id). */
  certPassword?: string;
  /** Client certificate PEM (with `key_pem`), for refunds. */
  certPem?: string;
  /** Deadline of the orderquery in confirm_payment (default 3). */
  confirmTimeout?: number;
  /** Connect timeout (default 3). */
  connectTimeout?: number;
  /** Client key PEM. */
  keyPem?: string;
  /** Log each exchange's request and reply bodies as `body` events at `debug` level, with signatures, keys, tokens, tickets and payer codes replaced by `***` (default false). For a support ticket: bodies carry the payer's openid and the order's details. */
  logBodies?: boolean;
  /** MP API backup. */
  mpBackupUrl?: string;
  /** MP API host. */
  mpBaseUrl?: string;
  /** Default notify_url. */
  notifyUrl?: string;
  /** OAuth authorize host. */
  openBaseUrl?: string;
  /** Whole-call timeout including retries (default 15). */
  overallTimeout?: number;
  /** Pay API backup; with a custom `pay_base_url` there is none unless given. */
  payBackupUrl?: string;
  /** Pay API host (default the official one, with its backup). */
  payBaseUrl?: string;
  /** Automatic retries of idempotent calls (default 1). */
  retries?: number;
  /** First backoff (default 0.5). */
  retryBackoff?: number;
  /** `"HMAC-SHA256"` (default) or `"MD5"`. */
  signType?: string;
  /** Per-attempt timeout (default 8). */
  timeout?: number;
  /** A directory where tokens are cached for every process on the host; default: in this process only. */
  tokenDir?: string;
  /** Refresh tokens this early (default 300). */
  tokenRefreshMargin?: number;
  /** `"stable"` (default) or `"classic"`. */
  tokenSource?: string;
  /** A Redis URL where tokens are cached for a whole fleet, e.g. `redis://127.0.0.1:6379/0`. */
  tokenStore?: string;
  /** When the shared token store fails, fail the call (a `Cache` error) instead of each process fetching its own tokens (default false: keep selling, and report `token_store_down`). */
  tokenStoreRequired?: boolean;
}
