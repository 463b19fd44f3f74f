"""The support tally: households, anonymous weight, expiry, the threshold both ways, e-mail once."""

import datetime as dt
import io
import time
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from buurten.models import Rol
from core.actors import COMMAND, TALLY
from notificaties.models import Bericht, BerichtStatus
from signalen.models import Kanaal, Signaal, Status, TriageUitkomst
from signalen.services import (
    signaal_status_change,
    signaal_triage,
    signalen_tally,
    steun_herberekenen_team,
    steun_register,
    steun_register_anoniem,
    steun_withdraw,
)
from signalen.services.tally import steun_cutoff, steun_expiry
from tests import factories as f
from tests.outbox import deliver_outbox

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _team_has_a_coordinator(coordinator):
    """The team (threshold 5, weight 0.5, 12 months) has a coördinator, who gets the tally's mail."""


@pytest.fixture
def signaal(team):
    return f.SignaalFactory(team=team, titel="Hangjongeren bij het winkelcentrum")


def _households(signaal, lidmaatschap, n, *, start=1, kanaal=Kanaal.HUISBEZOEK, datum=None):
    return [
        steun_register(
            signaal=signaal,
            door=lidmaatschap.user,
            kanaal=kanaal,
            datum=datum or timezone.localdate(),
            postcode="6221 AB",
            huisnummer=str(i),
        )
        for i in range(start, start + n)
    ]


def _tally(**kwargs):
    # The coordinators' e-mail goes out after commit, as in production.
    with TestCase.captureOnCommitCallbacks(execute=True):
        result = signalen_tally(door=TALLY, **kwargs)
    deliver_outbox()
    return result


def _reload(signaal):
    return Signaal.objects.get(pk=signaal.pk)


def test_first_support_moves_a_new_signal_to_draagvlak_gezocht(signaal, lidmaatschap, mailoutbox):
    _households(signaal, lidmaatschap, 1)
    result = _tally()
    s = _reload(signaal)
    assert (s.status, s.steun_huishoudens, s.steun_anoniem, s.steun_totaal) == (
        Status.DRAAGVLAK_GEZOCHT,
        1,
        0,
        Decimal("1.00"),
    )
    assert not s.steun_herberekenen and s.steun_berekend_at is not None
    assert (result.verwerkt, result.gezocht, result.bereikt) == (1, 1, 0)
    assert mailoutbox == []


def test_a_signal_without_support_stays_new(signaal):
    Signaal.objects.filter(pk=signaal.pk).update(steun_herberekenen=True)
    _tally()
    assert _reload(signaal).status == Status.NIEUW


def test_threshold_reached_notifies_the_coordinators_once(signaal, lidmaatschap, mailoutbox):
    _households(signaal, lidmaatschap, 4)
    _tally()
    assert _reload(signaal).status == Status.DRAAGVLAK_GEZOCHT
    _households(signaal, lidmaatschap, 1, start=5)
    result = _tally()
    s = _reload(signaal)
    assert s.status == Status.DRAAGVLAK_BEREIKT and s.steun_totaal == 5
    assert s.draagvlak_gemeld_at is not None
    assert (result.bereikt, result.gemeld) == (1, 1)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["coordinator@example.nl"]
    assert "Hangjongeren bij het winkelcentrum" in mail.body
    assert f"/admin/signalen/signaal/{signaal.pk}/change/" in mail.body
    assert [(w.van, w.naar, w.door) for w in s.statuswijzigingen.all()] == [
        (Status.NIEUW, Status.DRAAGVLAK_GEZOCHT, None),
        (Status.DRAAGVLAK_GEZOCHT, Status.DRAAGVLAK_BEREIKT, None),
    ]
    # More support and more runs: no second e-mail for the same crossing.
    _households(signaal, lidmaatschap, 2, start=6)
    _tally()
    Signaal.objects.filter(pk=signaal.pk).update(steun_herberekenen=True)
    _tally()
    assert _reload(signaal).steun_huishoudens == 7
    assert len(mailoutbox) == 1


