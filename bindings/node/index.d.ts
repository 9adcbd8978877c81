// Generated from the JSDoc in index.js by `make node-types` (scripts/types.js); do not edit.
// The data shapes live in types.d.ts.
/**
 * A notification's headers as a framework hands them over: Express's
 * `req.headers` (a value may be a list), a `Headers` object, or pairs.
 */
export type V3Headers = Record<string, string | string[] | undefined> | Iterable<[string, string]>;
export type Params = import("./types").Params;
export type SignType = import("./types").SignType;
export type ClientOptions = import("./types").ClientOptions;
export type TokenStore = import("./types").TokenStore;
export type SubMerchant = import("./types").SubMerchant;
export type UnifiedOrderRequest = import("./types").UnifiedOrderRequest;
export type UnifiedOrderReply = import("./types").UnifiedOrderReply;
export type BridgePayParams = import("./types").BridgePayParams;
export type JssdkPayParams = import("./types").JssdkPayParams;
export type AppPayParams = import("./types").AppPayParams;
export type Coupon = import("./types").Coupon;
export type TradeState = import("./types").TradeState;
export type OrderQueryRequest = import("./types").OrderQueryRequest;
export type OrderQueryReply = import("./types").OrderQueryReply;
export type CloseOrderReply = import("./types").CloseOrderReply;
export type PaymentNotify = import("./types").PaymentNotify;
export type RefundNotify = import("./types").RefundNotify;
export type RefundRequest = import("./types").RefundRequest;
export type RefundReply = import("./types").RefundReply;
export type RefundRecord = import("./types").RefundRecord;
export type RefundQueryRequest = import("./types").RefundQueryRequest;
export type RefundQueryReply = import("./types").RefundQueryReply;
export type DownloadBillRequest = import("./types").DownloadBillRequest;
export type Bill = import("./types").Bill;
export type OAuthScope = import("./types").OAuthScope;
export type OAuthToken = import("./types").OAuthToken;
export type JssdkConfig = import("./types").JssdkConfig;
export type ErrorCode = import("./types").ErrorCode;
export type ErrorDetails = import("./types").ErrorDetails;
export type Body = import("./types").Body;
export type ShopOrder = import("./types").ShopOrder;
export type MicropayRequest = import("./types").MicropayRequest;
export type MicropayOutcome = import("./types").MicropayOutcome;
export type ReverseOutcome = import("./types").ReverseOutcome;
export type NotifyDecision = import("./types").NotifyDecision;
export type PrepayAnswer = import("./types").PrepayAnswer;
export type JsapiPayParamsV3 = import("./types").JsapiPayParamsV3;
export type AppPayParamsV3 = import("./types").AppPayParamsV3;
export type TransactionV3 = import("./types").TransactionV3;
export type RefundStateV3 = import("./types").RefundStateV3;
export type Notification = import("./types").Notification;
export type NotifyDecisionV3 = import("./types").NotifyDecisionV3;
export type RefundNotifyDecisionV3 = import("./types").RefundNotifyDecisionV3;
export type SealedField = import("./types").SealedField;
/**
 * One thing wxpay did or met (a token store down, …); never a secret.
 */
export type WxPayEvent = {
    level: "debug" | "info" | "warning" | "error";
    name: string;
    message: string;
    fields: Record<string, string>;
};
/**
 * WeChat Pay for one merchant and official account. Methods that talk to
 * WeChat return Promises and run off the main thread; the rest do no I/O.
 *
 * @example
 *   const client = new Client({ appid, mchId, apiKey, appSecret, notifyUrl });
 *   const order = await client.unifiedOrder({ body: 'Shop-Books', outTradeNo: 'order-1', totalFee: 990,
 *     spbillCreateIp: req.ip, openid });
 *   res.json(client.jsapiParams(order.prepay_id));
 */
