"""The coördinator dashboard: who may see it, what it shows, its fixed query count, its charts."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from acties.models import Actie, ActieStatus, GeholpenAntwoord, GeholpenReactie
from acties.selectors_dashboard import dashboard_for_team, doorlooptijden
from signalen.models import Doorzetting, Signaal, Status, StatusWijziging
from tests import factories as f

URL = reverse("acties:dashboard")
NU = timezone.now()


def _dagen_geleden(n: float) -> dt.datetime:
    return NU - dt.timedelta(days=n)


def _signaal(team, *, titel="Signaal", status=Status.NIEUW, aangemaakt=1.0, thema=None, buurt=None):
    signaal = f.SignaalFactory(
        team=team,
        titel=titel,
        status=status,
        thema=thema or f.ThemaFactory(gemeente=team.gemeente),
        buurt=buurt or team.buurten.first(),
    )
    Signaal.objects.filter(pk=signaal.pk).update(created_at=_dagen_geleden(aangemaakt))
    signaal.refresh_from_db()
    return signaal


def _stap(signaal, naar, dagen_geleden):
    sw = StatusWijziging.objects.create(signaal=signaal, van="", naar=naar)
    StatusWijziging.objects.filter(pk=sw.pk).update(created_at=_dagen_geleden(dagen_geleden))
    # As signalen.services.status does with every move: the signal's last move is the newest row.
    Signaal.objects.filter(pk=signaal.pk).update(
        status_gewijzigd_at=max(
            _dagen_geleden(dagen_geleden), signaal.status_gewijzigd_at or _dagen_geleden(10_000)
        )
    )
    signaal.refresh_from_db()


def _actie(world, *, titel="Actie", status=ActieStatus.GEPLAND, in_uitvoering=None, bewoners=0, team=None):
    team = team or world.team
    return Actie.objects.create(
        team=team,
        titel=titel,
        buurt=team.buurten.first(),
        trekker=world.partners["gemeente"],
        status=status,
        in_uitvoering_at=_dagen_geleden(in_uitvoering) if in_uitvoering is not None else None,
        bewoners_aantal=bewoners,
    )


@pytest.fixture
def coordinator_client(client, world):
    client.force_login(world.coordinator)
    return client


# Who --------------------------------------------------------------------------------------


def test_a_coordinator_of_one_team_sees_its_dashboard(coordinator_client, world):
    response = coordinator_client.get(URL)
    assert response.status_code == 200
    assert f"Dashboard {world.team.naam}" in response.content.decode()


def test_a_teamlid_gets_the_403_page(client, world):
    client.force_login(world.teamlid)
    assert client.get(URL).status_code == 403
    response = client.get(URL, {"team": world.team.pk})
    assert response.status_code == 403
    assert "Alleen een coördinator van dit team" in response.content.decode()


def test_another_teams_coordinator_gets_a_404(client, world):
    client.force_login(world.other_coordinator)
    assert client.get(URL, {"team": world.team.pk}).status_code == 404
    assert client.get(URL, {"team": "abc"}).status_code == 404
    assert client.get(URL, {"team": "99999999"}).status_code == 404
    assert client.get(URL, {"team": "9" * 30}).status_code == 404  # beyond the integer range
    assert client.get(URL, {"team": "1\x00"}).status_code == 404


def test_anonymous_is_sent_to_the_login(client, world):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_coordinator_of_several_teams_chooses_one(client, world):
    client.force_login(world.staff)  # a superuser manages every team
    html = client.get(URL).content.decode()
    assert f"?team={world.team.pk}" in html and f"?team={world.other_team.pk}" in html
    assert client.get(URL, {"team": world.other_team.pk}).status_code == 200


def test_the_menu_shows_the_dashboard_to_coordinators_only(client, world):
    link = f'href="{URL}"'
    client.force_login(world.coordinator)
    assert link in client.get(reverse("signalen:lijst")).content.decode()
    client.force_login(world.teamlid)
    assert link not in client.get(reverse("signalen:lijst")).content.decode()


# What it shows ----------------------------------------------------------------------------


def test_triage_queue_shows_draagvlak_first_then_nieuw_oldest_first_with_age(coordinator_client, world):
    _signaal(world.team, titel="Nieuw oud", status=Status.NIEUW, aangemaakt=20)
    _signaal(world.team, titel="Bereikt jong", status=Status.DRAAGVLAK_BEREIKT, aangemaakt=2)
    _signaal(world.team, titel="Bereikt oud", status=Status.DRAAGVLAK_BEREIKT, aangemaakt=9)
    _signaal(world.team, titel="Gezocht", status=Status.DRAAGVLAK_GEZOCHT, aangemaakt=30)
    _signaal(world.other_team, titel="Elders", status=Status.DRAAGVLAK_BEREIKT, aangemaakt=40)
    d = dashboard_for_team(team=world.team)
    assert [s.titel for s in d.wacht_op_triage] == ["Bereikt oud", "Bereikt jong", "Nieuw oud"]
    assert d.wacht_op_triage_aantal == 3
    assert [s.leeftijd_dagen for s in d.wacht_op_triage] == [9, 2, 20]
    html = coordinator_client.get(URL).content.decode()
    assert "Bereikt oud" in html and "9 dagen" in html and "Elders" not in html and "Gezocht" not in html


def test_overdue_forwards_are_open_ones_past_their_date(world):
    partner = world.partners["politie"]
    vandaag = timezone.localdate()
    open_te_laat = _signaal(world.team, titel="Te laat", status=Status.GETRIEERD)
    op_tijd = _signaal(world.team, titel="Op tijd", status=Status.GETRIEERD)
    gesloten = _signaal(world.team, titel="Gesloten", status=Status.AFGEROND)
    Doorzetting.objects.create(
        signaal=open_te_laat, partner=partner, opvolgen_op=vandaag - dt.timedelta(days=3)
    )
    Doorzetting.objects.create(signaal=op_tijd, partner=partner, opvolgen_op=vandaag)
    Doorzetting.objects.create(
        signaal=gesloten, partner=partner, opvolgen_op=vandaag - dt.timedelta(days=9), gesloten_at=NU
    )
    d = dashboard_for_team(team=world.team)
    assert [z.signaal.titel for z in d.doorzettingen_te_laat] == ["Te laat"]
    assert d.doorzettingen_te_laat_aantal == 1


def test_acties_without_residents_stalled_first(coordinator_client, world):
    _actie(world, titel="Gepland", status=ActieStatus.GEPLAND)
    _actie(world, titel="Net begonnen", status=ActieStatus.IN_UITVOERING, in_uitvoering=5)
    _actie(world, titel="Stil", status=ActieStatus.IN_UITVOERING, in_uitvoering=31)
    _actie(world, titel="Met bewoners", status=ActieStatus.IN_UITVOERING, in_uitvoering=60, bewoners=2)
    _actie(world, titel="Klaar", status=ActieStatus.AFGEROND, in_uitvoering=60)
    d = dashboard_for_team(team=world.team)
    assert [(a.titel, a.stil) for a in d.acties_zonder_bewoners] == [
        ("Stil", True),
        ("Net begonnen", False),
        ("Gepland", False),
    ]
    assert (d.acties_zonder_bewoners_aantal, d.acties_stil_aantal) == (3, 1)
    per_status = {waarde: n for waarde, _label, n in d.acties_per_status}
    assert per_status == {"gepland": 1, "in_uitvoering": 3, "afgerond": 1, "gestopt": 0, "heropend": 0}
    html = coordinator_client.get(URL).content.decode()
    assert "stilgevallen" in html and "zoekt bewoners" in html


def _doorloop_data(world):
    """Three signals in the team's buurt, two themes; known steps in days."""
    zwerfvuil = f.ThemaFactory(gemeente=world.team.gemeente, naam="zwerfvuil")
    jeugd = f.ThemaFactory(gemeente=world.team.gemeente, naam="overlast jeugd")
    a = _signaal(world.team, thema=zwerfvuil, aangemaakt=100)
    _stap(a, Status.DRAAGVLAK_BEREIKT, 90)  # 10 days
    _stap(a, Status.GETRIEERD, 80)  # 10 days
    _stap(a, Status.AFGEROND, 50)  # 30 days
    b = _signaal(world.team, thema=zwerfvuil, aangemaakt=40)
    _stap(b, Status.DRAAGVLAK_BEREIKT, 20)  # 20 days
    _stap(b, Status.DRAAGVLAK_BEREIKT, 10)  # a second crossing: the first one counts
    _stap(b, Status.GETRIEERD, 5)  # 15 days
    c = _signaal(world.team, thema=jeugd, aangemaakt=30)
    _stap(c, Status.DRAAGVLAK_BEREIKT, 26)  # 4 days
    old = _signaal(world.team, thema=jeugd, aangemaakt=800)
    _stap(old, Status.DRAAGVLAK_BEREIKT, 700)  # ended before the 12 months: not counted
    other = _signaal(world.other_team, aangemaakt=10)
    _stap(other, Status.DRAAGVLAK_BEREIKT, 1)


