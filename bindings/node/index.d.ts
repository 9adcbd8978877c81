// Types of the wxpay npm package (index.js). test/types.test.js checks that
// every export and Client method is declared here, and `tsc --strict`
// compiles test/typed-usage.ts against it.

/** Field maps: WeChat field name → value. */
export type Params = Record<string, string | number>;

export type SignType = 'MD5' | 'HMAC-SHA256';

export interface ClientOptions {
  appid: string;
  mchId: string;
  apiKey: string;
  appSecret?: string;
  notifyUrl?: string;
  signType?: SignType;
  /** One simulator for pay, MP and OAuth (no backups). */
  baseUrl?: string;
  payBaseUrl?: string;
  payBackupUrl?: string;
  mpBaseUrl?: string;
  mpBackupUrl?: string;
  openBaseUrl?: string;
  /** Seconds. */
  connectTimeout?: number;
  timeout?: number;
  overallTimeout?: number;
  confirmTimeout?: number;
  retries?: number;
  retryBackoff?: number;
  tokenSource?: 'stable' | 'classic';
  tokenRefreshMargin?: number;
  certPem?: string;
  keyPem?: string;
  certP12Base64?: string;
  certPassword?: string;
  /** Where tokens are cached (e.g. Redis), shared by every process; default in memory. */
  tokenStore?: TokenStore;
}

export interface TokenStore {
  get(key: string): Promise<string | null | undefined> | string | null | undefined;
  set(key: string, value: string, ttlSeconds: number): Promise<unknown> | unknown;
}

export interface UnifiedOrderRequest {
  body: string;
  outTradeNo: string;
  /** Fen: a positive safe integer. */
  totalFee: number;
  spbillCreateIp: string;
  openid?: string;
  notifyUrl?: string;
  tradeType?: 'JSAPI' | 'NATIVE' | 'APP' | 'MWEB';
  productId?: string;
  /** Optional WeChat fields: attach, detail, time_expire, … */
  extra?: Record<string, string>;
}

export interface UnifiedOrderReply {
  prepay_id: string;
  trade_type: string;
  code_url: string | null;
  mweb_url: string | null;
  raw: Record<string, string>;
}

export interface BridgePayParams {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: SignType;
  paySign: string;
}

export interface JssdkPayParams {
  timestamp: string;
  nonceStr: string;
  package: string;
  signType: SignType;
  paySign: string;
}

export interface AppPayParams {
  appid: string;
  partnerid: string;
  prepayid: string;
  package: string;
  noncestr: string;
  timestamp: string;
  sign: string;
}

export interface Coupon {
  id: string;
  coupon_type: string | null;
  fee: number;
}

export type TradeState = 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR' | 'ACCEPT';

export interface OrderQueryReply {
  trade_state: TradeState;
  trade_state_desc: string | null;
  out_trade_no: string;
  transaction_id: string | null;
  total_fee: number | null;
  cash_fee: number | null;
  fee_type: string;
  openid: string | null;
  time_end: string | null;
  attach: string | null;
  coupons: Coupon[];
  raw: Record<string, string>;
}

export interface PaymentNotify {
  paid: boolean;
  result_code: string;
  err_code: string | null;
  err_code_des: string | null;
  out_trade_no: string;
  transaction_id: string | null;
  total_fee: number | null;
  cash_fee: number | null;
  fee_type: string;
  openid: string | null;
  trade_type: string | null;
  time_end: string | null;
  attach: string | null;
  coupons: Coupon[];
  raw: Record<string, string>;
}

export interface RefundNotify {
  transaction_id: string;
  out_trade_no: string;
  refund_id: string;
  out_refund_no: string;
  total_fee: number;
  refund_fee: number;
  refund_status: string;
  success_time: string | null;
  info: Record<string, string>;
  raw: Record<string, string>;
}

export interface RefundRequest {
  outTradeNo?: string;
  transactionId?: string;
  outRefundNo: string;
  totalFee: number;
  refundFee: number;
  refundDesc?: string;
  notifyUrl?: string;
  extra?: Record<string, string>;
}

export interface RefundReply {
  transaction_id: string;
  out_trade_no: string;
  out_refund_no: string;
  refund_id: string;
  refund_fee: number;
  total_fee: number;
  cash_fee: number | null;
  raw: Record<string, string>;
}

