from django.urls import include, path

from . import views

app_name = "signalen"

signaal_patterns = [
    path("", views.signaal_list, name="lijst"),
    path("kaart/", views.signaal_kaart, name="kaart"),
    path("export.csv", views.signaal_csv, name="csv"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("nieuw/", views.signaal_nieuw, name="nieuw"),
    path("plek/", views.plek, name="plek"),
    path("<int:pk>/", views.signaal_detail, name="detail"),
    path("<int:pk>/steun/", views.steun_huishouden, name="steun_huishouden"),
    path("<int:pk>/steun-anoniem/", views.steun_anoniem, name="steun_anoniem"),
    path("<int:pk>/steun/<int:steun_pk>/intrekken/", views.steun_intrekken, name="steun_intrekken"),
    path("<int:pk>/fotos/", views.foto_toevoegen, name="foto_toevoegen"),
    path("<int:pk>/status/", views.status_wijzigen, name="status_wijzigen"),
    path("foto/<uuid:uuid>/", views.foto, name="foto"),
    path("wijkrondes/", views.wijkronde_list, name="wijkrondes"),
    path("wijkrondes/nieuw/", views.wijkronde_nieuw, name="wijkronde_nieuw"),
    path("wijkrondes/<int:pk>/", views.wijkronde_detail, name="wijkronde"),
]

urlpatterns = [
    path("signalen/", include(signaal_patterns)),
    # A signalen rule stored on the team, so the page sits with the team's other pages.
    path("teams/<int:team_id>/instellingen/", views.team_instellingen, name="team_instellingen"),
]