@pytest.mark.parametrize("in_python", [True, False])
def test_lead_times_are_medians_per_buurt_thema_and_team(world, in_python):
    if not in_python and connection.vendor != "postgresql":
        pytest.skip("percentile_cont: alleen op PostgreSQL")
    _doorloop_data(world)
    team, per_buurt, per_thema = doorlooptijden(team=world.team, nu=NU, in_python=in_python)

    def afgerond(rij):
        return {k: (round(v, 3) if v is not None else None) for k, v in rij.mediaan.items()}

    assert afgerond(team) == {"draagvlak": 10.0, "triage": 12.5, "afgerond": 30.0}
    assert team.aantal == {"draagvlak": 3, "triage": 2, "afgerond": 1}
    assert [r.naam for r in per_buurt] == [world.buurt.naam]
    assert afgerond(per_buurt[0]) == afgerond(team)
    thema = {r.naam: r for r in per_thema}
    assert afgerond(thema["zwerfvuil"]) == {"draagvlak": 15.0, "triage": 12.5, "afgerond": 30.0}
    assert afgerond(thema["overlast jeugd"]) == {"draagvlak": 4.0, "triage": None, "afgerond": None}
    assert thema["overlast jeugd"].aantal == {"draagvlak": 1, "triage": 0, "afgerond": 0}


