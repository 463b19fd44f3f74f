"""A Redis cache that keeps answering from process memory while Redis is unreachable.

What VBT keeps in the cache can be rebuilt or may be approximate for a while: allauth's rate
limits and used TOTP codes, the buurt index's version key. A cache error used to be a 500 on
logging in and logging a signal. Here a connection error or timeout switches this process to a
local in-memory cache for `RETRY_SECONDS`; after that the next call tries Redis again. So a dead
Redis costs a request at most one connect timeout (the `OPTIONS` in settings), and only once per
`RETRY_SECONDS` per process.

The trade-off (README, "Redis down"): during an outage the rate limits count per process instead
of per site, so an attacker gets the budget once per web process rather than once in total; they
are never switched off, and nobody is refused a login because Redis is down.
"""

import logging
import time

import redis
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)

_METHODS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
)


class ResilientRedisCache(RedisCache):
    """Django's RedisCache; while Redis is unreachable, a per-process LocMemCache answers instead."""

    RETRY_SECONDS = 5.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._fallback = LocMemCache(f"vbt-fallback-{id(self)}", params)
        self._down_until = 0.0

    @property
    def redis_down(self) -> bool:
        """True while this process answers from memory (Redis failed less than RETRY_SECONDS ago)."""
        return time.monotonic() < self._down_until

    def ping(self) -> None:
        """Ask Redis itself, bypassing the fallback (the health check); raises when it is down."""
        self._cache.get_client(write=True).ping()

    def _either(self, name, *args, **kwargs):
        if not self.redis_down:
            try:
                return getattr(RedisCache, name)(self, *args, **kwargs)
            except UNREACHABLE as exc:
                logger.warning(
                    "Redis-cache onbereikbaar (%s); dit proces gebruikt %s s een cache in het geheugen",
                    type(exc).__name__,
                    self.RETRY_SECONDS,
                )
                self._down_until = time.monotonic() + self.RETRY_SECONDS
        return getattr(self._fallback, name)(*args, **kwargs)


def _delegate(name):
    def method(self, *args, **kwargs):
        return self._either(name, *args, **kwargs)

    method.__name__ = name
    method.__doc__ = getattr(RedisCache, name).__doc__
    return method


for _name in _METHODS:
    setattr(ResilientRedisCache, _name, _delegate(_name))
