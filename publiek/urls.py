from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from . import views, views_online

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
    # A resident supports a public signal; the mailed link (a token: vbt.logs) confirms it.
    path("steunen/<int:signaal_id>/", views_online.steunen, name="steunen"),
    path("steunen/<int:signaal_id>/bedankt/", views_online.steunen_bedankt, name="steunen_bedankt"),
    path("steunen/bevestigen/<str:token>/", views_online.steunen_bevestigen, name="steunen_bevestigen"),
    # A resident's own wish for the buurt, confirmed likewise.
    path("buurt/<str:slug>/wens/", views_online.wens, name="wens"),
    path("wens/bevestigen/<str:token>/", views_online.wens_bevestigen, name="wens_bevestigen"),
    path("toegankelijkheid/", views_online.toegankelijkheid, name="toegankelijkheid"),
]
