"""The site's URLs plus views that fail on purpose, for the 500 page tests."""

from django.http import HttpRequest, HttpResponse
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


urlpatterns = [
    path("kapot/lid/", kapot_voor_lid),
    path("kapot/", kapot),
    path("kapot/database/", kapot_na_inloggen),
    *site_urlpatterns,
]
