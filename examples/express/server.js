'use strict';
// node server.js — with WXPAY_SIM_URL set, the shop runs against wxpay-sim.
//
// In production: SHOP_WORKERS=4 runs it under node:cluster, one process per
// worker. The workers then share the order book (files in SHOP_ORDERS_DIR)
// and WeChat's tokens (WXPAY_TOKEN_DIR on one host, or WXPAY_TOKEN_STORE=
// redis://… for several): a worker keeping its tokens to itself would fetch
// its own from WeChat's daily quota, and wxpay warns when it does.
const cluster = require('node:cluster');
const path = require('node:path');

const workers = Number(process.env.SHOP_WORKERS || 1);

if (workers > 1 && cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (!worker.exitedAfterDisconnect) console.error(`worker ${worker.process.pid} died (${signal || code})`);
  });
  const stop = () => { for (const w of Object.values(cluster.workers)) w.kill(); process.exit(0); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else {
  const wxpay = require('wxpaykit');
  const { createApp } = require('./app');
  const { memoryBook, fileBook } = require('./orders');

  const port = Number(process.env.PORT || 3000);
  const shopUrl = process.env.SHOP_BASE_URL || `http://127.0.0.1:${port}`;
  const who = cluster.isWorker ? `worker ${process.pid}: ` : '';
  const log = { info: (m) => console.log(who + m), warn: (m) => console.warn(who + m) };
  // wxpay's own events (a token store down, a failover, …) into the same log.
  wxpay.events.on('log', (e) => (e.level === 'warning' || e.level === 'error' ? log.warn : log.info)(`wxpay: ${e.message}`));

  const tokenStore = process.env.WXPAY_TOKEN_STORE || undefined;
  const tokenDir = tokenStore ? undefined : process.env.WXPAY_TOKEN_DIR || undefined;
  const client = new wxpay.Client({
    appid: process.env.WXPAY_APPID || 'wxd930ea5d5a258f4f',
    mchId: process.env.WXPAY_MCH_ID || '10000100',
    apiKey: process.env.WXPAY_API_KEY || '192006250b4c09247ec02edce69f6a2d',
    appSecret: process.env.WXPAY_APP_SECRET || 'wxpaysim0app0secret0000000000000',
    notifyUrl: `${shopUrl}/wxpay/notify`,
    tokenDir,
    tokenStore,
    ...(process.env.WXPAY_SIM_URL ? { baseUrl: process.env.WXPAY_SIM_URL } : {}),
  });
  const book = workers > 1 ? fileBook(process.env.SHOP_ORDERS_DIR || path.join(__dirname, 'orders'))
    : memoryBook();
  createApp({ client, shopUrl, book, log }).app.listen(port, '127.0.0.1', () => log.info(`shop listening on ${shopUrl}`));
}
