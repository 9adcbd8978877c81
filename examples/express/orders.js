'use strict';
/**
 * The shop's order book. `memoryBook()` keeps orders in this process (one
 * process, and the tests); `fileBook(dir)` keeps them in files every worker of
 * a cluster sees, and marks an order paid with one atomic link(2), so when
 * WeChat delivers the same payment to several workers at once exactly one of
 * them fulfils it. A real shop uses its database: a conditional UPDATE
 * (`... SET status = 'PAID' WHERE no = ? AND status <> 'PAID'`) does the same.
 */
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const path = require('node:path');
const crypto = require('node:crypto');

function memoryBook() {
  const orders = new Map();
  const fulfilments = [];
  return {
    orders,
    fulfilments,
    async create(order) { orders.set(order.outTradeNo, order); },
    async get(no) { return orders.get(no) || null; },
    async markPaid(no, transactionId) {
      const order = orders.get(no);
      if (!order || order.status === 'PAID') return false;
      order.status = 'PAID';
      order.transactionId = transactionId;
      fulfilments.push(no);
      return true;
    },
  };
}

function fileBook(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const file = (no, ext) => path.join(dir, `${String(no).replace(/[^A-Za-z0-9_-]/g, '_')}.${ext}`);
  const absent = (e) => { if (e.code !== 'ENOENT') throw e; return null; };
  return {
    async create(order) {
      await fsp.writeFile(file(order.outTradeNo, 'json'), JSON.stringify(order), { flag: 'wx' });
    },
    async get(no) {
      const text = await fsp.readFile(file(no, 'json'), 'utf8').catch(absent);
      if (text === null) return null;
      const order = JSON.parse(text);
      const paid = await fsp.readFile(file(no, 'paid'), 'utf8').catch(absent);
      return paid === null ? order : { ...order, status: 'PAID', transactionId: paid };
    },
    async markPaid(no, transactionId) {
      // The payment is written aside, then linked into place: link(2) fails
      // when the name exists, so of concurrent deliveries one wins, and no
      // reader ever sees a half-written file.
      const aside = file(`${no}.${crypto.randomBytes(6).toString('hex')}`, 'tmp');
      await fsp.writeFile(aside, transactionId);
      try {
        await fsp.link(aside, file(no, 'paid'));
      } catch (e) {
        if (e.code === 'EEXIST') return false;
        throw e;
      } finally {
        await fsp.unlink(aside);
      }
      await fsp.appendFile(path.join(dir, 'fulfilments.log'), `${no}\n`);
      return true;
    },
  };
}

module.exports = { memoryBook, fileBook };
