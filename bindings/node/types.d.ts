// The data wxpay takes and gives in Node: options, requests, replies and
// errors. Result field names are WeChat's own (snake_case, as in the XML).
// index.d.ts (generated from index.js by `make node-types`) re-exports them.

/** Field maps: WeChat field name → value. */
export type Params = Record<string, string | number>;

export type SignType = 'MD5' | 'HMAC-SHA256';

// What wxpay returns, generated from the core's result types.
export * from './results';
import type { CoreClientOptions, ErrorCode } from './results';

/**
 * The options of a client: the core's (CoreClientOptions, generated into results.d.ts), with
 * `tokenStore` also taking a store object.
 */
export interface ClientOptions extends Omit<CoreClientOptions, 'tokenStore'> {
  /** A `redis://` URL shared by a fleet, or a store object with async get/set. */
  tokenStore?: TokenStore | string;
}

export interface TokenStore {
  get(key: string): Promise<string | null | undefined> | string | null | undefined;
  set(key: string, value: string, ttlSeconds: number): Promise<unknown> | unknown;
  /** Atomic: stores only when `key` is absent; true when it did. Gives a fleet one refresh. */
  add?(key: string, value: string, ttlSeconds: number): Promise<boolean> | boolean;
  /** Removes `key` (releases the refresh lock early). */
  delete?(key: string): Promise<unknown> | unknown;
}

/**
 * A service provider calling for one of its sub-merchants (docs/protocol.md §15):
 * `subMchId`, and `subAppid` when the buyer pays in the sub-merchant's own account.
 */
export interface SubMerchant {
  subMchId: string;
  subAppid?: string;
}

export interface UnifiedOrderRequest extends Partial<SubMerchant> {
  body: string;
  outTradeNo: string;
  /** Fen: a positive safe integer. */
  totalFee: number;
  spbillCreateIp: string;
  openid?: string;
  /** The payer under `subAppid`, instead of `openid` (service provider). */
  subOpenid?: string;
  notifyUrl?: string;
  tradeType?: 'JSAPI' | 'NATIVE' | 'APP' | 'MWEB';
  productId?: string;
  /** Optional WeChat fields: attach, detail, time_expire, … */
  /** Optional WeChat fields that may be named directly (docs/protocol.md §3.1). */
  deviceInfo?: string;
  detail?: string;
  attach?: string;
  feeType?: string;
  timeStart?: string;
  timeExpire?: string;
  goodsTag?: string;
  limitPay?: string;
  receipt?: string;
  profitSharing?: string;
  sceneInfo?: string;
  version?: string;
  /** Any other WeChat field, by its own name. */
  extra?: Record<string, string>;
}

/** A counter payment: the scanned payment code and how long to wait for the customer. */
export interface MicropayRequest extends Partial<SubMerchant> {
  body: string;
  outTradeNo: string;
  /** Fen: a positive safe integer. */
  totalFee: number;
  spbillCreateIp: string;
  /** The 18 digits of the customer's payment code. */
  authCode: string;
  attach?: string;
  deviceInfo?: string;
  goodsTag?: string;
  detail?: string;
  sceneInfo?: string;
  limitPay?: string;
  extra?: Record<string, string>;
  /** Seconds before the first orderquery after an open answer (default 5). */
  firstQueryAfter?: number;
  /** Seconds between orderqueries (default 5). */
  queryEvery?: number;
  /** Seconds from the scan to reversing an order still unpaid (default 30). */
  giveUpAfter?: number;
  /** Reverse calls at most while WeChat answers recall=Y (default 5). */
  maxReverses?: number;
}

/** Your record of the order a notification names, for handlePaymentNotify. */
export interface ShopOrder {
  /** The amount you charged, in fen. */
  totalFee: number;
  /** Once you marked the order paid: the transaction you recorded. */
  transactionId?: string | null;
  /** A service provider's order: the sub-merchant it was placed for. */
  subMchId?: string | null;
}

export interface RefundRequest extends Partial<SubMerchant> {
  outTradeNo?: string;
  transactionId?: string;
  outRefundNo: string;
  totalFee: number;
  refundFee: number;
  refundDesc?: string;
  notifyUrl?: string;
  refundAccount?: string;
  refundFeeType?: string;
  extra?: Record<string, string>;
}


/** A request body exactly as it arrived (verify before any parsing of your own). */
export type Body = Buffer | Uint8Array | string;

export type OrderQueryRequest = ({ outTradeNo: string } | { transactionId: string }) & Partial<SubMerchant>;

/** One of the four references, and an offset for orders with many refunds. */
export interface RefundQueryRequest extends Partial<SubMerchant> {
  refundId?: string;
  outRefundNo?: string;
  transactionId?: string;
  outTradeNo?: string;
  offset?: number;
}

export interface DownloadBillRequest extends Partial<SubMerchant> {
  /** yyyyMMdd, Beijing time. */
  billDate: string;
  billType?: 'ALL' | 'SUCCESS' | 'REFUND' | 'RECHARGE_REFUND';
  gzip?: boolean;
}

export type OAuthScope = 'snsapi_base' | 'snsapi_userinfo';

/** What `WxPayError` is built from: the core's error details. */
/** What the native side hands WxPayError's constructor. */
export interface ErrorDetails {
  code: ErrorCode;
  kind: string;
  message: string;
  retryable?: boolean;
  reason?: string;
  field?: string;
  errCode?: string;
  errCodeDes?: string;
  returnMsg?: string;
  errcode?: number;
  errmsg?: string;
  expected?: string;
  actual?: string;
}
