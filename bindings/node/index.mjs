// ES module entry: the same API as index.js.
import wxpay from './index.js';

export const {
  Client, WxPayError, events, setLogLevel, sign, verify, toXml, toSignedXml, fromXml, jssdkSignature, decryptReqInfo, notifyAck, notifyFail, version,
} = wxpay;
export default wxpay;
