"""Settings of the example shop. Everything WeChat-related comes from the
environment, so the same project runs against wxpay-sim or the real thing."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "example-shop-not-for-production")
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "orders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]

ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("SHOP_DB", str(BASE_DIR / "shop.sqlite3")),
        # Several worker processes write at once under gunicorn: wait for the
        # lock rather than fail, and take it when a transaction starts.
        "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
    }
}

# wxpay keeps its access_token and jsapi_ticket in this cache, so every worker
# process of the server must see the same one. With SHOP_REDIS_URL set the
# cache is Redis (its atomic add() lets the workers share one token refresh);
# without it, a file-based cache on this host. Django's default, LocMemCache,
# is per process, and wxpay logs a warning when it is given one.
if os.environ.get("SHOP_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["SHOP_REDIS_URL"],
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("SHOP_CACHE_DIR", str(BASE_DIR / ".cache")),
        }
    }
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
STATIC_URL = "/static/"
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# WeChat Pay. The defaults are wxpay-sim's test merchant; with WXPAY_SIM_URL
# unset the official hosts are used.
WXPAY = {
    "appid": os.environ.get("WXPAY_APPID", "wxd930ea5d5a258f4f"),
    "mch_id": os.environ.get("WXPAY_MCH_ID", "10000100"),
    "api_key": os.environ.get("WXPAY_API_KEY", "192006250b4c09247ec02edce69f6a2d"),
    "app_secret": os.environ.get("WXPAY_APP_SECRET", "wxpaysim0app0secret0000000000000"),
    "sim_url": os.environ.get("WXPAY_SIM_URL", ""),
}
# API v3 (WXPAY_API=v3): orders, pay params and notifications go through
# wxpay.ClientV3 (OAuth and the JS-SDK stay on the official account's API).
# The defaults are the simulator's v3 test merchant, its key files in
# tests/vectors/v3/keys; a real merchant gives the files the merchant
# platform handed out.
_V3_KEYS = BASE_DIR.parent.parent / "tests" / "vectors" / "v3" / "keys"
WXPAY_API = os.environ.get("WXPAY_API", "v2")
WXPAY_V3 = {
    "mchid": os.environ.get("WXPAY_V3_MCHID", "10000100"),
    "merchant_serial": os.environ.get("WXPAY_V3_SERIAL", "1D3C5A7E9F0B2D4F6A8C0E1F3A5C7E9B1D3F5A70"),
    "apiv3_key": os.environ.get("WXPAY_V3_APIV3_KEY", "wxpaysim0apiv30key00000000000001"),
    "private_key_path": os.environ.get("WXPAY_V3_PRIVATE_KEY_PATH", str(_V3_KEYS / "merchant_key.pem")),
    "public_key_id": os.environ.get("WXPAY_V3_PUBLIC_KEY_ID", "PUB_KEY_ID_0114232025120400000000000000000001"),
    "public_key_path": os.environ.get("WXPAY_V3_PUBLIC_KEY_PATH", str(_V3_KEYS / "wechatpay_public_key.pem")),
}
# Where WeChat reaches this shop (the notify_url is built from it).
SHOP_BASE_URL = os.environ.get("SHOP_BASE_URL", "http://127.0.0.1:8000")

# wxpay reports through the "wxpay" logger: a token store that stops
# answering, refused notifications, failovers (WARNING); token refreshes
# (INFO). Each record carries `wxpay_event` and `wxpay_fields`.
LOGGING = {
    "version": 1,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "orders": {"handlers": ["console"], "level": os.environ.get("SHOP_LOG_LEVEL", "WARNING")},
        "wxpay": {"handlers": ["console"], "level": os.environ.get("WXPAY_LOG_LEVEL", "WARNING")},
    },
}
