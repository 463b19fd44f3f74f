"""The generated privacy overview: every field that looks personal is declared, and the page shows it."""

import pytest
from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps

from core.privacy import EXTERN, Persoonsgegeven, declarations, looks_personal, overzicht

EIGEN_APPS = ("buurten", "signalen", "acties", "publiek", "audit", "notificaties")


def undeclared(model) -> list[str]:
    gedeclareerd = set(declarations(model)) | set(getattr(model, "geen_persoonsgegevens", ()))
    return [
        veld.name
        for veld in model._meta.get_fields()
        if not veld.auto_created
        and looks_personal(veld.name)
        and veld.name not in gedeclareerd
        # AbstractUser's permission links are no data about the person.
        and veld.name not in ("user_permissions", "is_superuser")
    ]


def test_every_field_that_looks_personal_is_declared_with_purpose_and_retention():
    missing = {
        model._meta.label: undeclared(model)
        for app in EIGEN_APPS
        for model in apps.get_app_config(app).get_models()
        if undeclared(model)
    }
    assert missing == {}


@isolate_apps("core")
def test_a_new_personal_looking_field_without_a_declaration_fails_the_check():
    class Nieuw(models.Model):  # noqa: DJ008 - a throwaway model in an isolated registry
        geen_persoonsgegevens = ("naam",)
        naam = models.CharField(max_length=10)
        bezoeker_ip = models.GenericIPAddressField()
        postadres = models.CharField(max_length=10)
        woon_adres = models.CharField(max_length=10)

        class Meta:
            app_label = "core"

    assert undeclared(Nieuw) == ["bezoeker_ip", "woon_adres"]


def test_every_declaration_names_a_real_field_with_text():
    for model in apps.get_models():
        for naam, gegeven in declarations(model).items():
            model._meta.get_field(naam)  # raises for a declaration of a field that is gone
            assert isinstance(gegeven, Persoonsgegeven)
            assert str(gegeven.doel).strip() and str(gegeven.bewaren).strip()
    assert {label for label in EXTERN} <= {m._meta.label_lower for m in apps.get_models()}


@pytest.mark.django_db
def test_the_public_page_lists_every_declared_field(client):
    response = client.get("/privacy/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "base.html" in [t.name for t in response.templates]  # in the site's look
    regels = overzicht()
    assert len(regels) > 20
    for regel in regels:
        assert str(regel.doel) in html.replace("&#x27;", "'")
    assert "GPS-route" in html and "huishouden" in html and "IP-adres" in html
    assert 'href="/steun-intrekken/"' in html
