'use strict';
/**
 * wxpay against the pure-JS WeChat Pay v2 libraries, operation by operation:
 * signing (MD5, HMAC-SHA256), building a signed request XML, verifying a
 * payment notification, making bridge pay params, and (wxpay alone, no peer
 * has it) the JS-SDK signature. Each operation's outputs are compared first
 * (a disagreement is reported, not timed); then every library runs in
 * interleaved rounds and the median of 7 rounds gives ns/op. Prints the
 * speed-up over the fastest peer and writes target/bench/node.json for
 * bench/report.py; with --check, exits 1 when a target is missed.
 *
 *   make bench        (or: cd bench/node && npm ci && node bench.js [--check])
 */
const { performance } = require('node:perf_hooks');

const wxpay = require('wxpaykit');
const Tenpay = require('tenpay');
const tenpayUtil = require('tenpay/lib/util');
const { Hash, Transformer, Formatter } = require('wechatpay-axios-plugin');

// The one workload every language's benchmark runs (bench/workload.json).
const fs = require('node:fs');
const path = require('node:path');

const WORKLOAD = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'workload.json'), 'utf8'));
const KEY = WORKLOAD.api_key;
const APPID = WORKLOAD.merchant.appid;
const MCH = WORKLOAD.merchant.mch_id;
const ORDER = WORKLOAD.unified_order;
const NOTIFY_XML = WORKLOAD.notify_xml;
const NOTIFY_BUFFER = Buffer.from(NOTIFY_XML);

const tenpay = new Tenpay({ appid: APPID, mchid: MCH, partnerKey: KEY, notify_url: 'https://shop.example/n' });
const client = new wxpay.Client({ appid: APPID, mchId: MCH, apiKey: KEY, signType: 'MD5' });
const PREPAY = WORKLOAD.prepay_id;
const JS = WORKLOAD.jssdk;
const EXPECTED = WORKLOAD.expected;
const TARGETS = WORKLOAD.targets;

/** How many calls make a round of about 20 ms. */
async function calibrate(fn) {
  let n = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await fn();
    if (performance.now() - t0 > 20) return n;
    n *= 2;
  }
}

async function perCall(fn, n) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return ((performance.now() - t0) * 1e6) / n;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median ns/op of each library over interleaved rounds. */
async function interleaved(libraries, rounds = 7) {
  const names = Object.keys(libraries);
  const sizes = {};
  for (const name of names) sizes[name] = await calibrate(libraries[name]);
  const times = Object.fromEntries(names.map((name) => [name, []]));
  for (let r = 0; r < rounds; r++) {
    for (const name of names) times[name].push(await perCall(libraries[name], sizes[name]));
  }
  return Object.fromEntries(names.map((name) => [name, median(times[name])]));
}

/** Fields by name as strings, for comparing parsed messages. */
const strings = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)]));
const sameJson = (a, b) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

