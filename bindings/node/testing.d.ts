// Generated from the JSDoc in testing.js by `make node-types` (scripts/types.js); do not edit.
// The data shapes live in types.d.ts.
/**
 * One attempt to deliver a notification.
 */
export type NotifyAttempt = {
    attempt: number;
    at_ms: number;
    http_status: number | null;
    reply: string;
    acknowledged: boolean;
};
/**
 * A notification the simulator sent (or is still sending) to the shop.
 */
export type SimNotification = {
    id: number;
    kind: string;
    out_trade_no: string;
    url: string;
    status: string;
    body: string;
    attempts: NotifyAttempt[];
};
/**
 * What a client needs for the simulator's HTTPS port.
 */
export type TlsFiles = {
    caPem: string;
    clientCertPem: string;
    clientKeyPem: string;
};
/**
 * The simulated service provider and its sub-merchants.
 */
export type SimProvider = {
    appid: string;
    mchId: string;
    apiKey: string;
    subMerchants: {
        subMchId: string;
        subAppid: string;
        subOpenid: string;
    }[];
};
/**
 * An API v3 merchant of the simulator: what the merchant platform hands out.
 */
export type SimV3Merchant = {
    mchid: string;
    serial: string;
    privateKey: string;
    apiv3Key: string;
    publicKeyId: string;
    publicKey: string;
    platformCertificate: string;
    platformSerial: string;
};
export type FaultKind = "delay" | "reset" | "http_error" | "truncate" | "bad_sign" | "systemerror" | "probe" | "unsigned" | "stale" | "unknown_serial" | "rate_limited";
/**
 * The simulated WeChat (pay, official-account API and OAuth) on a loopback port.
 *
 * @example
 *   const sim = new Simulator({ timeScale: 0.01 });
 *   const client = new Client(sim.clientOptions());
 *   // … run the checkout …
 *   sim.stop();
 */
export class Simulator {
    /**
     * @param {{timeScale?: number, instantBills?: boolean, v3Keys?: 'certificate' | 'public-key' | 'migrating'}} [options]
     *   `v3Keys`: what WeChat signs API v3 answers with (default `migrating`).
     */
    constructor(options?: {
        timeScale?: number;
        instantBills?: boolean;
        v3Keys?: "certificate" | "public-key" | "migrating";
    });
    /** @private */
    private _sim;
    /** @private @type {string | null} */
    private _https;
    /** @readonly @type {string} */
    readonly appid: string;
    /** @readonly @type {string} */
    readonly mchId: string;
    /** @readonly @type {string} */
    readonly apiKey: string;
    /** @readonly @type {string} */
    readonly appSecret: string;
    /** @readonly @type {string} The openid every simulated user has. */
    readonly openid: string;
    /**
     * The service provider the simulator also plays, and its two sub-merchants.
     * @readonly @type {SimProvider}
     */
    readonly provider: SimProvider;
    /**
     * What the merchant platform hands an API v3 merchant of this simulator.
     * @readonly @type {SimV3Merchant}
     */
    readonly v3Merchant: SimV3Merchant;
    /**
     * Options for `new Client(...)` of the simulated service provider.
     * @param {Partial<ClientOptions>} [extra]
     * @returns {ClientOptions}
     */
    providerClientOptions(extra?: Partial<ClientOptions>): ClientOptions;
    /** @returns {string} The base URL, e.g. http://127.0.0.1:40123. */
    get url(): string;
    /**
     * Options for `new Client(...)` pointed at this simulator.
     * @param {Partial<ClientOptions>} [extra]
     * @returns {ClientOptions}
     */
    clientOptions(extra?: Partial<ClientOptions>): ClientOptions;
    /**
     * Opens an HTTPS base URL serving the same paths, where /secapi/pay/refund
     * needs the merchant certificate, as on WeChat.
     * @param {string} [host]
     * @param {number} [port] 0 for any free port
     * @returns {string} e.g. https://127.0.0.1:40124
     */
    listenTls(host?: string, port?: number): string;
    /** @returns {TlsFiles | null} The CA and merchant certificate, once HTTPS is open. */
    tlsFiles(): TlsFiles | null;
    /**
     * Options for `new Client(...)` on the HTTPS port (opened on first use),
     * trusting the simulator's CA and presenting the merchant certificate, so
     * refunds go over mutual TLS.
     * @param {Partial<ClientOptions>} [extra]
     * @returns {ClientOptions}
     */
    tlsClientOptions(extra?: Partial<ClientOptions>): ClientOptions;
    /** @returns {Record<string, number>} Requests seen, per endpoint and kind. */
    stats(): Record<string, number>;
    /** @returns {SimNotification[]} */
    notifications(): SimNotification[];
    /**
     * @param {string} outTradeNo
     * @returns {Record<string, unknown> | null} The simulator's record of the order.
     */
    order(outTradeNo: string): Record<string, unknown> | null;
    /**
     * Makes the next `count` requests to `path` fail in the given way.
     * @param {string} path e.g. '/pay/unifiedorder'
     * @param {FaultKind} kind
     * @param {number} [count]
     * @param {number} [delayMs] for 'delay'
     * @returns {void}
     */
    addFault(path: string, kind: FaultKind, count?: number, delayMs?: number): void;
    /**
     * The payer pays in the simulated WeChat client: `params` is what
     * `client.jsapiParams(prepayId)` returned, checked as WeChat's client
     * checks it. Returns what the page would get: `err_msg` is
     * 'get_brand_wcpay_request:ok' when paid, with the reason otherwise; the
     * payment notification follows. The same as `POST /sim/jsapi/pay`.
     * @param {object} params
     * @returns {Record<string, string>} `err_msg` (`errMsg` for the jssdk shape) and, when refused, `reason`
     */
    pay(params: object): Record<string, string>;
    /**
     * What `wx.login()` gives a mini-program: a single-use code (5 minutes)
     * for client.jscode2session(). `errcode` 40226 (a risky user) or 45011
     * (the minute quota) makes the exchange refuse it that way.
     * @param {{ openid?: string, errcode?: 40226 | 45011 }} [options] the test user by default
     * @returns {string}
     */
    miniLogin(options?: {
        openid?: string;
        errcode?: 40226 | 45011;
    }): string;
    /** @returns {void} */
    stop(): void;
}
import type { ClientOptions } from './index';