export class Client {
    /**
     * @param {ClientOptions} options appid, mchId, apiKey and the optional ones the core reads (every
     *   name and what it means: CoreClientOptions in results.d.ts, generated from the core); tokenStore
     *   is a `redis://` URL, or an object with async get(key) and set(key, value, ttlSeconds) (with an
     *   atomic add(key, value, ttlSeconds) and delete(key), the processes of a fleet share one refresh).
     */
    constructor(options: ClientOptions);
    /** @returns {string} */
    get appid(): string;
    /** @returns {string} */
    get mchId(): string;
    /** @returns {{ appid: string, mchId: string }} */
    toJSON(): {
        appid: string;
        mchId: string;
    };
    /**
     * Any operation by its core name (`'query_order'`, `'micropay'`, … the
     * README's table), with named arguments (snake_case or camelCase) or a
     * list of positional ones; resolves to the core's JSON result as data
     * (errors inside a result stay plain objects). Runs on a wxpay worker.
     * @param {string} op
     * @param {Record<string, unknown> | unknown[]} [args]
     * @returns {Promise<any>}
     */
    call(op: string, args?: Record<string, unknown> | unknown[]): Promise<any>;
    /**
     * Places an order (unifiedorder). `totalFee` is integer fen.
     * @param {UnifiedOrderRequest} order
     * @returns {Promise<UnifiedOrderReply>}
     */
    unifiedOrder(order: UnifiedOrderRequest): Promise<UnifiedOrderReply>;
    /**
     * getBrandWCPayRequest params for prepayId (no I/O). A service provider
     * passes the sub-merchant; `appId` is then its `subAppid` when given.
     * @param {string} prepayId
     * @param {SubMerchant} [subMerchant]
     * @returns {BridgePayParams}
     */
    jsapiParams(prepayId: string, subMerchant?: SubMerchant): BridgePayParams;
    /**
     * wx.chooseWXPay params (note `timestamp`, lower case).
     * @param {string} prepayId
     * @param {SubMerchant} [subMerchant]
     * @returns {JssdkPayParams}
     */
    jssdkPayParams(prepayId: string, subMerchant?: SubMerchant): JssdkPayParams;
    /**
     * App PayReq params (the appid must be the mobile app's).
     * @param {string} prepayId
     * @param {SubMerchant} [subMerchant]
     * @returns {AppPayParams}
     */
    appPayParams(prepayId: string, subMerchant?: SubMerchant): AppPayParams;
    /**
     * orderquery by outTradeNo or transactionId.
     * @param {OrderQueryRequest} which
     * @returns {Promise<OrderQueryReply>}
     */
    queryOrder(which: OrderQueryRequest): Promise<OrderQueryReply>;
    /**
     * closeorder; an order WeChat already closed resolves with already_closed.
     * @param {string} outTradeNo
     * @param {SubMerchant} [subMerchant]
     * @returns {Promise<CloseOrderReply>}
     */
    closeOrder(outTradeNo: string, subMerchant?: SubMerchant): Promise<CloseOrderReply>;
    /**
     * refund (needs the merchant certificate against WeChat itself).
     * @param {RefundRequest} refund
     * @returns {Promise<RefundReply>}
     */
    refund(refund: RefundRequest): Promise<RefundReply>;
    /**
     * refundquery by one of refundId, outRefundNo, transactionId, outTradeNo.
     * @param {RefundQueryRequest} query
     * @returns {Promise<RefundQueryReply>}
     */
    queryRefund(query: RefundQueryRequest): Promise<RefundQueryReply>;
    /**
     * downloadbill for one day.
     * @param {DownloadBillRequest} request
     * @returns {Promise<Bill>}
     */
    downloadBill(request: DownloadBillRequest): Promise<Bill>;
    /**
     * A payment at the counter, to its end: the cashier scanned `authCode`;
     * an open answer (the customer typing the password, SYSTEMERROR) is
     * settled by orderquery, and an order still unpaid at `giveUpAfter`
     * seconds is reversed. `status`: 'paid' (hand over the goods), 'reversed'
     * or 'failed' (nothing charged), or 'unsettled': money may have moved, do
     * not ask for another code; `follow_up` is 'query' (look at the order
     * first) or 'reverse' (call reverse() again later), `error` says why.
     * @param {MicropayRequest} request
     * @returns {Promise<MicropayOutcome>}
     */
    micropay(request: MicropayRequest): Promise<MicropayOutcome>;
    /**
     * Reverses a counter payment (secapi/pay/reverse) until WeChat confirms
     * it: for an 'unsettled' payment whose `follow_up` is 'reverse'. Rejects
     * with a WxPayError when WeChat did not confirm it.
     * @param {string} outTradeNo
     * @param {SubMerchant} [subMerchant]
     * @returns {Promise<ReverseOutcome>}
     */
    reverse(outTradeNo: string, subMerchant?: SubMerchant): Promise<ReverseOutcome>;
    /**
     * The openid of the customer whose payment code was scanned
     * (tools/authcodetoopenid); afterwards only this merchant can charge it.
     * @param {string} authCode
     * @param {SubMerchant} [subMerchant]
     * @returns {Promise<string>}
     */
    authCodeToOpenid(authCode: string, subMerchant?: SubMerchant): Promise<string>;
    /**
     * Verifies a payment notification (the raw body, Buffer or string); with
     * totalFee (your order's amount) the amount must match too. No I/O.
     * @param {Body} body
     * @param {number} [totalFee]
     * @returns {PaymentNotify}
     */
    verifyPaymentNotify(body: Body, totalFee?: number): PaymentNotify;
    /**
     * Throws a WxPayError (code WXPAY_MISMATCH) unless the verified
     * notification pays exactly `totalFee` fen (your order's amount) in CNY. No I/O.
     * @param {PaymentNotify} notify
     * @param {number} totalFee
     * @returns {void}
     */
    checkAmount(notify: PaymentNotify, totalFee: number): void;
    /**
     * Confirms a verified notification with orderquery.
     * @param {PaymentNotify} notify
     * @returns {Promise<OrderQueryReply>}
     */
    confirmPayment(notify: PaymentNotify): Promise<OrderQueryReply>;
    /**
     * The whole notify handler: verifies the body, asks `findOrder(outTradeNo)`
     * for your record of the order (`{ totalFee, transactionId }`, the latter
     * once you marked it paid; `null` when there is no such order; it may be
     * async and is called only for a verified payment), compares amount,
     * currency and transaction, confirms with orderquery and decides the
     * reply. `status`: 'paid' (mark the order paid, then send `reply`),
     * 'already_paid', 'not_paid' or 'refused' (`error` says why). Always
     * answer WeChat with `reply` as text/xml. A throwing `findOrder` rejects.
     * @param {Body} body
     * @param {(outTradeNo: string) => ShopOrder | null | undefined | Promise<ShopOrder | null | undefined>} findOrder
     * @returns {Promise<NotifyDecision>}
     */
    handlePaymentNotify(body: Body, findOrder: (outTradeNo: string) => ShopOrder | null | undefined | Promise<ShopOrder | null | undefined>): Promise<NotifyDecision>;
    /**
     * handlePaymentNotify with your record of the order already at hand
     * (`null` when there is no such order).
     * @param {Body} body
     * @param {ShopOrder | null} order
     * @returns {Promise<NotifyDecision>}
     */
    settlePaymentNotify(body: Body, order: ShopOrder | null): Promise<NotifyDecision>;
    /**
     * Exchanges an OAuth code for { openid, … }; never retried once sent.
     * @param {string} code
     * @returns {Promise<OAuthToken>}
     */
    oauthExchangeCode(code: string): Promise<OAuthToken>;
    /**
     * Downloads one day's fund flow of one account (`pay/downloadfundflow`,
     * `account_type` Basic, Operation or Fees; HMAC-SHA256 and the client
     * certificate), parsed into `columns`, `rows` and `totals` in fen that the
     * rows are checked against. A day without movement is `no_bill`.
     * @param {string} billDate
     * @param {string} [accountType]
     * @param {boolean} [gzip]
     * @returns {Promise<import('./types').FundFlow>}
     */
    downloadFundFlow(billDate: string, accountType?: string, gzip?: boolean): Promise<import("./types").FundFlow>;
    /**
     * Registers a profit-sharing receiver (`pay/profitsharingaddreceiver`):
     * `type` (MERCHANT_ID, PERSONAL_OPENID, PERSONAL_SUB_OPENID), `account`,
     * `relation_type`, and `name` (required for MERCHANT_ID), `custom_relation`
     * (with CUSTOM). HMAC-SHA256 always.
     * @param {Record<string, unknown>} request its arguments by name
     * @returns {Promise<void>}
     */
    addProfitSharingReceiver(request: Record<string, unknown>): Promise<void>;
    /**
     * Removes a profit-sharing receiver (`pay/profitsharingremovereceiver`) by
     * `type` and `account`.
     * @param {Record<string, unknown>} request its arguments by name
     * @returns {Promise<void>}
     */
    removeProfitSharingReceiver(request: Record<string, unknown>): Promise<void>;
    /**
     * Shares a paid order's money (`secapi/pay/profitsharing`, or
     * `multiprofitsharing` with `multi`; the client certificate):
     * `transaction_id`, `out_order_no`, `receivers` (`type`, `account`, `amount`
     * in fen, `description`). A single sharing releases the rest; the reply says
     * accepted, `query_profit_sharing` how it went.
     * @param {Record<string, unknown>} request its arguments by name
     * @returns {Promise<import('./types').ProfitSharingState>}
     */
    profitSharing(request: Record<string, unknown>): Promise<import("./types").ProfitSharingState>;
    /**
     * How a sharing or a finish went (`pay/profitsharingquery`): `status`
     * PROCESSING or FINISHED, each receiver's `result`.
     * @param {string} transactionId
     * @param {string} outOrderNo
     * @param {SubMerchant} [subMerchant]
     * @returns {Promise<import('./types').ProfitSharingState>}
     */
    queryProfitSharing(transactionId: string, outOrderNo: string, subMerchant?: SubMerchant): Promise<import("./types").ProfitSharingState>;
    /**
     * Releases what is left of an order to the merchant
     * (`secapi/pay/profitsharingfinish`): `transaction_id`, a new
     * `out_order_no`, `description`.
     * @param {string} transactionId
     * @param {string} outOrderNo
     * @param {string} description
     * @param {SubMerchant} [subMerchant]
     * @returns {Promise<import('./types').ProfitSharingState>}
     */
    finishProfitSharing(transactionId: string, outOrderNo: string, description: string, subMerchant?: SubMerchant): Promise<import("./types").ProfitSharingState>;
    /**
     * What of a paid order is still unshared
     * (`pay/profitsharingorderamountquery`), in fen.
     * @param {string} transactionId
     * @param {SubMerchant} [subMerchant]
     * @returns {Promise<import('./types').UnsplitAmount>}
     */
    profitSharingUnsplitAmount(transactionId: string, subMerchant?: SubMerchant): Promise<import("./types").UnsplitAmount>;
    /**
     * Takes money back from a merchant receiver of a sharing
     * (`secapi/pay/profitsharingreturn`, the client certificate): `order_id` or
     * `out_order_no` (the sharing), `out_return_no`, `return_account`,
     * `return_amount` in fen, `description`. `result` is SUCCESS, FAILED or
     * PROCESSING (then ask again with `query_profit_sharing_return`, same
     * `out_return_no`).
     * @param {Record<string, unknown>} request its arguments by name
     * @returns {Promise<import('./types').ReturnState>}
     */
    profitSharingReturn(request: Record<string, unknown>): Promise<import("./types").ReturnState>;
    /**
     * How a return went (`pay/profitsharingreturnquery`): `order_id` or
     * `out_order_no`, and `out_return_no`.
     * @param {Record<string, unknown>} request its arguments by name
     * @returns {Promise<import('./types').ReturnState>}
     */
    queryProfitSharingReturn(request: Record<string, unknown>): Promise<import("./types").ReturnState>;
    /**
     * The share of a sub-merchant's orders a service provider may take
     * (`pay/profitsharingmerchantratioquery`), in ten-thousandths: call it for
     * the sub-merchant, or give a `brand_mch_id`.
     * @param {string} [brandMchId]
     * @param {SubMerchant} [subMerchant]
     * @returns {Promise<import('./types').MaxRatio>}
     */
    profitSharingMaxRatio(brandMchId?: string, subMerchant?: SubMerchant): Promise<import("./types").MaxRatio>;
    /**
     * Reconciles a day at once: the trade bill as downloaded (`body`: the ALL
     * bill, plain or gzip, or `No Bill Exist`) against the shop's `records`
     * (`out_trade_no` and `total_fee` for a payment; `out_refund_no`,
     * `out_trade_no` and `refund_fee` for a refund; fen). For a large day use
     * `reconcile_start` and stream. No I/O.
     * @param {Body} body
     * @param {Array<Record<string, unknown>>} records
     * @returns {import('./types').Reconciliation}
     */
    reconcile(body: Body, records: Array<Record<string, unknown>>): import("./types").Reconciliation;
    /**
     * Opens a reconciliation to feed in many calls, in bounded memory:
     * `memory_mib` (memory for both sides before spilling to disk, default 48),
     * `spill_dir`, `list_limit` (differences listed, default 1,000). Returns its
     * id; end it with `reconcile_finish`. No I/O.
     * @param {Record<string, unknown>} request its arguments by name
     * @returns {string}
     */
    reconcileStart(request: Record<string, unknown>): string;
    /**
     * The next bytes of an open reconciliation's bill, in chunks of any size. No
     * I/O.
     * @param {Body} body
     * @param {string} reconciliation
     * @returns {void}
     */
    reconcileBill(body: Body, reconciliation: string): void;
    /**
     * Downloads the day's `ALL` trade bill (gzip) straight into an open
     * reconciliation, its bytes never parsed into rows in memory; `No Bill
     * Exist` is an empty day.
     * @param {string} reconciliation
     * @param {string} billDate
     * @param {SubMerchant} [subMerchant]
     * @returns {Promise<void>}
     */
    reconcileDownloadBill(reconciliation: string, billDate: string, subMerchant?: SubMerchant): Promise<void>;
    /**
     * A batch of the shop's records for an open reconciliation (as for
     * `reconcile`); a bad record refuses the whole batch. No I/O.
     * @param {string} reconciliation
     * @param {Array<Record<string, unknown>>} records
     * @returns {void}
     */
    reconcileShop(reconciliation: string, records: Array<Record<string, unknown>>): void;
    /**
     * The next bytes of the shop's records as CSV (a header naming
     * `out_trade_no`, `total_fee`, `transaction_id`, `out_refund_no`,
     * `refund_fee`, `refund_id`; amounts in fen) for an open reconciliation. No
     * I/O.
     * @param {Body} body
     * @param {string} reconciliation
     * @returns {void}
     */
    reconcileShopCsv(body: Body, reconciliation: string): void;
    /**
     * Compares an open reconciliation's bill and records and closes it: totals
     * of each side, what matched, each kind of difference counted and the first
     * ones listed. No I/O.
     * @param {string} reconciliation
     * @returns {import('./types').Reconciliation}
     */
    reconcileFinish(reconciliation: string): import("./types").Reconciliation;
    /**
     * The link of a Native mode-one QR code, printed once for a product
     * (`weixin://wxpay/bizpayurl?…`, signed MD5). No I/O.
     * @param {string} productId
     * @returns {string}
     */
    nativeQrLink(productId: string): string;
    /**
     * A short `weixin://wxpay/s/…` link for a long `weixin://` link
     * (`tools/shorturl`), for a smaller QR code.
     * @param {string} longUrl
     * @param {SubMerchant} [subMerchant]
     * @returns {Promise<string>}
     */
    shortUrl(longUrl: string, subMerchant?: SubMerchant): Promise<string>;
    /**
     * Verifies the scan callback of a Native mode-one QR code (MD5 signature,
     * appid, mch_id): who scanned (`openid`) which `product_id`. Place the order
     * with both, then answer with `native_scan_reply`. No I/O.
     * @param {Body} body
     * @returns {import('./types').ScanCallback}
     */
    verifyScanCallback(body: Body): import("./types").ScanCallback;
    /**
     * The signed XML answering a scan callback with the order's `prepay_id`. No
     * I/O.
     * @param {string} prepayId
     * @returns {string}
     */
    nativeScanReply(prepayId: string): string;
    /**
     * The signed XML refusing a scan callback (sold out, closed); WeChat shows
     * `message` to the payer. No I/O.
     * @param {string} message
     * @returns {string}
     */
    nativeScanRefusal(message: string): string;
    /**
     * The out_trade_no a payment notification is about once verified, or null
     * (the first half of the notify handler). No I/O.
     * @param {Body} body
     * @returns {string | null}
     */
    paymentNotifyOrder(body: Body): string | null;
    /**
     * Decrypts and verifies a refund notification's raw body. No I/O.
     * @param {Body} body
     * @returns {RefundNotify}
     */
    parseRefundNotify(body: Body): RefundNotify;
    /**
     * The refund notify handler in one call: decrypts and checks the raw body
     * and decides the reply: `status` `refunded` (record it once, then reply),
     * `not_refunded` (REFUNDCLOSE or CHANGE) or `refused` (`error` says why; the
     * reply is FAIL). No I/O.
     * @param {Body} body
     * @returns {import('./types').RefundNotifyDecision}
     */
    handleRefundNotify(body: Body): import("./types").RefundNotifyDecision;
    /**
     * The OAuth page to send a shopper to (`scope` defaults to `snsapi_base`).
     * No I/O.
     * @param {string} redirectUri
     * @param {string} [scope]
     * @param {string} [state]
     * @returns {string}
     */
    oauthAuthorizeUrl(redirectUri: string, scope?: string, state?: string): string;
    /**
     * A signed, stateless OAuth `state` bound to `context` (e.g. the session
     * id). No I/O.
     * @param {string} context
     * @returns {string}
     */
    oauthState(context: string): string;
    /**
     * Checks an OAuth `state` on the redirect: fails when forged, older than
     * `max_age` seconds or issued for another context. No I/O.
     * @param {string} state
     * @param {string} context
     * @param {number} [maxAge]
     * @returns {void}
     */
    checkOauthState(state: string, context: string, maxAge?: number): void;
    /**
     * A mini-program login: the `code` of `wx.login()` exchanged for the user's
     * openid, unionid and session_key (with the client's appid and app_secret,
     * the mini-program's); never retried once sent. The session_key is a secret:
     * keep it on the server.
     * @param {string} code
     * @returns {Promise<import('./types').MiniProgramSession>}
     */
    jscode2session(code: string): Promise<import("./types").MiniProgramSession>;
    /**
     * The official account's access_token, cached (and shared through the token
     * store).
     * @returns {Promise<string>}
     */
    accessToken(): Promise<string>;
    /**
     * The JS-SDK `jsapi_ticket`, cached like the access_token.
     * @returns {Promise<string>}
     */
    jsapiTicket(): Promise<string>;
    /**
     * What this client did since it was made: calls by operation and outcome
     * (`ok` or the error kind) with their latency in ms (p50, p90, p99, max,
     * mean), requests sent to WeChat, retries, failovers, token fetches and
     * token store failures. No I/O.
     * @returns {import('./types').ClientMetrics}
     */
    metrics(): import("./types").ClientMetrics;
    /**
     * The same counts in Prometheus' text format, labelled with the client's
     * mch_id, for a `/metrics` endpoint. No I/O.
     * @returns {string}
     */
    metricsPrometheus(): string;
    /**
     * Whether the token store answers (`store`, `healthy`, and the failing
     * store's `error`): while it fails, each process fetches its own tokens.
     * What the last uses of the store found; no I/O.
     * @returns {import('./types').TokenStoreHealth}
     */
    tokenStoreHealth(): import("./types").TokenStoreHealth;
    /**
     * The signed `wx.config` of a page: `url` (without its fragment) and the JS
     * APIs it uses.
     * @param {string} url
     * @param {string[]} jsApiList
     * @returns {Promise<JssdkConfig>}
     */
    jssdkConfig(url: string, jsApiList: string[]): Promise<JssdkConfig>;
    [util.inspect.custom](): string;
    #private;
}
/**
 * WeChat Pay API v3 for one merchant (README, "API v3"). Every method is
 * the core's v3 operation of the same name; the network ones run on wxpay's
 * workers and resolve.
 */
