"""Settings of the public-page bench's gunicorn: the development settings with DEBUG off, its
database and Redis from the environment, and one extra URL, a trivial view (bench/publiek_urls.py).
BENCH_UNCACHED=1 swaps the cache for Django's dummy cache: every page is rendered."""

import os

from vbt.settings.dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.publiek_urls"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
if os.environ.get("BENCH_UNCACHED") == "1":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
