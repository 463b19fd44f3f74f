"""Logging a signal on the phone page: the happy path, nearby signals first, and every bad input."""

import pytest
from django.urls import reverse

from signalen.models import Foto, Signaal, Status, StatusWijziging
from tests import factories as f

from .ui import jpeg_upload, text_upload

URL = reverse("signalen:nieuw")


def post_data(thema, **extra):
    data = {
        "titel": "Zwerfvuil bij de speeltuin",
        "omschrijving": "Bewoners zeggen dat het elke week erger wordt.",
        "thema": thema.pk,
        "kanaal": "straatgesprek",
        "locatie": "",
        "locatie_lat": "50.85",
        "locatie_lon": "5.69",
    }
    data.update(extra)
    return data


def test_page_shows_map_fields_and_only_the_teams_active_themas(teamlid_client, team, thema, ander_team):
    f.ThemaFactory(gemeente=team.gemeente, naam="verlichting", actief=False)
    f.ThemaFactory(gemeente=ander_team.gemeente, naam="groen")
    response = teamlid_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Gebruik mijn locatie" in html
    assert 'name="locatie_lat"' in html and 'name="locatie_lon"' in html
    assert "zwerfvuil" in html and "verlichting" not in html and "groen" not in html
    assert "leaflet/leaflet.js" in html and "js/kaart.js" in html and "js/signaal.js" in html
    assert "Een signaal over een persoon is altijd vertrouwelijk" in html


def test_log_a_signal_with_a_photo(teamlid_client, teamlid, team, thema):
    data = post_data(thema, fotos=[jpeg_upload("a.jpg"), jpeg_upload("b.jpg")])
    response = teamlid_client.post(URL, data)
    signaal = Signaal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("signalen:detail", args=[signaal.pk])
    assert (signaal.team, signaal.thema, signaal.created_by) == (team, thema, teamlid)
    assert (signaal.lat, signaal.lon) == (50.85, 5.69)
    assert signaal.buurt == team.buurten.get()
    assert signaal.status == Status.NIEUW
    assert Foto.objects.filter(signaal=signaal).count() == 2
    assert StatusWijziging.objects.filter(signaal=signaal, naar=Status.NIEUW).exists()


def test_point_from_the_hidden_geojson_works_without_typed_coordinates(teamlid_client, thema):
    data = post_data(thema, locatie='{"type": "Point", "coordinates": [5.691, 50.851]}')
    data.pop("locatie_lat"), data.pop("locatie_lon")
    assert teamlid_client.post(URL, data).status_code == 302
    assert Signaal.objects.get().lat == 50.851


def test_over_persoon_forces_vertrouwelijk(teamlid_client, thema):
    teamlid_client.post(URL, post_data(thema, over_persoon="on"))
    signaal = Signaal.objects.get()
    assert signaal.over_persoon and signaal.vertrouwelijk


def test_signal_during_a_walk_returns_to_the_walk(teamlid_client, team, thema):
    wijkronde = f.WijkrondeFactory(team=team)
    response = teamlid_client.post(f"{URL}?wijkronde={wijkronde.pk}", post_data(thema))
    assert response["Location"] == reverse("signalen:wijkronde", args=[wijkronde.pk])
    assert Signaal.objects.get().wijkronde == wijkronde


