"""The shop's one wxpay.Client (and, with WXPAY_API=v3, its one
wxpay.ClientV3), built from settings and shared by every request thread
(both are thread-safe; tokens are cached in Django's cache)."""

from functools import lru_cache

from django.conf import settings
from django.core.cache import cache

import wxpay


@lru_cache(maxsize=1)
def client() -> wxpay.Client:
    conf = settings.WXPAY
    options = dict(
        appid=conf["appid"],
        mch_id=conf["mch_id"],
        api_key=conf["api_key"],
        app_secret=conf["app_secret"],
        notify_url=settings.SHOP_BASE_URL.rstrip("/") + "/wxpay/notify/",
        token_store=cache,  # Django's cache has get(key) and set(key, value, timeout)
    )
    if conf["sim_url"]:
        options["base_url"] = conf["sim_url"]
    return wxpay.Client(**options)


def api_v3() -> bool:
    """Whether orders go through API v3 (settings.WXPAY_API)."""
    return str(settings.WXPAY_API) == "v3"


@lru_cache(maxsize=1)
def client_v3() -> wxpay.ClientV3:
    conf = settings.WXPAY_V3
    options = dict(
        mchid=conf["mchid"],
        appid=settings.WXPAY["appid"],
        merchant_serial=conf["merchant_serial"],
        apiv3_key=conf["apiv3_key"],
        private_key_path=conf["private_key_path"],
        public_key_id=conf["public_key_id"],
        public_key_path=conf["public_key_path"],
        notify_url=settings.SHOP_BASE_URL.rstrip("/") + "/wxpay/v3/notify/",
    )
    if settings.WXPAY["sim_url"]:
        options["base_url"] = settings.WXPAY["sim_url"]
    return wxpay.ClientV3(**options)