export interface RefundRecord {
  out_refund_no: string;
  refund_id: string;
  refund_fee: number;
  refund_status: 'SUCCESS' | 'REFUNDCLOSE' | 'PROCESSING' | 'CHANGE' | 'FAIL';
  refund_channel: string | null;
  refund_account: string | null;
  refund_recv_accout: string | null;
  refund_success_time: string | null;
  coupons: { id: string; coupon_type: string | null; fee: number }[];
}

export interface RefundQueryReply {
  transaction_id: string;
  out_trade_no: string;
  total_fee: number;
  cash_fee: number | null;
  total_refund_count: number | null;
  refunds: RefundRecord[];
  raw: Record<string, string>;
}

export interface Bill {
  columns: string[];
  rows: string[][];
  summary_columns: string[];
  summary: string[];
}

export interface OAuthToken {
  openid: string;
  access_token: string;
  expires_in: number;
  refresh_token: string;
  scope: string;
  unionid?: string | null;
  is_snapshotuser?: number | null;
}

export interface JssdkConfig {
  debug: boolean;
  appId: string;
  timestamp: number;
  nonceStr: string;
  signature: string;
  jsApiList: string[];
}

export type ErrorCode =
  | 'WXPAY_CONFIG' | 'WXPAY_INVALID_INPUT' | 'WXPAY_XML' | 'WXPAY_SIGNATURE' | 'WXPAY_MISMATCH'
  | 'WXPAY_PROTOCOL' | 'WXPAY_BUSINESS' | 'WXPAY_MP_API' | 'WXPAY_TRANSPORT' | 'WXPAY_CACHE';

export class WxPayError extends Error {
  readonly code: ErrorCode;
  readonly kind: string;
  readonly retryable: boolean;
  readonly reason?: string;
  readonly field?: string;
  readonly errCode?: string;
  readonly errCodeDes?: string;
  readonly returnMsg?: string;
  readonly errcode?: number;
  readonly errmsg?: string;
  readonly expected?: string;
  readonly actual?: string;
}

export class Client {
  constructor(options: ClientOptions);
  readonly appid: string;
  readonly mchId: string;
  toJSON(): { appid: string; mchId: string };
  unifiedOrder(order: UnifiedOrderRequest): Promise<UnifiedOrderReply>;
  jsapiParams(prepayId: string): BridgePayParams;
  jssdkPayParams(prepayId: string): JssdkPayParams;
  appPayParams(prepayId: string): AppPayParams;
  queryOrder(which: { outTradeNo: string } | { transactionId: string }): Promise<OrderQueryReply>;
  closeOrder(outTradeNo: string): Promise<{ already_closed: boolean; raw: Record<string, string> }>;
  refund(refund: RefundRequest): Promise<RefundReply>;
  queryRefund(query: { refundId?: string; outRefundNo?: string; transactionId?: string; outTradeNo?: string; offset?: number }): Promise<RefundQueryReply>;
  downloadBill(request: { billDate: string; billType?: 'ALL' | 'SUCCESS' | 'REFUND' | 'RECHARGE_REFUND'; gzip?: boolean }): Promise<Bill>;
  verifyPaymentNotify(body: Buffer | Uint8Array | string, totalFee?: number): PaymentNotify;
  confirmPayment(notify: PaymentNotify): Promise<OrderQueryReply>;
  parseRefundNotify(body: Buffer | Uint8Array | string): RefundNotify;
  oauthAuthorizeUrl(redirectUri: string, scope?: 'snsapi_base' | 'snsapi_userinfo', state?: string): string;
  oauthExchangeCode(code: string): Promise<OAuthToken>;
  accessToken(): Promise<string>;
  jsapiTicket(): Promise<string>;
  jssdkConfig(url: string, jsApiList: string[]): Promise<JssdkConfig>;
}

export function sign(params: Params, key: string, signType?: SignType): string;
export function verify(params: Params, key: string, signType?: SignType): boolean;
export function toXml(params: Params): string;
export function toSignedXml(params: Params, key: string, signType?: SignType): string;
export function fromXml(data: Buffer | Uint8Array | string): Record<string, string>;
export function jssdkSignature(jsapiTicket: string, noncestr: string, timestamp: number, url: string): string;
export function decryptReqInfo(reqInfo: string, apiKey: string): Record<string, string>;
export function notifyAck(): string;
export function notifyFail(message: string): string;
export const version: string;
