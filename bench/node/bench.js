'use strict';
/**
 * wxpay against the pure-JS WeChat Pay v2 libraries, operation by operation:
 * signing (MD5, HMAC-SHA256), building a signed request XML, verifying a
 * payment notification, making bridge pay params, and (wxpay alone, no peer
 * has it) the JS-SDK signature; and API v3's client (a notification, JSAPI
 * pay params) against wechatpay-axios-plugin and wechatpay-node-v3, the v3
 * libraries of npm. Each operation's outputs are compared first
 * (a disagreement is reported, not timed); then every library runs in
 * interleaved rounds and the median of 7 rounds gives ns/op. Prints the
 * speed-up over the fastest peer and writes target/bench/node.json for
 * bench/report.py; with --check, exits 1 when a target is missed.
 *
 *   make bench        (or: cd bench/node && npm ci && node bench.js [--check])
 */
const { performance } = require('node:perf_hooks');
const { isDeepStrictEqual } = require('node:util');

const wxpay = require('wxpaykit');
const Tenpay = require('tenpay');
const tenpayUtil = require('tenpay/lib/util');
const { Hash, Transformer, Formatter, Rsa, Aes } = require('wechatpay-axios-plugin');
const WechatpayNodeV3 = require('wechatpay-node-v3');

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

// API v3: the notification case and keys every language's bench uses.
const V3 = WORKLOAD.v3;
const V3_DIR = path.join(__dirname, '..', '..', 'tests', 'vectors', 'v3');
const V3_KEY = (name) => fs.readFileSync(path.join(V3_DIR, 'keys', name));
const V3_CASE = JSON.parse(fs.readFileSync(path.join(V3_DIR, 'notifications.json'), 'utf8')).cases
  .find((c) => c.name === V3.notification);
const V3_HEADERS = Object.fromEntries(Object.entries(V3_CASE.headers).map(([k, v]) => [`wechatpay-${k}`, v]));
const V3_BODY = Buffer.from(V3_CASE.body, 'utf8');
const V3_NOW = Number(V3_CASE.headers.timestamp);
const clientV3 = new wxpay.ClientV3({
  mchid: V3.request.mchid, appid: APPID, merchantSerial: V3.request.serial, apiv3Key: V3_CASE.apiv3_key,
  privateKey: V3_KEY('merchant_key.pem'), platformCertificates: [V3_KEY('platform_cert.pem')],
  publicKeyId: 'PUB_KEY_ID_0114232025120400000000000000000001', publicKey: V3_KEY('wechatpay_public_key.pem'),
  autoCertificates: false, baseUrl: 'http://127.0.0.1:9',
});
const platformKey = Rsa.from(V3_KEY('platform_cert.pem'), Rsa.KEY_TYPE_PUBLIC);
const merchantKey = Rsa.from(V3_KEY('merchant_key.pem'));
const nodeV3 = new WechatpayNodeV3({ appid: APPID, mchid: V3.request.mchid, serial_no: V3.request.serial,
  publicKey: V3_KEY('merchant_cert.pem'), privateKey: V3_KEY('merchant_key.pem'), key: V3_CASE.apiv3_key });
// wechatpay-node-v3 keeps the platform certificates it downloaded in a static map; this is that map after a download.
WechatpayNodeV3.certificates[V3_CASE.headers.serial] = V3_KEY('platform_cert.pem').toString();

/** A notification as each v3 library's README handles it: verify over the raw body, then decrypt. */
function axiosPluginNotification() {
  const text = V3_BODY.toString('utf8');
  if (!Rsa.verify(Formatter.response(V3_HEADERS['wechatpay-timestamp'], V3_HEADERS['wechatpay-nonce'], text),
    V3_HEADERS['wechatpay-signature'], platformKey)) throw new Error('bad signature');
  const envelope = JSON.parse(text);
  const r = envelope.resource;
  return { ...envelope, resource: JSON.parse(Aes.AesGcm.decrypt(r.ciphertext, V3_CASE.apiv3_key, r.nonce, r.associated_data)) };
}

async function nodeV3Notification() {
  const text = V3_BODY.toString('utf8');
  const ok = await nodeV3.verifySign({ timestamp: V3_HEADERS['wechatpay-timestamp'], nonce: V3_HEADERS['wechatpay-nonce'],
    body: text, serial: V3_HEADERS['wechatpay-serial'], signature: V3_HEADERS['wechatpay-signature'] });
  if (!ok) throw new Error('bad signature');
  const envelope = JSON.parse(text);
  const r = envelope.resource;
  return { ...envelope, resource: nodeV3.decipher_gcm(r.ciphertext, r.associated_data, r.nonce, V3_CASE.apiv3_key) };
}

const rsaParams = (sign) => {
  const p = { appId: APPID, timeStamp: `${Formatter.timestamp()}`, nonceStr: Formatter.nonce(), package: `prepay_id=${PREPAY}`, signType: 'RSA' };
  p.paySign = sign(Formatter.joinedByLineFeed(p.appId, p.timeStamp, p.nonceStr, p.package));
  return p;
};
const rsaParamsVerify = (p) => p.signType === 'RSA' && Rsa.verify(Formatter.joinedByLineFeed(p.appId, p.timeStamp,
  p.nonceStr, p.package), p.paySign, Rsa.from(V3_KEY('merchant_cert.pem'), Rsa.KEY_TYPE_PUBLIC));

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
    id: 'v3_notification',
    agree: (out) => Object.values(out).every((n) => isDeepStrictEqual(n.resource, V3_CASE.expect.ok.resource)),
    wxpay: () => clientV3.parseNotification(V3_HEADERS, V3_BODY, V3_NOW),
    'wechatpay-axios-plugin': axiosPluginNotification,
    'wechatpay-node-v3': nodeV3Notification,
  },
  {
    id: 'v3_jsapi_params',
    agree: (out) => Object.values(out).every(rsaParamsVerify),
    wxpay: () => clientV3.jsapiParams(PREPAY),
    'wechatpay-axios-plugin': () => rsaParams((message) => Rsa.sign(message, merchantKey)),
    'wechatpay-node-v3': () => rsaParams((message) => nodeV3.sign(message)),
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
    const name = WORKLOAD.operations[id] ?? V3.operations[id];
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
    const target = id.startsWith('v3_') ? V3.targets.binding_vs_peer
      : id === 'verify_notify' ? TARGETS.node_vs_peer_notify : TARGETS.node_vs_peer;
    const speedup = Math.min(...Object.values(peers)) / mine;
    const met = speedup >= target;
    if (!met) missed += 1;
    results[id] = { wxpay: mine, peers, target };
    const v3peer = id.startsWith('v3_') ? ` (wechatpay-node-v3 ${cell('wechatpay-node-v3', 0)})` : '';
    console.log(`${name.padEnd(34)} ${cell('wxpay', 11)} ${cell('tenpay', 13)} ${cell('wechatpay-axios-plugin', 19)} ${speedup.toFixed(1).padStart(8)}x ${target.toFixed(0).padStart(6)}x ${met ? 'met' : 'MISSED'}${v3peer}`);
  }
  const dir = path.join(__dirname, '..', '..', 'target', 'bench');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'node.json'), JSON.stringify(results, null, 1));
  if (check && missed > 0) process.exit(1);
}

main();