def test_lead_times_show_in_a_table_and_a_chart(coordinator_client, world):
    _doorloop_data(world)
    html = coordinator_client.get(URL).content.decode()
    assert "12,5 d (2)" in html or "12.5 d (2)" in html
    assert "Doorlooptijd per thema (mediaan in dagen)" in html


def test_geholpen_answers_per_actie_and_per_buurt(coordinator_client, world):
    actie = _actie(world, titel="Bankjes", status=ActieStatus.AFGEROND)
    for antwoord in ["ja", "ja", "deels", "nee"]:
        GeholpenReactie.objects.create(
            actie=actie, buurt=world.buurt, team=world.team, antwoord=antwoord, datum=timezone.localdate()
        )
    GeholpenReactie.objects.create(
        buurt=world.buurt,
        team=world.team,
        signaal=_signaal(world.team),
        antwoord=GeholpenAntwoord.NEE,
        datum=timezone.localdate(),
    )
    GeholpenReactie.objects.create(
        buurt=world.other_buurt,
        team=world.other_team,
        antwoord="ja",
        datum=timezone.localdate(),
        actie=_actie(world, team=world.other_team),
    )
    d = dashboard_for_team(team=world.team)
    [(actie_id, telling)] = d.trends.geholpen_per_actie
    assert (actie_id, telling.naam, telling.ja, telling.deels, telling.nee) == (actie.pk, "Bankjes", 2, 1, 1)
    [buurt] = d.trends.geholpen_per_buurt
    assert (buurt.naam, buurt.ja, buurt.deels, buurt.nee) == (world.buurt.naam, 2, 1, 2)
    html = coordinator_client.get(URL).content.decode()
    assert "Heeft het geholpen? Per buurt" in html


