"""The size of a request body, refused before anything reads it.

Django limits the form fields in memory (`DATA_UPLOAD_MAX_MEMORY_SIZE`) and the number of fields
and files, but streams uploaded files to disk without a total: without this a request could fill
the disk. A body over `MAX_REQUEST_BYTES` (by its Content-Length) gets 413 and a Dutch page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            lengte = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            lengte = 0  # Django itself treats an unreadable length as an empty body
        limiet = settings.MAX_REQUEST_BYTES
        if lengte > limiet:
            html = render_to_string("413.html", {"max_mb": limiet // (1024 * 1024)}, request=request)
            return HttpResponse(html, status=413)
        return self.get_response(request)
