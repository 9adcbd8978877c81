'use strict';
/**
 * wxpay for Node.js: the Rust core through napi-rs.
 *
 * Each call crosses into Rust with one string (JSON), one Buffer, or for
 * sign() one reused UTF-8 buffer, and comes back with one string, which is
 * cheaper than reading and writing object properties one by one. Network calls return Promises and run on libuv's
 * thread pool, so the event loop keeps going while WeChat answers; their
 * argument errors arrive as rejections too.
 *
 * Result field names are WeChat's own (snake_case, as in the XML); options
 * and request fields may be written camelCase (`outTradeNo`) or snake_case.
 *
 * index.d.ts is generated from the JSDoc here (`make node-types`); the data
 * shapes it names live in types.d.ts.
 */

/** @typedef {import('./types').Params} Params */
/** @typedef {import('./types').SignType} SignType */
/** @typedef {import('./types').ClientOptions} ClientOptions */
/** @typedef {import('./types').TokenStore} TokenStore */
/** @typedef {import('./types').SubMerchant} SubMerchant */
/** @typedef {import('./types').UnifiedOrderRequest} UnifiedOrderRequest */
/** @typedef {import('./types').UnifiedOrderReply} UnifiedOrderReply */
/** @typedef {import('./types').BridgePayParams} BridgePayParams */
/** @typedef {import('./types').JssdkPayParams} JssdkPayParams */
/** @typedef {import('./types').AppPayParams} AppPayParams */
/** @typedef {import('./types').Coupon} Coupon */
/** @typedef {import('./types').TradeState} TradeState */
/** @typedef {import('./types').OrderQueryRequest} OrderQueryRequest */
/** @typedef {import('./types').OrderQueryReply} OrderQueryReply */
/** @typedef {import('./types').CloseOrderReply} CloseOrderReply */
/** @typedef {import('./types').PaymentNotify} PaymentNotify */
/** @typedef {import('./types').RefundNotify} RefundNotify */
/** @typedef {import('./types').RefundRequest} RefundRequest */
/** @typedef {import('./types').RefundReply} RefundReply */
/** @typedef {import('./types').RefundRecord} RefundRecord */
/** @typedef {import('./types').RefundQueryRequest} RefundQueryRequest */
/** @typedef {import('./types').RefundQueryReply} RefundQueryReply */
/** @typedef {import('./types').DownloadBillRequest} DownloadBillRequest */
/** @typedef {import('./types').Bill} Bill */
/** @typedef {import('./types').OAuthScope} OAuthScope */
/** @typedef {import('./types').OAuthToken} OAuthToken */
/** @typedef {import('./types').JssdkConfig} JssdkConfig */
/** @typedef {import('./types').ErrorCode} ErrorCode */
/** @typedef {import('./types').ErrorDetails} ErrorDetails */
/** @typedef {import('./types').Body} Body */
/** @typedef {import('./types').ShopOrder} ShopOrder */
/** @typedef {import('./types').MicropayRequest} MicropayRequest */
/** @typedef {import('./types').MicropayOutcome} MicropayOutcome */
/** @typedef {import('./types').ReverseOutcome} ReverseOutcome */
/** @typedef {import('./types').NotifyDecision} NotifyDecision */
/** @typedef {import('./types').PrepayAnswer} PrepayAnswer */
/** @typedef {import('./types').JsapiPayParamsV3} JsapiPayParamsV3 */
/** @typedef {import('./types').AppPayParamsV3} AppPayParamsV3 */
/** @typedef {import('./types').TransactionV3} TransactionV3 */
/** @typedef {import('./types').RefundStateV3} RefundStateV3 */
/** @typedef {import('./types').Notification} Notification */
/** @typedef {import('./types').NotifyDecisionV3} NotifyDecisionV3 */
/** @typedef {import('./types').RefundNotifyDecisionV3} RefundNotifyDecisionV3 */
/** @typedef {import('./types').SealedField} SealedField */
const util = require('util');
const { EventEmitter } = require('events');
const { addonPath } = require('./addon');

/** @import { Native, NativeClient, NativeSigner } from './native' */
const native = /** @type {Native} */ (require(addonPath('wxpay.node')));

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
const events = new EventEmitter();

/**
 * @param {WxPayEvent} event
 * @returns {void}
 */
function emitEvent(event) {
  if (events.listenerCount('log') > 0) {
    events.emit('log', event);
  } else if (event.level === 'warning' || event.level === 'error') {
    process.emitWarning(event.message, { type: 'WxPayWarning', code: event.name });
  }
}

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
function setLogLevel(level) {
  native.setEventLevel(level);
}

/**
 * Emits what the core met during the call that just returned, on this
 * thread (the core only queues them).
 * @returns {void}
 */
function drainEvents() {
  if (!native.eventsPending()) return;
  const { events: list, dropped } = /** @type {{ events: WxPayEvent[], dropped: number }} */ (JSON.parse(native.takeEvents()));
  for (const e of list) emitEvent(e);
  if (dropped > 0) {
    emitEvent({ level: 'warning', name: 'events_dropped', message: `${dropped} wxpay events were dropped`, fields: {} });
  }
}

/**
 * Under node:cluster (or pm2's cluster mode) each worker is a process of its
 * own: a client whose tokens stay in the process (no tokenDir, no redis://
 * store), or in a Map handed over as the store, shares nothing with the other
 * workers, and each of them fetches its own tokens from WeChat's daily quota.
 * Said once per client, as the token_store_not_shared warning.
 * @param {string} kind the core's name for the client's store
 * @param {TokenStore | undefined} store
 * @returns {void}
 */
function warnIfNotShared(kind, store) {
  // (The CommonJS module is the Cluster object; @types/node declares it as an ES default export.)
  const cluster = /** @type {import('node:cluster').Cluster} */ (/** @type {unknown} */ (require('node:cluster')));
  const worker = cluster.isWorker || process.env.NODE_APP_INSTANCE !== undefined;
  const local = kind === 'memory' ? 'its own memory' : store instanceof Map ? 'a Map' : null;
  if (!worker || local === null) return;
  emitEvent({
    level: 'warning',
    name: 'token_store_not_shared',
    message: `the token store is ${local}, which each cluster worker keeps for itself: the workers share no `
      + 'token and each fetches its own; give the client tokenDir (one host) or tokenStore: "redis://…"',
    fields: { store: store instanceof Map ? 'Map' : kind },
  });
}

/**
 * The native client with every call followed by drainEvents (after it
 * settles, for a promise).
 * @template {object} T
 * @param {T} target
 * @returns {T}
 */
function draining(target) {
  /** @type {Map<string | symbol, Function>} */
  const wrapped = new Map();
  return new Proxy(target, {
    get(t, key) {
      const value = Reflect.get(t, key, t);
      if (typeof value !== 'function') return value;
      let w = wrapped.get(key);
      if (w === undefined) {
        /** @param {unknown[]} args */
        w = (...args) => {
          let out;
          try {
            out = value.apply(t, args);
          } catch (err) {
            drainEvents();
            throw err;
          }
          if (out instanceof Promise) return out.finally(drainEvents);
          drainEvents();
          return out;
        };
        wrapped.set(key, w);
      }
      return w;
    },
  });
}