export class ClientV3 {
    /**
     * @param {Record<string, unknown>} options mchid, appid, merchantSerial, apiv3Key, privateKey (PEM
     *   string or Buffer) or privateKeyPath, publicKeyId with publicKey or publicKeyPath, and the
     *   optional ones the core reads (notifyUrl, baseUrl, timeouts, retries, tokenDir, tokenStore…).
     */
    constructor(options: Record<string, unknown>);
    /** @returns {string} */
    get mchid(): string;
    /** @returns {string} */
    get appid(): string;
    /** @returns {{ mchid: string, appid: string }} */
    toJSON(): {
        mchid: string;
        appid: string;
    };
    /**
     * Any v3 operation by its core name, with named arguments or a list of positional ones.
     * @param {string} op
     * @param {Record<string, unknown> | unknown[]} [args]
     * @returns {Promise<any>}
     */
    call(op: string, args?: Record<string, unknown> | unknown[]): Promise<any>;
    /**
     * Places an order: `kind` (jsapi, app, native, h5), `description`, `out_trade_no`, `total`
     * (fen), `openid` (jsapi), `payer_client_ip` and `h5_type` (h5); `notify_url`, `attach`,
     * `time_expire`; a service provider's `sub_mchid` and `sub_appid`.
     * @param {Record<string, unknown>} request its arguments by name (snake_case or camelCase)
     * @returns {Promise<import('./types').PrepayAnswer>}
     */
    prepay(request: Record<string, unknown>): Promise<import("./types").PrepayAnswer>;
    /**
     * The `getBrandWCPayRequest` / `wx.requestPayment` params (signType RSA), for the client's
     * appid or `appid` (a sub-merchant's).
     * @param {string} prepayId
     * @param {string} [appid]
     * @returns {import('./types').JsapiPayParamsV3}
     */
    jsapiParams(prepayId: string, appid?: string): import("./types").JsapiPayParamsV3;
    /**
     * The App SDK's `PayReq` params, signed with RSA.
     * @param {string} prepayId
     * @returns {import('./types').AppPayParamsV3}
     */
    appParams(prepayId: string): import("./types").AppPayParamsV3;
    /**
     * An order by `out_trade_no` or `transaction_id`, checked whole; `total` (fen) when the shop
     * knows it; a service provider's `sub_mchid` (and `sub_appid`).
     * @param {Record<string, unknown>} request its arguments by name (snake_case or camelCase)
     * @returns {Promise<import('./types').TransactionV3>}
     */
    queryOrder(request: Record<string, unknown>): Promise<import("./types").TransactionV3>;
    /**
     * Closes an unpaid order (a service provider's with `sub_mchid`).
     * @param {string} outTradeNo
     * @param {string} [subMchid]
     * @returns {Promise<void>}
     */
    closeOrder(outTradeNo: string, subMchid?: string): Promise<void>;
    /**
     * Asks for a refund: `out_refund_no`, `refund` and `total` (fen), `out_trade_no` or
     * `transaction_id`; `reason`, `notify_url`, `sub_mchid`.
     * @param {Record<string, unknown>} request its arguments by name (snake_case or camelCase)
     * @returns {Promise<import('./types').RefundStateV3>}
     */
    refund(request: Record<string, unknown>): Promise<import("./types").RefundStateV3>;
    /**
     * A refund, checked against the one asked for (the same arguments as `refund`).
     * @param {Record<string, unknown>} request its arguments by name (snake_case or camelCase)
     * @returns {Promise<import('./types').RefundStateV3>}
     */
    queryRefund(request: Record<string, unknown>): Promise<import("./types").RefundStateV3>;
    /**
     * A day's trade bill (`yyyy-MM-dd`; ALL, SUCCESS or REFUND), checked against WeChat's SHA-1.
     * @param {string} billDate
     * @param {string} [billType]
     * @returns {Promise<import('./types').Bill>}
     */
    downloadTradeBill(billDate: string, billType?: string): Promise<import("./types").Bill>;
    /**
     * A day's fund flow (BASIC, OPERATION or FEES), checked against WeChat's SHA-1.
     * @param {string} billDate
     * @param {string} [accountType]
     * @returns {Promise<import('./types').FundFlow>}
     */
    downloadFundFlowBill(billDate: string, accountType?: string): Promise<import("./types").FundFlow>;
    /**
     * A sensitive field encrypted for WeChat (RSA-OAEP): `serial` (send as Wechatpay-Serial) and
     * `ciphertext`.
     * @param {string} text
     * @returns {Promise<import('./types').SealedField>}
     */
    encryptSensitive(text: string): Promise<import("./types").SealedField>;
    /**
     * A notification verified over its raw body with its headers, then decrypted. `now` (Unix
     * seconds) replaces the clock only to replay a recorded notification in a test.
     * @param {V3Headers} headers
     * @param {Body} body
     * @param {number} [now]
     * @returns {Promise<import('./types').Notification>}
     */
    parseNotification(headers: V3Headers, body: Body, now?: number): Promise<import("./types").Notification>;
    /**
     * The whole v3 payment notify handler: findOrder(outTradeNo) gives your record ({ total_fee,
     * transaction_id, sub_mch_id }) or null; answer WeChat with the result's http_status and body.
     * @param {V3Headers} headers
     * @param {Body} body
     * @param {(outTradeNo: string) => ShopOrder | null | undefined | Promise<ShopOrder | null | undefined>} findOrder
     * @returns {Promise<import('./types').NotifyDecisionV3>}
     */
    handlePaymentNotify(headers: V3Headers, body: Body, findOrder: (outTradeNo: string) => ShopOrder | null | undefined | Promise<ShopOrder | null | undefined>): Promise<import("./types").NotifyDecisionV3>;
    /**
     * The refund notify handler; answer with the result's http_status and body.
     * @param {V3Headers} headers
     * @param {Body} body
     * @returns {Promise<import('./types').RefundNotifyDecisionV3>}
     */
    handleRefundNotify(headers: V3Headers, body: Body): Promise<import("./types").RefundNotifyDecisionV3>;
    [util.inspect.custom](): string;
    #private;
}
/**
 * One thing wxpay did or met (a token store down, …); never a secret.
 * @typedef {{ level: 'debug' | 'info' | 'warning' | 'error', name: string, message: string,
 *   fields: Record<string, string> }} WxPayEvent
 */
