"""Test helpers for shops: the wxpay simulator, in this process.

    from wxpay.testing import Simulator
    sim = Simulator(time_scale=0.01)
    client = wxpay.Client(appid=sim.appid, mch_id=sim.mch_id, api_key=sim.api_key,
                          app_secret=sim.app_secret, base_url=sim.url)

The simulator plays api.mch.weixin.qq.com, api.weixin.qq.com and
open.weixin.qq.com on one loopback URL; see the wxpay README.
"""

from typing import Any

from ._wxpay import Simulator as _Simulator

DEFAULT_APPID = "wxd930ea5d5a258f4f"
DEFAULT_MCH_ID = "10000100"
DEFAULT_API_KEY = "192006250b4c09247ec02edce69f6a2d"
DEFAULT_APP_SECRET = "wxpaysim0app0secret0000000000000"
DEFAULT_OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"


class Simulator(_Simulator):
    """wxpay-sim on loopback. Keyword arguments: host, port, appid, mch_id,
    api_key, app_secret, openid, time_scale, token_ttl, instant_bills."""

    def __init__(self, **options: Any) -> None:
        # Construction happens in __new__; remember the identity it plays.
        self.appid: str = options.get("appid") or DEFAULT_APPID
        self.mch_id: str = options.get("mch_id") or DEFAULT_MCH_ID
        self.api_key: str = options.get("api_key") or DEFAULT_API_KEY
        self.app_secret: str = options.get("app_secret") or DEFAULT_APP_SECRET
        self.openid: str = options.get("openid") or DEFAULT_OPENID
        self._https: "str | None" = None

    def client_options(self, **extra: Any) -> "dict[str, Any]":
        """Keyword arguments for wxpay.Client pointed at this simulator."""
        options: "dict[str, Any]" = dict(appid=self.appid, mch_id=self.mch_id, api_key=self.api_key,
                                         app_secret=self.app_secret, base_url=self.url)
        options.update(extra)
        return options

    def tls_client_options(self, **extra: Any) -> "dict[str, Any]":
        """Keyword arguments for wxpay.Client on this simulator's HTTPS port
        (opened on first use), trusting its CA and presenting the merchant
        certificate it issued, so refunds go over mutual TLS as on WeChat."""
        if self._https is None:
            self._https = self.listen_tls()
        files = self.tls_files()
        assert files is not None
        https = self._https
        options = self.client_options(base_url=https, ca_pem=files["ca_pem"],
                                      cert=(files["client_cert_pem"], files["client_key_pem"]))
        options.update(extra)
        return options

    def __enter__(self) -> "Simulator":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


__all__ = ["Simulator", "DEFAULT_APPID", "DEFAULT_MCH_ID", "DEFAULT_API_KEY", "DEFAULT_APP_SECRET", "DEFAULT_OPENID"]
