'use strict';
// sign() sends string fields to Rust as NUL-separated UTF-8 and everything
// else as JSON. Both must give exactly the signature of the protocol's
// string, whatever the values hold; here node:crypto computes it on its own.
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');

const wxpay = require('..');

const KEY = '192006250b4c09247ec02edce69f6a2d';

/** The protocol's signature, built without wxpay: byte-order names, no empties, no sign. */
function expected(params, signType) {
  const text = Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== undefined && String(params[k]) !== '')
    .sort() // names are ASCII, where UTF-16 order is byte order
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  const signed = `${text}${text ? '&' : ''}key=${KEY}`;
  const digest = signType === 'MD5' ? crypto.createHash('md5') : crypto.createHmac('sha256', KEY);
  return digest.update(signed, 'utf8').digest('hex').toUpperCase();
}

// Pieces chosen to hit every branch: NUL (breaks the pairing), U+FFFD (what a
// lone surrogate would become), astral characters, separators and markup.
const PIECES = ['a', 'Z', '9', ' ', '&', '=', '\0', '\uFFFD', '实战', '😀', '<', ']]>', '"', '\\', '\n', 'é'];

function randomText(rand, max) {
  let s = '';
  const n = Math.floor(rand() * max);
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(rand() * PIECES.length)];
  return s;
}

/** A small deterministic generator, so a failure can be replayed. */
function mulberry32(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['appid', 'mch_id', 'body', 'attach', 'sign', 'A', 'B_1', 'nonce_str', 'total_fee', 'zz'];

test('random maps sign as node:crypto says, on both paths', () => {
  const rand = mulberry32(20261128);
  for (let round = 0; round < 2000; round++) {
    const params = {};
    for (const name of NAMES) {
      if (rand() < 0.5) continue;
      // One map in eight carries a whole number, which takes the JSON path.
      params[name] = rand() < 0.125 ? Math.floor(rand() * 100000) : randomText(rand, 6);
    }
    for (const signType of ['MD5', 'HMAC-SHA256']) {
      assert.equal(wxpay.sign(params, KEY, signType), expected(params, signType), JSON.stringify(params));
    }
  }
});

test('random maps make the same signed request XML on both paths', () => {
  const rand = mulberry32(20261201);
  const invalid = (e) => e instanceof wxpay.WxPayError && e.code === 'WXPAY_INVALID_INPUT';
  for (let round = 0; round < 1000; round++) {
    const params = {};
    for (const name of NAMES) {
      if (rand() < 0.5) continue;
      params[name] = rand() < 0.125 ? Math.floor(rand() * 100000) : randomText(rand, 6);
    }
    for (const signType of ['MD5', 'HMAC-SHA256']) {
      // XML cannot carry a NUL, and `sign` is the library's to write.
      if ('sign' in params || Object.values(params).some((v) => String(v).includes('\0'))) {
        assert.throws(() => wxpay.toSignedXml(params, KEY, signType), invalid, JSON.stringify(params));
        continue;
      }
      const back = wxpay.fromXml(wxpay.toSignedXml(params, KEY, signType));
      const want = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));
      assert.deepEqual(back, { ...want, sign: expected(params, signType) }, JSON.stringify(params));
    }
  }
});

test('a NUL inside a value is signed as it is, not split', () => {
  const params = { a: 'x\0b\0y', b: 'z' };
  assert.equal(wxpay.sign(params, KEY, 'MD5'), expected(params, 'MD5'));
  // The same bytes laid out as three fields must not collide with it.
  assert.notEqual(wxpay.sign({ a: 'x', b: 'y' }, KEY, 'MD5'), wxpay.sign(params, KEY, 'MD5'));
});

test('U+FFFD is signed; a lone surrogate is refused, never replaced', () => {
  assert.equal(wxpay.sign({ body: 'a\uFFFDb' }, KEY, 'MD5'), expected({ body: 'a\uFFFDb' }, 'MD5'));
  for (const bad of ['a\uD800b', '\uDC00', 'x\uD83D']) {
    assert.throws(() => wxpay.sign({ body: bad }, KEY, 'MD5'), (e) => e instanceof wxpay.WxPayError && e.code === 'WXPAY_INVALID_INPUT');
  }
});

test('maps larger than the scratch buffer still sign', () => {
  const params = { appid: 'wxd930ea5d5a258f4f', detail: '实'.repeat(20000), tail: 'x'.repeat(70000) };
  assert.equal(wxpay.sign(params, KEY, 'MD5'), expected(params, 'MD5'));
});

test('bad names and values give wxpay errors on either path', () => {
  const invalid = (e) => e instanceof wxpay.WxPayError && e.code === 'WXPAY_INVALID_INPUT';
  assert.throws(() => wxpay.sign({ 'a\0b': '1' }, KEY, 'MD5'), invalid);
  assert.throws(() => wxpay.sign({ 'a b': '1' }, KEY, 'MD5'), invalid);
  assert.throws(() => wxpay.sign({ a: 1.5 }, KEY, 'MD5'), invalid);
  assert.throws(() => wxpay.sign({ a: -1 }, KEY, 'MD5'), invalid);
  assert.throws(() => wxpay.sign({ a: null }, KEY, 'MD5'), invalid);
  assert.throws(() => wxpay.sign({ a: { b: 'c' } }, KEY, 'MD5'), invalid);
  assert.throws(() => wxpay.sign({ a: ['c'] }, KEY, 'MD5'), invalid);
});

test('only own enumerable fields are signed', () => {
  const proto = { injected: 'x' };
  const params = Object.create(proto);
  params.appid = 'wxd930ea5d5a258f4f';
  Object.defineProperty(params, 'hidden', { value: 'y', enumerable: false });
  assert.equal(wxpay.sign(params, KEY, 'MD5'), expected({ appid: 'wxd930ea5d5a258f4f' }, 'MD5'));
});

test('worker threads each get their own addon instance and scratch buffer', async () => {
  const { Worker } = require('node:worker_threads');
  const params = { appid: 'wxd930ea5d5a258f4f', body: '实战', nonce_str: 'ibuaiVcKdpRxkhJA' };
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const wxpay = require(workerData.pkg);
    let last;
    for (let i = 0; i < 2000; i++) last = wxpay.sign({ ...workerData.params, n: String(i) }, workerData.key, 'MD5');
    const client = new wxpay.Client({ appid: 'wxd930ea5d5a258f4f', mchId: '10000100', apiKey: workerData.key });
    parentPort.postMessage({ last, pay: client.jsapiParams('wx1') });`;
  const runs = Array.from({ length: 4 }, () => new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { pkg: require.resolve('..'), params, key: KEY } });
    w.once('message', resolve);
    w.once('error', reject);
  }));
  for (const got of await Promise.all(runs)) {
    assert.equal(got.last, expected({ ...params, n: '1999' }, 'MD5'));
    assert.equal(got.pay.package, 'prepay_id=wx1');
  }
});
