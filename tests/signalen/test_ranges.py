"""Every number a person enters has a range, in the form, the service and the database; the tally
and the purge count and purge the other teams when one team's data cannot be handled."""

import contextlib
import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditRegel, Resultaat
from buurten.models import Team
from core.actors import RETENTION, TALLY
from signalen.forms import SteunAnoniemForm, TeamInstellingenForm
from signalen.models import Signaal, Status, StatusWijziging, Steunbetuiging
from signalen.services import signalen_purge_expired, signalen_tally, team_instellingen_update
from tests import factories as f

pytestmark = pytest.mark.django_db

GOED = {
    "drempel_huishoudens": "5",
    "anoniem_gewicht": "0,5",
    "steun_venster_maanden": "12",
    "bewaartermijn_maanden": "24",
}
MELDING = {
    "drempel_huishoudens": "Kies een getal van 1 tot en met 1000.",
    "anoniem_gewicht": "Kies een getal van 0 tot en met 1.",
    "steun_venster_maanden": "Kies een getal van 1 tot en met 60.",
    "bewaartermijn_maanden": "Kies een getal van 1 tot en met 120.",
}
TE_GROOT_OF_KLEIN = [
    # The three cases found by probing the running application.
    ("bewaartermijn_maanden", "30000"),
    ("steun_venster_maanden", "30000"),
    ("drempel_huishoudens", "2147483648"),
    # Each bound's first value outside, and what is no whole number at all.
    ("drempel_huishoudens", "0"),
    ("drempel_huishoudens", "1001"),
    ("anoniem_gewicht", "1,01"),
    ("anoniem_gewicht", "-0,01"),
    ("steun_venster_maanden", "0"),
    ("steun_venster_maanden", "61"),
    ("bewaartermijn_maanden", "0"),
    ("bewaartermijn_maanden", "121"),
    ("bewaartermijn_maanden", "12.5"),
    ("bewaartermijn_maanden", "1e999999999"),
]


def _settings_row(team) -> tuple:
    return tuple(
        Team.objects.filter(pk=team.pk).values_list(
            "drempel_huishoudens", "anoniem_gewicht", "steun_venster_maanden", "bewaartermijn_maanden"
        )[0]
    )


# --- the form ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("veld", "waarde"), TE_GROOT_OF_KLEIN)
def test_the_settings_form_names_the_range(veld, waarde):
    form = TeamInstellingenForm({**GOED, veld: waarde})
    assert not form.is_valid()
    assert form.errors[veld] == [MELDING[veld]]


@pytest.mark.parametrize(
    "grens",
    [
        {
            "drempel_huishoudens": "1",
            "anoniem_gewicht": "0",
            "steun_venster_maanden": "1",
            "bewaartermijn_maanden": "1",
        },
        {
            "drempel_huishoudens": "1000",
            "anoniem_gewicht": "1",
            "steun_venster_maanden": "60",
            "bewaartermijn_maanden": "120",
        },
    ],
)
def test_the_settings_form_takes_both_bounds(grens):
    form = TeamInstellingenForm(grens)
    assert form.is_valid(), form.errors


def test_the_browser_gets_the_range_too():
    html = str(TeamInstellingenForm()["bewaartermijn_maanden"])
    assert 'min="1"' in html and 'max="120"' in html


@pytest.mark.parametrize("aantal", ["0", "1001", "drie", "2147483648"])
def test_the_anonymous_support_form_names_the_range(aantal):
    form = SteunAnoniemForm(
        {"anoniem-kanaal": "buurtbijeenkomst", "anoniem-datum": "2026-11-01", "anoniem-aantal": aantal}
    )
    assert not form.is_valid()
    assert form.errors["aantal"] == ["Kies een getal van 1 tot en met 1000."]


# --- the page: the three cases from probing, and every other bound ------------------------------------


@pytest.fixture
def coordinator_client(client, coordinator):
    f.activate_totp(coordinator)
    client.force_login(coordinator)
    return client


