'use strict';
/**
 * wxpay/testing: the wxpay simulator inside this process, for a shop's tests.
 *
 *   const { Simulator } = require('wxpay/testing');
 *   const sim = new Simulator({ timeScale: 0.01 });
 *   const client = new Client({ ...sim.clientOptions() });
 */
const path = require('path');

const native = require(process.env.WXPAY_NODE_ADDON || path.join(__dirname, 'wxpay.node'));

const DEFAULTS = {
  appid: 'wxd930ea5d5a258f4f',
  mchId: '10000100',
  apiKey: '192006250b4c09247ec02edce69f6a2d',
  appSecret: 'wxpaysim0app0secret0000000000000',
  openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
};

class Simulator {
  /** @param {{timeScale?: number, instantBills?: boolean}} [options] */
  constructor(options = {}) {
    const timeScale = options.timeScale === undefined ? 1 : options.timeScale;
    this._sim = new native.NativeSimulator(timeScale, Boolean(options.instantBills));
    Object.assign(this, DEFAULTS);
  }

  get url() { return this._sim.url; }

  /** Options for `new Client(...)` pointed at this simulator. */
  clientOptions(extra = {}) {
    return { appid: this.appid, mchId: this.mchId, apiKey: this.apiKey, appSecret: this.appSecret, baseUrl: this.url, ...extra };
  }

  stats() { return JSON.parse(this._sim.statsJson()); }

  notifications() { return JSON.parse(this._sim.notificationsJson()); }

  order(outTradeNo) { return JSON.parse(this._sim.orderJson(outTradeNo)); }

  /** kind: delay, reset, http_error, truncate, bad_sign or systemerror. */
  addFault(path, kind, count = 1, delayMs = 0) { this._sim.addFault(path, kind, count, delayMs); }

  stop() { this._sim.stop(); }
}

module.exports = { Simulator, DEFAULTS };
