from django.urls import path

from . import views_online

app_name = "publiek"

urlpatterns: list = [
    # A resident supports a public signal; the mailed link (a token: vbt.logs) confirms it.
    path("steunen/<int:signaal_id>/", views_online.steunen, name="steunen"),
    path("steunen/<int:signaal_id>/bedankt/", views_online.steunen_bedankt, name="steunen_bedankt"),
    path("steunen/bevestigen/<str:token>/", views_online.steunen_bevestigen, name="steunen_bevestigen"),
    # A resident's own wish for the buurt, confirmed likewise.
    path("buurt/<str:slug>/wens/", views_online.wens, name="wens"),
    path("wens/bevestigen/<str:token>/", views_online.wens_bevestigen, name="wens_bevestigen"),
    path("toegankelijkheid/", views_online.toegankelijkheid, name="toegankelijkheid"),
]
