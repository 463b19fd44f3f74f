"""Technical pages: `/health/` for the load balancer, docker compose and monitoring."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from .health import health_status


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """State of the database, cache and broker: 200 when all are up, 503 naming what is down."""
    state = health_status()
    down = [name for name, part in state.items() if not part["ok"]]
    body = {"status": "ok" if not down else "down", "down": down, **state}
    return JsonResponse(body, status=200 if not down else 503)