/**
 * wxpay's events: `wxpay.events.on('log', (event) => logger[event.level](event.message, event))`
 * hands each one to the application's logger. Without a 'log' listener, warnings and errors
 * become process warnings (`process.emitWarning`, type 'WxPayWarning').
 */
export const events: EventEmitter<[never]>;
/**
 * Which of wxpay's events are built from now on: `'info'` (the start: token
 * refreshes, retries, failovers, refused notifications, store trouble),
 * `'debug'` (also one `call` event per call to WeChat, with its outcome,
 * WeChat's code and latency, and one `attempt` event per HTTP exchange),
 * `'warning'` or `'error'`. Another word throws a `WxPayError` (InvalidInput).
 *
 * ```js
 * wxpay.setLogLevel('debug');
 * wxpay.events.on('log', (e) => logger[e.level === 'warning' ? 'warn' : e.level](e.message, e.fields));
 * ```
 * @param {'debug' | 'info' | 'warning' | 'error'} level
 * @returns {void}
 */
export function setLogLevel(level: "debug" | "info" | "warning" | "error"): void;
/**
 * Every wxpay failure, built by the native side from the core's error.
 * `code` is stable: 'WXPAY_SIGNATURE', 'WXPAY_BUSINESS', … (the README's
 * error table lists them, the same in every language).
 *
 * @example
 *   try { client.verifyPaymentNotify(req.body); }
 *   catch (e) { if (e instanceof WxPayError && e.code === 'WXPAY_SIGNATURE') res.status(400); }
 */
