/* wxpay-sim: plays the JS-SDK (jweixin) for wx.config and wx.chooseWXPay. */
(function () {
  var sim = window.__wxpaySim;
  var config = null;
  var status = "idle"; // idle → pending → ok | failed
  var readyQueue = [];
  var errorQueue = [];
  var lastError = null;

  function flush() {
    if (status === "ok") readyQueue.splice(0).forEach(function (f) { f(); });
    if (status === "failed") errorQueue.splice(0).forEach(function (f) { f(lastError); });
  }

  var wx = {
    config: function (cfg) {
      config = cfg || {};
      status = "pending";
      if (config.debug) console.log("wxpay-sim wx.config", config);
      sim.post("/sim/jsapi/config", {
        appId: config.appId, timestamp: config.timestamp, nonceStr: config.nonceStr,
        signature: config.signature, jsApiList: config.jsApiList,
        url: location.href.split("#")[0]
      }).then(function (r) {
        if (r.errMsg === "config:ok") { status = "ok"; } else { status = "failed"; lastError = r; }
        flush();
      }, function (e) {
        status = "failed"; lastError = { errMsg: "config:fail", reason: String(e) }; flush();
      });
    },
    ready: function (fn) { readyQueue.push(fn); flush(); },
    error: function (fn) { errorQueue.push(fn); flush(); },
    checkJsApi: function (opts) {
      var res = {};
      (opts.jsApiList || []).forEach(function (n) { res[n] = n === "chooseWXPay"; });
      if (opts.success) opts.success({ errMsg: "checkJsApi:ok", checkResult: res });
    },
    chooseWXPay: function (opts) {
      opts = opts || {};
      function finish(r) {
        if (r.errMsg === "chooseWXPay:ok") { if (opts.success) opts.success(r); }
        else if (r.errMsg === "chooseWXPay:cancel") { if (opts.cancel) opts.cancel(r); }
        else if (opts.fail) opts.fail(r);
        if (opts.complete) opts.complete(r);
      }
      if (status !== "ok") { finish({ errMsg: "chooseWXPay:fail", reason: "wx.config has not succeeded" }); return; }
      if ((config.jsApiList || []).indexOf("chooseWXPay") < 0) {
        finish({ errMsg: "chooseWXPay:fail", reason: "chooseWXPay is not in wx.config's jsApiList" }); return;
      }
      sim.confirmDialog(String(opts.package || "").replace(/^prepay_id=/, "")).then(function (confirmed) {
        if (!confirmed) return { errMsg: "chooseWXPay:cancel" };
        return sim.post("/sim/jsapi/pay", {
          shape: "jssdk",
          appId: config.appId, timeStamp: opts.timestamp, nonceStr: opts.nonceStr,
          package: opts.package, signType: opts.signType, paySign: opts.paySign
        });
      }).catch(function (e) { return { errMsg: "chooseWXPay:fail", reason: String(e) }; }).then(finish);
    }
  };
  window.wx = window.jWeixin = wx;
})();
