'use strict';
/**
 * wxpaykit/testing: the wxpay simulator inside this process, for a shop's tests.
 *
 *   const { Simulator } = require('wxpaykit/testing');
 *   const sim = new Simulator({ timeScale: 0.01 });
 *   const client = new Client({ ...sim.clientOptions() });
 */
/**
 * One attempt to deliver a notification.
 * @typedef {{ attempt: number, at_ms: number, http_status: number | null, reply: string, acknowledged: boolean }} NotifyAttempt
 */

/**
 * A notification the simulator sent (or is still sending) to the shop.
 * @typedef {{ id: number, kind: string, out_trade_no: string, url: string, status: string, body: string,
 *   attempts: NotifyAttempt[] }} SimNotification
 */

/**
 * What a client needs for the simulator's HTTPS port.
 * @typedef {{ caPem: string, clientCertPem: string, clientKeyPem: string }} TlsFiles
 */

/**
 * The simulated service provider and its sub-merchants.
 * @typedef {{ appid: string, mchId: string, apiKey: string,
 *   subMerchants: { subMchId: string, subAppid: string, subOpenid: string }[] }} SimProvider
 */

/**
 * An API v3 merchant of the simulator: what the merchant platform hands out.
 * @typedef {{ mchid: string, serial: string, privateKey: string, apiv3Key: string,
 *   publicKeyId: string, publicKey: string, platformCertificate: string, platformSerial: string }} SimV3Merchant
 */

/** @typedef {'delay' | 'reset' | 'http_error' | 'truncate' | 'bad_sign' | 'systemerror' | 'probe' | 'unsigned' | 'stale' | 'unknown_serial' | 'rate_limited'} FaultKind */

const { addonPath } = require('./addon');

/** @import { NativeTesting } from './native' */
/** @import { ClientOptions } from './index' */

// The simulator is an addon of its own (wxpay-testing.node), so the addon a
// shop deploys carries no server; only tests load this one.
/** @type {NativeTesting} */
let native;
let addon = 'wxpay-testing.node';
try {
  addon = addonPath('wxpay-testing.node');
  native = require(addon);
} catch (e) {
  throw new Error(`wxpaykit/testing needs the simulator addon ${addon} (the wxpay-testing build: make node-testing-addon)`,
    { cause: e });
}

/**
 * The simulated WeChat (pay, official-account API and OAuth) on a loopback port.
 *
 * @example
 *   const sim = new Simulator({ timeScale: 0.01 });
 *   const client = new Client(sim.clientOptions());
 *   // … run the checkout …
 *   sim.stop();
 */
class Simulator {
  /**
   * @param {{timeScale?: number, instantBills?: boolean, v3Keys?: 'certificate' | 'public-key' | 'migrating'}} [options]
   *   `v3Keys`: what WeChat signs API v3 answers with (default `migrating`).
   */
  constructor(options = {}) {
    /** @private */
    this._sim = new native.NativeSimulator(options.timeScale, Boolean(options.instantBills), options.v3Keys);
    /** @private @type {string | null} */
    this._https = null;
    /** @type {{ appid: string, mchId: string, apiKey: string, appSecret: string, openid: string, provider: SimProvider, v3: SimV3Merchant }} */
    const identity = JSON.parse(this._sim.identityJson());
    /** @readonly @type {string} */
    this.appid = identity.appid;
    /** @readonly @type {string} */
    this.mchId = identity.mchId;
    /** @readonly @type {string} */
    this.apiKey = identity.apiKey;
    /** @readonly @type {string} */
    this.appSecret = identity.appSecret;
    /** @readonly @type {string} The openid every simulated user has. */
    this.openid = identity.openid;
    /**
     * The service provider the simulator also plays, and its two sub-merchants.
     * @readonly @type {SimProvider}
     */
    this.provider = identity.provider;
    /**
     * What the merchant platform hands an API v3 merchant of this simulator.
     * @readonly @type {SimV3Merchant}
     */
    this.v3Merchant = identity.v3;
  }