def test_falling_below_before_triage_moves_back_and_a_new_crossing_is_announced_again(
    signaal, lidmaatschap, mailoutbox
):
    steunen = _households(signaal, lidmaatschap, 5)
    _tally()
    assert _reload(signaal).status == Status.DRAAGVLAK_BEREIKT
    steun_withdraw(steunbetuiging=steunen[0], door=lidmaatschap.user)
    result = _tally()
    s = _reload(signaal)
    assert (s.status, s.steun_huishoudens, s.draagvlak_gemeld_at) == (Status.DRAAGVLAK_GEZOCHT, 4, None)
    assert result.teruggevallen == 1
    assert len(mailoutbox) == 1
    _households(signaal, lidmaatschap, 1, start=10)
    _tally()
    assert _reload(signaal).status == Status.DRAAGVLAK_BEREIKT
    assert len(mailoutbox) == 2


def test_after_triage_the_counts_follow_but_the_status_does_not(signaal, lidmaatschap, team):
    steunen = _households(signaal, lidmaatschap, 5)
    _tally()
    coordinator = team.lidmaatschappen.get(rol=Rol.COORDINATOR).user
    signaal_triage(signaal=_reload(signaal), uitkomst=TriageUitkomst.INTEGRAAL, door=coordinator)
    for steun in steunen[:3]:
        steun_withdraw(steunbetuiging=steun, door=lidmaatschap.user)
    _tally()
    s = _reload(signaal)
    assert (s.status, s.steun_huishoudens) == (Status.GETRIEERD, 2)


def test_a_household_counts_once_across_channels(signaal, lidmaatschap):
    _households(signaal, lidmaatschap, 1, kanaal=Kanaal.STRAATGESPREK)
    with pytest.raises(ValidationError):
        _households(signaal, lidmaatschap, 1, kanaal=Kanaal.VRAGENLIJST)
    # A withdrawn support of the same household next to an active one counts once too.
    f.SteunbetuigingFactory(
        signaal=signaal,
        kanaal=Kanaal.VIA_PARTNER,
        huishouden_hash=signaal.steunbetuigingen.get().huishouden_hash,
        ingetrokken_at=timezone.now(),
    )
    _tally()
    assert _reload(signaal).steun_huishoudens == 1


@pytest.mark.parametrize(
    ("gewicht", "totaal", "status"),
    [
        ("0.5", "5.00", Status.DRAAGVLAK_BEREIKT),
        ("0.25", "4.00", Status.DRAAGVLAK_GEZOCHT),
        ("0", "3.00", Status.DRAAGVLAK_GEZOCHT),
        ("1", "7.00", Status.DRAAGVLAK_BEREIKT),
    ],
)
def test_anonymous_support_counts_at_the_teams_weight(team, signaal, lidmaatschap, gewicht, totaal, status):
    team.anoniem_gewicht = Decimal(gewicht)
    team.save()
    _households(signaal, lidmaatschap, 3)
    for aantal in (1, 3):
        steun_register_anoniem(
            signaal=signaal,
            door=lidmaatschap.user,
            kanaal=Kanaal.BUURTBIJEENKOMST,
            datum=timezone.localdate(),
            aantal=aantal,
        )
    _tally()
    s = _reload(signaal)
    assert (s.steun_huishoudens, s.steun_anoniem, s.steun_totaal, s.status) == (3, 4, Decimal(totaal), status)


def test_a_crowd_alone_can_reach_the_threshold(signaal, lidmaatschap):
    steun_register_anoniem(
        signaal=signaal,
        door=lidmaatschap.user,
        kanaal=Kanaal.BUURTBIJEENKOMST,
        datum=timezone.localdate(),
        aantal=23,
    )
    _tally()
    s = _reload(signaal)
    assert (s.status, s.steun_totaal) == (Status.DRAAGVLAK_BEREIKT, Decimal("11.50"))
    assert [w.van for w in s.statuswijzigingen.all()] == [Status.NIEUW]


def test_the_teams_threshold_applies(team, signaal, lidmaatschap):
    team.drempel_huishoudens = 2
    team.save()
    _households(signaal, lidmaatschap, 2)
    _tally()
    assert _reload(signaal).status == Status.DRAAGVLAK_BEREIKT


