"""Middleware that knows no domain: response headers Django itself does not set
(Permissions-Policy, no-store), and the site's own 404 for all but a superuser when DEBUG is on.

`Cache-Control: no-store` goes on every response to a logged-in person: every page behind the
login shows team data (signals, names, the CSV, the JSON of the map, signal photos), and a browser
or proxy cache must not keep it for the next person at the same computer. Static files (served by
WhiteNoise before this middleware) and pages for anonymous visitors keep their own caching; a
page that shows personal data to an anonymous visitor (an invitation) uses `never_cache`. Error
pages (5xx) are never stored either, nor any page reached through a personal link (a token in
its path: `NO_STORE_PATHS`, the prefixes of `vbt.logs.TOKEN_PREFIXES`), whoever opens it.
"""

import re
from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.gzip import GZipMiddleware as DjangoGZipMiddleware
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve

from core.views import _user_if_loaded, back_url, page_not_found


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """`{"geolocation": ["self"], "camera": []}` -> `geolocation=(self), camera=()`."""
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in policy.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.permissions_policy = permissions_policy_header(getattr(settings, "PERMISSIONS_POLICY", {}))
        no_store = getattr(settings, "NO_STORE_PATHS", ())
        self.no_store = re.compile("|".join(f"(?:{p})" for p in no_store)) if no_store else None

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        personal_link = self.no_store is not None and self.no_store.match(request.path)
        if response.status_code >= 500 or personal_link or _logged_in(request):
            # Replaces whatever the view chose (e.g. a photo's max-age): "private" alone still
            # lets the browser keep the file on disk.
            if "no-store" not in response.get("Cache-Control", ""):
                response["Cache-Control"] = "private, no-store"
        return response


def _logged_in(request: HttpRequest) -> bool:
    """Whether the response went to a logged-in person, without loading the user for it.

    A response that never read `request.user` cannot depend on who is logged in; and a 500 page
    must not query (the database may be what failed), so this never does.
    """
    user = _user_if_loaded(request)  # the 500 page's own rule
    return bool(user is not None and user.is_authenticated)


def _is_superuser(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_superuser)


class DebugNotFoundMiddleware:
    """With DEBUG on, Django answers a 404 with its technical page, which lists the site's URL
    patterns (and ignores handler404). Only a superuser gets that page; everyone else gets the
    site's own 404, with the reason. Without DEBUG this does nothing: handler404 answers.

    Install it last, after AuthenticationMiddleware: an address that resolves to no view is
    answered before Django's own resolving, a view's Http404 in `process_exception`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.DEBUG:
            try:
                resolve(request.path_info, urlconf=getattr(request, "urlconf", None))
            except Resolver404 as error:
                if not _is_superuser(request):
                    return page_not_found(request, error)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if settings.DEBUG and isinstance(exception, Http404) and not _is_superuser(request):
            return page_not_found(request, exception)
        return None


class RequestSizeLimitMiddleware:
    """A request body over `MAX_REQUEST_BYTES` (by its Content-Length) gets 413 and a Dutch page.

    Django limits the form fields held in memory (`DATA_UPLOAD_MAX_MEMORY_SIZE`) and the number of
    fields and files, but streams uploaded files to disk without a total: without this one request
    could fill the disk. It answers before any view or middleware reads the body.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            lengte = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            lengte = 0  # Django itself reads an unreadable length as an empty body
        limiet = settings.MAX_REQUEST_BYTES
        if lengte > limiet:
            context = {"max_mb": limiet // (1024 * 1024), "terug_url": back_url(request), "status": 413}
            return HttpResponse(render_to_string("413.html", context, request=request), status=413)
        return self.get_response(request)


class GZipMiddleware(DjangoGZipMiddleware):
    """Django's GZipMiddleware (random padding in the gzip header against BREACH, since Django
    4.2), except for the paths in `GZIP_EXCLUDED_PATHS` (regular expressions from the start of the
    path): pages that hold a secret that stays the same across requests next to text from the
    request (the TOTP setup, recovery codes, reset and invitation links with their token). README,
    "Compression and BREACH", has the reasoning."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        super().__init__(get_response)
        excluded = getattr(settings, "GZIP_EXCLUDED_PATHS", ())
        self.excluded = re.compile("|".join(f"(?:{p})" for p in excluded)) if excluded else None

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if self.excluded is not None and self.excluded.match(request.path):
            return response
        return super().process_response(request, response)
