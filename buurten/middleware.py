"""Per-request memory of who sits where (`buurten.selectors.teams.toegang_per_verzoek`)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from buurten.selectors.teams import toegang_per_verzoek


class ToegangPerVerzoekMiddleware:
    """A page asks the access rule several times (member? coordinator? which teams? needs TOTP?);
    within one request the person's seats are read once. A streamed response (the CSV) is read
    after the view returns, so the memory lives only as long as the view itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with toegang_per_verzoek():
            return self.get_response(request)
