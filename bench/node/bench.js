'use strict';
/**
 * wxpay against the pure-JS WeChat Pay v2 libraries, operation by operation:
 * signing (MD5, HMAC-SHA256), building a signed request XML, verifying a
 * payment notification, and making bridge pay params. Prints ns/op and the
 * ratio to the fastest peer; with --check, exits 1 when wxpay is slower than
 * the fastest peer on any operation.
 *
 *   make bench        (or: cd bench/node && npm ci && node bench.js [--check])
 */
const { performance } = require('node:perf_hooks');

const wxpay = require('wxpay');
const Tenpay = require('tenpay');
const tenpayUtil = require('tenpay/lib/util');
const { Hash, Transformer, Formatter } = require('wechatpay-axios-plugin');

// The one workload every language's benchmark runs (bench/workload.json).
const WORKLOAD = JSON.parse(require('node:fs').readFileSync(require('node:path').join(__dirname, '..', 'workload.json'), 'utf8'));
const KEY = WORKLOAD.api_key;
const APPID = WORKLOAD.merchant.appid;
const MCH = WORKLOAD.merchant.mch_id;
const ORDER = WORKLOAD.unified_order;
const NOTIFY_XML = WORKLOAD.notify_xml;
const NOTIFY_BUFFER = Buffer.from(NOTIFY_XML);

const tenpay = new Tenpay({ appid: APPID, mchid: MCH, partnerKey: KEY, notify_url: 'https://shop.example/n' });
const client = new wxpay.Client({ appid: APPID, mchId: MCH, apiKey: KEY, signType: 'MD5' });
const PREPAY = WORKLOAD.prepay_id;

/** ns per call, the best of several rounds. */
async function measure(fn, { rounds = 7, time = 150 } = {}) {
  let n = 1;
  for (;;) { // calibrate
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await fn();
    if (performance.now() - t0 > 20) break;
    n *= 2;
  }
  const per = Math.max(1, Math.round((n * time) / 20));
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < per; i++) await fn();
    best = Math.min(best, ((performance.now() - t0) * 1e6) / per);
  }
  return best;
}

function sync(fn) {
  return () => { fn(); };
}

const OPERATIONS = [
  {
    name: 'sign (MD5, 12 fields)',
    wxpay: sync(() => wxpay.sign(ORDER, KEY, 'MD5')),
    tenpay: sync(() => tenpay._getSign(ORDER, 'MD5')),
    'wechatpay-axios-plugin': sync(() => Hash.sign('MD5', ORDER, KEY)),
  },
  {
    name: 'sign (HMAC-SHA256)',
    wxpay: sync(() => wxpay.sign(ORDER, KEY, 'HMAC-SHA256')),
    tenpay: sync(() => tenpay._getSign(ORDER, 'HMAC-SHA256')),
    'wechatpay-axios-plugin': sync(() => Hash.sign('HMAC-SHA256', ORDER, KEY)),
  },
  {
    name: 'signed request XML',
    wxpay: sync(() => wxpay.toSignedXml(ORDER, KEY, 'MD5')),
    tenpay: sync(() => tenpayUtil.buildXML({ ...ORDER, sign: tenpay._getSign(ORDER, 'MD5') })),
    'wechatpay-axios-plugin': sync(() => Transformer.toXml({ ...ORDER, sign: Hash.sign('MD5', ORDER, KEY) })),
  },
  {
    name: 'verify a payment notification',
    wxpay: sync(() => client.verifyPaymentNotify(NOTIFY_BUFFER)),
    tenpay: () => tenpay._parse(NOTIFY_XML, 'middleware_pay', 'MD5'),
    'wechatpay-axios-plugin': sync(() => {
      const data = Transformer.toObject(NOTIFY_XML);
      if (!Hash.equals(Hash.sign('MD5', data, KEY), data.sign)) throw new Error('bad sign');
    }),
  },
  {
    name: 'bridge pay params',
    wxpay: sync(() => client.jsapiParams(PREPAY)),
    tenpay: sync(() => tenpay.getPayParamsByPrepay({ prepay_id: PREPAY }, 'MD5')),
    'wechatpay-axios-plugin': sync(() => {
      const p = { appId: APPID, timeStamp: `${Formatter.timestamp()}`, nonceStr: Formatter.nonce(), package: `prepay_id=${PREPAY}`, signType: 'MD5' };
      p.paySign = Hash.sign('MD5', p, KEY);
    }),
  },
];

async function main() {
  const check = process.argv.includes('--check');
  let slower = 0;
  console.log('operation                          wxpay ns/op   tenpay ns/op   axios-plugin ns/op   wxpay ÷ fastest peer');
  for (const op of OPERATIONS) {
    const w = await measure(op.wxpay);
    const t = await measure(op.tenpay);
    const a = await measure(op['wechatpay-axios-plugin']);
    const ratio = w / Math.min(t, a);
    if (ratio > 1) slower += 1;
    console.log(`${op.name.padEnd(34)} ${w.toFixed(0).padStart(11)} ${t.toFixed(0).padStart(14)} ${a.toFixed(0).padStart(20)} ${ratio.toFixed(2).padStart(20)}${ratio > 1 ? '  (slower)' : ''}`);
  }
  console.log(slower === 0 ? 'wxpay is at least as fast as the fastest pure-JS peer on every operation'
    : `wxpay is slower than a pure-JS peer on ${slower} operation(s)`);
  if (check && slower > 0) process.exit(1);
}

main();
