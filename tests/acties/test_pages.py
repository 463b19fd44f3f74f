"""The team's acties pages: the list with its filters, the actie page with its timeline, and every
form on it as the roles that may and may not (coördinator, teamlid of an involved partner, teamlid
of another partner, another team's coördinator)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from acties.models import (
    Actie,
    ActieStatus,
    BewonerTrekker,
    GeholpenAntwoord,
    GeholpenReactie,
    Mijlpaal,
    Notitie,
    Voortgangsupdate,
)
from buurten.models import PartnerType, Rol, User
from signalen.models import Status
from tests import factories as f
from tests.buurten.teams_world import build_world
from tests.signalen.ui import jpeg_upload, text_upload

LIJST = "/acties/"


@dataclass
class Extra:
    actie: Actie
    ander: Actie
    andere_team_actie: Actie
    politielid: User
    signalen: list
    mijlpaal_open: Mijlpaal
    mijlpaal_gedaan: Mijlpaal


@pytest.fixture(scope="module")
def world_once(module_transaction):
    world = build_world()
    gemeente, politie = world.partners[PartnerType.GEMEENTE], world.partners[PartnerType.POLITIE]
    woningcorporatie = world.partners[PartnerType.WONINGCORPORATIE]
    politielid = f.LidmaatschapFactory(team=world.team, partner=politie, rol=Rol.TEAMLID).user
    zwerfvuil = f.ThemaFactory(gemeente=world.team.gemeente, naam="zwerfvuil")
    jeugd = f.ThemaFactory(gemeente=world.team.gemeente, naam="overlast jeugd")
    actie = f.ActieFactory(
        team=world.team,
        titel="Schone flats",
        trekker=gemeente,
        partners=[woningcorporatie],
        status=ActieStatus.IN_UITVOERING,
        in_uitvoering_at=timezone.now() - dt.timedelta(days=40),
    )
    signalen = [
        f.ActieSignaalFactory(
            actie=actie, signaal__thema=zwerfvuil, signaal__titel=t, signaal__status=Status.IN_ACTIE
        ).signaal
        for t in ("Vuil bij de flats", "Zakken naast de container")
    ]
    for i, s in enumerate(signalen):
        f.SteunbetuigingFactory(signaal=s, huishouden_hash="gedeeld")
        f.SteunbetuigingFactory(signaal=s, huishouden_hash=f"eigen{i}")
    mijlpaal_gedaan = f.MijlpaalFactory(
        actie=actie, titel="Schouw gelopen", gewicht=1, gedaan_at=timezone.now()
    )
    mijlpaal_open = f.MijlpaalFactory(actie=actie, titel="Containers verplaatst", gewicht=3)
    f.VoortgangsupdateFactory(actie=actie, tekst="De schouw is gelopen met bewoners.", partner=gemeente)
    Notitie.objects.create(actie=actie, tekst="Voor het hele team.")
    Notitie.objects.create(actie=actie, tekst="Alleen de gemeente.", alleen_partner=gemeente)
    Notitie.objects.create(actie=actie, tekst="Alleen de politie.", alleen_partner=politie)
    ander = f.ActieFactory(
        team=world.team,
        titel="Speelplek opknappen",
        trekker=politie,
        buurt=world.buurt,
        status=ActieStatus.GEPLAND,
        bewoners_aantal=2,  # as bewoners_add keeps it
    )
    f.ActieSignaalFactory(actie=ander, signaal__thema=jeugd, signaal__status=Status.GETRIEERD)
    f.BewonerTrekkerFactory(
        actie=ander, aantal=2, voornaam="Fatima", email="fatima@example.nl", toestemming=True
    )
    andere_team_actie = f.ActieFactory(team=world.other_team, titel="Actie van Oost", trekker=gemeente)
    world.extra = Extra(
        actie=actie,
        ander=ander,
        andere_team_actie=andere_team_actie,
        politielid=politielid,
        signalen=signalen,
        mijlpaal_open=mijlpaal_open,
        mijlpaal_gedaan=mijlpaal_gedaan,
    )
    return world


def detail(actie, name="detail", **kw):
    return reverse(f"acties:{name}", kwargs={"pk": actie.pk, **kw})


@pytest.fixture
def als(client, world):
    def login(role):
        user = world.extra.politielid if role == "politielid" else world.user(role)
        client.force_login(user)
        return client

    return login


# --- list -----------------------------------------------------------------------------------------


def test_list_shows_the_teams_acties_with_progress_trekker_residents_and_flags(als, world):
    html = als("teamlid").get(LIJST).content.decode()
    assert "Schone flats" in html and "Speelplek opknappen" in html
    assert "Actie van Oost" not in html
    # 1 of 4 weight done: 25%.
    assert 'value="25"' in html and "Voortgang: 25%" in html
    assert "Trekker: Partner gemeente" in html
    assert "2 bewoners doen mee" in html
    assert "Zoekt bewoners" in html and "Stilgevallen" in html


@pytest.mark.parametrize(
    ("params", "zichtbaar", "verborgen"),
    [
        ({"status": "gepland"}, "Speelplek opknappen", "Schone flats"),
        ({"zoekt_bewoners": "on"}, "Schone flats", "Speelplek opknappen"),
    ],
)
def test_list_filters(als, world, params, zichtbaar, verborgen):
    html = als("teamlid").get(LIJST, params).content.decode()
    assert zichtbaar in html and verborgen not in html


def test_list_filters_by_thema_of_the_signals_and_by_partner(als, world):
    client = als("teamlid")
    zwerfvuil = world.extra.signalen[0].thema
    html = client.get(LIJST, {"thema": zwerfvuil.pk}).content.decode()
    assert "Schone flats" in html and "Speelplek opknappen" not in html
    assert "1 actie gevonden." in html  # two signals of the thema, one row
    woningcorporatie = world.partners[PartnerType.WONINGCORPORATIE]
    html = client.get(LIJST, {"partner": woningcorporatie.pk}).content.decode()
    assert "Schone flats" in html and "Speelplek opknappen" not in html
    politie = world.partners[PartnerType.POLITIE]
    html = client.get(LIJST, {"partner": politie.pk, "buurt": world.buurt.pk}).content.decode()
    assert "Speelplek opknappen" in html and "Schone flats" not in html


def test_a_bad_filter_is_said_and_not_applied(als, world):
    html = als("teamlid").get(LIJST, {"status": "kapot", "thema": "99999999999999999999"}).content.decode()
    assert "Een filter klopt niet en is niet toegepast:" in html
    assert "Schone flats" in html and "Speelplek opknappen" in html


def test_a_person_in_two_teams_chooses_the_team_and_another_team_is_a_404(als, world, client):
    client = als("teamlid")
    assert client.get(LIJST, {"team": world.other_team.pk}).status_code == 404
    f.LidmaatschapFactory(
        user=world.teamlid, team=world.other_team, partner=world.partners[PartnerType.GEMEENTE]
    )
    html = client.get(LIJST).content.decode()
    assert "Voor welk team?" in html and f"?team={world.other_team.pk}" in html
    html = client.get(LIJST, {"team": world.other_team.pk}).content.decode()
    assert "Actie van Oost" in html and "Schone flats" not in html


def test_list_needs_login(client, world):
    assert client.get(LIJST).status_code == 302


def _maak_acties(world, n):
    partner = world.partners[PartnerType.POLITIE]
    Actie.objects.bulk_create(
        Actie(team=world.team, titel=f"Actie {i}", buurt=world.buurt, trekker=partner) for i in range(n)
    )
    for actie in Actie.objects.filter(team=world.team).order_by("-id")[:n]:
        Mijlpaal.objects.create(actie=actie, titel="Stap", gewicht=2)


def test_list_query_count_is_the_same_with_10_and_200_acties(als, world, django_assert_max_num_queries):
    client = als("teamlid")
    _maak_acties(world, 10)
    with django_assert_max_num_queries(20) as weinig:
        assert client.get(LIJST).status_code == 200
    _maak_acties(world, 190)
    with django_assert_max_num_queries(len(weinig.captured_queries)):
        response = client.get(LIJST, {"pagina": "2"})
    assert "Pagina 2 van" in response.content.decode()


# --- the actie page -------------------------------------------------------------------------------


def test_page_shows_timeline_signals_with_combined_support_milestones_and_residents(als, world):
    e = world.extra
    html = als("teamlid").get(detail(e.actie)).content.decode()
    assert "Schone flats" in html and "Partner gemeente" in html and "Partner woningcorporatie" in html
    assert "Vuil bij de flats" in html and "Zakken naast de container" in html
    # Households: gedeeld (on both), eigen0, eigen1: three, not four.
    assert "Samen: 3 huishoudens" in html
    assert "Schouw gelopen" in html and "Containers verplaatst" in html
    assert "Update van Partner gemeente" in html and "De schouw is gelopen met bewoners." in html
    assert "Deze actie zoekt nog bewoners die meedoen." in html
    html = als("teamlid").get(detail(e.ander)).content.decode()
    assert "Fatima" in html and "fatima@example.nl" not in html


def test_partner_only_notes_are_for_that_partner_and_the_coordinator(als, world):
    e = world.extra
    html = als("teamlid").get(detail(e.actie)).content.decode()
    assert "Voor het hele team." in html and "Alleen de gemeente." in html
    assert "Alleen de politie." not in html
    html = als("politielid").get(detail(e.actie)).content.decode()
    assert "Alleen de politie." in html and "Alleen de gemeente." not in html
    html = als("coordinator").get(detail(e.actie)).content.decode()
    assert "Alleen de politie." in html and "Alleen de gemeente." in html


def test_another_teams_actie_is_a_404_and_the_page_needs_login(als, world, client):
    assert client.get(detail(world.extra.actie)).status_code == 302
    response = als("other_coordinator").get(detail(world.extra.actie))
    assert response.status_code == 404
    assert "Deze actie bestaat niet of hoort niet bij jouw team." in response.content.decode()
    assert als("teamlid").get(detail(world.extra.andere_team_actie)).status_code == 404


def test_forms_show_only_to_who_may_use_them(als, world):
    e = world.extra
    html = als("teamlid").get(detail(e.actie)).content.decode()
    assert "Update plaatsen" in html and "Afvinken" in html and "Bewoners toevoegen" in html
    # Coördinator only: milestones are planned, the actie edited.
    assert "Mijlpaal toevoegen" not in html and "Actie bewerken" not in html
    html = als("politielid").get(detail(e.actie)).content.decode()
    assert "Update plaatsen" not in html and "Mijlpaal toevoegen" not in html
    html = als("coordinator").get(detail(e.actie)).content.decode()
    assert "Actie bewerken" in html and "Status wijzigen" in html and "Mijlpaal toevoegen" in html


def test_page_query_count_does_not_grow(als, world, django_assert_max_num_queries):
    e = world.extra
    client = als("coordinator")
    with django_assert_max_num_queries(40) as weinig:
        assert client.get(detail(e.actie)).status_code == 200
    for i in range(10):
        f.MijlpaalFactory(actie=e.actie, gedaan_at=timezone.now())
        f.VoortgangsupdateFactory(actie=e.actie)
        Notitie.objects.create(
            actie=e.actie, tekst=f"Notitie {i}", alleen_partner=world.partners[PartnerType.WELZIJN]
        )
        f.BewonerTrekkerFactory(actie=e.actie, voornaam=f"Bewoner {i}", toestemming=True)
        f.ActieSignaalFactory(actie=e.actie)
        GeholpenReactie.objects.create(
            actie=e.actie, buurt=world.buurt, team=world.team, antwoord="ja", datum=timezone.localdate()
        )
    with django_assert_max_num_queries(len(weinig.captured_queries)):
        assert client.get(detail(e.actie)).status_code == 200


def test_the_coordinator_is_offered_to_reopen_when_most_answers_say_nee(als, world):
    e = world.extra
    Actie.objects.filter(pk=e.actie.pk).update(status=ActieStatus.AFGEROND, afgerond_at=timezone.now())
    for antwoord in ("nee", "nee", "ja"):
        GeholpenReactie.objects.create(
            actie=e.actie, buurt=world.buurt, team=world.team, antwoord=antwoord, datum=timezone.localdate()
        )
    html = als("coordinator").get(detail(e.actie)).content.decode()
    assert "Bewoners zeggen vooral: het heeft niet geholpen" in html
    assert detail(e.actie, "status") + "?naar=heropend" in html
    assert "Bewoners zeggen vooral" not in als("teamlid").get(detail(e.actie)).content.decode()
    GeholpenReactie.objects.create(
        actie=e.actie,
        buurt=world.buurt,
        team=world.team,
        antwoord=GeholpenAntwoord.JA,
        datum=timezone.localdate(),
    )
    # Two of four: not most.
    assert "Bewoners zeggen vooral" not in als("coordinator").get(detail(e.actie)).content.decode()


# --- forms ----------------------------------------------------------------------------------------


def test_an_involved_teamlid_posts_an_update_with_a_photo_served_only_to_the_team(als, world):
    e = world.extra
    client = als("teamlid")
    response = client.post(
        detail(e.actie, "update"),
        {"tekst": "Containers staan er.", "datum": timezone.localdate().isoformat(), "foto": jpeg_upload()},
    )
    assert response.status_code == 302 and response["Location"].endswith("#tijdlijn")
    update = Voortgangsupdate.objects.get(tekst="Containers staan er.")
    assert update.partner == world.partners[PartnerType.GEMEENTE] and update.foto
    foto = reverse("acties:foto", args=[update.foto_uuid])
    assert foto in client.get(detail(e.actie)).content.decode()
    response = client.get(foto)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert als("other_coordinator").get(foto).status_code == 404


def test_an_update_with_a_non_image_or_no_text_is_refused_in_dutch(als, world):
    e = world.extra
    client = als("teamlid")
    response = client.post(
        detail(e.actie, "update"),
        {"tekst": "Met tekst", "datum": timezone.localdate().isoformat(), "foto": text_upload()},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Er is niets opgeslagen." in html and "Dit bestand is geen foto" in html
    response = client.post(detail(e.actie, "update"), {"tekst": "", "datum": ""})
    assert "Schrijf wat er gedaan is." in response.content.decode()
    assert not Voortgangsupdate.objects.filter(tekst="Met tekst").exists()


def test_a_teamlid_of_an_uninvolved_partner_gets_a_403_on_every_form(als, world):
    e = world.extra
    client = als("politielid")
    posts = [
        (detail(e.actie, "update"), {"tekst": "Mag niet", "datum": timezone.localdate().isoformat()}),
        (detail(e.actie, "mijlpaal"), {"titel": "Mag niet", "gewicht": 1}),
        (detail(e.actie, "mijlpaal_afvinken", mijlpaal_pk=e.mijlpaal_open.pk), {"gedaan": "1"}),
        (detail(e.actie, "bewoners"), {"aantal": 1}),
        (detail(e.actie, "notitie"), {"tekst": "Mag niet"}),
        (detail(e.actie, "status"), {"naar": "afgerond"}),
        (detail(e.actie, "bewerken"), {"titel": "Mag niet"}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code == 403, url
    assert client.get(detail(e.actie, "status")).status_code == 403
    assert client.get(detail(e.actie, "bewerken")).status_code == 403
    e.mijlpaal_open.refresh_from_db()
    assert e.mijlpaal_open.gedaan_at is None
    assert not Mijlpaal.objects.filter(titel="Mag niet").exists()
    assert not Notitie.objects.filter(tekst="Mag niet").exists()


def test_another_teams_coordinator_gets_a_404_on_every_form(als, world):
    e = world.extra
    client = als("other_coordinator")
    for name in ("update", "mijlpaal", "bewoners", "notitie", "status", "bewerken", "voortgang"):
        assert client.post(detail(e.actie, name), {}).status_code == 404, name


def test_milestones_are_added_ticked_and_undone_with_a_reason(als, world):
    e = world.extra
    assert als("teamlid").post(detail(e.actie, "mijlpaal"), {"titel": "Nee", "gewicht": 2}).status_code == 403
    response = als("coordinator").post(detail(e.actie, "mijlpaal"), {"titel": "Bewonersavond", "gewicht": 2})
    assert response.status_code == 302
    client = als("teamlid")
    nieuw = Mijlpaal.objects.get(titel="Bewonersavond")
    assert nieuw.actie == e.actie and nieuw.gewicht == 2
    client.post(detail(e.actie, "mijlpaal_afvinken", mijlpaal_pk=e.mijlpaal_open.pk), {"gedaan": "1"})
    e.mijlpaal_open.refresh_from_db()
    assert e.mijlpaal_open.gedaan_at is not None
    # Undoing without a reason is refused, with the reason it works.
    url = detail(e.actie, "mijlpaal_afvinken", mijlpaal_pk=e.mijlpaal_gedaan.pk)
    response = client.post(url, {"gedaan": "0"}, follow=True)
    e.mijlpaal_gedaan.refresh_from_db()
    assert e.mijlpaal_gedaan.gedaan_at is not None
    assert "reden" in response.content.decode().lower()
    client.post(url, {"gedaan": "0", "reden": "Toch niet af."})
    e.mijlpaal_gedaan.refresh_from_db()
    assert e.mijlpaal_gedaan.gedaan_at is None


def test_bad_milestones_are_refused(als, world):
    e = world.extra
    client = als("coordinator")
    response = client.post(detail(e.actie, "mijlpaal"), {"titel": "", "gewicht": 101})
    html = response.content.decode()
    assert "Geef de mijlpaal een titel." in html and "Geef een gewicht van 1 tot 100." in html
    # A milestone of another actie, through this actie's URL.
    andere = f.MijlpaalFactory(actie=e.ander)
    response = client.post(detail(e.actie, "mijlpaal_afvinken", mijlpaal_pk=andere.pk), {"gedaan": "1"})
    assert response.status_code == 404
    assert "Deze mijlpaal hoort niet bij deze actie." in response.content.decode()
    andere.refresh_from_db()
    assert andere.gedaan_at is None


def test_progress_by_hand_going_back_needs_a_reason_and_never_above_100(als, world):
    actie = world.extra.ander  # no milestones; the politie leads it, so the coördinator sets it
    client = als("coordinator")
    assert client.post(detail(actie, "voortgang"), {"voortgang": 40}).status_code == 302
    actie.refresh_from_db()
    assert actie.voortgang_handmatig == 40
    html = client.post(detail(actie, "voortgang"), {"voortgang": 101}).content.decode()
    assert "De voortgang is hoogstens 100%." in html
    response = client.post(detail(actie, "voortgang"), {"voortgang": 10})
    assert response.status_code == 200 and "Er is niets opgeslagen." in response.content.decode()
    assert (
        client.post(detail(actie, "voortgang"), {"voortgang": 10, "reden": "Aannemer failliet."}).status_code
        == 302
    )
    actie.refresh_from_db()
    assert actie.voortgang_handmatig == 10


def test_residents_are_added_and_a_name_needs_consent(als, world):
    e = world.extra
    client = als("teamlid")
    response = client.post(detail(e.actie, "bewoners"), {"aantal": 3, "voornaam": "Kees"})
    assert "alleen met toestemming" in response.content.decode()
    assert not BewonerTrekker.objects.filter(actie=e.actie).exists()
    response = client.post(
        detail(e.actie, "bewoners"),
        {"aantal": 3, "voornaam": "Kees", "email": "kees@example.nl", "toestemming": "on"},
    )
    assert response.status_code == 302
    e.actie.refresh_from_db()
    assert e.actie.bewoners_aantal == 3
    html = client.get(detail(e.actie)).content.decode()
    assert "Kees" in html and "kees@example.nl" not in html
    assert "3 bewoners doen mee." in html


def test_notes_for_the_whole_team_or_one_partner(als, world):
    e = world.extra
    client = als("teamlid")
    gemeente, politie = world.partners[PartnerType.GEMEENTE], world.partners[PartnerType.POLITIE]
    assert client.post(detail(e.actie, "notitie"), {"tekst": "Afspraak met de beheerder."}).status_code == 302
    assert (
        client.post(
            detail(e.actie, "notitie"), {"tekst": "Intern.", "alleen_partner": gemeente.pk}
        ).status_code
        == 302
    )
    assert Notitie.objects.get(tekst="Intern.").alleen_partner == gemeente
    # A teamlid writes only for a partner they sit in the team for.
    response = client.post(
        detail(e.actie, "notitie"), {"tekst": "Voor de politie.", "alleen_partner": politie.pk}
    )
    assert "Kies een partner waarvoor je in dit team zit." in response.content.decode()
    assert not Notitie.objects.filter(tekst="Voor de politie.").exists()


def test_stopping_asks_a_choice_per_open_signal(als, world):
    e = world.extra
    client = als("coordinator")
    html = client.get(detail(e.actie, "status")).content.decode()
    for s in e.signalen:
        assert s.titel in html
    a, b = e.signalen
    response = client.post(
        detail(e.actie, "status"), {"naar": "gestopt", "reden": "Geen budget.", f"signaal_{a.pk}": "triage"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Kies wat er met dit signaal gebeurt als de actie stopt." in html
    e.actie.refresh_from_db()
    assert e.actie.status == ActieStatus.IN_UITVOERING
    response = client.post(
        detail(e.actie, "status"),
        {
            "naar": "gestopt",
            "reden": "Geen budget.",
            f"signaal_{a.pk}": "triage",
            f"signaal_{b.pk}": "afgewezen",
        },
    )
    assert response.status_code == 302
    e.actie.refresh_from_db()
    a.refresh_from_db()
    b.refresh_from_db()
    assert e.actie.status == ActieStatus.GESTOPT and e.actie.publieke_reden == "Geen budget."
    assert a.status == Status.DRAAGVLAK_BEREIKT and b.status == Status.AFGEWEZEN


def test_stopping_without_a_reason_is_refused_in_dutch(als, world):
    e = world.extra
    a, b = e.signalen
    response = als("coordinator").post(
        detail(e.actie, "status"),
        {"naar": "gestopt", f"signaal_{a.pk}": "triage", f"signaal_{b.pk}": "triage"},
    )
    assert "Geef een reden op die bewoners kunnen lezen." in response.content.decode()
    e.actie.refresh_from_db()
    assert e.actie.status == ActieStatus.IN_UITVOERING


def test_an_involved_teamlid_moves_the_actie_on_but_cannot_stop_it(als, world):
    e = world.extra
    client = als("teamlid")
    html = client.get(detail(e.actie, "status")).content.decode()
    assert 'value="afgerond"' in html and 'value="gestopt"' not in html
    response = client.post(detail(e.actie, "status"), {"naar": "gestopt", "reden": "x"})
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert client.post(detail(e.actie, "status"), {"naar": "afgerond"}).status_code == 302
    e.actie.refresh_from_db()
    assert e.actie.status == ActieStatus.AFGEROND


def test_the_coordinator_edits_the_actie_and_an_end_before_the_start_is_refused(als, world):
    e = world.extra
    client = als("coordinator")
    gemeente = world.partners[PartnerType.GEMEENTE]
    data = {
        "titel": "Schone flats en pleintjes",
        "omschrijving": "Ook de pleintjes.",
        "trekker": gemeente.pk,
        "partners": [world.partners[PartnerType.WELZIJN].pk],
        "start": "2026-03-01",
        "eind": "2026-02-01",
        "subgebied": world.subgebied.pk,
    }
    response = client.post(detail(e.actie, "bewerken"), data)
    assert "Het einde ligt vóór de start." in response.content.decode()
    e.actie.refresh_from_db()
    assert e.actie.titel == "Schone flats"
    data["eind"] = "2026-06-01"
    assert client.post(detail(e.actie, "bewerken"), data).status_code == 302
    e.actie.refresh_from_db()
    assert e.actie.titel == "Schone flats en pleintjes" and e.actie.subgebied == world.subgebied
    assert list(e.actie.partners.all()) == [world.partners[PartnerType.WELZIJN]]
    html = client.get(detail(e.actie, "bewerken")).content.decode()
    assert "Schone flats en pleintjes" in html
    assert als("teamlid").get(detail(e.actie, "bewerken")).status_code == 403


def test_a_coordinator_without_totp_is_sent_to_set_it_up(client, world):
    e = world.extra
    nieuw = f.LidmaatschapFactory(
        team=world.team, rol=Rol.COORDINATOR, partner=world.partners[PartnerType.GEMEENTE]
    ).user
    client.force_login(nieuw)
    response = client.post(detail(e.actie, "notitie"), {"tekst": "Zonder TOTP"})
    assert response.status_code == 302 and "/accounts/2fa/totp/activate/" in response["Location"]
    assert not Notitie.objects.filter(tekst="Zonder TOTP").exists()
    # The page itself treats them as a teamlid until then.
    html = client.get(detail(e.actie)).content.decode()
    assert "Actie bewerken" not in html


def test_the_navigation_links_to_the_acties(als, world):
    html = als("teamlid").get("/signalen/").content.decode()
    assert f'href="{LIJST}"' in html
