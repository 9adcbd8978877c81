'use strict';
// Calls that wait on a token store written in JavaScript run on wxpay's own
// workers, not on libuv's pool: with the pool at its default of four
// threads, 32 concurrent jssdkConfig calls whose store does its I/O with
// fs (on that pool), beside other fs work, all finish, and the store
// answers every request (no "token store" warning: nobody fell back to the
// process's own cache after the store's timeout).
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');

const CHILD = `
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const wxpay = require(${JSON.stringify(ROOT)});
const { Simulator } = require(${JSON.stringify(path.join(ROOT, 'testing'))});
(async () => {
  const sim = new Simulator({ timeScale: 0.001 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxpay-store-'));
  const at = (key) => path.join(dir, encodeURIComponent(key));
  const done = { get: 0, set: 0 };
  const store = {
    async get(key) {
      const value = await fs.promises.readFile(at(key), 'utf8').catch(() => null);
      done.get++;
      return value;
    },
    async set(key, value) {
      await fs.promises.writeFile(at(key), value);
      done.set++;
    },
  };
  const client = new wxpay.Client({ ...sim.clientOptions(), tokenStore: store });
  const scratch = path.join(dir, 'scratch');
  fs.writeFileSync(scratch, 'x'.repeat(4096));
  const fsWork = Array.from({ length: 16 }, async () => {
    for (let i = 0; i < 25; i++) await fs.promises.readFile(scratch);
  });
  const calls = Array.from({ length: 32 }, (_, i) => client.jssdkConfig('https://shop.example/pay/' + i, ['chooseWXPay']));
  const results = await Promise.allSettled([...calls, ...fsWork]);
  const failed = results.filter((r) => r.status === 'rejected').map((r) => String(r.reason && r.reason.code));
  const stats = sim.stats();
  console.log(JSON.stringify({ failed, done, tickets: stats.ticket_fetches, tokens: stats.token_fetches }));
  sim.stop();
  fs.rmSync(dir, { recursive: true, force: true });
})();
`;

test('a slow JS store beside fs work never pins the thread pool', () => {
  const child = spawnSync(process.execPath, ['-e', CHILD], {
    env: { ...process.env, UV_THREADPOOL_SIZE: '4' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(child.status, 0, child.stderr);
  const out = JSON.parse(child.stdout.trim().split('\n').pop());
  assert.deepEqual(out.failed, []);
  assert.ok(!/token store/.test(child.stderr), `the store timed out: ${child.stderr}`);
  // The token and the ticket were stored, and read back for the other calls.
  assert.ok(out.done.set >= 2 && out.done.get >= 2, JSON.stringify(out));
  assert.equal(out.tickets, 1, JSON.stringify(out));
});
