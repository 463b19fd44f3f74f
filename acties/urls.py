from django.urls import path

from .views import geholpen, triage

app_name = "acties"

urlpatterns = [
    path("triage/", triage.triage, name="triage"),
    path("triage/<slug:stap>/", triage.triage_stap, name="triage_stap"),
    # Public, behind signed links in residents' mail (tokens hidden in logs: vbt/logs.py).
    path("geholpen/<str:token>/<str:antwoord>/", geholpen.geholpen, name="geholpen"),
    path("acties/afmelden/<str:token>/", geholpen.bewoner_afmelden_view, name="bewoner_afmelden"),
]
