"""The signal page: support counts, support forms, withdrawing, photos, history and access."""

import datetime as dt

import pytest
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from signalen.models import Foto, Status, StatusWijziging, Steunbetuiging
from signalen.services.fotos import foto_add_upload
from tests import factories as f

from .ui import jpeg_upload, text_upload


@pytest.fixture
def signaal(team, thema, teamlid):
    s = f.SignaalFactory(team=team, thema=thema, titel="Donker pad achter de school", created_by=teamlid)
    StatusWijziging.objects.create(
        signaal=s, van="", naar=Status.NIEUW, door=teamlid, reden="Signaal vastgelegd."
    )
    return s


def url(signaal, name="detail", **kw):
    return reverse(f"signalen:{name}", kwargs={"pk": signaal.pk, **kw})


def huishouden(**extra):
    data = {
        "huishouden-kanaal": "huisbezoek",
        "huishouden-datum": timezone.localdate().isoformat(),
        "huishouden-postcode": "6217 AB",
        "huishouden-huisnummer": "12a",
    }
    data.update(extra)
    return data


def test_page_shows_counts_threshold_forms_and_history(teamlid_client, signaal):
    signaal.steun_huishoudens, signaal.steun_anoniem, signaal.steun_totaal = 3, 2, 4
    signaal.save()
    response = teamlid_client.get(url(signaal))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Donker pad achter de school" in html
    assert "4 van 5 nodig" in html
    assert "Nog 1 huishouden nodig." in html
    assert "Steun van een huishouden" in html and "Anonieme steun (handopsteken)" in html
    assert "Historie" in html and "Signaal vastgelegd." in html
    assert "Postcode" in html and "Aantal mensen" in html


def test_household_support_is_recorded_and_listed_without_hash_or_email(teamlid_client, signaal):
    data = huishouden(**{"huishouden-email": "bewoner@example.nl", "huishouden-email_toestemming": "on"})
    response = teamlid_client.post(url(signaal, "steun_huishouden"), data)
    assert response.status_code == 302
    assert response["Location"] == url(signaal) + "#steun"
    steun = Steunbetuiging.objects.get()
    assert steun.huishouden_hash and steun.email == "bewoner@example.nl"

    html = teamlid_client.get(url(signaal)).content.decode()
    assert f"huishouden, via huisbezoek, {timezone.localdate():%-d-%-m-%Y}" in html
    assert steun.huishouden_hash not in html
    assert "bewoner@example.nl" not in html
    assert "6217" not in html


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"huishouden-postcode": "621 AB"}, "Vul een geldige postcode in, zoals 1234 AB."),
        ({"huishouden-huisnummer": "twaalf"}, "Vul een huisnummer in"),
        ({"huishouden-email": "a@example.nl"}, "alleen met toestemming"),
        ({"huishouden-kanaal": ""}, "Kies via welk kanaal de steun gegeven is."),
        ({"huishouden-datum": "2999-01-01"}, "De datum kan niet in de toekomst liggen."),
    ],
)
def test_bad_household_input_is_a_form_error_and_writes_nothing(teamlid_client, signaal, change, message):
    response = teamlid_client.post(url(signaal, "steun_huishouden"), huishouden(**change))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Steunbetuiging.objects.count() == 0


def test_same_household_twice_says_so(teamlid_client, signaal):
    teamlid_client.post(url(signaal, "steun_huishouden"), huishouden())
    response = teamlid_client.post(
        url(signaal, "steun_huishouden"),
        huishouden(
            **{
                "huishouden-kanaal": "vragenlijst",
                "huishouden-postcode": "6217ab",
                "huishouden-huisnummer": "12 A",
            }
        ),
    )
    assert "Dit huishouden steunt dit signaal al." in response.content.decode()
    assert Steunbetuiging.objects.count() == 1


def test_anonymous_support(teamlid_client, signaal):
    data = {
        "anoniem-kanaal": "buurtbijeenkomst",
        "anoniem-datum": timezone.localdate().isoformat(),
        "anoniem-aantal": "23",
    }
    response = teamlid_client.post(url(signaal, "steun_anoniem"), data)
    assert response.status_code == 302
    assert Steunbetuiging.objects.get().aantal_anoniem == 23
    assert "23 personen anoniem, via buurtbijeenkomst" in teamlid_client.get(url(signaal)).content.decode()

    data["anoniem-aantal"] = "0"
    response = teamlid_client.post(url(signaal, "steun_anoniem"), data)
    assert "Kies een getal van 1 tot en met 1000." in response.content.decode()
    assert Steunbetuiging.objects.count() == 1


