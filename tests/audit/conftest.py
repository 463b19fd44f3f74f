"""The audit tests' world: the teams world of tests/buurten plus a thema and two signals."""

import pytest

from tests import factories as f
from tests.buurten.teams_world import build_world


@pytest.fixture
def world(db):
    w = build_world()
    w.thema = f.ThemaFactory(gemeente=w.team.gemeente)
    w.open = f.SignaalFactory(team=w.team, buurt=w.buurt, thema=w.thema, titel="Zwerfvuil op het plein")
    w.geheim = f.SignaalFactory(
        team=w.team,
        buurt=w.buurt,
        thema=w.thema,
        titel="Overlast door buurman",
        over_persoon=True,
        vertrouwelijk=True,
    )
    w.oost = f.SignaalFactory(team=w.other_team, buurt=w.other_buurt, titel="Fietswrakken bij het station")
    return w


def rows(actie: str | None = None):
    from audit.models import AuditRegel

    qs = AuditRegel.objects.order_by("pk")
    return qs.filter(actie=actie) if actie else qs
