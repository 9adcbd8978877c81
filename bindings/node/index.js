'use strict';
/**
 * wxpay for Node.js: the Rust core through napi-rs.
 *
 * Each call crosses into Rust with one string (JSON) or one Buffer and comes
 * back with one string, which is cheaper than reading and writing object
 * properties one by one. Network calls return Promises and run on libuv's
 * thread pool, so the event loop keeps going while WeChat answers; their
 * argument errors arrive as rejections too.
 *
 * Result field names are WeChat's own (snake_case, as in the XML); options
 * and request fields may be written camelCase (`outTradeNo`) or snake_case.
 */
const path = require('path');
const util = require('util');

const native = require(process.env.WXPAY_NODE_ADDON || path.join(__dirname, 'wxpay.node'));

const SECRET_OPTIONS = new Set(['apiKey', 'api_key', 'appSecret', 'app_secret', 'certPem', 'cert_pem', 'keyPem',
  'key_pem', 'certP12Base64', 'cert_p12_base64', 'certPassword', 'cert_password']);

/** Every wxpay failure. `code` is stable: 'WXPAY_SIGNATURE', 'WXPAY_BUSINESS', … */
class WxPayError extends Error {
  constructor(details) {
    super(details.message);
    this.name = 'WxPayError';
    this.code = details.code;
    this.kind = details.kind;
    this.retryable = Boolean(details.retryable);
    // The core names fields as WeChat does; JavaScript gets camelCase.
    const names = { reason: 'reason', field: 'field', err_code: 'errCode', err_code_des: 'errCodeDes',
      return_msg: 'returnMsg', errcode: 'errcode', errmsg: 'errmsg', expected: 'expected', actual: 'actual' };
    for (const [from, to] of Object.entries(names)) {
      if (details[from] !== undefined && details[from] !== null) this[to] = details[from];
    }
  }
}

function rethrow(e) {
  if (e && typeof e.message === 'string' && e.message.startsWith('wxpay:')) {
    throw new WxPayError(JSON.parse(e.message.slice(6)));
  }
  throw e;
}

function guard(fn) {
  try {
    return fn();
  } catch (e) {
    return rethrow(e);
  }
}

function invalid(field, message) {
  return new WxPayError({ code: 'WXPAY_INVALID_INPUT', kind: 'InvalidInput', message: `invalid input for ${field}: ${message}`, field });
}

