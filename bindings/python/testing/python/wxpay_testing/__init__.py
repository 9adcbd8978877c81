"""wxpaykit-testing: the wxpay simulator of WeChat, in this process, for a shop's tests.

Install it only where tests run (``pip install wxpaykit[testing]``); the
``wxpay`` package itself carries no server. Import it as ``wxpay.testing``:

    from wxpay.testing import Simulator
    with Simulator(time_scale=0.01) as sim:
        client = wxpay.Client(**sim.client_options())

The simulator plays api.mch.weixin.qq.com, api.weixin.qq.com and
open.weixin.qq.com on one loopback URL; see the wxpay README.
"""

import json
from typing import Any, Dict, Mapping, Optional

from ._sim import NativeSimulator, __version__


class Simulator(NativeSimulator):
    """wxpay-sim on loopback. Keyword arguments: host, port, appid, mch_id,
    api_key, app_secret, openid, time_scale, token_ttl, instant_bills,
    v3_keys (``certificate``, ``public-key`` or ``migrating``); the
    identity it plays is in ``appid``, ``mch_id``, ``api_key``,
    ``app_secret`` and ``openid``, the service provider and its two
    sub-merchants in ``provider``, an API v3 merchant's files in
    ``v3_merchant``."""

    def __init__(self, **options: Any) -> None:
        # The simulator starts in __new__; this only remembers the HTTPS URL.
        self._https: Optional[str] = None

    def client_options(self, **extra: Any) -> Dict[str, Any]:
        """Keyword arguments for wxpay.Client pointed at this simulator."""
        options: Dict[str, Any] = dict(appid=self.appid, mch_id=self.mch_id, api_key=self.api_key,
                                       app_secret=self.app_secret, base_url=self.url)
        options.update(extra)
        return options

    def provider_client_options(self, **extra: Any) -> Dict[str, Any]:
        """Keyword arguments for a wxpay.Client of the service provider the
        simulator plays (its sub-merchants are in ``provider``)."""
        p = self.provider
        options: Dict[str, Any] = dict(appid=p["appid"], mch_id=p["mch_id"], api_key=p["api_key"],
                                       base_url=self.url)
        options.update(extra)
        return options

    def tls_client_options(self, **extra: Any) -> Dict[str, Any]:
        """Keyword arguments for wxpay.Client on this simulator's HTTPS port
        (opened on first use), trusting its CA and presenting the merchant
        certificate it issued, so refunds go over mutual TLS as on WeChat."""
        if self._https is None:
            self._https = self.listen_tls()
        files = self.tls_files()
        assert files is not None
        options = self.client_options(base_url=self._https, ca_pem=files["ca_pem"],
                                      cert=(files["client_cert_pem"], files["client_key_pem"]))
        options.update(extra)
        return options

    def pay(self, params: Mapping[str, Any]) -> Dict[str, Any]:
        """The payer pays in the simulated WeChat client: ``params`` is what
        ``client.jsapi_params(prepay_id)`` returned, checked as WeChat's client
        checks it (appId, signType, paySign, the order still open). Returns
        what the page would get: ``err_msg`` is
        ``get_brand_wcpay_request:ok`` when paid, with the reason otherwise;
        the payment notification follows to the order's notify_url. The same
        as ``POST /sim/jsapi/pay``."""
        result: Dict[str, Any] = json.loads(self._pay_json(json.dumps(dict(params))))
        return result

    def __enter__(self) -> "Simulator":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


__all__ = ["Simulator", "__version__"]