def test_withdraw_a_support(teamlid_client, teamlid, signaal):
    steun = f.SteunbetuigingFactory(signaal=signaal)
    assert teamlid_client.get(url(signaal, "steun_intrekken", steun_pk=steun.pk)).status_code == 405
    response = teamlid_client.post(url(signaal, "steun_intrekken", steun_pk=steun.pk))
    assert response.status_code == 302
    steun.refresh_from_db()
    assert steun.ingetrokken_at is not None and steun.ingetrokken_door == teamlid
    assert "ingetrokken op" in teamlid_client.get(url(signaal)).content.decode()

    again = teamlid_client.post(url(signaal, "steun_intrekken", steun_pk=steun.pk), follow=True)
    assert "Deze steun is al ingetrokken." in again.content.decode()


def test_support_of_another_signal_cannot_be_withdrawn_through_this_one(teamlid_client, team, thema, signaal):
    ander = f.SignaalFactory(team=team, thema=thema)
    steun = f.SteunbetuigingFactory(signaal=ander)
    assert teamlid_client.post(url(signaal, "steun_intrekken", steun_pk=steun.pk)).status_code == 404
    steun.refresh_from_db()
    assert steun.ingetrokken_at is None


def test_closed_signal_takes_no_support(teamlid_client, signaal):
    signaal.status = Status.AFGEROND
    signaal.save()
    response = teamlid_client.post(url(signaal, "steun_huishouden"), huishouden())
    assert "er kan geen steun meer bij" in response.content.decode()
    assert Steunbetuiging.objects.count() == 0


def test_photos_are_added_shown_and_served_only_to_the_team(client, teamlid, buitenstaander, signaal):
    client.force_login(teamlid)
    response = client.post(url(signaal, "foto_toevoegen"), {"fotos": [jpeg_upload("Mijn buurman.jpg")]})
    assert response.status_code == 302
    foto = Foto.objects.get()
    html = client.get(url(signaal)).content.decode()
    foto_url = reverse("signalen:foto", args=[foto.uuid])
    assert foto_url in html and "Mijn buurman" not in html

    served = client.get(foto_url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert "private" in served["Cache-Control"]
    assert b"".join(served.streaming_content)[:2] == b"\xff\xd8"

    client.force_login(buitenstaander)
    assert client.get(foto_url).status_code == 404
    client.logout()
    assert client.get(foto_url).status_code == 302


def test_not_a_photo_is_refused_on_the_signal_page(teamlid_client, signaal):
    response = teamlid_client.post(url(signaal, "foto_toevoegen"), {"fotos": [text_upload("notities.jpg")]})
    assert response.status_code == 200
    assert "notities.jpg: Dit bestand is geen foto (alleen JPEG, PNG of WebP)." in response.content.decode()
    assert Foto.objects.count() == 0


def test_another_teams_signal_is_a_404_everywhere(client, buitenstaander, signaal):
    client.force_login(buitenstaander)
    steun = f.SteunbetuigingFactory(signaal=signaal)
    assert client.get(url(signaal)).status_code == 404
    assert client.post(url(signaal, "steun_huishouden"), huishouden()).status_code == 404
    assert client.post(url(signaal, "steun_anoniem"), {}).status_code == 404
    assert client.post(url(signaal, "steun_intrekken", steun_pk=steun.pk)).status_code == 404
    assert client.post(url(signaal, "foto_toevoegen"), {"fotos": [jpeg_upload()]}).status_code == 404
    assert Steunbetuiging.objects.count() == 1 and Foto.objects.count() == 0


def test_confidential_signal_is_only_for_its_team(client, teamlid, buitenstaander, team, thema):
    geheim = f.SignaalFactory(
        team=team, thema=thema, over_persoon=True, vertrouwelijk=True, titel="Over buurman"
    )
    client.force_login(teamlid)
    response = client.get(url(geheim))
    assert response.status_code == 200 and "Vertrouwelijk" in response.content.decode()
    client.force_login(buitenstaander)
    assert client.get(url(geheim)).status_code == 404
    assert "Over buurman" not in client.get(reverse("signalen:lijst")).content.decode()


def test_superuser_sees_every_signal(client, signaal):
    client.force_login(f.UserFactory(is_superuser=True, is_staff=True))
    assert client.get(url(signaal)).status_code == 200


def test_signal_page_query_count_does_not_grow(client, teamlid, signaal, django_assert_max_num_queries):
    client.force_login(teamlid)
    for n in range(3):
        foto_add_upload(signaal=signaal, upload=jpeg_upload(), door=teamlid)
        f.SteunbetuigingFactory(signaal=signaal, datum=timezone.localdate() - dt.timedelta(days=n))
    # 13: one of them asks whether the role needs TOTP (confidential signals, second_factor_pending).
    with django_assert_max_num_queries(13) as few:
        client.get(url(signaal))
    for _ in range(20):
        f.SteunbetuigingFactory(signaal=signaal)
        StatusWijziging.objects.create(
            signaal=signaal, van=Status.NIEUW, naar=Status.DRAAGVLAK_GEZOCHT, door=teamlid
        )
        foto_add_upload(signaal=signaal, upload=jpeg_upload(), door=teamlid)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url(signaal))


