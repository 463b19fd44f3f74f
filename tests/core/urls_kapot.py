"""The site's URLs plus views that fail on purpose, for the error page tests."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path

from vbt.urls import handler400, handler403, handler404, handler500
from vbt.urls import urlpatterns as site_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

GEHEIM = "geheime-interne-fout-db-wachtwoord"


def kapot(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(GEHEIM)


def kapot_na_inloggen(request: HttpRequest) -> HttpResponse:
    # Reads the logged-in user: loads the session and the user from the database.
    return HttpResponse(f"Hallo {request.user.email}")


def kapot_voor_lid(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(f"{GEHEIM} bij {request.user.email}")


def geweigerd(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def bestaat_niet(request: HttpRequest) -> HttpResponse:
    from buurten.models import Team

    return get_object_or_404(Team, pk=0)


def lege_404(request: HttpRequest) -> HttpResponse:
    raise Http404


urlpatterns = [
    path("geweigerd/", geweigerd),
    path("bestaat-niet/object/", bestaat_niet),
    path("bestaat-niet/leeg/", lege_404),
    path("kapot/lid/", kapot_voor_lid),
    path("kapot/", kapot),
    path("kapot/database/", kapot_na_inloggen),
    *site_urlpatterns,
]