def test_chosen_buurt_and_subgebied_are_kept(teamlid_client, team, thema):
    tweede = f.BuurtFactory(wijk__gemeente=team.gemeente)
    team.buurten.add(tweede)
    sub = f.SubgebiedFactory(team=team, buurt=tweede, naam="Pastoor Moorsstraat")
    response = teamlid_client.post(URL, post_data(thema, buurt=tweede.pk, subgebied=sub.pk))
    assert response.status_code == 302
    signaal = Signaal.objects.get()
    assert (signaal.buurt, signaal.subgebied) == (tweede, sub)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"locatie_lat": "50.81", "locatie_lon": "5.61"}, "Deze plek ligt niet in een buurt van het team."),
        ({"titel": ""}, "Geef het signaal een korte titel."),
        ({"titel": "   "}, "Geef het signaal een korte titel."),
        ({"locatie_lat": "", "locatie_lon": ""}, "Zet een punt op de kaart of vul de coördinaten in."),
        ({"kanaal": "telepathie"}, "Selecteer een geldige keuze"),
        ({"fotos": "tekst"}, "Dit bestand is geen foto (alleen JPEG, PNG of WebP)."),
    ],
)
def test_bad_input_gets_a_dutch_message_and_writes_nothing(teamlid_client, thema, change, message):
    data = post_data(thema, **change)
    if change.get("fotos") == "tekst":
        data["fotos"] = [jpeg_upload(), text_upload("vakantie.jpg")]
    response = teamlid_client.post(URL, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Signaal.objects.count() == 0
    assert Foto.objects.count() == 0


def test_thema_of_another_gemeente_is_refused(teamlid_client, thema, ander_team):
    vreemd = f.ThemaFactory(gemeente=ander_team.gemeente, naam="groen")
    response = teamlid_client.post(URL, {**post_data(thema), "thema": vreemd.pk})
    assert "Dit thema hoort niet bij de gemeente van het team" in response.content.decode()
    assert Signaal.objects.count() == 0


def test_nearby_open_signal_is_offered_before_saving(teamlid_client, team, thema):
    # About 40 m north of the new point, same thema, still open.
    bestaand = f.SignaalFactory(
        team=team, thema=thema, lat=50.85036, lon=5.69, titel="Vuilniszakken bij de flat"
    )
    f.SignaalFactory(team=team, thema=thema, lat=50.8506, lon=5.69, status=Status.AFGEROND, titel="Oud")
    f.SignaalFactory(team=team, thema=thema, lat=50.853, lon=5.69, titel="Te ver weg")

    response = teamlid_client.post(URL, post_data(thema))
    html = response.content.decode()
    assert response.status_code == 200
    assert Signaal.objects.count() == 3
    assert "Steun dit signaal in plaats van een nieuw" in html
    assert "Vuilniszakken bij de flat" in html and "Oud" not in html and "Te ver weg" not in html
    assert reverse("signalen:detail", args=[bestaand.pk]) + "#steun" in html
    assert "Toch een nieuw signaal opslaan" in html

    response = teamlid_client.post(URL, post_data(thema, toch_nieuw="on"))
    assert response.status_code == 302
    assert Signaal.objects.count() == 4


def test_nearby_signal_of_another_thema_is_not_offered(teamlid_client, team, thema):
    ander = f.ThemaFactory(gemeente=team.gemeente, naam="verlichting")
    f.SignaalFactory(team=team, thema=ander, lat=50.85, lon=5.69)
    assert teamlid_client.post(URL, post_data(thema)).status_code == 302


def test_plek_endpoint_gives_buurt_and_nearby(teamlid_client, team, thema):
    bestaand = f.SignaalFactory(team=team, thema=thema, lat=50.8502, lon=5.69)
    url = reverse("signalen:plek")
    data = teamlid_client.get(url, {"team": team.pk, "lat": "50.85", "lon": "5.69", "thema": thema.pk}).json()
    assert data["buurt"]["naam"] == team.buurten.get().naam
    assert [s["id"] for s in data["nabij"]] == [bestaand.pk]
    assert data["nabij"][0]["afstand_m"] == 22
    buiten = teamlid_client.get(url, {"team": team.pk, "lat": "50.81", "lon": "5.61"}).json()
    assert buiten == {"buurt": None, "binnen_team": False, "nabij": []}
    zonder_thema = teamlid_client.get(
        url, {"team": team.pk, "lat": "50.85", "lon": "5.69", "thema": "zwerfvuil"}
    )
    assert zonder_thema.status_code == 200 and zonder_thema.json()["nabij"] == []
    bad = teamlid_client.get(url, {"team": team.pk, "lat": "noord", "lon": "5.61"})
    assert bad.status_code == 400 and "breedtegraad" in bad.json()["fout"]


def test_other_teams_cannot_log_for_this_team(client, buitenstaander, team, thema):
    client.force_login(buitenstaander)
    assert client.get(f"{URL}?team={team.pk}").status_code == 404
    assert client.post(f"{URL}?team={team.pk}", post_data(thema)).status_code == 404
    wijkronde = f.WijkrondeFactory(team=team)
    assert client.get(f"{URL}?wijkronde={wijkronde.pk}").status_code == 404
    assert (
        client.get(reverse("signalen:plek"), {"team": team.pk, "lat": 50.85, "lon": 5.69}).status_code == 404
    )
    assert Signaal.objects.count() == 0


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_member_of_two_teams_chooses_a_team_first(client, teamlid, team, ander_team, thema):
    f.LidmaatschapFactory(user=teamlid, team=ander_team)
    client.force_login(teamlid)
    response = client.get(URL)
    assert "Voor welk team?" in response.content.decode()
    assert f"?team={ander_team.pk}" in response.content.decode()
    assert client.get(f"{URL}?team={team.pk}").status_code == 200


def test_person_without_team_is_refused(client, db):
    client.force_login(f.UserFactory())
    assert client.get(URL).status_code == 403


def test_logging_page_query_count_does_not_grow(client, teamlid, team, thema, django_assert_max_num_queries):
    client.force_login(teamlid)
    f.SubgebiedFactory(team=team)
    with django_assert_max_num_queries(15) as few:
        client.get(URL)
    with django_assert_max_num_queries(25) as few_post:
        client.post(URL, post_data(thema, titel="Eerste"))
    for n in range(8):
        buurt = f.BuurtFactory(wijk__gemeente=team.gemeente)
        team.buurten.add(buurt)
        f.SubgebiedFactory(team=team, buurt=buurt)
        f.ThemaFactory(gemeente=team.gemeente, naam=f"thema {n}")
    # Nearby candidates are one query, whatever their number.
    f.SignaalFactory.create_batch(10, team=team, thema=thema, lat=50.8502, lon=5.6901)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)
    with django_assert_max_num_queries(len(few_post.captured_queries)):
        response = client.post(URL, post_data(thema, titel="Tweede"))
    assert "Steun dit signaal in plaats van een nieuw" in response.content.decode()


def test_chosen_photos_must_be_chosen_again_after_an_error(teamlid_client, thema):
    response = teamlid_client.post(URL, post_data(thema, titel="", fotos=[jpeg_upload()]))
    assert "De gekozen foto’s zijn nog niet bewaard: kies ze opnieuw." in response.content.decode()
    assert Foto.objects.count() == 0


def test_subgebied_of_another_buurt_is_refused(teamlid_client, team, thema):
    tweede = f.BuurtFactory(wijk__gemeente=team.gemeente)
    team.buurten.add(tweede)
    sub = f.SubgebiedFactory(team=team, buurt=tweede)
    eerste = team.buurten.exclude(pk=tweede.pk).get()
    response = teamlid_client.post(URL, post_data(thema, buurt=eerste.pk, subgebied=sub.pk))
    assert "Dit subgebied hoort niet bij deze buurt van het team." in response.content.decode()
    assert Signaal.objects.count() == 0


def test_a_gemeente_without_themas_says_so(teamlid_client, team):
    html = teamlid_client.get(URL).content.decode()
    assert "Er zijn nog geen thema’s voor de gemeente van dit team." in html