function requireString(value, name) {
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string, got ${value === null ? 'null' : typeof value}`);
  return value;
}

function requireObject(value, name) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new TypeError(`${name} must be an object`);
  return value;
}

/** Amounts are safe positive integers of fen; 1.5, NaN, -1, 2**53+1 and "100" are refused. */
function requireFen(value, name) {
  if (typeof value === 'bigint') {
    if (value <= 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid(name, 'must be a positive number of fen');
    return Number(value);
  }
  if (typeof value !== 'number') throw new TypeError(`${name} must be an integer number of fen, got ${typeof value}`);
  if (!Number.isSafeInteger(value) || value <= 0) throw invalid(name, 'must be a positive safe integer number of fen');
  return value;
}

const FEE_FIELDS = ['totalFee', 'total_fee', 'refundFee', 'refund_fee'];

/** Request objects: string fields stay strings; amounts are checked before JSON, where precision could be lost. */
function requestJson(request, name) {
  requireObject(request, name);
  const out = {};
  for (const [key, value] of Object.entries(request)) {
    if (value === undefined) continue;
    out[key] = FEE_FIELDS.includes(key) ? requireFen(value, key) : value;
  }
  return JSON.stringify(out);
}

/** Field maps for sign/verify/toXml: string values (whole numbers allowed); the core refuses anything else. */
function paramsJson(params) {
  return JSON.stringify(requireObject(params, 'params'));
}

function bodyBuffer(body) {
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (typeof body === 'string') {
    if (!body.isWellFormed()) throw invalid('body', 'the string has a lone surrogate');
    return Buffer.from(body, 'utf8');
  }
  throw new TypeError('body must be a Buffer or a string');
}

// Field maps reach the signer as UTF-8 in this buffer: encodeInto is much
// cheaper than napi's own string transfer (which walks the text twice).
// Calls are synchronous, so one buffer per module instance is never shared.
const utf8 = new TextEncoder();
const scratch = new Uint8Array(16 * 1024);

// Signers hold a checked key, so each sign() crosses into Rust with one string.
const signers = new Map();

let lastSigner = { key: null, signType: null, signer: null };

function signerFor(key, signType) {
  if (key === lastSigner.key && signType === lastSigner.signType) return lastSigner.signer;
  const id = `${signType}\u0000${key}`;
  let signer = signers.get(id);
  if (signer === undefined) {
    signer = new native.NativeSigner(key, signType);
    if (signers.size >= 16) signers.delete(signers.keys().next().value);
    signers.set(id, signer);
  }
  lastSigner = { key, signType, signer };
  return signer;
}

/** sign(params, key, signType = 'MD5') → upper-case hex signature. */
function sign(params, key, signType = 'MD5') {
  // The hot path of every request: checks inline, one native call, no closure.
  if (params === null || typeof params !== 'object' || Array.isArray(params)) throw new TypeError('params must be an object');
  if (typeof key !== 'string') throw new TypeError('key must be a string');
  if (typeof signType !== 'string') throw new TypeError('signType must be a string');
  try {
    const signer = signerFor(key, signType);
    const names = Object.keys(params);
    let text = '';
    for (let i = 0; i < names.length; i++) {
      const value = params[names[i]];
      if (typeof value !== 'string') return signer.sign(JSON.stringify(params));
      text += names[i] + '\0' + value + '\0';
    }
    // Text longer than the scratch buffer, a NUL inside a value, or a U+FFFD
    // (which is what encodeInto makes of a lone surrogate) make the native
    // side answer null, and the fields go across as JSON instead.
    const { read, written } = utf8.encodeInto(text, scratch);
    if (read === text.length) {
      const signature = signer.signFields(scratch, written, names.length);
      if (signature !== null) return signature;
    }
    return signer.sign(JSON.stringify(params));
  } catch (e) {
    return rethrow(e);
  }
}

/** verify(params, key, signType = 'MD5') → false when the sign is missing, wrong or of another type. */
function verify(params, key, signType = 'MD5') {
  return guard(() => native.verify(paramsJson(params), requireString(key, 'key'), requireString(signType, 'signType')));
}

/** toXml(params) → WeChat XML. */
function toXml(params) {
  return guard(() => native.toXml(paramsJson(params)));
}

/** toSignedXml(params, key, signType = 'MD5') → the signed request body, `sign` included. */
function toSignedXml(params, key, signType = 'MD5') {
  return guard(() => native.toSignedXml(paramsJson(params), requireString(key, 'key'), requireString(signType, 'signType')));
}

/** fromXml(Buffer | string) → { field: value } with every hardening rule applied. */
function fromXml(data) {
  return guard(() => JSON.parse(native.fromXml(bodyBuffer(data))));
}

/** jssdkSignature(jsapiTicket, noncestr, timestamp, url) → sha1 hex for wx.config. */
function jssdkSignature(jsapiTicket, noncestr, timestamp, url) {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new TypeError('timestamp must be Unix seconds');
  return guard(() => native.jssdkSignature(requireString(jsapiTicket, 'jsapiTicket'), requireString(noncestr, 'noncestr'),
    timestamp, requireString(url, 'url')));
}

/** decryptReqInfo(reqInfo, apiKey) → the fields of a refund notification's req_info. */
function decryptReqInfo(reqInfo, apiKey) {
  return guard(() => JSON.parse(native.decryptReqInfo(requireString(reqInfo, 'reqInfo'), requireString(apiKey, 'apiKey'))));
}

/** The exact reply that stops WeChat's retries. */
function notifyAck() {
  return native.notifyAck();
}

/** A reply that makes WeChat retry later. */
function notifyFail(message) {
  return native.notifyFail(requireString(message, 'message'));
}

/**
 * The values of pay params, sent as `value\0value\0…` in the order of the
 * core's JSON (the vector tests check names and order against it).
 */
function payValues(text) {
  const values = [];
  let start = 0;
  for (let end = text.indexOf('\0'); end !== -1; end = text.indexOf('\0', start)) {
    values.push(text.slice(start, end));
    start = end + 1;
  }
  return values;
}

const nativeOf = new WeakMap();

/** Runs token-store requests from the core on `store` and hands the results back. */
function storeBridge(store) {
  return (requestJson) => {
    const r = JSON.parse(requestJson);
    Promise.resolve()
      .then(() => (r.op === 'get' ? store.get(r.key) : store.set(r.key, r.value, r.ttl)))
      .then((value) => native.storeReply(r.id, JSON.stringify({ value: r.op === 'get' && typeof value === 'string' ? value : null })),
        (e) => native.storeReply(r.id, JSON.stringify({ error: (e && e.name) || 'Error' })));
  };
}

/** WeChat Pay for one merchant and official account. */
class Client {
  /**
   * @param {object} options appid, mchId, apiKey, and optionally appSecret, notifyUrl, signType,
   *   baseUrl (a simulator), payBaseUrl, mpBaseUrl, openBaseUrl, connectTimeout, timeout,
   *   overallTimeout, retries, certPem + keyPem or certP12Base64, tokenSource, and tokenStore
   *   (an object with async get(key) and set(key, value, ttlSeconds), shared by a fleet).
   */
  constructor(options) {
    requireObject(options, 'options');
    for (const key of ['appid', 'mchId', 'apiKey']) {
      if (options[key] === undefined && options[key.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())] === undefined) {
        throw new TypeError(`options.${key} is required`);
      }
    }
    const clean = {};
    for (const [key, value] of Object.entries(options)) {
      if (value === undefined) continue;
      if (SECRET_OPTIONS.has(key) ? typeof value !== 'string' : typeof value === 'function') {
        throw new TypeError(`options.${key} has the wrong type`);
      }
      clean[key] = value;
    }
    const store = options.tokenStore;
    delete clean.tokenStore;
    if (store !== undefined && (store === null || typeof store.get !== 'function' || typeof store.set !== 'function')) {
      throw new TypeError('options.tokenStore must have get(key) and set(key, value, ttlSeconds)');
    }
    nativeOf.set(this, guard(() => new native.NativeClient(JSON.stringify(clean), store && storeBridge(store))));
  }

  get appid() { return nativeOf.get(this).appid; }

  get mchId() { return nativeOf.get(this).mchId; }

  [util.inspect.custom]() {
    return `Client { appid: '${this.appid}', mchId: '${this.mchId}' }`;
  }

  toJSON() {
    return { appid: this.appid, mchId: this.mchId };
  }

  async #call(op, argJson) {
    try {
      return JSON.parse(await nativeOf.get(this).call(op, argJson));
    } catch (e) {
      return rethrow(e);
    }
  }

  #now(op, argJson) {
    return guard(() => JSON.parse(nativeOf.get(this).callSync(op, argJson)));
  }

  /** Places an order: { body, outTradeNo, totalFee, spbillCreateIp, openid, notifyUrl?, tradeType?, productId?, extra? }. */
  async unifiedOrder(order) { return this.#call('unified_order', requestJson(order, 'order')); }

  /** getBrandWCPayRequest params for prepayId (no I/O). */
  jsapiParams(prepayId) {
    const v = payValues(this.#payText('bridgeParams', prepayId));
    return { appId: v[0], timeStamp: v[1], nonceStr: v[2], package: v[3], signType: v[4], paySign: v[5] };
  }

  /** wx.chooseWXPay params (note `timestamp`). */
  jssdkPayParams(prepayId) {
    const v = payValues(this.#payText('jssdkParams', prepayId));
    return { timestamp: v[0], nonceStr: v[1], package: v[2], signType: v[3], paySign: v[4] };
  }

  /** App PayReq params. */
  appPayParams(prepayId) {
    const v = payValues(this.#payText('appParams', prepayId));
    return { appid: v[0], partnerid: v[1], prepayid: v[2], package: v[3], noncestr: v[4], timestamp: v[5], sign: v[6] };
  }

  #payText(shape, prepayId) {
    if (typeof prepayId !== 'string') throw new TypeError('prepayId must be a string');
    try {
      return nativeOf.get(this)[shape](prepayId);
    } catch (e) {
      return rethrow(e);
    }
  }

  /** orderquery: { outTradeNo } or { transactionId }. */
  async queryOrder(which) { return this.#call('query_order', requestJson(which, 'query')); }

  /** closeorder; resolves { already_closed, raw }. */
  async closeOrder(outTradeNo) { return this.#call('close_order', JSON.stringify(requireString(outTradeNo, 'outTradeNo'))); }

  /** refund: { outTradeNo | transactionId, outRefundNo, totalFee, refundFee, refundDesc?, notifyUrl?, extra? }. */
  async refund(refund) { return this.#call('refund', requestJson(refund, 'refund')); }

  /** refundquery: one of { refundId, outRefundNo, transactionId, outTradeNo }, offset?. */
  async queryRefund(query) { return this.#call('query_refund', requestJson(query, 'query')); }

  /** downloadbill: { billDate: 'yyyyMMdd', billType?, gzip? }. */
  async downloadBill(request) { return this.#call('download_bill', requestJson(request, 'request')); }

  /**
   * Verifies a payment notification (Buffer or string, the raw body); with
   * totalFee (your order's amount) the amount must match too. No I/O.
   */
  verifyPaymentNotify(body, totalFee) {
    const fee = totalFee === undefined ? undefined : requireFen(totalFee, 'totalFee');
    return guard(() => JSON.parse(nativeOf.get(this).verifyPaymentNotify(bodyBuffer(body), fee)));
  }

  /** Confirms a verified notification with orderquery. */
  async confirmPayment(notify) { return this.#call('confirm_payment', JSON.stringify(requireObject(notify, 'notify'))); }

  /** Decrypts a refund notification. No I/O. */
  parseRefundNotify(body) {
    return guard(() => JSON.parse(nativeOf.get(this).parseRefundNotify(bodyBuffer(body))));
  }

  /** The OAuth authorize URL. No I/O. */
  oauthAuthorizeUrl(redirectUri, scope = 'snsapi_base', state = undefined) {
    return this.#now('oauth_authorize_url', JSON.stringify({ redirect_uri: requireString(redirectUri, 'redirectUri'),
      scope: requireString(scope, 'scope'), state: state === undefined ? null : requireString(state, 'state') }));
  }

  /** Exchanges an OAuth code for { openid, … }; never retried once sent. */
  async oauthExchangeCode(code) { return this.#call('oauth_exchange_code', JSON.stringify(requireString(code, 'code'))); }

  /** The cached basic access_token. */
  async accessToken() { return this.#call('access_token', 'null'); }

  /** The cached jsapi_ticket. */
  async jsapiTicket() { return this.#call('jsapi_ticket', 'null'); }

  /** A signed wx.config for the page at url. */
  async jssdkConfig(url, jsApiList) {
    if (!Array.isArray(jsApiList) || !jsApiList.every((n) => typeof n === 'string')) {
      throw new TypeError('jsApiList must be an array of strings');
    }
    return this.#call('jssdk_config', JSON.stringify({ url: requireString(url, 'url'), js_api_list: jsApiList }));
  }
}

module.exports = {
  Client,
  WxPayError,
  sign,
  verify,
  toXml,
  toSignedXml,
  fromXml,
  jssdkSignature,
  decryptReqInfo,
  notifyAck,
  notifyFail,
  version: require('./package.json').version,
};
