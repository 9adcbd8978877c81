'use strict';
// tests/vectors/operations.json from Node: every core operation is a method
// of Client spelled as the table says (camelCase), declared in index.d.ts;
// and the one client entry point in the core refuses the options every
// language refuses.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const wxpay = require('..');

const OPS = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'tests', 'vectors', 'operations.json'),
  'utf8')).cases;

test('every operation is a Client method, as the table spells it', () => {
  assert.ok(OPS.length >= 25);
  const missing = OPS.filter((op) => typeof wxpay.Client.prototype[op.camel] !== 'function').map((op) => op.camel);
  assert.deepEqual(missing, []);
  const dts = fs.readFileSync(path.join(__dirname, '..', 'index.d.ts'), 'utf8');
  assert.deepEqual(OPS.filter((op) => !dts.includes(`    ${op.camel}(`)).map((op) => op.camel), []);
});

test('call() runs any operation by the core name', async () => {
  const client = new wxpay.Client({ appid: 'wxd930ea5d5a258f4f', mchId: '10000100',
    apiKey: '192006250b4c09247ec02edce69f6a2d', baseUrl: 'http://127.0.0.1:9' });
  const url = await client.call('oauth_authorize_url', { redirectUri: 'https://shop.example/cb' });
  assert.ok(url.startsWith('http://127.0.0.1:9/connect/oauth2/authorize?'));
  await assert.rejects(client.call('no_such_operation', {}), { code: 'WXPAY_INVALID_INPUT', field: 'operation' });
});

test('a store beside tokenDir is refused as every language refuses it', () => {
  assert.throws(() => new wxpay.Client({ appid: 'wxd930ea5d5a258f4f', mchId: '10000100',
    apiKey: '192006250b4c09247ec02edce69f6a2d', tokenDir: '/tmp/wxpay-tokens', tokenStore: { get() {}, set() {} } }),
  { code: 'WXPAY_CONFIG', message: 'configuration error: give token_store or token_dir, not both' });
});