def test_photo_files_have_no_public_url(teamlid_client, teamlid, signaal):
    foto = foto_add_upload(signaal=signaal, upload=jpeg_upload(), door=teamlid)
    with pytest.raises(Resolver404):
        resolve(f"/media/{foto.bestand.name}")
    assert teamlid_client.get(f"/media/{foto.bestand.name}").status_code == 404


def test_teamlid_moves_a_new_signal_to_draagvlak_gezocht(teamlid_client, teamlid, signaal):
    html = teamlid_client.get(url(signaal)).content.decode()
    assert "Status wijzigen" in html
    assert '<option value="draagvlak_gezocht">' in html and '<option value="afgewezen">' not in html
    response = teamlid_client.post(
        url(signaal, "status_wijzigen"), {"naar": "draagvlak_gezocht", "reden": "We vragen rond."}
    )
    assert response.status_code == 302
    signaal.refresh_from_db()
    assert signaal.status == Status.DRAAGVLAK_GEZOCHT
    wijziging = signaal.statuswijzigingen.last()
    assert (wijziging.van, wijziging.naar, wijziging.door, wijziging.reden) == (
        Status.NIEUW,
        Status.DRAAGVLAK_GEZOCHT,
        teamlid,
        "We vragen rond.",
    )
    assert "van Nieuw naar Draagvlak gezocht" in teamlid_client.get(url(signaal)).content.decode()


def test_teamlid_cannot_reject(teamlid_client, signaal):
    response = teamlid_client.post(url(signaal, "status_wijzigen"), {"naar": "afgewezen", "reden": "Nee."})
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    signaal.refresh_from_db()
    assert signaal.status == Status.NIEUW


def test_coordinator_rejects_only_with_a_reason(client, coordinator, signaal):
    f.activate_totp(coordinator)
    client.force_login(coordinator)
    response = client.post(url(signaal, "status_wijzigen"), {"naar": "afgewezen", "reden": ""})
    assert "Geef een reden op." in response.content.decode()
    signaal.refresh_from_db()
    assert signaal.status == Status.NIEUW and signaal.statuswijzigingen.count() == 1

    client.post(url(signaal, "status_wijzigen"), {"naar": "afgewezen", "reden": "Geen taak van het team."})
    signaal.refresh_from_db()
    assert signaal.status == Status.AFGEWEZEN
    assert "Geen taak van het team." in client.get(url(signaal)).content.decode()


def test_draagvlak_is_never_chosen_by_hand(client, coordinator, signaal):
    signaal.status = Status.DRAAGVLAK_GEZOCHT
    signaal.save()
    client.force_login(coordinator)
    html = client.get(url(signaal)).content.decode()
    assert '<option value="draagvlak_bereikt">' not in html
    client.post(url(signaal, "status_wijzigen"), {"naar": "draagvlak_bereikt"})
    signaal.refresh_from_db()
    assert signaal.status == Status.DRAAGVLAK_GEZOCHT


def test_status_of_another_teams_signal_is_a_404(client, buitenstaander, signaal):
    client.force_login(buitenstaander)
    assert client.post(url(signaal, "status_wijzigen"), {"naar": "draagvlak_gezocht"}).status_code == 404
    signaal.refresh_from_db()
    assert signaal.status == Status.NIEUW


def test_a_coordinators_decision_needs_two_factor_authentication(client, coordinator, signaal):
    client.force_login(coordinator)
    response = client.post(url(signaal, "status_wijzigen"), {"naar": "afgewezen", "reden": "Geen taak."})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    signaal.refresh_from_db()
    assert signaal.status == Status.NIEUW
    # What any team member may do does not need it.
    response = client.post(url(signaal, "status_wijzigen"), {"naar": "draagvlak_gezocht"})
    assert response["Location"].endswith("#historie")


def test_a_signal_with_many_supports_shows_them_a_page_at_a_time(teamlid_client, signaal, monkeypatch):
    from signalen.selectors import pages as selectors_pages

    monkeypatch.setattr(selectors_pages, "STEUN_OP_PAGINA", 3)
    for n in range(5):
        f.SteunbetuigingFactory(signaal=signaal, datum=timezone.localdate() - dt.timedelta(days=n))
    response = teamlid_client.get(url(signaal))
    assert len(response.context["steun"]) == 3
    assert response.context["steun"][0].datum == timezone.localdate()
    html = response.content.decode()
    assert "1 tot en met 3 van 5, de nieuwste eerst." in html and "?steun=2#steun" in html
    tweede = teamlid_client.get(url(signaal), {"steun": "2"})
    assert [s.datum for s in tweede.context["steun"]] == [
        timezone.localdate() - dt.timedelta(days=n) for n in (3, 4)
    ]
    assert "4 tot en met 5 van 5" in tweede.content.decode() and "?steun=1#steun" in tweede.content.decode()
    # No page number, or an absurd one, is the first page.
    for onzin in ("abc", "-1", "99999999999999999999", "0"):
        assert teamlid_client.get(url(signaal), {"steun": onzin}).context["steun_vanaf"] == 1
