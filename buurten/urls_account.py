"""Invitation pages; included from buurten.urls, so the names live in the `buurten` namespace."""

from django.urls import path

from buurten import views_account

urlpatterns = [
    path("teams/<int:team_id>/uitnodigen/", views_account.uitnodigen, name="uitnodigen"),
    path("teams/<int:team_id>/leden/toevoegen/", views_account.lid_toevoegen, name="lid_toevoegen"),
    path("uitnodiging/<str:token>/", views_account.uitnodiging_accepteren, name="uitnodiging_accepteren"),
]
