"""The tally's batch writing: a fixed number of queries per batch, and exactly the fields it
means to write (a status move's timestamps only on the signals that moved)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from buurten.models import Rol
from core.actors import TALLY
from signalen.models import Signaal, Status, StatusWijziging, Steunbetuiging, TriageUitkomst
from signalen.services import signalen_tally
from signalen.services.tally import _array
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    team = f.TeamFactory(drempel_huishoudens=5, anoniem_gewicht=Decimal("0.5"), steun_venster_maanden=12)
    f.LidmaatschapFactory(team=team, rol=Rol.COORDINATOR, user__email="coordinator@example.nl")
    return team


def _signals(team, households: list[int]) -> list[Signaal]:
    """One marked signal per entry, with that many supporting households (dated today)."""
    signalen = [f.SignaalFactory(team=team) for _ in households]
    Steunbetuiging.objects.bulk_create(
        Steunbetuiging(
            signaal=s, kanaal="huisbezoek", datum=timezone.localdate(), huishouden_hash=f"{s.pk:032x}{i:032x}"
        )
        for s, n in zip(signalen, households, strict=True)
        for i in range(n)
    )
    Signaal.objects.filter(pk__in=[s.pk for s in signalen]).update(steun_herberekenen=True)
    return signalen


def _queries_of_one_batch(team, households: list[int]) -> int:
    _signals(team, households)
    with CaptureQueriesContext(connection) as queries:
        result = signalen_tally(door=TALLY, batch_size=len(households))
    assert (result.verwerkt, result.batches) == (len(households), 1)
    return len(queries)


def test_a_batchs_query_count_does_not_grow_with_its_size(team):
    # Each batch has signals that reach the threshold, that only find support, and that stay.
    small = _queries_of_one_batch(team, [5, 2, 0])
    other = f.TeamFactory(drempel_huishoudens=5)
    f.LidmaatschapFactory(team=other, rol=Rol.COORDINATOR)
    f.LidmaatschapFactory(team=other, rol=Rol.COORDINATOR)
    big = _queries_of_one_batch(other, [5, 6, 2, 3, 0, 0, 7, 1, 5, 0, 2, 9])
    assert small == big
    # Lock and read, team rules, one GROUP BY, one write, history and audit rows (one INSERT
    # each) per target status, the coördinatoren's addresses and one INSERT of the outbox rows
    # for the crossings, then the empty batch that ends the run, each batch in a savepoint (and
    # released); on SQLite the write is two bulk updates (signals that moved, signals that did not).
    assert big == (15 if connection.vendor == "postgresql" else 16)


def test_a_batch_queues_its_announcements_in_its_own_transaction(team):
    from notificaties.models import Bericht

    signalen = _signals(team, [5, 6, 5, 2])
    signalen_tally(door=TALLY, batch_size=2)
    # Two batches with crossings: one mail each to the coördinator, naming that batch's signals.
    rows = list(Bericht.objects.order_by("pk"))
    assert [(b.ontvanger, b.soort) for b in rows] == [("coordinator@example.nl", "signalen.draagvlak")] * 2
    assert [b.context["signaal_ids"] for b in rows] == [[signalen[0].pk, signalen[1].pk], [signalen[2].pk]]
    assert all(b.sleutel.startswith(f"draagvlak:{team.pk}:") for b in rows)


def test_only_moved_signals_get_new_status_timestamps(team):
    bereikt, gezocht, blijft, getrieerd = _signals(team, [5, 2, 0, 6])
    earlier = timezone.now() - dt.timedelta(days=3)
    Signaal.objects.filter(pk=getrieerd.pk).update(
        status=Status.GETRIEERD, triage_uitkomst=TriageUitkomst.INTEGRAAL, status_gewijzigd_at=earlier
    )
    Signaal.objects.filter(pk__in=[blijft.pk, getrieerd.pk]).update(updated_at=earlier)
    now = timezone.now()
    signalen_tally(door=TALLY, now=now)

    rows = {s.pk: s for s in Signaal.objects.all()}
    for moved in (bereikt, gezocht):
        assert (rows[moved.pk].status_gewijzigd_at, rows[moved.pk].updated_at) == (now, now)
    assert rows[bereikt.pk].draagvlak_gemeld_at == now
    assert rows[gezocht.pk].draagvlak_gemeld_at is None
    assert (rows[blijft.pk].status, rows[blijft.pk].status_gewijzigd_at) == (Status.NIEUW, None)
    assert rows[blijft.pk].updated_at == earlier
    assert (rows[getrieerd.pk].status, rows[getrieerd.pk].steun_huishoudens) == (Status.GETRIEERD, 6)
    assert (rows[getrieerd.pk].status_gewijzigd_at, rows[getrieerd.pk].updated_at) == (earlier, earlier)
    assert all(s.steun_berekend_at == now and not s.steun_herberekenen for s in rows.values())
    assert set(StatusWijziging.objects.values_list("signaal_id", "van", "naar")) == {
        (bereikt.pk, Status.NIEUW, Status.DRAAGVLAK_BEREIKT),
        (gezocht.pk, Status.NIEUW, Status.DRAAGVLAK_GEZOCHT),
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="array literals are PostgreSQL's")
def test_array_literals_reach_postgresql_unchanged():
    now = timezone.now()
    text = ['a "quoted" word', "back\\slash", "comma, {brace}", "NULL", "", None, "  spaced  "]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::text[], %s::bigint[], %s::numeric[], %s::timestamptz[], %s::boolean[]",
            [
                _array(text),
                _array([1, 2**40]),
                _array([Decimal("2.50"), None]),
                _array([now, None, now]),
                _array([False, True]),
            ],
        )
        row = cursor.fetchone()
    assert row == (text, [1, 2**40], [Decimal("2.50"), None], [now, None, now], [False, True])