export class WxPayError extends Error {
    /** @param {ErrorDetails} details */
    constructor(details: ErrorDetails);
    /** @readonly @type {ErrorCode} */
    readonly code: ErrorCode;
    /** @readonly @type {string} The core's error kind: 'Signature', 'Business', … */
    readonly kind: string;
    /** @readonly @type {boolean} Whether trying again later may succeed. */
    readonly retryable: boolean;
    /** @readonly @type {string | undefined} Why a signature, XML or input check failed ('Doctype', 'WrongType', …). */
    readonly reason: string | undefined;
    /** @readonly @type {string | undefined} The input field that was refused (WeChat's name, e.g. 'total_fee'). */
    readonly field: string | undefined;
    /** @readonly @type {string | undefined} WeChat's err_code (business errors). */
    readonly errCode: string | undefined;
    /** @readonly @type {string | undefined} WeChat's err_code_des. */
    readonly errCodeDes: string | undefined;
    /** @readonly @type {string | undefined} WeChat's return_msg. */
    readonly returnMsg: string | undefined;
    /** @readonly @type {number | undefined} The official-account API's errcode. */
    readonly errcode: number | undefined;
    /** @readonly @type {string | undefined} The official-account API's errmsg. */
    readonly errmsg: string | undefined;
    /** @readonly @type {string | undefined} What was expected (mismatches). */
    readonly expected: string | undefined;
    /** @readonly @type {string | undefined} What arrived instead. */
    readonly actual: string | undefined;
}
/**
 * Signs a field map as WeChat does: names in byte order, empty values and
 * `sign` left out, `&key=` appended; upper-case hex.
 *
 * @example
 *   sign({ appid: 'wxd930ea5d5a258f4f', body: 'test' }, apiKey, 'MD5') // '…32 hex…'
 * @param {Params} params
 * @param {string} key the merchant's 32-byte API key
 * @param {SignType} [signType] default: the core's, HMAC-SHA256
 * @returns {string}
 */