/**
 * Every wxpay failure, built by the native side from the core's error.
 * `code` is stable: 'WXPAY_SIGNATURE', 'WXPAY_BUSINESS', … (the README's
 * error table lists them, the same in every language).
 *
 * @example
 *   try { client.verifyPaymentNotify(req.body); }
 *   catch (e) { if (e instanceof WxPayError && e.code === 'WXPAY_SIGNATURE') res.status(400); }
 */
class WxPayError extends Error {
  /** @param {ErrorDetails} details */
  constructor(details) {
    super(details.message);
    this.name = 'WxPayError';
    /** @readonly @type {ErrorCode} */
    this.code = details.code;
    /** @readonly @type {string} The core's error kind: 'Signature', 'Business', … */
    this.kind = details.kind;
    /** @readonly @type {boolean} Whether trying again later may succeed. */
    this.retryable = Boolean(details.retryable);
    /** @readonly @type {string | undefined} Why a signature, XML or input check failed ('Doctype', 'WrongType', …). */
    this.reason;
    /** @readonly @type {string | undefined} The input field that was refused (WeChat's name, e.g. 'total_fee'). */
    this.field;
    /** @readonly @type {string | undefined} WeChat's err_code (business errors). */
    this.errCode;
    /** @readonly @type {string | undefined} WeChat's err_code_des. */
    this.errCodeDes;
    /** @readonly @type {string | undefined} WeChat's return_msg. */
    this.returnMsg;
    /** @readonly @type {number | undefined} The official-account API's errcode. */
    this.errcode;
    /** @readonly @type {string | undefined} The official-account API's errmsg. */
    this.errmsg;
    /** @readonly @type {string | undefined} What was expected (mismatches). */
    this.expected;
    /** @readonly @type {string | undefined} What arrived instead. */
    this.actual;
    for (const name of OPTIONAL_ERROR_FIELDS) {
      const value = details[name];
      if (value !== undefined) Object.defineProperty(this, name, { value, enumerable: true, writable: true, configurable: true });
    }
  }
}

/** @type {readonly (keyof ErrorDetails)[]} */
const OPTIONAL_ERROR_FIELDS = ['reason', 'field', 'errCode', 'errCodeDes', 'returnMsg', 'errcode', 'errmsg', 'expected', 'actual'];

native.setErrorClass(WxPayError);

/**
 * The WxPayError of an error the core handed over as data (the core's
 * `Error::details`, snake_case), as the native side builds the thrown ones.
 * @param {Record<string, unknown>} details
 * @returns {WxPayError}
 */
function errorFromDetails(details) {
  /** @type {Record<string, unknown>} */
  const camel = {};
  for (const [key, value] of Object.entries(details)) {
    camel[key.replace(/_([a-z])/g, (_, c) => c.toUpperCase())] = value;
  }
  return new WxPayError(/** @type {ErrorDetails} */ (/** @type {unknown} */ (camel)));
}

/**
 * @param {unknown} value
 * @param {string} name
 * @returns {string}
 */
