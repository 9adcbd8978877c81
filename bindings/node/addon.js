'use strict';
// Where the native addons are, for index.js and testing.js.
const fs = require('fs');
const path = require('path');

/**
 * An addon's path: the env override, this folder (a checkout, after `make
 * node-addon`), or the prebuilt package for this platform that npm
 * installed beside this one (`wxpaykit-linux-x64-gnu`).
 * @param {'wxpay.node' | 'wxpay-testing.node'} file
 * @returns {string}
 */
function addonPath(file) {
  const override = file === 'wxpay.node' ? process.env.WXPAY_NODE_ADDON : process.env.WXPAY_NODE_TESTING_ADDON;
  if (override) return override;
  const local = path.join(__dirname, file);
  if (fs.existsSync(local)) return local;
  const platform = `wxpaykit-${process.platform}-${process.arch}-gnu`;
  try {
    return require.resolve(`${platform}/${file}`);
  } catch {
    throw new Error(`wxpay: no ${file} for ${process.platform}-${process.arch}: install ${platform} (npm installs it `
      + 'as an optional dependency on that platform), or build it from a checkout with make node-addon');
  }
}

module.exports = { addonPath };