export function sign(params: Params, key: string, signType?: SignType): string;
/**
 * Checks `params.sign` in constant time: false when it is missing, wrong or of another type.
 *
 * @example
 *   verify(wxpay.fromXml(body), apiKey, 'MD5') // true
 * @param {Params} params
 * @param {string} key
 * @param {SignType} [signType] default: the core's, HMAC-SHA256
 * @returns {boolean}
 */
export function verify(params: Params, key: string, signType?: SignType): boolean;
/**
 * WeChat's flat XML, every value escaped.
 * @param {Params} params
 * @returns {string}
 */
export function toXml(params: Params): string;
/**
 * The signed request body, `sign` included.
 * @param {Params} params
 * @param {string} key
 * @param {SignType} [signType] default: the core's, HMAC-SHA256
 * @returns {string}
 */
export function toSignedXml(params: Params, key: string, signType?: SignType): string;
/**
 * Reads WeChat XML with every hardening rule applied (a DOCTYPE is refused before parsing).
 *
 * @example
 *   fromXml('<xml><return_code>SUCCESS</return_code></xml>') // { return_code: 'SUCCESS' }
 * @param {Body} data
 * @returns {Record<string, string>}
 */
export function fromXml(data: Body): Record<string, string>;
/**
 * The sha1 signature for wx.config.
 * @param {string} jsapiTicket
 * @param {string} noncestr
 * @param {number} timestamp Unix seconds
 * @param {string} url the page's URL without its #fragment
 * @returns {string}
 */
export function jssdkSignature(jsapiTicket: string, noncestr: string, timestamp: number, url: string): string;
/**
 * The fields of a refund notification's req_info (AES-256-ECB with md5(apiKey)).
 * @param {string} reqInfo
 * @param {string} apiKey
 * @returns {Record<string, string>}
 */
export function decryptReqInfo(reqInfo: string, apiKey: string): Record<string, string>;
/**
 * The exact reply that stops WeChat's retries.
 * @returns {string}
 */
export function notifyAck(): string;
/**
 * A reply that makes WeChat retry later.
 * @param {string} message
 * @returns {string}
 */
export function notifyFail(message: string): string;
/** The package version. */
export const version: string;
import util = require("util");
import { EventEmitter } from "events";