def test_support_older_than_the_window_does_not_count(signaal, lidmaatschap):
    today = timezone.localdate()
    _households(signaal, lidmaatschap, 4)
    # exactly a year: expired
    _households(signaal, lidmaatschap, 1, start=5, datum=today - relativedelta(months=12))
    _households(signaal, lidmaatschap, 1, start=6, datum=today - relativedelta(months=13))
    _tally()
    s = _reload(signaal)
    assert (s.steun_huishoudens, s.status) == (4, Status.DRAAGVLAK_GEZOCHT)


def test_a_signal_whose_support_expires_drops_back(signaal, lidmaatschap, mailoutbox):
    today = timezone.localdate()
    oud = today - relativedelta(months=11)
    _households(signaal, lidmaatschap, 1, datum=oud)
    _households(signaal, lidmaatschap, 4, start=2, datum=today - relativedelta(months=2))
    _tally()
    s = _reload(signaal)
    assert s.status == Status.DRAAGVLAK_BEREIKT
    assert s.steun_verloopt_at == steun_expiry(datum=oud, maanden=12)
    assert timezone.localtime(s.steun_verloopt_at).date() == oud + relativedelta(months=12)

    # Nothing changed: a run before the expiry has nothing to do.
    assert _tally(now=s.steun_verloopt_at - dt.timedelta(minutes=1)).verwerkt == 0
    # Once the oldest support expires, the tally picks the signal up by itself.
    result = _tally(now=s.steun_verloopt_at + dt.timedelta(minutes=1))
    s = _reload(signaal)
    assert result.verwerkt == 1 and result.teruggevallen == 1
    assert (s.status, s.steun_huishoudens) == (Status.DRAAGVLAK_GEZOCHT, 4)
    assert timezone.localtime(s.steun_verloopt_at).date() == today + relativedelta(months=10)
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    ("datum", "maanden", "verloopt"),
    [
        (dt.date(2026, 1, 15), 12, dt.date(2027, 1, 15)),
        (dt.date(2025, 8, 31), 6, dt.date(2026, 3, 1)),  # 28 February still counts: 31 Aug > 28 Aug
        (dt.date(2024, 2, 29), 12, dt.date(2025, 3, 1)),
    ],
)
def test_expiry_and_cutoff_agree(datum, maanden, verloopt):
    moment = steun_expiry(datum=datum, maanden=maanden)
    assert timezone.localtime(moment).date() == verloopt
    day_before = verloopt - dt.timedelta(days=1)
    assert datum > steun_cutoff(today=day_before, maanden=maanden)  # still counts the day before
    assert not datum > steun_cutoff(today=verloopt, maanden=maanden)  # and no longer on the day


def test_batches_and_ids(team, lidmaatschap):
    signalen = [f.SignaalFactory(team=team) for _ in range(5)]
    for s in signalen:
        _households(s, lidmaatschap, 1)
    result = _tally(signaal_ids=[signalen[0].pk, signalen[3].pk])
    assert result.verwerkt == 2
    assert Signaal.objects.filter(steun_herberekenen=True).count() == 3
    result = _tally(batch_size=2)
    assert (result.verwerkt, result.batches) == (3, 2)
    assert set(Signaal.objects.values_list("status", flat=True)) == {Status.DRAAGVLAK_GEZOCHT}


def test_recount_a_whole_team_after_its_threshold_changed(team, signaal, lidmaatschap):
    _households(signaal, lidmaatschap, 3)
    _tally()
    team.drempel_huishoudens = 3
    team.save()
    assert steun_herberekenen_team(team=team, door=COMMAND) == 1
    _tally()
    assert _reload(signaal).status == Status.DRAAGVLAK_BEREIKT


def test_the_email_names_a_confidential_signal_without_its_title(team, lidmaatschap, mailoutbox):
    geheim = f.SignaalFactory(team=team, titel="Drugs in nummer 7", vertrouwelijk=True)
    _households(geheim, lidmaatschap, 5)
    _tally()
    assert "Drugs in nummer 7" not in mailoutbox[0].body
    assert "Een vertrouwelijk signaal" in mailoutbox[0].body


