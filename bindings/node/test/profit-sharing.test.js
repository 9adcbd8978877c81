'use strict';
// Profit sharing from Node against the in-process simulator: a receiver
// added, a multiple sharing within WeChat's 30 %, the query, the unshared
// amount, the finish, and the refusals as typed errors.
const test = require('node:test');
const assert = require('node:assert/strict');

const wxpay = require('..');
const { Simulator } = require('../testing');

async function paid(sim, client, outTradeNo, sharing) {
  const order = await client.unifiedOrder({ body: 'b', outTradeNo, totalFee: 1000, spbillCreateIp: '127.0.0.1',
    openid: sim.openid, notifyUrl: 'http://127.0.0.1:9/n', extra: sharing ? { profit_sharing: 'Y' } : {} });
  assert.equal(sim.pay(client.jsapiParams(order.prepay_id)).err_msg, 'get_brand_wcpay_request:ok');
  return (await client.queryOrder({ outTradeNo })).transaction_id;
}

const share = (client, sim, transactionId, outOrderNo, amount) => client.profitSharing({ transactionId, outOrderNo,
  multi: true, receivers: [{ type: 'PERSONAL_OPENID', account: sim.openid, amount, description: '推荐佣金' }] });

test('a sharing from receiver to finish', async () => {
  const sim = new Simulator({ timeScale: 0.001 });
  try {
    const client = new wxpay.Client(sim.clientOptions());
    const tx = await paid(sim, client, 'node-share-1', true);
    await client.addProfitSharingReceiver({ type: 'PERSONAL_OPENID', account: sim.openid, relationType: 'USER' });
    const accepted = await share(client, sim, tx, 'NS1', 300);
    assert.equal(accepted.status, 'PROCESSING');
    const state = await client.queryProfitSharing(tx, 'NS1');
    assert.deepEqual(state.receivers.map((r) => [r.account, r.amount, r.result]), [[sim.openid, 300, 'SUCCESS']]);
    assert.equal((await client.profitSharingUnsplitAmount(tx)).unsplit_amount, 700);
    await assert.rejects(share(client, sim, tx, 'NS2', 1), (e) => e.kind === 'Business' && /最大分账比例/.test(e.message));
    assert.equal((await client.finishProfitSharing(tx, 'NF1', '分账完结')).status, 'FINISHED');
    assert.equal((await client.profitSharingUnsplitAmount(tx)).unsplit_amount, 0);

    const plain = await paid(sim, client, 'node-share-2', false);
    await assert.rejects(share(client, sim, plain, 'NS3', 10), (e) => e.kind === 'Business' && e.errCode === 'NOT_SHARE_ORDER');
    await assert.rejects(client.addProfitSharingReceiver({ type: 'MERCHANT_ID', account: '190001001', relationType: 'PARTNER' }),
      (e) => e.kind === 'InvalidInput' && /name/.test(e.message));
    assert.equal(sim.stats().multiprofitsharing, 3);
  } finally {
    sim.stop();
  }
});

test('a merchant receiver gives back, and a provider asks its ratio', async () => {
  const sim = new Simulator({ timeScale: 0.001 });
  try {
    const client = new wxpay.Client(sim.clientOptions());
    const tx = await paid(sim, client, 'node-share-3', true);
    await client.addProfitSharingReceiver({ type: 'MERCHANT_ID', account: '190001001', name: '示例合作商户有限公司',
      relationType: 'PARTNER' });
    const shared = await client.profitSharing({ transactionId: tx, outOrderNo: 'NS-R', multi: true,
      receivers: [{ type: 'MERCHANT_ID', account: '190001001', amount: 200, description: '合作分成' }] });
    const back = await client.profitSharingReturn({ outOrderNo: 'NS-R', outReturnNo: 'R1', returnAccount: '190001001',
      returnAmount: 150, description: '退货' });
    assert.deepEqual([back.result, back.return_amount, back.order_id], ['SUCCESS', 150, shared.order_id]);
    const query = await client.queryProfitSharingReturn({ orderId: shared.order_id, outReturnNo: 'R1' });
    assert.equal(query.return_no, back.return_no);
    await assert.rejects(client.profitSharingReturn({ outOrderNo: 'NS-R', outReturnNo: 'R2', returnAccount: '190001001',
      returnAmount: 51, description: '退货' }), (e) => e.kind === 'Business' && e.errCode === 'INVALID_REQUEST');

    const provider = new wxpay.Client(sim.providerClientOptions());
    assert.equal((await provider.profitSharingMaxRatio(undefined, { subMchId: '1900000109' })).max_ratio, 3000);
    assert.equal((await provider.profitSharingMaxRatio('1900000200')).max_ratio, 3000);
    await assert.rejects(provider.profitSharingMaxRatio(), (e) => e.kind === 'InvalidInput');
    assert.equal(sim.stats().profitsharingmerchantratioquery, 2);
  } finally {
    sim.stop();
  }
});

// tests/vectors/profit_sharing.json on one simulator, each step called by name.
test('shared vectors', async () => {
  const fs = require('node:fs');
  const path = require('node:path');
  const doc = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'tests', 'vectors', 'profit_sharing.json'), 'utf8'));
  const sim = new Simulator({ timeScale: 0.001 });
  const sent = () => Object.entries(sim.stats()).filter(([k]) => k.includes('profitsharing')).reduce((a, [, v]) => a + v, 0);
  try {
    for (const [n, c] of doc.cases.entries()) {
      const options = c.merchant === 'provider' ? sim.providerClientOptions() : sim.clientOptions();
      const client = new wxpay.Client({ ...options, signType: 'HMAC-SHA256' });
      const tx = c.order ? await paid(sim, client, `node-psv-${n}`, c.order === 'sharing') : '';
      const before = sent();
      for (const [i, raw] of c.steps.entries()) {
        const step = JSON.parse(JSON.stringify(raw).replaceAll('{tx}', tx).replaceAll('{n}', String(n)));
        const label = `${c.name}, step ${i} (${step.op})`;
        if (step.expect.error) {
          await assert.rejects(client.call(step.op, step.args), (e) => {
            assert.equal(e.kind, step.expect.error.kind, `${label}: ${e}`);
            if (step.expect.error.err_code) assert.equal(e.errCode, step.expect.error.err_code, label);
            return true;
          }, label);
          continue;
        }
        const got = await client.call(step.op, step.args);
        if (step.expect.ok === null) assert.equal(got, null, label);
        else for (const [k, v] of Object.entries(step.expect.ok)) assert.deepEqual(got[k], v, `${label}: ${k}`);
      }
      if (c.sent !== undefined) assert.equal(sent() - before, c.sent, c.name);
    }
  } finally {
    sim.stop();
  }
});
