from django.urls import include, path

from .views import (
    afmelden,
    dashboard,
    doorzetten,
    instellingen,
    intrekken,
    lijst,
    loggen,
    signaal,
    wijkrondes,
)

app_name = "signalen"

signaal_patterns = [
    path("", lijst.signaal_list, name="lijst"),
    path("kaart/", lijst.signaal_kaart, name="kaart"),
    path("kaart/punten.json", lijst.signaal_kaart_punten, name="kaart_punten"),
    path("export.csv", lijst.signaal_csv, name="csv"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("nieuw/", loggen.signaal_nieuw, name="nieuw"),
    path("plek/", loggen.plek, name="plek"),
    path("<int:pk>/", signaal.signaal_detail, name="detail"),
    path("<int:pk>/steun/", signaal.steun_huishouden, name="steun_huishouden"),
    path("<int:pk>/steun-anoniem/", signaal.steun_anoniem, name="steun_anoniem"),
    path("<int:pk>/steun/<int:steun_pk>/intrekken/", signaal.steun_intrekken, name="steun_intrekken"),
    path("<int:pk>/fotos/", signaal.foto_toevoegen, name="foto_toevoegen"),
    path("<int:pk>/status/", signaal.status_wijzigen, name="status_wijzigen"),
    path("<int:pk>/doorzetting/", doorzetten.doorzetting_vastleggen, name="doorzetting_vastleggen"),
    path("foto/<uuid:uuid>/", signaal.foto, name="foto"),
    path("wijkrondes/", wijkrondes.wijkronde_list, name="wijkrondes"),
    path("wijkrondes/nieuw/", wijkrondes.wijkronde_nieuw, name="wijkronde_nieuw"),
    path("wijkrondes/<int:pk>/", wijkrondes.wijkronde_detail, name="wijkronde"),
]

urlpatterns = [
    path("signalen/", include(signaal_patterns)),
    # Public: a household withdraws all its support (AVG), confirmed by a mailed link.
    path("steun-intrekken/", intrekken.huishouden_intrekken, name="huishouden_intrekken"),
    path(
        "steun-intrekken/<str:token>/",
        intrekken.huishouden_intrekken_bevestigen,
        name="huishouden_intrekken_bevestigen",
    ),
    # Public: the partner answers a forwarded signal through its signed link (no account).
    path("doorgezet/<str:token>/", doorzetten.doorzetting_antwoord, name="doorzetting_antwoord"),
    # Public: one-click unsubscribe from the mails about a supported signal (signed link).
    path("afmelden/<str:token>/", afmelden.afmelden, name="afmelden"),
    # A signalen rule stored on the team, so the page sits with the team's other pages.
    path("teams/<int:team_id>/instellingen/", instellingen.team_instellingen, name="team_instellingen"),
]