@pytest.mark.parametrize(("veld", "waarde"), TE_GROOT_OF_KLEIN)
def test_a_setting_out_of_range_is_a_dutch_message_and_stores_nothing(coordinator_client, team, veld, waarde):
    signaal = f.SignaalFactory(team=team)
    Signaal.objects.filter(pk=signaal.pk).update(steun_herberekenen=False)
    voor = _settings_row(team)

    response = coordinator_client.post(
        reverse("signalen:team_instellingen", kwargs={"team_id": team.pk}), {**GOED, veld: waarde}
    )

    assert response.status_code == 400
    assert MELDING[veld] in response.content.decode()
    assert _settings_row(team) == voor
    # Nothing half-written either: no recount was asked for, nothing was audited as changed.
    assert not Signaal.objects.get(pk=signaal.pk).steun_herberekenen
    assert not AuditRegel.objects.filter(team_id=team.pk).exists()


def test_the_bounds_themselves_are_saved(coordinator_client, team):
    response = coordinator_client.post(
        reverse("signalen:team_instellingen", kwargs={"team_id": team.pk}),
        {
            "drempel_huishoudens": "1000",
            "anoniem_gewicht": "1",
            "steun_venster_maanden": "60",
            "bewaartermijn_maanden": "120",
        },
    )
    assert response.status_code == 302
    assert _settings_row(team) == (1000, Decimal("1.00"), 60, 120)


# --- the service ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("veld", "waarde"),
    [
        ("bewaartermijn_maanden", 30000),
        ("steun_venster_maanden", 30000),
        ("drempel_huishoudens", 2147483648),
        ("drempel_huishoudens", "veel"),
        ("anoniem_gewicht", Decimal("1.01")),
        ("anoniem_gewicht", "NaN"),
        ("steun_venster_maanden", None),
        ("bewaartermijn_maanden", 2.5),
    ],
)
def test_the_service_refuses_what_the_form_refuses(coordinator, team, veld, waarde):
    waarden = {
        "drempel_huishoudens": 5,
        "anoniem_gewicht": "0.5",
        "steun_venster_maanden": 12,
        "bewaartermijn_maanden": 24,
    }
    voor = _settings_row(team)
    with pytest.raises(ValidationError) as exc:
        team_instellingen_update(team=team, door=coordinator, **{**waarden, veld: waarde})
    assert exc.value.message_dict == {veld: [MELDING[veld]]}
    assert _settings_row(team) == voor


# --- the database -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("veld", "waarde"),
    [
        ("drempel_huishoudens", 0),
        ("drempel_huishoudens", 1001),
        ("anoniem_gewicht", Decimal("1.01")),
        ("steun_venster_maanden", 61),
        ("steun_venster_maanden", 0),
        ("bewaartermijn_maanden", 121),
    ],
)
def test_the_database_refuses_a_raw_save_that_bypasses_the_service(team, veld, waarde):
    setattr(team, veld, waarde)
    with pytest.raises(IntegrityError), transaction.atomic():
        team.save(update_fields=[veld])
    with pytest.raises(IntegrityError), transaction.atomic():
        Team.objects.filter(pk=team.pk).update(**{veld: waarde})


def test_the_database_refuses_an_anonymous_count_out_of_range(team):
    signaal = f.SignaalFactory(team=team)
    with pytest.raises(IntegrityError), transaction.atomic():
        f.SteunbetuigingFactory(signaal=signaal, huishouden_hash=None, aantal_anoniem=1001)
    f.SteunbetuigingFactory(signaal=signaal, huishouden_hash=None, aantal_anoniem=1000)


# --- one team that cannot be handled: the others are still counted and purged -------------------------


