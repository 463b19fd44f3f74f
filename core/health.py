"""The state of the services VBT needs: database, cache and Celery broker."""

import logging
from urllib.parse import urlsplit

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)


def _down(part: str, exc: Exception) -> dict:
    # /health/ is public: it names the error class; the full reason (hosts, ports) goes to the log.
    logger.warning("health: %s is down: %s", part, exc)
    return {"ok": False, "detail": type(exc).__name__}


def health_status() -> dict[str, dict]:
    """Check the database, the cache and the Celery broker; each part says ok and a detail."""
    # The project's Celery app (vbt.celery, made current in vbt/__init__.py); core imports no config.
    app = current_app._get_current_object()
    state: dict[str, dict] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        state["database"] = {"ok": True, "detail": connection.vendor}
    except Exception as exc:  # any failure means: down, with its reason
        state["database"] = _down("database", exc)
    try:
        if hasattr(cache, "ping"):
            # core.rediscache.ResilientRedisCache keeps answering from memory while Redis is away;
            # health reports Redis itself.
            cache.ping()
        cache.set("vbt:health", "1", 5)
        if cache.get("vbt:health") != "1":
            raise LookupError("the cache did not return what was just stored")
        state["cache"] = {"ok": True, "detail": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}
    except Exception as exc:
        state["cache"] = _down("cache", exc)
    if app.conf.task_always_eager:
        # Tasks run inside the web process: there is no broker to be down.
        state["broker"] = {"ok": True, "detail": "in-process"}
    else:
        try:
            with app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
            state["broker"] = {"ok": True, "detail": urlsplit(app.conf.broker_url).scheme}
        except Exception as exc:
            state["broker"] = _down("broker", exc)
    return state
