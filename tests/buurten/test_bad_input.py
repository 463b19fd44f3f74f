"""Bad input on the team pages and in the admin never gives a 500 (issue #10, item 5): each case
shows a Dutch message with the right status and writes nothing."""

import json

import pytest
from django.contrib import admin
from django.urls import reverse

from buurten.models import PartnerInzet, Subgebied, Uitnodiging
from core.admin import FORMSET_MAX_FORMS, BadInputAdminMixin
from core.geojson import geojson_loads, nesting_depth
from tests.buurten.teams_world import INSIDE_WEST

pytestmark = pytest.mark.django_db

DIEP = "[" * 50_000 + "]" * 50_000
DIEP_VLAK = '{"type": "Polygon", "coordinates": ' + DIEP + "}"
TE_DIEP = "Deze GeoJSON is te diep genest; teken de vorm opnieuw op de kaart."


# --- GeoJSON ----------------------------------------------------------------------------------


def test_nesting_is_measured_without_parsing_and_brackets_in_strings_do_not_count():
    assert nesting_depth('{"type": "Point", "coordinates": [5.6, 50.8]}') == 2
    assert nesting_depth('{"naam": "[[[[[[[[[[[[ \\" [[[[[["}') == 1
    assert nesting_depth(DIEP) == 50_000
    polygon = {
        "type": "Feature",
        "geometry": {"type": "MultiPolygon", "coordinates": [[INSIDE_WEST["coordinates"][0]]]},
    }
    assert geojson_loads(json.dumps(polygon)) == polygon


def test_subgebied_page_refuses_deep_geojson_with_a_form_error(client, world):
    client.force_login(world.coordinator)
    url = reverse("buurten:subgebied_nieuw", kwargs={"team_id": world.team.pk})
    response = client.post(url, {"naam": "Diep", "buurt": world.buurt.pk, "geometrie": DIEP_VLAK})
    assert response.status_code == 400
    assert TE_DIEP in response.content.decode()
    assert not Subgebied.objects.filter(naam="Diep").exists()


def test_subgebied_page_refuses_too_many_points(client, world):
    client.force_login(world.coordinator)
    ring = [[5.685 + i * 1e-8, 50.845] for i in range(20_001)] + [[5.685, 50.845]]
    url = reverse("buurten:subgebied_nieuw", kwargs={"team_id": world.team.pk})
    geometrie = json.dumps({"type": "Polygon", "coordinates": [ring]})
    response = client.post(url, {"naam": "Veel", "buurt": world.buurt.pk, "geometrie": geometrie})
    assert response.status_code == 400
    assert "Deze vorm heeft te veel punten: hoogstens 20000." in response.content.decode()
    assert not Subgebied.objects.filter(naam="Veel").exists()


def test_admin_subgebied_refuses_deep_geojson_with_a_form_error(client, world):
    client.force_login(world.staff)
    response = client.post(
        reverse("admin:buurten_subgebied_add"),
        {"team": world.team.pk, "buurt": world.buurt.pk, "naam": "Diep", "geometrie": DIEP_VLAK},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["geometrie"] == [TE_DIEP]
    assert not Subgebied.objects.filter(naam="Diep").exists()


# --- tokens in the URL ------------------------------------------------------------------------


@pytest.mark.parametrize("token", ["a%00b", "%00", "a%20b", "x" * 300, "%C3%A9%E2%80%8B"])
def test_malformed_invitation_token_is_the_dutch_unknown_link_page(client, token):
    response = client.get(f"/uitnodiging/{token}/")
    assert response.status_code == 404
    assert "Deze uitnodigingslink is onbekend" in response.content.decode()
    response = client.post(f"/uitnodiging/{token}/", {"first_name": "A", "last_name": "B"})
    assert response.status_code == 404
    assert not Uitnodiging.objects.exists()


@pytest.mark.parametrize(
    "path",
    ["/accounts/password/reset/key/a%00b-c%00d/", "/accounts/confirm-email/a%00b/", "/signalen/foto/a%00b/"],
)
def test_nul_byte_in_other_token_urls_is_no_500(client, path):
    assert client.get(path).status_code in (200, 302, 404)


# --- admin actions ----------------------------------------------------------------------------


def admins_with_actions(request):
    for model, model_admin in admin.site._registry.items():
        actions = model_admin.get_actions(request)
        if actions:
            yield model, next(iter(actions))


def test_every_registered_admin_is_guarded():
    # Django's, allauth's and every later app's admin get BadInputAdminMixin (core/apps.py).
    assert all(isinstance(model_admin, BadInputAdminMixin) for model_admin in admin.site._registry.values())


@pytest.mark.parametrize("selectie", ["abc", "1.5", "\x00", "99999999999999999999999"])
def test_every_admin_action_with_a_bad_selection_is_a_dutch_message(client, rf, world, selectie):
    client.force_login(world.staff)
    request = rf.get("/")
    request.user = world.staff
    gezien = 0
    for model, action in admins_with_actions(request):
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.post(
            url, {"action": action, "index": "0", "_selected_action": [selectie]}, follow=True
        )
        assert response.status_code == 200, (url, action)
        meldingen = [str(m) for m in response.context["messages"]]
        assert meldingen and all("500" not in m for m in meldingen), (url, meldingen)
        gezien += 1
    # Django's own delete is off for most domain models (they delete through services).
    assert gezien >= 8
    world.team.refresh_from_db()
    assert Subgebied.objects.filter(pk=world.subgebied.pk).exists()


def test_admin_action_with_a_non_numeric_selection_names_the_problem(client, world):
    client.force_login(world.staff)
    response = client.post(
        reverse("admin:buurten_subgebied_changelist"),
        {"action": "delete_selected", "index": "0", "_selected_action": [str(world.subgebied.pk), "abc"]},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "De selectie is ongeldig: kies de regels opnieuw. Er is niets gewijzigd."
    ]
    assert Subgebied.objects.filter(pk=world.subgebied.pk).exists()


# --- formset counts ---------------------------------------------------------------------------


def test_admin_inline_with_two_billion_forms_is_refused_quickly(client, world, django_assert_max_num_queries):
    client.force_login(world.staff)
    data = {
        "naam": "Team West",
        "slug": world.team.slug,
        "gemeente": world.team.gemeente_id,
        "buurten": [world.buurt.pk],
        "doel": "Nieuw doel",
        "drempel_huishoudens": "4",
        "anoniem_gewicht": "0.5",
        "steun_venster_maanden": "12",
        "bewaartermijn_maanden": "24",
        "inzet-TOTAL_FORMS": "2147483648",
        "inzet-INITIAL_FORMS": "0",
        "inzet-MIN_NUM_FORMS": "0",
        "inzet-MAX_NUM_FORMS": "1000",
    }
    response = client.post(reverse("admin:buurten_team_change", args=[world.team.pk]), data)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.forms == []  # only the rows that exist (none) are built
    assert f"maximaal {FORMSET_MAX_FORMS}" in " ".join(formset.non_form_errors())
    world.team.refresh_from_db()
    assert world.team.doel != "Nieuw doel" and not PartnerInzet.objects.filter(team=world.team).exists()
