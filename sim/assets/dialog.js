/* wxpay-sim: the simulated WeChat pay dialog shared by jsbridge.js and jweixin.js. */
(function () {
  if (window.__wxpaySim) return;
  var script = document.currentScript;
  var base = script ? new URL(script.src).origin : "";

  function post(path, body) {
    return fetch(base + path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (r) { return r.json(); });
  }

  function fen(n) { return "\u00a5" + (n / 100).toFixed(2); }

  // Resolves true when the shopper confirms, false when they cancel.
  function confirmDialog(prepayId) {
    return fetch(base + "/sim/prepay/" + encodeURIComponent(prepayId))
      .then(function (r) { return r.ok ? r.json() : null; })
      .catch(function () { return null; })
      .then(function (order) {
        if (window.WXPAY_SIM_AUTOCONFIRM) return true;
        return new Promise(function (resolve) {
          var shade = document.createElement("div");
          shade.id = "wxpay-sim-dialog";
          shade.setAttribute("role", "dialog");
          shade.style.cssText = "position:fixed;inset:0;background:rgba(0,0,0,.45);display:flex;" +
            "align-items:flex-end;justify-content:center;z-index:2147483647;font-family:sans-serif";
          var sheet = document.createElement("div");
          sheet.style.cssText = "background:#fff;width:100%;max-width:420px;border-radius:12px 12px 0 0;" +
            "padding:20px;text-align:center";
          var title = document.createElement("div");
          title.textContent = "WeChat Pay (wxpay-sim)";
          title.style.cssText = "color:#888;font-size:14px";
          var what = document.createElement("div");
          what.id = "wxpay-sim-body";
          what.textContent = order ? order.body : "";
          what.style.cssText = "margin-top:12px";
          var amount = document.createElement("div");
          amount.id = "wxpay-sim-amount";
          amount.textContent = order ? fen(order.total_fee) : "";
          amount.style.cssText = "font-size:32px;margin:12px 0";
          var pay = document.createElement("button");
          pay.id = "wxpay-sim-confirm";
          pay.textContent = "Pay";
          pay.style.cssText = "display:block;width:100%;padding:12px;background:#07c160;color:#fff;border:0;border-radius:6px;font-size:17px";
          var cancel = document.createElement("button");
          cancel.id = "wxpay-sim-cancel";
          cancel.textContent = "Cancel";
          cancel.style.cssText = "display:block;width:100%;padding:10px;margin-top:8px;background:none;border:0;color:#576b95";
          function close(result) { shade.remove(); resolve(result); }
          pay.onclick = function () { close(true); };
          cancel.onclick = function () { close(false); };
          sheet.append(title, what, amount, pay, cancel);
          shade.append(sheet);
          document.body.append(shade);
        });
      });
  }

  window.__wxpaySim = { base: base, post: post, confirmDialog: confirmDialog };
})();
