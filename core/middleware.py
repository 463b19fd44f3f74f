"""Middleware that knows no domain."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from core.views import page_not_found


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
