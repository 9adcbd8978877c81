'use strict';
// index.d.ts is generated from index.js's JSDoc and must match it, declare
// exactly what index.js exports, and type-check a shop module under
// `tsc --strict`; native.d.ts must match the addon.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const wxpay = require('..');
const root = path.join(__dirname, '..');
const dts = fs.readFileSync(path.join(root, 'index.d.ts'), 'utf8');

test('every export is declared and every declaration exists', () => {
  const declared = new Set([...dts.matchAll(/^export (?:declare )?(?:function|class|const) (\w+)/gm)].map((m) => m[1]));
  assert.deepEqual([...declared].sort(), Object.keys(wxpay).sort());
});

test('every Client method is declared with its name', () => {
  const block = dts.slice(dts.indexOf('export class Client'));
  const body = block.slice(0, block.indexOf('\n}'));
  const declared = new Set([...body.matchAll(/^ {4}(?:get |readonly )?(\w+)[(:]/gm)].map((m) => m[1]));
  const runtime = Object.getOwnPropertyNames(wxpay.Client.prototype).filter((n) => n !== 'constructor');
  assert.deepEqual([...declared].filter((n) => n !== 'constructor').sort(), runtime.sort());
});

test('index.d.ts and testing.d.ts are what their JSDoc generates', () => {
  // Fails with "out of date" when index.js or testing.js changed without `make node-types`,
  // and with tsc's errors when the JSDoc no longer type-checks under --strict.
  execFileSync(process.execPath, [path.join(root, 'scripts', 'types.js'), '--check'], { stdio: 'pipe' });
});

test('native.d.ts declares exactly what the two addons have', () => {
  const native = require(path.join(root, 'wxpay.node'));
  const testing = require(path.join(root, 'wxpay-testing.node'));
  const text = fs.readFileSync(path.join(root, 'native.d.ts'), 'utf8');
  const members = (name) => {
    const start = text.indexOf(`export interface ${name} {`);
    const body = text.slice(start, text.indexOf('\n}', start));
    return [...body.matchAll(/^ {2}(?:readonly )?(\w+)[(:]/gm)].map((m) => m[1]).sort();
  };
  assert.deepEqual(members('Native'), Object.keys(native).sort());
  assert.deepEqual(members('NativeTesting'), Object.keys(testing).sort());
  for (const [addon, cls] of [[native, 'NativeSigner'], [native, 'NativeClient'], [testing, 'NativeSimulator']]) {
    const runtime = Object.getOwnPropertyNames(addon[cls].prototype).filter((n) => n !== 'constructor');
    assert.deepEqual(members(cls), runtime.sort(), cls);
  }
});

test('the wxpay addon carries no simulator; wxpay/testing loads its own', () => {
  const native = require(path.join(root, 'wxpay.node'));
  assert.ok(!Object.keys(native).some((n) => /sim/i.test(n)), Object.keys(native).join(', '));
  const bytes = fs.readFileSync(path.join(root, 'wxpay.node'));
  for (const marker of ['wxpay-sim', '/sim/jsbridge.js', 'rcgen']) {
    assert.equal(bytes.indexOf(marker), -1, `${marker} is linked into wxpay.node`);
  }
  assert.ok(fs.readFileSync(path.join(root, 'wxpay-testing.node')).indexOf('/sim/jsbridge.js') !== -1);
});

test('tsc --strict accepts a shop module written against the types', () => {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '--strict', '--noEmit', '--skipLibCheck', '--target', 'es2022', '--module', 'commonjs',
    '--types', 'node', '--typeRoots', path.join(root, 'node_modules', '@types'), path.join(__dirname, 'typed-usage.ts')],
  { stdio: 'pipe' });
});

test('the declaration files the package ships type-check on their own (no skipLibCheck)', () => {
  // skipLibCheck above would hide an error inside them; a user's tsc without it sees every one.
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const files = ['index.d.ts', 'types.d.ts', 'results.d.ts', 'testing.d.ts', 'native.d.ts'].map((f) => path.join(root, f));
  execFileSync(process.execPath, [tsc, '--strict', '--noEmit', '--target', 'es2022', '--module', 'nodenext',
    '--moduleResolution', 'nodenext', '--types', 'node', '--typeRoots', path.join(root, 'node_modules', '@types'), ...files],
  { stdio: 'pipe' });
});

test('tsc --strict rejects a fractional or string amount', () => {
  const bad = path.join(require('node:os').tmpdir(), `wxpay-bad-${process.pid}.ts`);
  fs.writeFileSync(bad, `import { Client } from '${path.join(root, 'index').replace(/\\/g, '/')}';\n`
    + "new Client({ appid: 'a', mchId: '1', apiKey: 'k' }).unifiedOrder({ body: 'b', outTradeNo: 'o', totalFee: '9.9', spbillCreateIp: 'x' });\n");
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  assert.throws(() => execFileSync(process.execPath, [tsc, '--strict', '--noEmit', '--skipLibCheck', '--types', 'node',
    '--typeRoots', path.join(root, 'node_modules', '@types'), bad], { stdio: 'pipe' }),
  (e) => /TS2322/.test(String(e.stdout)) && /number/.test(String(e.stdout)));
  fs.unlinkSync(bad);
});