function requireString(value, name) {
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string, got ${value === null ? 'null' : typeof value}`);
  if (!value.isWellFormed()) throw notUnicode(name);
  return value;
}

/**
 * The error for a string with a lone surrogate: napi would hand the core
 * U+FFFD in its place, and the core would sign other text than was given.
 * @param {string} name
 */
function notUnicode(name) {
  return new WxPayError({ code: 'WXPAY_INVALID_INPUT', kind: 'InvalidInput', reason: 'Rule', field: name,
    message: `invalid input for ${name}: the string has a lone surrogate (not valid Unicode text)` });
}

/**
 * @param {unknown} value
 * @param {string} name
 * @returns {object}
 */
function requireObject(value, name) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new TypeError(`${name} must be an object`);
  return value;
}

/**
 * JSON for the core, which judges every name and value. Only what JSON
 * cannot carry exactly is refused here: a number that is not a safe
 * integer would arrive rounded, so it is a RangeError (a BigInt within the
 * safe range is sent as a number).
 * @param {string} _key
 * @param {unknown} value
 */
function exactNumbers(_key, value) {
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new RangeError('a BigInt beyond Number.MAX_SAFE_INTEGER cannot be sent exactly');
    }
    return Number(value);
  }
  if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) {
    throw new RangeError(`${value} is beyond Number.MAX_SAFE_INTEGER and would arrive rounded`);
  }
  // JSON.stringify would write NaN and the infinities as null ("not
  // given"): they cross as the core's spelling, for the core to refuse.
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  }
  return value;
}

/**
 * @param {unknown} value
 * @returns {string}
 */
function argsJson(value) {
  return JSON.stringify(value, exactNumbers);
}

/**
 * Named arguments and, when given, a sub-merchant's, as JSON.
 * @param {Record<string, unknown>} args
 * @param {unknown} subMerchant
 */
function subArgsJson(args, subMerchant) {
  return argsJson(subMerchant === undefined ? args : { ...requireObject(subMerchant, 'subMerchant'), ...args });
}

/**
 * A request object's JSON.
 * @param {unknown} request
 * @param {string} name
 */
function requestJson(request, name) {
  return argsJson(requireObject(request, name));
}

/**
 * Field maps for sign/verify/toXml: string values (whole numbers allowed); the core refuses anything else.
 * @param {unknown} params
 */
function paramsJson(params) {
  return argsJson(requireObject(params, 'params'));
}

/**
 * @param {unknown} body
 * @returns {Buffer}
 */
function bodyBuffer(body) {
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (typeof body === 'string') {
    // Buffer.from would replace a lone surrogate with U+FFFD and the core
    // would read other text than was given.
    if (!body.isWellFormed()) throw notUnicode('body');
    return Buffer.from(body, 'utf8');
  }
  throw new TypeError('body must be a Buffer or a string');
}

// Field maps reach the signer as UTF-8 in this buffer: encodeInto is much
// cheaper than napi's own string transfer (which walks the text twice).
// Calls are synchronous, so one buffer per module instance is never shared.
const utf8 = new TextEncoder();
const scratch = new Uint8Array(16 * 1024);

// Signers hold a checked key, so each sign() sends only the fields across.
/** @type {Map<string, NativeSigner>} */
const signers = new Map();

/** @type {{ key: string | null, signType: string | undefined | null, signer: NativeSigner | null }} */
let lastSigner = { key: null, signType: null, signer: null };

/**
 * @param {string} key
 * @param {string | undefined} signType absent: the core's default
 * @returns {NativeSigner}
 */
function signerFor(key, signType) {
  if (key === lastSigner.key && signType === lastSigner.signType && lastSigner.signer) return lastSigner.signer;
  const id = `${signType ?? ''}\u0000${key}`;
  let signer = signers.get(id);
  if (signer === undefined) {
    if (!key.isWellFormed()) throw notUnicode('key');
    if (signType !== undefined && !signType.isWellFormed()) throw notUnicode('signType');
    const created = new native.NativeSigner(key, signType);
    if (signers.size >= 16) signers.delete(/** @type {string} */ (signers.keys().next().value));
    signers.set(id, created);
    signer = created;
  }
  lastSigner = { key, signType, signer };
  return signer;
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
function sign(params, key, signType) {
  const signer = checkedSigner(params, key, signType);
  const count = encodeFields(params);
  if (count >= 0) {
    const signature = signer.signFields(scratch, encodedLength, count);
    if (signature !== null) return signature;
  }
  return signer.sign(paramsJson(params));
}

/**
 * The signer for `key` and `signType` once the arguments' types are checked.
 * @param {unknown} params
 * @param {unknown} key
 * @param {unknown} signType
 */
function checkedSigner(params, key, signType) {
  // The hot path of every request: checks inline, one native call, no closure.
  if (params === null || typeof params !== 'object' || Array.isArray(params)) throw new TypeError('params must be an object');
  if (typeof key !== 'string') throw new TypeError('key must be a string');
  if (signType !== undefined && typeof signType !== 'string') throw new TypeError('signType must be a string');
  return signerFor(key, signType);
}

let encodedLength = 0;

/**
 * Writes `params` into the scratch buffer as UTF-8 `name\0value\0` pairs and
 * answers how many, or -1 when they must go across as JSON instead (a value
 * that is not a string, or text longer than the buffer). A NUL inside a
 * value or a U+FFFD (what encodeInto makes of a lone surrogate) makes the
 * native side answer null, and the caller falls back to JSON too.
 * @param {object} params
 * @returns {number}
 */
function encodeFields(params) {
  const names = Object.keys(params);
  /** @type {Record<string, unknown>} */
  const fields = /** @type {Record<string, unknown>} */ (params);
  let text = '';
  for (let i = 0; i < names.length; i++) {
    const value = fields[names[i]];
    if (typeof value !== 'string') return -1;
    text += names[i] + '\0' + value + '\0';
  }
  const { read, written } = utf8.encodeInto(text, scratch);
  if (read !== text.length) return -1;
  encodedLength = written;
  return names.length;
}

/**
 * @param {unknown} signType
 * @returns {string | undefined}
 */
function optionalSignType(signType) {
  return signType === undefined ? undefined : requireString(signType, 'signType');
}

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
function verify(params, key, signType) {
  return native.verify(paramsJson(params), requireString(key, 'key'), optionalSignType(signType));
}

/**
 * WeChat's flat XML, every value escaped.
 * @param {Params} params
 * @returns {string}
 */
function toXml(params) {
  return native.toXml(paramsJson(params));
}

/**
 * The signed request body, `sign` included.
 * @param {Params} params
 * @param {string} key
 * @param {SignType} [signType] default: the core's, HMAC-SHA256
 * @returns {string}
 */
function toSignedXml(params, key, signType) {
  const signer = checkedSigner(params, key, signType);
  const count = encodeFields(params);
  if (count >= 0) {
    const xml = signer.signedXmlFields(scratch, encodedLength, count);
    if (xml !== null) return xml;
  }
  return native.toSignedXml(paramsJson(params), key, signType);
}

/**
 * Reads WeChat XML with every hardening rule applied (a DOCTYPE is refused before parsing).
 *
 * @example
 *   fromXml('<xml><return_code>SUCCESS</return_code></xml>') // { return_code: 'SUCCESS' }
 * @param {Body} data
 * @returns {Record<string, string>}
 */
function fromXml(data) {
  return JSON.parse(native.fromXml(bodyBuffer(data)));
}

/**
 * The sha1 signature for wx.config.
 * @param {string} jsapiTicket
 * @param {string} noncestr
 * @param {number} timestamp Unix seconds
 * @param {string} url the page's URL without its #fragment
 * @returns {string}
 */
function jssdkSignature(jsapiTicket, noncestr, timestamp, url) {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new TypeError('timestamp must be Unix seconds');
  return native.jssdkSignature(requireString(jsapiTicket, 'jsapiTicket'), requireString(noncestr, 'noncestr'),
    timestamp, requireString(url, 'url'));
}

/**
 * The fields of a refund notification's req_info (AES-256-ECB with md5(apiKey)).
 * @param {string} reqInfo
 * @param {string} apiKey
 * @returns {Record<string, string>}
 */
function decryptReqInfo(reqInfo, apiKey) {
  return JSON.parse(native.decryptReqInfo(requireString(reqInfo, 'reqInfo'), requireString(apiKey, 'apiKey')));
}

/**
 * The exact reply that stops WeChat's retries.
 * @returns {string}
 */
function notifyAck() {
  return native.notifyAck();
}

/**
 * A reply that makes WeChat retry later.
 * @param {string} message
 * @returns {string}
 */
function notifyFail(message) {
  return native.notifyFail(requireString(message, 'message'));
}

/**
 * The values of pay params, sent as `value\0value\0…` in the order of the
 * core's names (the vector tests check names and order against its JSON).
 * @param {string} text
 */
function payValues(text) {
  /** @type {string[]} */
  const values = [];
  let start = 0;
  for (let end = text.indexOf('\0'); end !== -1; end = text.indexOf('\0', start)) {
    values.push(text.slice(start, end));
    start = end + 1;
  }
  return values;
}

/**
 * An object-literal builder for one pay-params shape, from the core's
 * property names: an object literal of fixed shape (computed keys, no code
 * generation) is several times cheaper than JSON.parse or adding properties
 * one by one.
 * @template T
 * @param {string[]} names
 * @returns {(values: string[]) => T}
 */
function literalOf(names) {
  const [a, b, c, d, e, f, g, h] = names;
  /** @type {(v: string[]) => any} */
  let build;
  switch (names.length) {
    case 5: build = (v) => ({ [a]: v[0], [b]: v[1], [c]: v[2], [d]: v[3], [e]: v[4] }); break;
    case 6: build = (v) => ({ [a]: v[0], [b]: v[1], [c]: v[2], [d]: v[3], [e]: v[4], [f]: v[5] }); break;
    case 7: build = (v) => ({ [a]: v[0], [b]: v[1], [c]: v[2], [d]: v[3], [e]: v[4], [f]: v[5], [g]: v[6] }); break;
    case 8: build = (v) => ({ [a]: v[0], [b]: v[1], [c]: v[2], [d]: v[3], [e]: v[4], [f]: v[5], [g]: v[6], [h]: v[7] }); break;
    default: throw new Error(`wxpay: pay params of ${names.length} fields are not supported`);
  }
  return /** @type {(values: string[]) => T} */ (build);
}

/** @type {{ bridge: string[], jssdk: string[], app: string[] }} */
const PAY_PARAM_NAMES = JSON.parse(native.payParamNames());
/** @type {(values: string[]) => BridgePayParams} */
const bridgeParams = literalOf(PAY_PARAM_NAMES.bridge);
/** @type {(values: string[]) => JssdkPayParams} */
const jssdkParams = literalOf(PAY_PARAM_NAMES.jssdk);
/** @type {(values: string[]) => AppPayParams} */
const appParams = literalOf(PAY_PARAM_NAMES.app);

/**
 * Runs token-store requests from the core on `store` and hands the results back.
 * @param {TokenStore} store
 * @returns {(requestJson: string | Error) => void}
 */
function storeBridge(store) {
  /** @param {{ op: string, key: string, value?: string, ttl?: number }} r */
  const run = async (r) => {
    switch (r.op) {
      case 'get': {
        const value = await store.get(r.key);
        return typeof value === 'string' ? value : null;
      }
      case 'set': await store.set(r.key, /** @type {string} */ (r.value), /** @type {number} */ (r.ttl)); return null;
      // The fleet's refresh lock: an atomic add, when the store has one.
      case 'add': return typeof store.add === 'function'
        ? Boolean(await store.add(r.key, /** @type {string} */ (r.value), /** @type {number} */ (r.ttl))) : null;
      case 'unlock':
        // Only our own lock: after an expiry it may be another's now.
        if (typeof store.delete === 'function' && (await store.get(r.key)) === r.value) await store.delete(r.key);
        return null;
      default: return null;
    }
  };
  return (requestJson) => {
    // Anything but a request (the error of a caught panic) was answered natively.
    if (typeof requestJson !== 'string') return;
    const r = JSON.parse(requestJson);
    run(r).then((value) => native.storeReply(r.id, JSON.stringify({ value })),
      (e) => native.storeReply(r.id, JSON.stringify({ error: (e && e.name) || 'Error' })));
  };
}

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
class Client {
  /** @type {NativeClient} */
  #native;

  /**
   * @param {ClientOptions} options appid, mchId, apiKey and the optional ones the core reads (every
   *   name and what it means: CoreClientOptions in results.d.ts, generated from the core); tokenStore
   *   is a `redis://` URL, or an object with async get(key) and set(key, value, ttlSeconds) (with an
   *   atomic add(key, value, ttlSeconds) and delete(key), the processes of a fleet share one refresh).
   */
  constructor(options) {
    // Every name, required option, default and rule is the core's (one
    // entry point for every language); only what JSON cannot carry is
    // handled here: a function would vanish from the JSON ("not given"),
    // and a store object travels beside it.
    /** @type {Record<string, unknown>} */
    const given = /** @type {any} */ (requireObject(options, 'options'));
    /** @type {Record<string, unknown>} */
    const clean = {};
    /** @type {TokenStore | undefined} */
    let store;
    for (const [key, value] of Object.entries(given)) {
      if (value === undefined) continue;
      if ((key === 'tokenStore' || key === 'token_store') && value !== null && typeof value === 'object') {
        store = /** @type {TokenStore} */ (value);
        continue;
      }
      if (typeof value === 'function' || typeof value === 'symbol') {
        throw new TypeError(`options.${key} has the wrong type`);
      }
      clean[key] = value;
    }
    if (store !== undefined && (typeof store.get !== 'function' || typeof store.set !== 'function')) {
      throw new TypeError('options.tokenStore must be a redis:// URL or have get(key) and set(key, value, ttlSeconds)');
    }
    this.#native = draining(new native.NativeClient(argsJson(clean), store && storeBridge(store)));
    warnIfNotShared(this.tokenStoreHealth().store, store);
  }

  /** @returns {string} */
  get appid() { return this.#native.appid; }

  /** @returns {string} */
  get mchId() { return this.#native.mchId; }

  [util.inspect.custom]() {
    return `Client { appid: '${this.appid}', mchId: '${this.mchId}' }`;
  }

  /** @returns {{ appid: string, mchId: string }} */
  toJSON() {
    return { appid: this.appid, mchId: this.mchId };
  }

  /**
   * Any operation by its core name (`'query_order'`, `'micropay'`, … the
   * README's table), with named arguments (snake_case or camelCase) or a
   * list of positional ones; resolves to the core's JSON result as data
   * (errors inside a result stay plain objects). Runs on a wxpay worker.
   * @param {string} op
   * @param {Record<string, unknown> | unknown[]} [args]
   * @returns {Promise<any>}
   */
  async call(op, args) {
    return this.#call(requireString(op, 'op'), argsJson(args ?? {}));
  }

  /**
   * Runs a network operation off the main thread. Its arguments are judged
   * by the core, so a bad one arrives as a rejection too.
   * @param {string} op
   * @param {string} argsJson an object of named arguments or an array of positional ones
   * @returns {Promise<any>}
   */
  async #call(op, argsJson) {
    return JSON.parse(await this.#native.call(op, argsJson));
  }

  /**
   * Runs an operation without I/O now.
   * @param {string} op
   * @param {unknown[]} args positional arguments
   * @returns {any}
   */
  #now(op, args) {
    return JSON.parse(this.#native.callSync(op, argsJson(args)));
  }

  /**
   * Places an order (unifiedorder). `totalFee` is integer fen.
   * @param {UnifiedOrderRequest} order
   * @returns {Promise<UnifiedOrderReply>}
   */
  async unifiedOrder(order) { return this.#call('unified_order', requestJson(order, 'order')); }

  /**
   * getBrandWCPayRequest params for prepayId (no I/O). A service provider
   * passes the sub-merchant; `appId` is then its `subAppid` when given.
   * @param {string} prepayId
   * @param {SubMerchant} [subMerchant]
   * @returns {BridgePayParams}
   */
  jsapiParams(prepayId, subMerchant) {
    if (subMerchant !== undefined) return this.#forSub('jsapi_params', { prepayId }, subMerchant);
    return bridgeParams(payValues(this.#payText('bridgeParams', prepayId)));
  }

  /**
   * wx.chooseWXPay params (note `timestamp`, lower case).
   * @param {string} prepayId
   * @param {SubMerchant} [subMerchant]
   * @returns {JssdkPayParams}
   */
  jssdkPayParams(prepayId, subMerchant) {
    if (subMerchant !== undefined) return this.#forSub('jssdk_pay_params', { prepayId }, subMerchant);
    return jssdkParams(payValues(this.#payText('jssdkParams', prepayId)));
  }

  /**
   * App PayReq params (the appid must be the mobile app's).
   * @param {string} prepayId
   * @param {SubMerchant} [subMerchant]
   * @returns {AppPayParams}
   */
  appPayParams(prepayId, subMerchant) {
    if (subMerchant !== undefined) return this.#forSub('app_pay_params', { prepayId }, subMerchant);
    return appParams(payValues(this.#payText('appParams', prepayId)));
  }

  /**
   * A call without I/O for a sub-merchant: its arguments and the
   * sub-merchant's, by name.
   * @param {string} op
   * @param {Record<string, unknown>} args
   * @param {unknown} subMerchant
   * @returns {any}
   */
  #forSub(op, args, subMerchant) {
    return JSON.parse(this.#native.callSync(op, argsJson({ ...requireObject(subMerchant, 'subMerchant'), ...args })));
  }

  /**
   * @param {'bridgeParams' | 'jssdkParams' | 'appParams'} shape
   * @param {unknown} prepayId
   * @returns {string}
   */
  #payText(shape, prepayId) {
    if (typeof prepayId !== 'string') throw new TypeError('prepayId must be a string');
    return this.#native[shape](prepayId);
  }

  /**
   * orderquery by outTradeNo or transactionId.
   * @param {OrderQueryRequest} which
   * @returns {Promise<OrderQueryReply>}
   */
  async queryOrder(which) { return this.#call('query_order', requestJson(which, 'query')); }

  /**
   * closeorder; an order WeChat already closed resolves with already_closed.
   * @param {string} outTradeNo
   * @param {SubMerchant} [subMerchant]
   * @returns {Promise<CloseOrderReply>}
   */
  async closeOrder(outTradeNo, subMerchant) {
    return this.#call('close_order', subArgsJson({ outTradeNo: requireString(outTradeNo, 'outTradeNo') }, subMerchant));
  }

  /**
   * refund (needs the merchant certificate against WeChat itself).
   * @param {RefundRequest} refund
   * @returns {Promise<RefundReply>}
   */
  async refund(refund) { return this.#call('refund', requestJson(refund, 'refund')); }

  /**
   * refundquery by one of refundId, outRefundNo, transactionId, outTradeNo.
   * @param {RefundQueryRequest} query
   * @returns {Promise<RefundQueryReply>}
   */
  async queryRefund(query) { return this.#call('query_refund', requestJson(query, 'query')); }

  /**
   * downloadbill for one day.
   * @param {DownloadBillRequest} request
   * @returns {Promise<Bill>}
   */
  async downloadBill(request) { return this.#call('download_bill', requestJson(request, 'request')); }

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
  async micropay(request) {
    const outcome = await this.#call('micropay', requestJson(request, 'request'));
    if (outcome.error) outcome.error = errorFromDetails(outcome.error);
    return outcome;
  }

  /**
   * Reverses a counter payment (secapi/pay/reverse) until WeChat confirms
   * it: for an 'unsettled' payment whose `follow_up` is 'reverse'. Rejects
   * with a WxPayError when WeChat did not confirm it.
   * @param {string} outTradeNo
   * @param {SubMerchant} [subMerchant]
   * @returns {Promise<ReverseOutcome>}
   */
  async reverse(outTradeNo, subMerchant) {
    return this.#call('reverse', subArgsJson({ outTradeNo: requireString(outTradeNo, 'outTradeNo') }, subMerchant));
  }

  /**
   * The openid of the customer whose payment code was scanned
   * (tools/authcodetoopenid); afterwards only this merchant can charge it.
   * @param {string} authCode
   * @param {SubMerchant} [subMerchant]
   * @returns {Promise<string>}
   */
  async authCodeToOpenid(authCode, subMerchant) {
    return this.#call('auth_code_to_openid', subArgsJson({ authCode: requireString(authCode, 'authCode') }, subMerchant));
  }

  /**
   * Verifies a payment notification (the raw body, Buffer or string); with
   * totalFee (your order's amount) the amount must match too. No I/O.
   * @param {Body} body
   * @param {number} [totalFee]
   * @returns {PaymentNotify}
   */
  verifyPaymentNotify(body, totalFee) {
    return JSON.parse(this.#native.callBody('verify_payment_notify', bodyBuffer(body), argsJson(totalFee === undefined ? [] : [totalFee])));
  }

  /**
   * Throws a WxPayError (code WXPAY_MISMATCH) unless the verified
   * notification pays exactly `totalFee` fen (your order's amount) in CNY. No I/O.
   * @param {PaymentNotify} notify
   * @param {number} totalFee
   * @returns {void}
   */
  checkAmount(notify, totalFee) {
    this.#now('check_amount', [requireObject(notify, 'notify'), totalFee]);
  }

  /**
   * Confirms a verified notification with orderquery.
   * @param {PaymentNotify} notify
   * @returns {Promise<OrderQueryReply>}
   */
  async confirmPayment(notify) { return this.#call('confirm_payment', argsJson([requireObject(notify, 'notify')])); }

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
  async handlePaymentNotify(body, findOrder) {
    if (typeof findOrder !== 'function') throw new TypeError('findOrder must be a function: outTradeNo => your order or null');
    const buffer = bodyBuffer(body);
    const outTradeNo = this.paymentNotifyOrder(buffer);
    const order = outTradeNo === null ? null : await findOrder(outTradeNo);
    return this.#settle(buffer, order ?? null);
  }

  /**
   * handlePaymentNotify with your record of the order already at hand
   * (`null` when there is no such order).
   * @param {Body} body
   * @param {ShopOrder | null} order
   * @returns {Promise<NotifyDecision>}
   */
  async settlePaymentNotify(body, order) {
    return this.#settle(bodyBuffer(body), order);
  }

  /**
   * @param {Buffer} buffer
   * @param {ShopOrder | null} order
   * @returns {Promise<NotifyDecision>}
   */
  async #settle(buffer, order) {
    const { json, error } = await this.#native.callBodyAsync('settle_payment_notify', buffer, argsJson([order]));
    const decision = JSON.parse(json);
    decision.error = error ?? null;
    return decision;
  }

  /**
   * Exchanges an OAuth code for { openid, … }; never retried once sent.
   * @param {string} code
   * @returns {Promise<OAuthToken>}
   */
  async oauthExchangeCode(code) { return this.#call('oauth_exchange_code', argsJson([requireString(code, 'code')])); }

  // <generated by packaging/gen_hosts.py from the core's operation table: do not edit>
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
  async downloadFundFlow(billDate, accountType, gzip) {
    return this.#call('download_fund_flow', argsJson([billDate, accountType ?? null, gzip ?? null]));
  }

  /**
   * Registers a profit-sharing receiver (`pay/profitsharingaddreceiver`):
   * `type` (MERCHANT_ID, PERSONAL_OPENID, PERSONAL_SUB_OPENID), `account`,
   * `relation_type`, and `name` (required for MERCHANT_ID), `custom_relation`
   * (with CUSTOM). HMAC-SHA256 always.
   * @param {Record<string, unknown>} request its arguments by name
   * @returns {Promise<void>}
   */
  async addProfitSharingReceiver(request) {
    await this.#call('add_profit_sharing_receiver', requestJson(request, 'request'));
  }

  /**
   * Removes a profit-sharing receiver (`pay/profitsharingremovereceiver`) by
   * `type` and `account`.
   * @param {Record<string, unknown>} request its arguments by name
   * @returns {Promise<void>}
   */
  async removeProfitSharingReceiver(request) {
    await this.#call('remove_profit_sharing_receiver', requestJson(request, 'request'));
  }

  /**
   * Shares a paid order's money (`secapi/pay/profitsharing`, or
   * `multiprofitsharing` with `multi`; the client certificate):
   * `transaction_id`, `out_order_no`, `receivers` (`type`, `account`, `amount`
   * in fen, `description`). A single sharing releases the rest; the reply says
   * accepted, `query_profit_sharing` how it went.
   * @param {Record<string, unknown>} request its arguments by name
   * @returns {Promise<import('./types').ProfitSharingState>}
   */
  async profitSharing(request) {
    return this.#call('profit_sharing', requestJson(request, 'request'));
  }

  /**
   * How a sharing or a finish went (`pay/profitsharingquery`): `status`
   * PROCESSING or FINISHED, each receiver's `result`.
   * @param {string} transactionId
   * @param {string} outOrderNo
   * @param {SubMerchant} [subMerchant]
   * @returns {Promise<import('./types').ProfitSharingState>}
   */
  async queryProfitSharing(transactionId, outOrderNo, subMerchant) {
    return this.#call('query_profit_sharing', subArgsJson({ transactionId, outOrderNo }, subMerchant));
  }

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
  async finishProfitSharing(transactionId, outOrderNo, description, subMerchant) {
    return this.#call('finish_profit_sharing', subArgsJson({ transactionId, outOrderNo, description }, subMerchant));
  }

  /**
   * What of a paid order is still unshared
   * (`pay/profitsharingorderamountquery`), in fen.
   * @param {string} transactionId
   * @param {SubMerchant} [subMerchant]
   * @returns {Promise<import('./types').UnsplitAmount>}
   */
  async profitSharingUnsplitAmount(transactionId, subMerchant) {
    return this.#call('profit_sharing_unsplit_amount', subArgsJson({ transactionId }, subMerchant));
  }

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
  async profitSharingReturn(request) {
    return this.#call('profit_sharing_return', requestJson(request, 'request'));
  }

  /**
   * How a return went (`pay/profitsharingreturnquery`): `order_id` or
   * `out_order_no`, and `out_return_no`.
   * @param {Record<string, unknown>} request its arguments by name
   * @returns {Promise<import('./types').ReturnState>}
   */
  async queryProfitSharingReturn(request) {
    return this.#call('query_profit_sharing_return', requestJson(request, 'request'));
  }

  /**
   * The share of a sub-merchant's orders a service provider may take
   * (`pay/profitsharingmerchantratioquery`), in ten-thousandths: call it for
   * the sub-merchant, or give a `brand_mch_id`.
   * @param {string} [brandMchId]
   * @param {SubMerchant} [subMerchant]
   * @returns {Promise<import('./types').MaxRatio>}
   */
  async profitSharingMaxRatio(brandMchId, subMerchant) {
    return this.#call('profit_sharing_max_ratio', subArgsJson({ brandMchId }, subMerchant));
  }

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
  reconcile(body, records) {
    return JSON.parse(this.#native.callBody('reconcile', bodyBuffer(body), argsJson([records])));
  }

  /**
   * Opens a reconciliation to feed in many calls, in bounded memory:
   * `memory_mib` (memory for both sides before spilling to disk, default 48),
   * `spill_dir`, `list_limit` (differences listed, default 1,000). Returns its
   * id; end it with `reconcile_finish`. No I/O.
   * @param {Record<string, unknown>} request its arguments by name
   * @returns {string}
   */
  reconcileStart(request) {
    return JSON.parse(this.#native.callSync('reconcile_start', requestJson(request, 'request')));
  }

  /**
   * The next bytes of an open reconciliation's bill, in chunks of any size. No
   * I/O.
   * @param {Body} body
   * @param {string} reconciliation
   * @returns {void}
   */
  reconcileBill(body, reconciliation) {
    JSON.parse(this.#native.callBody('reconcile_bill', bodyBuffer(body), argsJson([reconciliation])));
  }

  /**
   * Downloads the day's `ALL` trade bill (gzip) straight into an open
   * reconciliation, its bytes never parsed into rows in memory; `No Bill
   * Exist` is an empty day.
   * @param {string} reconciliation
   * @param {string} billDate
   * @param {SubMerchant} [subMerchant]
   * @returns {Promise<void>}
   */
  async reconcileDownloadBill(reconciliation, billDate, subMerchant) {
    await this.#call('reconcile_download_bill', subArgsJson({ reconciliation, billDate }, subMerchant));
  }

  /**
   * A batch of the shop's records for an open reconciliation (as for
   * `reconcile`); a bad record refuses the whole batch. No I/O.
   * @param {string} reconciliation
   * @param {Array<Record<string, unknown>>} records
   * @returns {void}
   */
  reconcileShop(reconciliation, records) {
    this.#now('reconcile_shop', [reconciliation, records]);
  }

  /**
   * The next bytes of the shop's records as CSV (a header naming
   * `out_trade_no`, `total_fee`, `transaction_id`, `out_refund_no`,
   * `refund_fee`, `refund_id`; amounts in fen) for an open reconciliation. No
   * I/O.
   * @param {Body} body
   * @param {string} reconciliation
   * @returns {void}
   */
  reconcileShopCsv(body, reconciliation) {
    JSON.parse(this.#native.callBody('reconcile_shop_csv', bodyBuffer(body), argsJson([reconciliation])));
  }

  /**
   * Compares an open reconciliation's bill and records and closes it: totals
   * of each side, what matched, each kind of difference counted and the first
   * ones listed. No I/O.
   * @param {string} reconciliation
   * @returns {import('./types').Reconciliation}
   */
  reconcileFinish(reconciliation) {
    return this.#now('reconcile_finish', [reconciliation]);
  }

  /**
   * The link of a Native mode-one QR code, printed once for a product
   * (`weixin://wxpay/bizpayurl?…`, signed MD5). No I/O.
   * @param {string} productId
   * @returns {string}
   */
  nativeQrLink(productId) {
    return this.#now('native_qr_link', [productId]);
  }

  /**
   * A short `weixin://wxpay/s/…` link for a long `weixin://` link
   * (`tools/shorturl`), for a smaller QR code.
   * @param {string} longUrl
   * @param {SubMerchant} [subMerchant]
   * @returns {Promise<string>}
   */
  async shortUrl(longUrl, subMerchant) {
    return this.#call('short_url', subArgsJson({ longUrl }, subMerchant));
  }

  /**
   * Verifies the scan callback of a Native mode-one QR code (MD5 signature,
   * appid, mch_id): who scanned (`openid`) which `product_id`. Place the order
   * with both, then answer with `native_scan_reply`. No I/O.
   * @param {Body} body
   * @returns {import('./types').ScanCallback}
   */
  verifyScanCallback(body) {
    return JSON.parse(this.#native.callBody('verify_scan_callback', bodyBuffer(body), '[]'));
  }

  /**
   * The signed XML answering a scan callback with the order's `prepay_id`. No
   * I/O.
   * @param {string} prepayId
   * @returns {string}
   */
  nativeScanReply(prepayId) {
    return this.#now('native_scan_reply', [prepayId]);
  }

  /**
   * The signed XML refusing a scan callback (sold out, closed); WeChat shows
   * `message` to the payer. No I/O.
   * @param {string} message
   * @returns {string}
   */
  nativeScanRefusal(message) {
    return this.#now('native_scan_refusal', [message]);
  }

  /**
   * The out_trade_no a payment notification is about once verified, or null
   * (the first half of the notify handler). No I/O.
   * @param {Body} body
   * @returns {string | null}
   */
  paymentNotifyOrder(body) {
    return JSON.parse(this.#native.callBody('payment_notify_order', bodyBuffer(body), '[]'));
  }

  /**
   * Decrypts and verifies a refund notification's raw body. No I/O.
   * @param {Body} body
   * @returns {RefundNotify}
   */
  parseRefundNotify(body) {
    return JSON.parse(this.#native.callBody('parse_refund_notify', bodyBuffer(body), '[]'));
  }

  /**
   * The refund notify handler in one call: decrypts and checks the raw body
   * and decides the reply: `status` `refunded` (record it once, then reply),
   * `not_refunded` (REFUNDCLOSE or CHANGE) or `refused` (`error` says why; the
   * reply is FAIL). No I/O.
   * @param {Body} body
   * @returns {import('./types').RefundNotifyDecision}
   */
  handleRefundNotify(body) {
    const result = JSON.parse(this.#native.callBody('handle_refund_notify', bodyBuffer(body), '[]'));
    if (result.error) result.error = errorFromDetails(result.error);
    return result;
  }

  /**
   * The OAuth page to send a shopper to (`scope` defaults to `snsapi_base`).
   * No I/O.
   * @param {string} redirectUri
   * @param {string} [scope]
   * @param {string} [state]
   * @returns {string}
   */
  oauthAuthorizeUrl(redirectUri, scope, state) {
    return this.#now('oauth_authorize_url', [redirectUri, scope ?? null, state ?? null]);
  }

  /**
   * A signed, stateless OAuth `state` bound to `context` (e.g. the session
   * id). No I/O.
   * @param {string} context
   * @returns {string}
   */
  oauthState(context) {
    return this.#now('oauth_state', [context]);
  }

  /**
   * Checks an OAuth `state` on the redirect: fails when forged, older than
   * `max_age` seconds or issued for another context. No I/O.
   * @param {string} state
   * @param {string} context
   * @param {number} [maxAge]
   * @returns {void}
   */
  checkOauthState(state, context, maxAge) {
    this.#now('check_oauth_state', [state, context, maxAge ?? null]);
  }

  /**
   * A mini-program login: the `code` of `wx.login()` exchanged for the user's
   * openid, unionid and session_key (with the client's appid and app_secret,
   * the mini-program's); never retried once sent. The session_key is a secret:
   * keep it on the server.
   * @param {string} code
   * @returns {Promise<import('./types').MiniProgramSession>}
   */
  async jscode2session(code) {
    return this.#call('jscode2session', argsJson([code]));
  }

  /**
   * The official account's access_token, cached (and shared through the token
   * store).
   * @returns {Promise<string>}
   */
  async accessToken() {
    return this.#call('access_token', 'null');
  }

  /**
   * The JS-SDK `jsapi_ticket`, cached like the access_token.
   * @returns {Promise<string>}
   */
  async jsapiTicket() {
    return this.#call('jsapi_ticket', 'null');
  }

  /**
   * What this client did since it was made: calls by operation and outcome
   * (`ok` or the error kind) with their latency in ms (p50, p90, p99, max,
   * mean), requests sent to WeChat, retries, failovers, token fetches and
   * token store failures. No I/O.
   * @returns {import('./types').ClientMetrics}
   */
  metrics() {
    return this.#now('metrics', []);
  }

  /**
   * The same counts in Prometheus' text format, labelled with the client's
   * mch_id, for a `/metrics` endpoint. No I/O.
   * @returns {string}
   */
  metricsPrometheus() {
    return this.#now('metrics_prometheus', []);
  }

  /**
   * Whether the token store answers (`store`, `healthy`, and the failing
   * store's `error`): while it fails, each process fetches its own tokens.
   * What the last uses of the store found; no I/O.
   * @returns {import('./types').TokenStoreHealth}
   */
  tokenStoreHealth() {
    return this.#now('token_store_health', []);
  }

  /**
   * The signed `wx.config` of a page: `url` (without its fragment) and the JS
   * APIs it uses.
   * @param {string} url
   * @param {string[]} jsApiList
   * @returns {Promise<JssdkConfig>}
   */
  async jssdkConfig(url, jsApiList) {
    return this.#call('jssdk_config', argsJson([url, jsApiList]));
  }
  // </generated>
}

/**
 * A notification's headers as a framework hands them over: Express's
 * `req.headers` (a value may be a list), a `Headers` object, or pairs.
 * @typedef {Record<string, string | string[] | undefined> | Iterable<[string, string]>} V3Headers
 */

/**
 * The headers as the list of `[name, value]` pairs the core reads.
 * @param {V3Headers} headers
 * @returns {[string, string][]}
 */
function headerPairs(headers) {
  if (headers === null || typeof headers !== 'object') throw new TypeError('headers must be an object or a list of [name, value] pairs');
  /** @type {[string, string][]} */
  const pairs = [];
  const entries = Symbol.iterator in headers
    ? /** @type {Iterable<[string, unknown]>} */ (headers)
    : Object.entries(/** @type {Record<string, unknown>} */ (headers));
  for (const [name, value] of entries) {
    for (const one of Array.isArray(value) ? value : [value]) {
      if (one === undefined) continue;
      pairs.push([requireString(name, 'header name'), requireString(one, `header ${name}`)]);
    }
  }
  return pairs;
}

/**
 * WeChat Pay API v3 for one merchant (README, "API v3"). Every method is
 * the core's v3 operation of the same name; the network ones run on wxpay's
 * workers and resolve.
 */
class ClientV3 {
  /** @type {import('./native').NativeClientV3} */
  #native;

  /**
   * @param {Record<string, unknown>} options mchid, appid, merchantSerial, apiv3Key, privateKey (PEM
   *   string or Buffer) or privateKeyPath, publicKeyId with publicKey or publicKeyPath, and the
   *   optional ones the core reads (notifyUrl, baseUrl, timeouts, retries, tokenDir, tokenStore…).
   */
  constructor(options) {
    const given = /** @type {Record<string, unknown>} */ (requireObject(options, 'options'));
    /** @type {Record<string, unknown>} */
    const clean = {};
    for (const [key, value] of Object.entries(given)) {
      if (value === undefined) continue;
      if (typeof value === 'function' || typeof value === 'symbol') throw new TypeError(`options.${key} has the wrong type`);
      // PEM handed over as a Buffer, as fs.readFileSync gives it.
      clean[key] = Buffer.isBuffer(value) ? value.toString('utf8')
        : Array.isArray(value) ? value.map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : v)) : value;
    }
    this.#native = draining(new native.NativeClientV3(argsJson(clean)));
  }

  /** @returns {string} */
  get mchid() { return this.#native.mchid; }

  /** @returns {string} */
  get appid() { return this.#native.appid; }

  [util.inspect.custom]() {
    return `ClientV3 { mchid: '${this.mchid}', appid: '${this.appid}' }`;
  }

  /** @returns {{ mchid: string, appid: string }} */
  toJSON() {
    return { mchid: this.mchid, appid: this.appid };
  }

  /**
   * Any v3 operation by its core name, with named arguments or a list of positional ones.
   * @param {string} op
   * @param {Record<string, unknown> | unknown[]} [args]
   * @returns {Promise<any>}
   */
  async call(op, args) {
    return JSON.parse(await this.#native.call(requireString(op, 'op'), argsJson(args ?? {})));
  }

  // <generated by packaging/gen_hosts.py from the core's v3 operation table: do not edit>
  /**
   * Places an order: `kind` (jsapi, app, native, h5), `description`, `out_trade_no`, `total`
   * (fen), `openid` (jsapi), `payer_client_ip` and `h5_type` (h5); `notify_url`, `attach`,
   * `time_expire`; a service provider's `sub_mchid` and `sub_appid`.
   * @param {Record<string, unknown>} request its arguments by name (snake_case or camelCase)
   * @returns {Promise<import('./types').PrepayAnswer>}
   */
  async prepay(request) {
    return this.call('prepay', /** @type {Record<string, unknown>} */ (requireObject(request, 'request')));
  }

  /**
   * The `getBrandWCPayRequest` / `wx.requestPayment` params (signType RSA), for the client's
   * appid or `appid` (a sub-merchant's).
   * @param {string} prepayId
   * @param {string} [appid]
   * @returns {import('./types').JsapiPayParamsV3}
   */
  jsapiParams(prepayId, appid) {
    return JSON.parse(this.#native.callSync('jsapi_params', argsJson([prepayId, appid ?? null])));
  }

  /**
   * The App SDK's `PayReq` params, signed with RSA.
   * @param {string} prepayId
   * @returns {import('./types').AppPayParamsV3}
   */
  appParams(prepayId) {
    return JSON.parse(this.#native.callSync('app_params', argsJson([prepayId])));
  }

  /**
   * An order by `out_trade_no` or `transaction_id`, checked whole; `total` (fen) when the shop
   * knows it; a service provider's `sub_mchid` (and `sub_appid`).
   * @param {Record<string, unknown>} request its arguments by name (snake_case or camelCase)
   * @returns {Promise<import('./types').TransactionV3>}
   */
  async queryOrder(request) {
    return this.call('query_order', /** @type {Record<string, unknown>} */ (requireObject(request, 'request')));
  }

  /**
   * Closes an unpaid order (a service provider's with `sub_mchid`).
   * @param {string} outTradeNo
   * @param {string} [subMchid]
   * @returns {Promise<void>}
   */
  async closeOrder(outTradeNo, subMchid) {
    await this.call('close_order', [outTradeNo, subMchid ?? null]);
  }

  /**
   * Asks for a refund: `out_refund_no`, `refund` and `total` (fen), `out_trade_no` or
   * `transaction_id`; `reason`, `notify_url`, `sub_mchid`.
   * @param {Record<string, unknown>} request its arguments by name (snake_case or camelCase)
   * @returns {Promise<import('./types').RefundStateV3>}
   */
  async refund(request) {
    return this.call('refund', /** @type {Record<string, unknown>} */ (requireObject(request, 'request')));
  }

  /**
   * A refund, checked against the one asked for (the same arguments as `refund`).
   * @param {Record<string, unknown>} request its arguments by name (snake_case or camelCase)
   * @returns {Promise<import('./types').RefundStateV3>}
   */
  async queryRefund(request) {
    return this.call('query_refund', /** @type {Record<string, unknown>} */ (requireObject(request, 'request')));
  }

  /**
   * A day's trade bill (`yyyy-MM-dd`; ALL, SUCCESS or REFUND), checked against WeChat's SHA-1.
   * @param {string} billDate
   * @param {string} [billType]
   * @returns {Promise<import('./types').Bill>}
   */
  async downloadTradeBill(billDate, billType) {
    return this.call('download_trade_bill', [billDate, billType ?? null]);
  }

  /**
   * A day's fund flow (BASIC, OPERATION or FEES), checked against WeChat's SHA-1.
   * @param {string} billDate
   * @param {string} [accountType]
   * @returns {Promise<import('./types').FundFlow>}
   */
  async downloadFundFlowBill(billDate, accountType) {
    return this.call('download_fund_flow_bill', [billDate, accountType ?? null]);
  }

  /**
   * A sensitive field encrypted for WeChat (RSA-OAEP): `serial` (send as Wechatpay-Serial) and
   * `ciphertext`.
   * @param {string} text
   * @returns {Promise<import('./types').SealedField>}
   */
  async encryptSensitive(text) {
    return this.call('encrypt_sensitive', [text]);
  }
  // </generated>

  /**
   * @param {string} op
   * @param {V3Headers} headers
   * @param {Body} body
   * @param {Record<string, unknown>} [more]
   * @returns {Promise<any>}
   */
  async #notification(op, headers, body, more) {
    const [buffer, args] = [bodyBuffer(body), argsJson({ headers: headerPairs(headers), ...more })];
    // A notification whose key is held is CPU work: done here rather than a round trip to a worker.
    return JSON.parse(this.#native.callBodyIfReady(op, buffer, args) ?? await this.#native.callBody(op, buffer, args));
  }

  /**
   * A notification verified over its raw body with its headers, then decrypted. `now` (Unix
   * seconds) replaces the clock only to replay a recorded notification in a test.
   * @param {V3Headers} headers
   * @param {Body} body
   * @param {number} [now]
   * @returns {Promise<import('./types').Notification>}
   */
  async parseNotification(headers, body, now) {
    return this.#notification('parse_notification', headers, body, now === undefined ? {} : { now });
  }

  /**
   * The whole v3 payment notify handler: findOrder(outTradeNo) gives your record ({ total_fee,
   * transaction_id, sub_mch_id }) or null; answer WeChat with the result's http_status and body.
   * @param {V3Headers} headers
   * @param {Body} body
   * @param {(outTradeNo: string) => ShopOrder | null | undefined | Promise<ShopOrder | null | undefined>} findOrder
   * @returns {Promise<import('./types').NotifyDecisionV3>}
   */
  async handlePaymentNotify(headers, body, findOrder) {
    if (typeof findOrder !== 'function') throw new TypeError('findOrder must be a function: outTradeNo => your order or null');
    const buffer = bodyBuffer(body);
    const outTradeNo = await this.#notification('payment_notify_order', headers, buffer);
    const order = outTradeNo === null ? null : await findOrder(outTradeNo);
    const decision = await this.#notification('settle_payment_notify', headers, buffer, { order: order ?? null });
    decision.error = decision.error ? errorFromDetails(decision.error) : null;
    return decision;
  }

  /**
   * The refund notify handler; answer with the result's http_status and body.
   * @param {V3Headers} headers
   * @param {Body} body
   * @returns {Promise<import('./types').RefundNotifyDecisionV3>}
   */
  async handleRefundNotify(headers, body) {
    const decision = await this.#notification('handle_refund_notify', headers, body);
    decision.error = decision.error ? errorFromDetails(decision.error) : null;
    return decision;
  }
}

/** The package version. */
const version = /** @type {string} */ (require('./package.json').version);

module.exports = {
  Client,
  ClientV3,
  events,
  setLogLevel,
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
  version,
};
