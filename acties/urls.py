from django.urls import path

from .views import triage

app_name = "acties"

urlpatterns = [
    path("triage/", triage.triage, name="triage"),
    path("triage/<slug:stap>/", triage.triage_stap, name="triage_stap"),
]
