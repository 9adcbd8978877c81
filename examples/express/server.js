'use strict';
// node server.js — with WXPAY_SIM_URL set, the shop runs against wxpay-sim.
const wxpay = require('wxpay');
const { createApp } = require('./app');

const port = Number(process.env.PORT || 3000);
const shopUrl = process.env.SHOP_BASE_URL || `http://127.0.0.1:${port}`;
const client = new wxpay.Client({
  appid: process.env.WXPAY_APPID || 'wxd930ea5d5a258f4f',
  mchId: process.env.WXPAY_MCH_ID || '10000100',
  apiKey: process.env.WXPAY_API_KEY || '192006250b4c09247ec02edce69f6a2d',
  appSecret: process.env.WXPAY_APP_SECRET || 'wxpaysim0app0secret0000000000000',
  notifyUrl: `${shopUrl}/wxpay/notify`,
  ...(process.env.WXPAY_SIM_URL ? { baseUrl: process.env.WXPAY_SIM_URL } : {}),
});
createApp({ client, shopUrl }).app.listen(port, '127.0.0.1', () => console.log(`shop listening on ${shopUrl}`));
