from django.urls import path

from .views import teams as views
from .views import uitnodigingen

app_name = "buurten"

urlpatterns = [
    # "/" is publiek.views.home, which hands a logged-in person to views.home.
    path("teams/<int:team_id>/", views.team_detail, name="team_detail"),
    path("teams/<int:team_id>/doel/", views.team_doel, name="team_doel"),
    path("teams/<int:team_id>/leden/", views.team_leden, name="team_leden"),
    path("teams/<int:team_id>/leden/<int:lid_id>/rol/", views.lid_rol, name="lid_rol"),
    path(
        "teams/<int:team_id>/leden/<int:lid_id>/verwijderen/", views.lid_verwijderen, name="lid_verwijderen"
    ),
    path("teams/<int:team_id>/subgebieden/", views.subgebied_list, name="subgebied_list"),
    path("teams/<int:team_id>/subgebieden/nieuw/", views.subgebied_form, name="subgebied_nieuw"),
    path(
        "teams/<int:team_id>/subgebieden/<int:subgebied_id>/", views.subgebied_form, name="subgebied_bewerken"
    ),
    path(
        "teams/<int:team_id>/subgebieden/<int:subgebied_id>/verwijderen/",
        views.subgebied_verwijderen,
        name="subgebied_verwijderen",
    ),
    # Invitations and adding an existing account.
    path("teams/<int:team_id>/uitnodigen/", uitnodigingen.uitnodigen, name="uitnodigen"),
    path("teams/<int:team_id>/leden/toevoegen/", uitnodigingen.lid_toevoegen, name="lid_toevoegen"),
    path("uitnodiging/<str:token>/", uitnodigingen.uitnodiging_accepteren, name="uitnodiging_accepteren"),
]
