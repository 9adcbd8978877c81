/* wxpay-sim: plays WeChat's in-app browser for WeixinJSBridge.invoke('getBrandWCPayRequest'). */
(function () {
  var sim = window.__wxpaySim;
  function invoke(name, params, callback) {
    var done = typeof callback === "function" ? callback : function () {};
    if (name !== "getBrandWCPayRequest") {
      setTimeout(function () { done({ err_msg: name + ":fail", reason: "wxpay-sim plays only getBrandWCPayRequest" }); }, 0);
      return;
    }
    params = params || {};
    sim.confirmDialog(String(params.package || "").replace(/^prepay_id=/, "")).then(function (confirmed) {
      if (!confirmed) return { err_msg: "get_brand_wcpay_request:cancel" };
      return sim.post("/sim/jsapi/pay", {
        shape: "bridge",
        appId: params.appId, timeStamp: params.timeStamp, nonceStr: params.nonceStr,
        package: params.package, signType: params.signType, paySign: params.paySign
      });
    }).catch(function (e) {
      return { err_msg: "get_brand_wcpay_request:fail", reason: String(e) };
    }).then(done);
  }
  window.WeixinJSBridge = { invoke: invoke, on: function () {}, call: function () {} };
  function ready() { document.dispatchEvent(new Event("WeixinJSBridgeReady")); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else setTimeout(ready, 0);
})();
