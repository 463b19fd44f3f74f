"""Settings of the load run's gunicorn and Celery workers: development settings with DEBUG off,
database and Redis from the environment, warnings-only logs, one extra URL (a trivial view)."""

from vbt.settings.dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.load.urls"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