def test_charts_are_svg_with_titles_and_no_inline_style(coordinator_client, world):
    _doorloop_data(world)
    _actie(world, status=ActieStatus.IN_UITVOERING, in_uitvoering=40)
    html = coordinator_client.get(URL).content.decode()
    assert html.count("<svg viewBox") >= 6
    assert 'role="img"' in html and "<title" in html and 'aria-label="' in html
    assert "style=" not in html and "<script" not in html
    # Every chart has a table beside it.
    assert html.count("<table") >= html.count('role="img"')
    # A bar's width is a number in the viewBox, never negative.
    breedtes = [float(b) for b in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"', html)]
    assert breedtes and all(0 < b <= 360 for b in breedtes)


# Query count -------------------------------------------------------------------------------


def _veel(world, n: int) -> None:
    """n signals of every status with history, forwards, acties and answers, in bulk."""
    thema = f.ThemaFactory(gemeente=world.team.gemeente, naam="zwerfvuil")
    statussen = list(Status.values)
    signalen = Signaal.objects.bulk_create(
        Signaal(
            team=world.team,
            titel=f"Bulk {i}",
            thema=thema,
            kanaal="straatgesprek",
            lat=50.85,
            lon=5.69,
            buurt=world.buurt,
            status=statussen[i % len(statussen)],
        )
        for i in range(n)
    )
    StatusWijziging.objects.bulk_create(
        StatusWijziging(signaal=s, van="", naar=naar)
        for s in signalen
        for naar in (Status.DRAAGVLAK_BEREIKT, Status.GETRIEERD, Status.AFGEROND)
    )
    Doorzetting.objects.bulk_create(
        Doorzetting(signaal=s, partner=world.partners["politie"], opvolgen_op=dt.date(2020, 1, 1))
        for s in signalen[: n // 2]
    )
    acties = Actie.objects.bulk_create(
        Actie(
            team=world.team,
            titel=f"Actie {i}",
            buurt=world.buurt,
            trekker=world.partners["gemeente"],
            status=ActieStatus.values[i % 5],
            in_uitvoering_at=_dagen_geleden(i % 60),
        )
        for i in range(n // 2)
    )
    GeholpenReactie.objects.bulk_create(
        GeholpenReactie(
            actie=a, buurt=world.buurt, team=world.team, antwoord="ja", datum=timezone.localdate()
        )
        for a in acties
    )


@pytest.mark.parametrize("n", [10, 1000])
def test_the_query_count_is_fixed_whatever_the_data(coordinator_client, world, n, django_assert_num_queries):
    _veel(world, n)
    # session, user, TOTP check, the only team coordinated; then the eight of dashboard_for_team
    # (the trends' three included: nothing cached yet).
    with django_assert_num_queries(12):
        response = coordinator_client.get(URL)
    assert response.status_code == 200
    # With ?team=: the team, then the coördinator seat; the trends now come from the cache.
    with django_assert_num_queries(10):
        response = coordinator_client.get(URL, {"team": world.team.pk})
    assert response.status_code == 200


# Cached trends ------------------------------------------------------------------------------


def _antwoord(world, actie, antwoord="ja"):
    GeholpenReactie.objects.create(
        actie=actie, buurt=world.buurt, team=world.team, antwoord=antwoord, datum=timezone.localdate()
    )


def _geholpen_tabel(html: str) -> str:
    return html[html.index('id="kop-geholpen"') :]


def test_cached_trends_are_the_same_page(coordinator_client, world):
    _doorloop_data(world)
    _antwoord(world, _actie(world, titel="Bankjes", status=ActieStatus.AFGEROND))
    eerste = coordinator_client.get(URL).content.decode()
    tweede = coordinator_client.get(URL).content.decode()
    zonder_token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert zonder_token.sub("", eerste) == zonder_token.sub("", tweede)
    assert "12,5 d (2)" in tweede and "Bankjes" in _geholpen_tabel(tweede)


def test_a_status_change_refreshes_the_lead_times(
    coordinator_client, world, django_capture_on_commit_callbacks
):
    from signalen.services.status import signaal_status_change

    signaal = _signaal(world.team, status=Status.DRAAGVLAK_BEREIKT, aangemaakt=3)
    _stap(signaal, Status.DRAAGVLAK_BEREIKT, 2)

    def triage_cel() -> str:
        html = coordinator_client.get(URL).content.decode()
        return re.search(r"Draagvlak tot triage: ([^·<]*)", html).group(1).strip()

    assert triage_cel() == "–"
    with django_capture_on_commit_callbacks(execute=True):
        signaal_status_change(
            signaal=signaal, naar=Status.GETRIEERD, door=world.coordinator, reden="Integraal"
        )
    # signalen.services.status bumped the team's version after commit: the step counts at once.
    assert triage_cel().endswith("d (1)")


def test_an_answer_and_a_new_title_refresh_the_answers(
    coordinator_client, world, django_capture_on_commit_callbacks
):
    from acties.selectors_dashboard import dashboard_trends_changed

    actie = _actie(world, titel="Bankjes", status=ActieStatus.AFGEROND)
    assert "Bankjes" not in _geholpen_tabel(coordinator_client.get(URL).content.decode())
    _antwoord(world, actie)
    # Without a bump the cached copy stays (until its timeout) ...
    assert "Bankjes" not in _geholpen_tabel(coordinator_client.get(URL).content.decode())
    # ... the services bump after commit (geholpen_beantwoorden, actie_update of a title).
    with django_capture_on_commit_callbacks(execute=True):
        dashboard_trends_changed(world.team.pk)
    assert "Bankjes" in _geholpen_tabel(coordinator_client.get(URL).content.decode())


def test_trends_are_cached_per_language(coordinator_client, world):
    from django.utils import translation

    from acties.views.dashboard import _trends_html

    _doorloop_data(world)
    coordinator_client.get(URL)  # cached in Dutch
    en = coordinator_client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    with translation.override("en"):
        verwacht = _trends_html(world.team)  # from the cache the request filled, in English
        verwacht_opnieuw = str(verwacht)
    assert 'lang="en"' in en and verwacht in en and verwacht == verwacht_opnieuw
    with translation.override("en"):
        from django.utils.translation import gettext

        kop = gettext("Doorlooptijden (mediaan, laatste 12 maanden)")
    assert kop in en
