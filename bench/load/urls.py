"""The site's URLs plus `/bench/leeg/`: the trivial view every request type is compared with."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from vbt.urls import urlpatterns as site


def leeg(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/leeg/", leeg), *site]
