"""The shop's one wxpay.Client, built from settings and shared by every
request thread (it is thread-safe and caches tokens in Django's cache)."""

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