  /**
   * Options for `new Client(...)` of the simulated service provider.
   * @param {Partial<ClientOptions>} [extra]
   * @returns {ClientOptions}
   */
  providerClientOptions(extra = {}) {
    const p = this.provider;
    return { appid: p.appid, mchId: p.mchId, apiKey: p.apiKey, baseUrl: this.url, ...extra };
  }

  /** @returns {string} The base URL, e.g. http://127.0.0.1:40123. */
  get url() { return this._sim.url; }

  /**
   * Options for `new Client(...)` pointed at this simulator.
   * @param {Partial<ClientOptions>} [extra]
   * @returns {ClientOptions}
   */
  clientOptions(extra = {}) {
    return { appid: this.appid, mchId: this.mchId, apiKey: this.apiKey, appSecret: this.appSecret, baseUrl: this.url, ...extra };
  }

  /**
   * Opens an HTTPS base URL serving the same paths, where /secapi/pay/refund
   * needs the merchant certificate, as on WeChat.
   * @param {string} [host]
   * @param {number} [port] 0 for any free port
   * @returns {string} e.g. https://127.0.0.1:40124
   */
  listenTls(host = '127.0.0.1', port = 0) { return this._sim.listenTls(host, port); }

  /** @returns {TlsFiles | null} The CA and merchant certificate, once HTTPS is open. */
  tlsFiles() { return JSON.parse(this._sim.tlsFilesJson()); }

  /**
   * Options for `new Client(...)` on the HTTPS port (opened on first use),
   * trusting the simulator's CA and presenting the merchant certificate, so
   * refunds go over mutual TLS.
   * @param {Partial<ClientOptions>} [extra]
   * @returns {ClientOptions}
   */
  tlsClientOptions(extra = {}) {
    if (this._https === null) this._https = this.listenTls();
    const files = /** @type {TlsFiles} */ (this.tlsFiles());
    return this.clientOptions({ baseUrl: this._https, caPem: files.caPem, certPem: files.clientCertPem,
      keyPem: files.clientKeyPem, ...extra });
  }

  /** @returns {Record<string, number>} Requests seen, per endpoint and kind. */
  stats() { return JSON.parse(this._sim.statsJson()); }

  /** @returns {SimNotification[]} */
  notifications() { return JSON.parse(this._sim.notificationsJson()); }

  /**
   * @param {string} outTradeNo
   * @returns {Record<string, unknown> | null} The simulator's record of the order.
   */
  order(outTradeNo) { return JSON.parse(this._sim.orderJson(outTradeNo)); }

  /**
   * Makes the next `count` requests to `path` fail in the given way.
   * @param {string} path e.g. '/pay/unifiedorder'
   * @param {FaultKind} kind
   * @param {number} [count]
   * @param {number} [delayMs] for 'delay'
   * @returns {void}
   */
  addFault(path, kind, count = 1, delayMs = 0) { this._sim.addFault(path, kind, count, delayMs); }

  /**
   * The payer pays in the simulated WeChat client: `params` is what
   * `client.jsapiParams(prepayId)` returned, checked as WeChat's client
   * checks it. Returns what the page would get: `err_msg` is
   * 'get_brand_wcpay_request:ok' when paid, with the reason otherwise; the
   * payment notification follows. The same as `POST /sim/jsapi/pay`.
   * @param {object} params
   * @returns {Record<string, string>} `err_msg` (`errMsg` for the jssdk shape) and, when refused, `reason`
   */
  pay(params) { return JSON.parse(this._sim.payJson(JSON.stringify(params))); }

  /**
   * What `wx.login()` gives a mini-program: a single-use code (5 minutes)
   * for client.jscode2session(). `errcode` 40226 (a risky user) or 45011
   * (the minute quota) makes the exchange refuse it that way.
   * @param {{ openid?: string, errcode?: 40226 | 45011 }} [options] the test user by default
   * @returns {string}
   */
  miniLogin(options = {}) { return this._sim.miniLogin(options.openid ?? null, options.errcode ?? null); }

  /** @returns {void} */
  stop() { this._sim.stop(); }
}

module.exports = { Simulator };
