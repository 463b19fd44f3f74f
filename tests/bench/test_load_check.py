"""The load run's correctness check (bench/load/check.py) on a small data set: a clean tally
passes, and a planted duplicate history row, a wrong count and a doubled announcement are found."""

import datetime as dt

import pytest
from django.test import TestCase
from django.utils import timezone

from bench.load.check import controleer, geraakte_signalen, samenvatting
from core.actors import TALLY
from notificaties.models import Bericht
from signalen.emails import DRAAGVLAK_MAIL
from signalen.models import Signaal, Status, StatusWijziging
from signalen.services import signalen_tally, steun_register
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def sinds():
    return timezone.now() - dt.timedelta(seconds=1)


@pytest.fixture
def geteld(team, coordinator, lidmaatschap_teamlid):
    """Two signals with support, one past the threshold, tallied as the workers would."""
    signalen = [f.SignaalFactory(team=team), f.SignaalFactory(team=team)]
    for signaal, n in zip(signalen, (6, 2), strict=True):
        for i in range(n):
            steun_register(
                signaal=signaal,
                door=lidmaatschap_teamlid.user,
                kanaal="huisbezoek",
                datum=timezone.localdate(),
                postcode="6221 AB",
                huisnummer=str(i + 1),
            )
    with TestCase.captureOnCommitCallbacks(execute=False):
        signalen_tally(door=TALLY)
    return signalen


@pytest.fixture
def lidmaatschap_teamlid(team):
    return f.LidmaatschapFactory(team=team)


def test_a_clean_tally_has_no_problems(geteld, sinds):
    assert Signaal.objects.get(pk=geteld[0].pk).status == Status.DRAAGVLAK_BEREIKT
    assert set(geteld_ids := geraakte_signalen(sinds=sinds)) >= {s.pk for s in geteld}
    assert controleer(sinds=sinds, signaal_ids=geteld_ids) == []
    assert samenvatting([]) == "geen verschillen"


def test_check_changes_nothing(geteld, sinds):
    voor = list(Signaal.objects.order_by("pk").values())
    rijen = StatusWijziging.objects.count()
    controleer(sinds=sinds)
    assert list(Signaal.objects.order_by("pk").values()) == voor
    assert StatusWijziging.objects.count() == rijen


def test_a_planted_duplicate_history_row_is_found(geteld, sinds):
    laatste = StatusWijziging.objects.filter(signaal=geteld[0]).last()
    StatusWijziging.objects.create(signaal=geteld[0], van=laatste.van, naar=laatste.naar, reden="dubbel")
    problemen = controleer(sinds=sinds)
    assert any(f"signaal {geteld[0].pk}: dubbele historieregel" in p for p in problemen), problemen


def test_a_wrong_count_or_status_is_found(geteld, sinds):
    Signaal.objects.filter(pk=geteld[1].pk).update(steun_huishoudens=5)
    problemen = controleer(sinds=sinds)
    assert any(
        f"signaal {geteld[1].pk}: na de seriële hertelling steun_huishoudens 5 ≠ 2" in p for p in problemen
    )


def test_a_signal_left_marked_is_reported(geteld, sinds):
    Signaal.objects.filter(pk=geteld[1].pk).update(steun_herberekenen=True)
    assert "1 signalen wachten nog op hun telling" in controleer(sinds=sinds)


def test_a_crossing_announced_twice_is_found(geteld, sinds):
    mail = Bericht.objects.get(soort=DRAAGVLAK_MAIL)
    Bericht.objects.create(
        ontvanger=mail.ontvanger,
        soort=DRAAGVLAK_MAIL,
        context=mail.context,
        sleutel=mail.sleutel + ":nogmaals",
    )
    problemen = controleer(sinds=sinds)
    assert any(f"signaal {geteld[0].pk}: 2 draagvlakmails aan {mail.ontvanger}" in p for p in problemen), (
        problemen
    )


def test_the_wait_for_the_recount_comes_from_the_tallys_stamp(geteld, sinds):
    from bench.load.check import telwacht

    wacht = telwacht(sinds=sinds)
    assert wacht["signalen"] == 2
    assert 0 <= wacht["max_s"] < 60
    # A signal whose latest support came after its last recount is still waiting.
    Signaal.objects.filter(pk=geteld[1].pk).update(steun_berekend_at=timezone.now() - dt.timedelta(hours=1))
    assert telwacht(sinds=sinds, now=timezone.now() + dt.timedelta(seconds=400))["max_s"] > 300