// Each library's function returns its output; `agree` checks them once before timing.
const OPERATIONS = [
  {
    id: 'sign_md5',
    agree: (out) => Object.values(out).every((s) => s === EXPECTED.sign_md5),
    wxpay: () => wxpay.sign(ORDER, KEY, 'MD5'),
    tenpay: () => tenpay._getSign(ORDER, 'MD5'),
    'wechatpay-axios-plugin': () => Hash.sign('MD5', ORDER, KEY),
  },
  {
    id: 'sign_hmac',
    agree: (out) => Object.values(out).every((s) => s === EXPECTED.sign_hmac),
    wxpay: () => wxpay.sign(ORDER, KEY, 'HMAC-SHA256'),
    tenpay: () => tenpay._getSign(ORDER, 'HMAC-SHA256'),
    'wechatpay-axios-plugin': () => Hash.sign('HMAC-SHA256', ORDER, KEY),
  },
  {
    id: 'signed_xml',
    agree: (out) => Object.values(out).every((xml) => sameJson(wxpay.fromXml(xml), wxpay.fromXml(out.wxpay))),
    wxpay: () => wxpay.toSignedXml(ORDER, KEY, 'MD5'),
    tenpay: () => tenpayUtil.buildXML({ ...ORDER, sign: tenpay._getSign(ORDER, 'MD5') }),
    'wechatpay-axios-plugin': () => Transformer.toXml({ ...ORDER, sign: Hash.sign('MD5', ORDER, KEY) }),
  },
  {
    id: 'verify_notify',
    agree: (out) => out.wxpay.paid && sameJson(out.wxpay.raw, strings(out.tenpay))
      && sameJson(out.wxpay.raw, strings(out['wechatpay-axios-plugin'])),
    wxpay: () => client.verifyPaymentNotify(NOTIFY_BUFFER),
    tenpay: () => tenpay._parse(NOTIFY_XML, 'middleware_pay', 'MD5'),
    'wechatpay-axios-plugin': () => {
      const data = Transformer.toObject(NOTIFY_XML);
      if (!Hash.equals(Hash.sign('MD5', data, KEY), data.sign)) throw new Error('bad sign');
      return data;
    },
  },
  {
    id: 'bridge_params',
    // Nonces and times differ per call: each must carry wxpay's signed
    // fields with a signature right over them (tenpay adds an unsigned
    // `timestamp` for wx.chooseWXPay).
    agree: (out) => Object.values(out).every((p) => {
      const signed = Object.keys(out.wxpay).filter((k) => k !== 'paySign');
      return signed.every((k) => typeof p[k] === 'string')
        && wxpay.sign(Object.fromEntries(signed.map((k) => [k, p[k]])), KEY, 'MD5') === p.paySign;
    }),
    wxpay: () => client.jsapiParams(PREPAY),
    tenpay: () => tenpay.getPayParamsByPrepay({ prepay_id: PREPAY }, 'MD5'),
    'wechatpay-axios-plugin': () => {
      const p = { appId: APPID, timeStamp: `${Formatter.timestamp()}`, nonceStr: Formatter.nonce(), package: `prepay_id=${PREPAY}`, signType: 'MD5' };
      p.paySign = Hash.sign('MD5', p, KEY);
      return p;
    },
  },
  {
    id: 'jssdk_signature',
    agree: (out) => out.wxpay === JS.signature,
    wxpay: () => wxpay.jssdkSignature(JS.jsapi_ticket, JS.noncestr, JS.timestamp, JS.url),
  },
];

async function main() {
  const check = process.argv.includes('--check');
  let missed = 0;
  const results = {};
  console.log(`${'operation'.padEnd(34)} ${'wxpay ns/op'.padStart(11)} ${'tenpay ns/op'.padStart(13)} ${'axios-plugin ns/op'.padStart(19)} ${'speed-up'.padStart(9)} ${'target'.padStart(7)}`);
  for (const { id, agree, ...libraries } of OPERATIONS) {
    const name = WORKLOAD.operations[id];
    const out = {};
    for (const [lib, fn] of Object.entries(libraries)) out[lib] = await fn();
    if (!agree(out)) {
      console.log(`${name.padEnd(34)} outputs disagree: not timed ${JSON.stringify(out)}`);
      results[id] = null;
      missed += 1;
      continue;
    }
    const ns = await interleaved(libraries);
    const { wxpay: mine, ...peers } = ns;
    const cell = (lib, width) => (lib in ns ? ns[lib].toFixed(0) : '—').padStart(width);
    if (Object.keys(peers).length === 0) {
      results[id] = { wxpay: mine, peers: {} };
      console.log(`${name.padEnd(34)} ${cell('wxpay', 11)} ${cell('tenpay', 13)} ${cell('wechatpay-axios-plugin', 19)}   (no peer has it)`);
      continue;
    }
    const target = id === 'verify_notify' ? TARGETS.node_vs_peer_notify : TARGETS.node_vs_peer;
    const speedup = Math.min(...Object.values(peers)) / mine;
    const met = speedup >= target;
    if (!met) missed += 1;
    results[id] = { wxpay: mine, peers, target };
    console.log(`${name.padEnd(34)} ${cell('wxpay', 11)} ${cell('tenpay', 13)} ${cell('wechatpay-axios-plugin', 19)} ${speedup.toFixed(1).padStart(8)}x ${target.toFixed(0).padStart(6)}x ${met ? 'met' : 'MISSED'}`);
  }
  const dir = path.join(__dirname, '..', '..', 'target', 'bench');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'node.json'), JSON.stringify(results, null, 1));
  if (check && missed > 0) process.exit(1);
}

main();
