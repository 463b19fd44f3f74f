from django.urls import path

from .views import actie, dashboard, geholpen, lijst, triage

app_name = "acties"

urlpatterns = [
    path("triage/", triage.triage, name="triage"),
    path("triage/<slug:stap>/", triage.triage_stap, name="triage_stap"),
    # Public, behind signed links in residents' mail (tokens hidden in logs: vbt/logs.py).
    # The chosen answer rides in the query string (?antwoord=ja), which logs never show.
    path("geholpen/<str:token>/", geholpen.geholpen, name="geholpen"),
    path("acties/afmelden/<str:token>/", geholpen.bewoner_afmelden_view, name="bewoner_afmelden"),
    path("coordinator/", dashboard.dashboard, name="dashboard"),
    # The team's acties pages.
    path("acties/", lijst.actie_list, name="lijst"),
    path("acties/<int:pk>/", actie.actie_detail, name="detail"),
    path("acties/<int:pk>/bewerken/", actie.actie_bewerken, name="bewerken"),
    path("acties/<int:pk>/status/", actie.status_wijzigen, name="status"),
    path("acties/<int:pk>/updates/", actie.update_plaatsen, name="update"),
    path("acties/<int:pk>/mijlpalen/", actie.mijlpaal_toevoegen, name="mijlpaal"),
    path(
        "acties/<int:pk>/mijlpalen/<int:mijlpaal_pk>/afvinken/",
        actie.mijlpaal_afvinken_view,
        name="mijlpaal_afvinken",
    ),
    path("acties/<int:pk>/voortgang/", actie.voortgang_zetten, name="voortgang"),
    path("acties/<int:pk>/bewoners/", actie.bewoners_toevoegen, name="bewoners"),
    path("acties/<int:pk>/notities/", actie.notitie_toevoegen, name="notitie"),
    path("acties/foto/<uuid:uuid>/", actie.update_foto, name="foto"),
]