@contextlib.contextmanager
def _without_check(table: str, *constraints: str):
    """Store a value the constraint refuses, as a database restored from before the ranges might
    hold: on PostgreSQL the constraint is dropped inside the test's transaction (rolled back with
    it), on SQLite the check is switched off for the statement."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The test's new rows still have deferred foreign-key checks queued; ALTER TABLE
            # refuses to run while they are pending, so they are checked now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for constraint in constraints:
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{constraint}"')
            yield cursor
        else:
            cursor.execute("PRAGMA ignore_check_constraints = ON")
            try:
                yield cursor
            finally:
                cursor.execute("PRAGMA ignore_check_constraints = OFF")


def _set_out_of_range(team, veld: str, waarde: int, constraint: str) -> None:
    with _without_check(Team._meta.db_table, constraint) as cursor:
        cursor.execute(f'UPDATE "{Team._meta.db_table}" SET "{veld}" = %s WHERE id = %s', [waarde, team.pk])  # noqa: S608
    assert Team.objects.get(pk=team.pk).__dict__[veld] == waarde


def _marked_signal(team, *, households: int) -> Signaal:
    signaal = f.SignaalFactory(team=team)
    for _ in range(households):
        f.SteunbetuigingFactory(signaal=signaal)
    Signaal.objects.filter(pk=signaal.pk).update(steun_herberekenen=True)
    return signaal


def _tally():
    with TestCase.captureOnCommitCallbacks(execute=True):
        return signalen_tally(door=TALLY, batch_size=1000)


def _assert_counted(signaal, *, status):
    s = Signaal.objects.get(pk=signaal.pk)
    assert (s.steun_herberekenen, s.status) == (False, status)


def _assert_failure_audited(team, actie):
    regel = AuditRegel.objects.get(team_id=team.pk, actie=actie)
    assert regel.resultaat == Resultaat.MISLUKT
    assert (regel.object_type, regel.object_id) == ("buurten.team", str(team.pk))
    return regel


@pytest.fixture
def twee_teams(team, ander_team):
    """`team` (threshold 5) is sound; `ander_team` is the one that breaks."""
    return team, ander_team


def test_a_support_window_of_30000_months_stops_only_its_own_team(twee_teams):
    goed, kapot = twee_teams
    _set_out_of_range(kapot, "steun_venster_maanden", 30000, "team_steun_venster_bereik")
    voor = _marked_signal(goed, households=5)
    na_kapot = _marked_signal(kapot, households=5)
    na = _marked_signal(goed, households=1)  # after the broken team's signal in the same batch

    result = _tally()

    _assert_counted(voor, status=Status.DRAAGVLAK_BEREIKT)
    _assert_counted(na, status=Status.DRAAGVLAK_GEZOCHT)
    blijft = Signaal.objects.get(pk=na_kapot.pk)
    assert (blijft.steun_herberekenen, blijft.status, blijft.steun_huishoudens) == (True, Status.NIEUW, 0)
    assert not StatusWijziging.objects.filter(signaal=blijft).exists()
    assert (result.verwerkt, result.overgeslagen) == (2, 1)
    assert list(result.mislukt) == [kapot.pk]
    assert "out of range" in result.mislukt[kapot.pk]
    assert f"Mislukt voor 1 teams ({kapot.pk}): 1 signalen niet herteld" in result.summary()
    assert "out of range" in _assert_failure_audited(kapot, "steuntelling").details["fout"]
    assert not AuditRegel.objects.filter(team_id=goed.pk, resultaat=Resultaat.MISLUKT).exists()

    # The next run tries the broken team again (and reports it again); nothing else is left.
    again = _tally()
    assert (again.verwerkt, list(again.mislukt)) == (0, [kapot.pk])


def test_a_support_the_calendar_cannot_expire_stops_only_its_own_team(twee_teams):
    """Data the rule cannot handle without bypassing any constraint: support dated 31-12-9999
    expires in a year no date holds."""
    goed, kapot = twee_teams
    signaal_kapot = _marked_signal(kapot, households=0)
    f.SteunbetuigingFactory(signaal=signaal_kapot, datum=dt.date(9999, 12, 31))
    signaal_goed = _marked_signal(goed, households=5)

    result = _tally()

    _assert_counted(signaal_goed, status=Status.DRAAGVLAK_BEREIKT)
    assert Signaal.objects.get(pk=signaal_kapot.pk).steun_herberekenen
    assert list(result.mislukt) == [kapot.pk]
    _assert_failure_audited(kapot, "steuntelling")


def test_the_tally_of_sound_teams_reports_no_failure(team):
    signaal = _marked_signal(team, households=5)
    result = _tally()
    _assert_counted(signaal, status=Status.DRAAGVLAK_BEREIKT)
    assert result.mislukt == {} and "Mislukt" not in result.summary()
    assert not AuditRegel.objects.filter(resultaat=Resultaat.MISLUKT).exists()


NOW = timezone.now()


def _closed(team, *, days_ago: int) -> Signaal:
    signaal = f.SignaalFactory(team=team, status=Status.AFGEROND)
    Signaal.objects.filter(pk=signaal.pk).update(status_gewijzigd_at=NOW - dt.timedelta(days=days_ago))
    return signaal


def test_a_retention_term_of_30000_months_stops_only_its_own_teams_purge(twee_teams):
    goed, kapot = twee_teams
    _set_out_of_range(kapot, "bewaartermijn_maanden", 30000, "team_bewaartermijn_bereik")
    oud_goed = _closed(goed, days_ago=800)  # past the 24 months
    oud_kapot = _closed(kapot, days_ago=800)

    result = signalen_purge_expired(door=RETENTION, now=NOW)

    assert not Signaal.objects.filter(pk=oud_goed.pk).exists()
    assert Signaal.objects.filter(pk=oud_kapot.pk).exists()
    assert result.verwijderd == 1
    assert list(result.mislukt) == [kapot.pk]
    assert "out of range" in result.mislukt[kapot.pk]
    assert f"Mislukt voor 1 teams ({kapot.pk})" in result.summary()
    _assert_failure_audited(kapot, "bewaartermijn")


def test_the_purge_of_sound_teams_reports_no_failure(team):
    oud = _closed(team, days_ago=800)
    result = signalen_purge_expired(door=RETENTION, now=NOW)
    assert not Signaal.objects.filter(pk=oud.pk).exists()
    assert (result.verwijderd, result.mislukt) == (1, {})
    assert "Mislukt" not in result.summary()


def test_an_anonymous_count_in_range_is_stored(team):
    signaal = f.SignaalFactory(team=team)
    f.SteunbetuigingFactory(signaal=signaal, huishouden_hash=None, aantal_anoniem=1000)
    assert Steunbetuiging.objects.get(signaal=signaal).aantal_anoniem == 1000


def test_the_migration_brings_stored_values_to_the_nearest_bound(team, ander_team):
    """What a database from before the ranges may hold is clamped before the constraints are added."""
    clamp = importlib.import_module("buurten.migrations.0002_team_bereiken_clamp").clamp_team_settings
    constraints = [c.name for c in Team._meta.constraints if c.name.endswith("_bereik")]
    with _without_check(Team._meta.db_table, *constraints) as cursor:
        cursor.execute(
            f'UPDATE "{Team._meta.db_table}" SET drempel_huishoudens = 2147483647, anoniem_gewicht = 9.99, '  # noqa: S608
            "steun_venster_maanden = 30000, bewaartermijn_maanden = 0 WHERE id = %s",
            [team.pk],
        )
        clamp(django_apps, None)
    assert _settings_row(team) == (1000, Decimal("1.00"), 60, 1)
    assert _settings_row(ander_team) == (5, Decimal("0.50"), 12, 24)  # in range: untouched


def test_a_batch_costs_the_same_queries_however_many_signals_and_teams_it_holds(team, ander_team):
    """Counting each team on its own adds no query: the normal case's count per batch is constant."""

    def queries_of_one_run(per_team: int) -> int:
        for t in (team, ander_team):
            for _ in range(per_team):
                _marked_signal(t, households=1)
        with CaptureQueriesContext(connection) as ctx:
            result = signalen_tally(door=TALLY, batch_size=1000)
        assert (result.verwerkt, result.batches, result.mislukt) == (2 * per_team, 1, {})
        return len(ctx.captured_queries)

    assert queries_of_one_run(1) == queries_of_one_run(10)
