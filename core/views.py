"""Technical pages: `/health/`, and the error pages in the site's look.

`/health/` is for the load balancer, docker compose and monitoring. `vbt/urls.py` points
`handler400` … `handler500` here and `CSRF_FAILURE_VIEW` at `csrf_failure`: 400, 403 (also a
refused CSRF check), 404 and 500 show the reason the code gave a person (the message of a
`PermissionDenied` or `Http404`), never an exception's internals, and a way back.
"""

from __future__ import annotations

import re

from django.core.exceptions import DisallowedHost
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
    JsonResponse,
)
from django.middleware.csrf import REASON_NO_CSRF_COOKIE, get_token
from django.shortcuts import render
from django.template import loader
from django.urls import Resolver404
from django.utils.functional import Promise, empty
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from .health import health_status


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """State of the database, cache and broker: 200 when all are up, 503 naming what is down."""
    state = health_status()
    down = [name for name, part in state.items() if not part["ok"]]
    body = {"status": "ok" if not down else "down", "down": down, **state}
    return JsonResponse(body, status=200 if not down else 503)


# get_object_or_404's message names a model class, in English: internal, not a reason for a person.
_GET_OBJECT_OR_404 = re.compile(r"^No \w+ matches the given query\.$")


def error_reason(exception: BaseException | None) -> str:
    """The message a PermissionDenied or Http404 was raised with, if it was written for a person."""
    if exception is None or isinstance(exception, Resolver404) or not exception.args:
        return ""
    message = exception.args[0]
    if not isinstance(message, str | Promise):
        return ""
    message = str(message)
    return "" if _GET_OBJECT_OR_404.match(message) else message


def back_url(request: HttpRequest) -> str:
    """The page the person came from, when it is a page of this site; "" otherwise."""
    referer = request.META.get("HTTP_REFERER", "")
    if not referer:
        return ""
    try:
        host = request.get_host()
    except DisallowedHost:  # the 400 for an unknown host: there is no page of ours to go back to
        return ""
    if not url_has_allowed_host_and_scheme(referer, allowed_hosts={host}, require_https=request.is_secure()):
        return ""
    return "" if referer == request.build_absolute_uri() else referer


def _render(request: HttpRequest, template: str, response_class, *, reden: str = "") -> HttpResponse:
    context = {"reden": reden, "terug_url": back_url(request), "status": response_class.status_code}
    return response_class(loader.render_to_string(template, context, request=request))


@requires_csrf_token
def bad_request(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    # The message of a SuspiciousOperation (a forged host, too many fields) is for the log only.
    return _render(request, "400.html", HttpResponseBadRequest)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return _render(request, "403.html", HttpResponseForbidden, reden=error_reason(exception))


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return _render(request, "404.html", HttpResponseNotFound, reden=error_reason(exception))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: Django's reason is English and technical; the person gets what to do."""
    if reason == REASON_NO_CSRF_COOKIE:
        reden = _(
            "Je browser stuurde het cookie van deze site niet mee. Sta cookies voor deze site toe "
            "en probeer het opnieuw."
        )
    else:
        reden = _(
            "Het formulier was verlopen of kwam niet van deze site. Ga terug, laad de pagina "
            "opnieuw en verstuur het formulier nog een keer."
        )
    return render(
        request,
        "403_csrf.html",
        {"reden": reden, "terug_url": back_url(request), "status": 403},
        status=403,
    )


def _user_if_loaded(request: HttpRequest):
    """The request's user only when this request already loaded it: the database may be what failed."""
    user = getattr(request, "user", None)
    if getattr(user, "_wrapped", None) is empty:  # AuthenticationMiddleware's lazy user, never read
        return None
    return user


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page renders without context processors and without a query: it must show when the
    database is down. It never shows the exception."""
    context = {
        "request": request,
        "user": _user_if_loaded(request),
        "csrf_token": get_token(request),
        "terug_url": back_url(request),
        "status": 500,
    }
    return HttpResponseServerError(loader.get_template("500.html").render(context))


def privacy(request: HttpRequest) -> HttpResponse:
    """The public privacy overview: every personal field, its purpose and retention, generated
    from the models' declarations (core.privacy)."""
    from .privacy import overzicht

    return render(request, "privacy.html", {"regels": overzicht()})
