from django.urls import path

from .views import dashboard, geholpen, triage

app_name = "acties"

urlpatterns = [
    path("triage/", triage.triage, name="triage"),
    path("triage/<slug:stap>/", triage.triage_stap, name="triage_stap"),
    # Public, behind signed links in residents' mail (tokens hidden in logs: vbt/logs.py).
    # The chosen answer rides in the query string (?antwoord=ja), which logs never show.
    path("geholpen/<str:token>/", geholpen.geholpen, name="geholpen"),
    path("acties/afmelden/<str:token>/", geholpen.bewoner_afmelden_view, name="bewoner_afmelden"),
    path("coordinator/", dashboard.dashboard, name="dashboard"),
]
