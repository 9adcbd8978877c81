'use strict';
// tests/vectors/v3/ through wxpay's ClientV3: the notify handler's security
// fixtures (probe, stale, unknown serial, re-serialised body, wrong key,
// replay) and the notifications, each verified by parseNotification at the
// case's time, with the headers as Express hands them over (lower case).
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');

const wxpay = require('..');

const V3 = path.join(__dirname, '..', '..', '..', 'tests', 'vectors', 'v3');
const KEYS = path.join(V3, 'keys');
// Run here through the client; the others are the engine's own contract (core/tests/v3_vectors.rs).
const CLIENT_FILES = ['dispatch.json', 'notifications.json', 'operations.json', 'security.json'];
const ENGINE_FILES = ['aead.json', 'answers.json', 'bills.json', 'certificates.json', 'oaep.json', 'pay_params.json',
  'paths.json', 'refunds.json', 'signing.json', 'transactions.json', 'verify.json'];

const load = (name) => JSON.parse(fs.readFileSync(path.join(V3, name), 'utf8')).cases;

function clientFor(c) {
  const options = {
    mchid: '1900009191', appid: 'wxd930ea5d5a258f4f', privateKeyPath: path.join(KEYS, 'merchant_key.pem'),
    merchantSerial: '1D3C5A7E9F0B2D4F6A8C0E1F3A5C7E9B1D3F5A70', apiv3Key: c.apiv3_key, autoCertificates: false,
    baseUrl: 'http://127.0.0.1:9', platformCertificates: [],
  };
  for (const k of c.keys) {
    if (k.certificate) options.platformCertificates.push(fs.readFileSync(path.join(KEYS, k.certificate), 'utf8'));
    else Object.assign(options, { publicKey: fs.readFileSync(path.join(KEYS, k.public_key)), publicKeyId: k.id });
  }
  return new wxpay.ClientV3(options);
}

const headersOf = (c) => Object.fromEntries(Object.entries(c.headers).filter(([, v]) => v).map(([k, v]) => [`wechatpay-${k}`, v]));

async function run(c) {
  const body = Buffer.from(c.body, 'utf8');
  if (c.expect.ok) {
    const got = await clientFor(c).parseNotification(headersOf(c), body, c.now);
    for (const [k, v] of Object.entries(c.expect.ok)) assert.deepEqual(got[k], v, `${c.name}: ${k}`);
    return;
  }
  const want = c.expect.error;
  let error;
  try {
    await clientFor(c).parseNotification(headersOf(c), body, c.now);
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof wxpay.WxPayError, `${c.name}: ${error}`);
  assert.equal(error.kind, want.kind, c.name);
  if (want.reason) assert.equal(error.reason, want.reason, c.name);
}

test('every v3 vector file is run here or named the engine\'s', () => {
  const names = fs.readdirSync(V3).filter((n) => n.endsWith('.json')).sort();
  assert.deepEqual(names, [...CLIENT_FILES, ...ENGINE_FILES].sort());
});

const security = load('security.json');

test('the security fixtures cover every attack', () => {
  const attacks = new Set(security.map((c) => c.attack));
  for (const a of ['probe', 'stale', 'unknown serial', 're-serialised body', 'wrong key', 'replay']) assert.ok(attacks.has(a), a);
});

for (const c of security) test(`security fixture: ${c.name}`, () => run(c));
for (const c of load('notifications.json')) test(`notification: ${c.name}`, () => run(c));

test('without now the clock judges: a recorded notification is stale', async () => {
  const c = security[0];
  await assert.rejects(clientFor(c).parseNotification(headersOf(c), Buffer.from(c.body), undefined), (e) => e.reason === 'Stale');
  await assert.rejects(clientFor(c).parseNotification(headersOf(c), Buffer.from(c.body), -1), (e) => e.field === 'now');
});

test('every v3 operation is a ClientV3 method (or its handler), declared with the core\'s result type', () => {
  const ops = load('operations.json');
  assert.ok(ops.length >= 14);
  const method = (op) => (op.handler ? op.handler.replace(/_(\w)/g, (_, c) => c.toUpperCase()) : op.camel);
  assert.deepEqual(ops.filter((op) => typeof wxpay.ClientV3.prototype[method(op)] !== 'function').map(method), []);
  const dts = fs.readFileSync(path.join(__dirname, '..', 'index.d.ts'), 'utf8');
  const block = dts.slice(dts.indexOf('export class ClientV3'));
  const body = block.slice(0, block.indexOf('\n}'));
  const plain = { Checked: 'void', Text: 'string', MaybeText: 'string | null' };
  for (const op of ops.filter((o) => !o.handler)) {
    const line = body.split('\n').find((l) => l.startsWith(`    ${op.camel}(`));
    assert.ok(line, `index.d.ts declares no ClientV3.${op.camel}`);
    const type = plain[op.result] ?? op.result;
    assert.ok(line.includes(`): ${type};`) || line.includes(`): Promise<${type}>;`) || line.includes(`types").${type}`),
      `${op.camel}: ${line.trim()} does not return ${type}`);
  }
});
