"""`manage.py seed_scale`: deterministic, idempotent, consistent with the tally, refuses other data."""

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from acties.models import Actie, ActieSignaal, GeholpenReactie, Mijlpaal
from audit.models import AuditRegel
from buurten.models import Gemeente, Team
from core.actors import TALLY
from demo import schaal as seeding
from signalen.models import Signaal, Status, StatusWijziging, Steunbetuiging
from signalen.services import signalen_tally
from tests import factories as f

pytestmark = pytest.mark.django_db
KLEIN = 0.003  # 300 signals, 3,000 supports, 30 acties


def _seed(**opties) -> str:
    out = StringIO()
    call_command("seed_scale", schaal=opties.pop("schaal", KLEIN), stdout=out, stderr=out, **opties)
    return out.getvalue()


def _vingerafdruk() -> str:
    """A hash of every seeded row's content (ids and the structural rows' timestamps left out)."""
    delen = [
        Signaal.objects.order_by("created_at", "titel").values_list(
            "titel",
            "status",
            "created_at",
            "status_gewijzigd_at",
            "buurt__code",
            "thema__naam",
            "team__slug",
            "steun_huishoudens",
            "steun_anoniem",
            "steun_totaal",
            "steun_verloopt_at",
            "triage_uitkomst",
        ),
        Steunbetuiging.objects.order_by(
            "signaal__titel", "datum", "huishouden_hash", "aantal_anoniem"
        ).values_list(
            "signaal__titel", "datum", "huishouden_hash", "aantal_anoniem", "email", "ingetrokken_at"
        ),
        StatusWijziging.objects.order_by("signaal__titel", "created_at", "naar").values_list(
            "signaal__titel", "van", "naar", "created_at"
        ),
        Actie.objects.order_by("titel").values_list(
            "titel", "status", "in_uitvoering_at", "afgerond_at", "bewoners_aantal", "trekker__naam"
        ),
        ActieSignaal.objects.order_by("signaal__titel").values_list("actie__titel", "signaal__titel"),
        Mijlpaal.objects.order_by("actie__titel", "volgorde").values_list(
            "actie__titel", "titel", "gedaan_at"
        ),
        GeholpenReactie.objects.order_by("actie__titel", "antwoord").values_list(
            "actie__titel", "antwoord", "datum"
        ),
    ]
    return hashlib.sha256(repr([list(d) for d in delen]).encode()).hexdigest()


def test_the_same_seed_gives_the_same_rows():
    dag = timezone.localdate()
    _seed(seed=7, tot=dag)
    eerste = _vingerafdruk()
    assert Signaal.objects.count() == 300 and Steunbetuiging.objects.count() == 3000
    assert Team.objects.count() == seeding.TEAMS and Actie.objects.exists()
    uit = _seed(seed=8, tot=dag)  # another seed replaces the data set
    assert "wordt eerst verwijderd" in uit
    assert _vingerafdruk() != eerste
    _seed(seed=7, tot=dag)
    assert _vingerafdruk() == eerste
    assert Gemeente.objects.filter(code=seeding.GEMEENTE_CODE).count() == 1


def test_a_second_run_changes_nothing():
    _seed(seed=3)
    aantallen = (Signaal.objects.count(), Steunbetuiging.objects.count(), StatusWijziging.objects.count())
    ids = list(Signaal.objects.order_by("pk").values_list("pk", flat=True)[:5])
    audit = AuditRegel.objects.filter(actie="seed_scale.gevuld").count()
    assert "niets gedaan" in _seed(seed=3)
    assert (
        Signaal.objects.count(),
        Steunbetuiging.objects.count(),
        StatusWijziging.objects.count(),
    ) == aantallen
    assert list(Signaal.objects.order_by("pk").values_list("pk", flat=True)[:5]) == ids
    assert audit == 1 and AuditRegel.objects.filter(actie="seed_scale.gevuld").count() == 1


def test_the_data_is_what_the_tally_and_the_workflow_would_leave():
    _seed(seed=11)
    # Every signal has a history that starts at nieuw and ends at its status.
    laatste = {}
    for signaal_id, naar in StatusWijziging.objects.order_by("signaal_id", "created_at", "id").values_list(
        "signaal_id", "naar"
    ):
        laatste.setdefault(signaal_id, []).append(naar)
    for signaal_id, status in Signaal.objects.values_list("pk", "status"):
        assert laatste[signaal_id][0] == Status.NIEUW and laatste[signaal_id][-1] == status
    assert Signaal.objects.filter(status=Status.AFGEROND).exists()
    assert StatusWijziging.objects.filter(naar=Status.DRAAGVLAK_BEREIKT).exists()
    # A recount by the tally itself moves nothing and changes no count.
    voor = list(
        Signaal.objects.order_by("pk").values_list(
            "pk", "status", "steun_huishoudens", "steun_anoniem", "steun_totaal"
        )
    )
    Signaal.objects.update(steun_herberekenen=True)
    historie = StatusWijziging.objects.count()
    resultaat = signalen_tally(door=TALLY)
    assert (resultaat.bereikt, resultaat.teruggevallen, resultaat.gezocht) == (0, 0, 0)
    assert StatusWijziging.objects.count() == historie
    na = list(
        Signaal.objects.order_by("pk").values_list(
            "pk", "status", "steun_huishoudens", "steun_anoniem", "steun_totaal"
        )
    )
    assert na == voor


def test_it_refuses_a_database_with_other_data_unless_forced():
    f.SignaalFactory(titel="Echt signaal")
    with pytest.raises(CommandError, match="De database bevat al andere gegevens .*gebruik --force"):
        _seed(seed=1)
    assert not Gemeente.objects.filter(code=seeding.GEMEENTE_CODE).exists()
    assert Signaal.objects.count() == 1
    _seed(seed=1, force=True)
    assert Signaal.objects.filter(titel="Echt signaal").exists() and Signaal.objects.count() == 301


def test_bad_scale_is_refused():
    with pytest.raises(CommandError, match="--schaal moet groter dan 0"):
        _seed(schaal=0)
    with pytest.raises(CommandError, match="--schaal moet groter dan 0"):
        _seed(schaal=2)
    assert not Signaal.objects.exists()


def test_sqlite_runs_smaller_with_a_warning(monkeypatch):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("alleen op SQLite")
    from demo.management.commands import seed_scale

    monkeypatch.setattr(seed_scale, "SQLITE_SCHAAL", 0.001)
    uit = _seed(schaal=1)
    assert "SQLite draait kleiner, schaal 0.001" in uit
    assert Signaal.objects.count() == 100