def test_one_email_per_team_per_run(team, lidmaatschap, mailoutbox):
    for _ in range(2):
        _households(f.SignaalFactory(team=team), lidmaatschap, 5)
    _tally()
    assert len(mailoutbox) == 1
    assert "Draagvlak bereikt voor 2 signalen" in mailoutbox[0].subject


def test_each_batch_announces_its_own_crossings(team, mailoutbox):
    # The announcement is written with the batch that marks the crossings: one mail per batch.
    for _ in range(3):
        _households(f.SignaalFactory(team=team), f.LidmaatschapFactory(team=team), 5)
    assert _tally(batch_size=2).gemeld == 3
    assert sorted(m.subject for m in mailoutbox) == [
        "Draagvlak bereikt voor 2 signalen van " + team.naam,
        "Draagvlak bereikt voor een signaal van " + team.naam,
    ]
    assert {tuple(m.to) for m in mailoutbox} == {("coordinator@example.nl",)}


def wait_for(condition, timeout=30.0):
    """Poll until `condition()` holds: a real worker runs the queued task in its own time."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_register_queues_the_tally_after_commit(celery_worker, team, lidmaatschap, mailoutbox):
    signaal = f.SignaalFactory(team=team)
    _households(signaal, lidmaatschap, 5)  # each commits and queues the tally (a real worker with Redis)
    assert wait_for(lambda: _reload(signaal).status == Status.DRAAGVLAK_BEREIKT)
    assert wait_for(lambda: not _reload(signaal).steun_herberekenen)
    assert wait_for(lambda: len(mailoutbox) == 1)
    # The row is marked sent when the worker's transaction commits, just after the message left.
    assert wait_for(lambda: Bericht.objects.get().status == BerichtStatus.VERZONDEN)


def test_reopening_marks_the_signal_for_the_tally(celery_worker, team, coordinator):
    signaal = f.SignaalFactory(team=team, status=Status.AFGEROND)
    signaal_status_change(signaal=signaal, naar=Status.HEROPEND, door=coordinator, reden="Weer overlast.")
    # The tally queued after commit moves it on: a reopened signal gathers support again.
    assert wait_for(lambda: Signaal.objects.get(pk=signaal.pk).status == Status.DRAAGVLAK_GEZOCHT)
    assert [(w.van, w.naar) for w in signaal.statuswijzigingen.all()] == [
        (Status.AFGEROND, Status.HEROPEND),
        (Status.HEROPEND, Status.DRAAGVLAK_GEZOCHT),
    ]


def test_management_command(signaal, lidmaatschap):
    _households(signaal, lidmaatschap, 5)
    out = io.StringIO()
    call_command("tally_support", stdout=out)
    assert out.getvalue().strip() == (
        "Steuntelling: 1 signalen herteld in 1 batches; 1 draagvlak bereikt, 0 teruggevallen, "
        "0 draagvlak gezocht; 1 gemeld aan coördinatoren."
    )
    out = io.StringIO()
    call_command("tally_support", stdout=out)
    assert out.getvalue().startswith("Steuntelling: 0 signalen herteld")


def test_management_command_bad_batch_size():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Kies een getal van 1 tot en met 10000."):
        call_command("tally_support", "--batch-size", "0")


def test_a_long_list_of_crossings_is_cut_short_in_the_email(team, mailoutbox):
    signalen = [f.SignaalFactory(team=team) for _ in range(27)]
    for s in signalen:
        for i in range(5):
            f.SteunbetuigingFactory(signaal=s, huishouden_hash=f"{s.pk:032x}{i:032x}")
    Signaal.objects.update(steun_herberekenen=True)
    assert _tally().gemeld == 27
    (mail,) = mailoutbox
    assert "Draagvlak bereikt voor 27 signalen" in mail.subject
    assert mail.body.count("/admin/signalen/signaal/") == 26  # 25 signals and the list
    assert "En nog 2 signalen:" in mail.body
