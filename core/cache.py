"""Django's Redis cache, failing soft: when Redis is down or unreachable, reads miss, writes are
dropped and `add` lets its caller go on, each logged, instead of a 500.

Only counters live in the cache (allauth's rate limits, the API throttles), so an outage lifts
them for its length rather than refusing every sign-in and every call. The staff login's lockout
is counted in the database (django-axes) and holds throughout.
"""

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
Method = TypeVar("Method", bound=Callable[..., Any])


def _soft(fallback: Callable[..., Any]) -> Callable[[Method], Method]:
    def decorate(method: Method) -> Method:
        @wraps(method)
        def wrapped(self: RedisCache, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except (RedisError, OSError) as unreachable:
                logger.warning("cache %s skipped, Redis is unreachable: %s", method.__name__, unreachable)
                return fallback(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate


def _default(key: str, default: Any = None, *args: Any, **kwargs: Any) -> Any:
    return default


class FailSoftRedisCache(RedisCache):
    get = _soft(_default)(RedisCache.get)
    get_many = _soft(lambda *a, **k: {})(RedisCache.get_many)
    has_key = _soft(lambda *a, **k: False)(RedisCache.has_key)
    set = _soft(lambda *a, **k: None)(RedisCache.set)
    set_many = _soft(lambda *a, **k: [])(RedisCache.set_many)
    add = _soft(lambda *a, **k: True)(RedisCache.add)  # a lock "taken": its holder goes on
    touch = _soft(lambda *a, **k: False)(RedisCache.touch)
    delete = _soft(lambda *a, **k: False)(RedisCache.delete)
    delete_many = _soft(lambda *a, **k: None)(RedisCache.delete_many)
    clear = _soft(lambda *a, **k: False)(RedisCache.clear)
