from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from . import views

app_name = "publiek"

urlpatterns = [
    path("", views.home, name="home"),
    path("buurt/<str:slug>/", views.buurt, name="buurt"),
    path("buurt/<str:slug>/feed/", views.feed, name="feed"),
    path("actie/<int:actie_id>/", views.actie, name="actie"),
    path("actie/update/<int:update_id>/foto/", views.update_foto, name="update_foto"),
    # The language choice on the public pages: a cached page carries no CSRF token (it would be
    # one visitor's token in everyone's copy); choosing a language is harmless to force.
    path("taal/", csrf_exempt(set_language), name="taal"),
]
