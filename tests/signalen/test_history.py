"""The status history tells the same story as the status: after a realistic mix of logging,
support, the tally, triage, rejection and reopening, each signal's history is one unbroken
chain from "" to its current status (on SQLite and on PostgreSQL, where the tally writes the
history of a batch in one raw statement)."""

import datetime as dt

import pytest
from django.utils import timezone

from core.actors import TALLY
from signalen.models import Kanaal, Signaal, Status, Steunbetuiging, TriageUitkomst
from signalen.selectors import statuswijzigingen_for_signaal
from signalen.services import (
    signaal_log,
    signaal_status_change,
    signaal_triage,
    signalen_tally,
    steun_register,
    steun_register_anoniem,
    steun_withdraw,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

REDEN = "Besproken in het teamoverleg."


def test_each_signals_latest_history_row_matches_its_status(team, thema, teamlid, coordinator):
    type(team).objects.filter(pk=team.pk).update(drempel_huishoudens=3)
    partner = f.PartnerFactory(gemeente=team.gemeente, naam="Woonpunt")
    today = timezone.localdate()
    s = [
        signaal_log(
            team=team,
            door=teamlid,
            titel=f"Signaal {i}",
            thema=thema,
            kanaal=Kanaal.STRAATGESPREK,
            lat=50.85,
            lon=5.69,
        )
        for i in range(10)
    ]
    huisnummers = iter(range(1, 1000))

    def support(signaal, n):
        return [
            steun_register(
                signaal=signaal,
                door=teamlid,
                kanaal=Kanaal.HUISBEZOEK,
                datum=today,
                postcode="6221 AB",
                huisnummer=str(next(huisnummers)),
            )
            for _ in range(n)
        ]

    def change(i, naar, door, reden=""):
        signaal_status_change(signaal=s[i], naar=naar, door=door, reden=reden)

    # Support arrives; the team starts asking around for s8 by hand; the tally moves a batch at once.
    change(8, Status.DRAAGVLAK_GEZOCHT, teamlid)
    for i, n in {1: 1, 2: 3, 3: 3, 4: 4, 6: 3, 7: 3, 8: 2, 9: 5}.items():
        support(s[i], n)
    steun_register_anoniem(signaal=s[5], door=teamlid, kanaal=Kanaal.BUURTBIJEENKOMST, datum=today, aantal=6)
    signalen_tally(door=TALLY)

    # Withdrawn support drops s3 back before triage.
    steun_withdraw(steunbetuiging=s[3].steunbetuigingen.first(), door=coordinator)
    signalen_tally(door=TALLY)

    # Triage: two integraal, one forwarded; s2 is worked on, closed and reopened.
    for i in (2, 4, 9):
        s[i].refresh_from_db()
    signaal_triage(signaal=s[2], uitkomst=TriageUitkomst.INTEGRAAL, door=coordinator)
    signaal_triage(signaal=s[9], uitkomst=TriageUitkomst.INTEGRAAL, door=coordinator)
    signaal_triage(signaal=s[4], uitkomst=TriageUitkomst.PRIMAIRE_TAAK, door=coordinator, partner=partner)
    change(2, Status.IN_ACTIE, teamlid)
    change(2, Status.AFGEROND, teamlid)
    change(2, Status.HEROPEND, coordinator, "De overlast is terug.")
    change(4, Status.AFGEROND, coordinator)

    # Rejections, one reconsidered.
    change(0, Status.AFGEWEZEN, coordinator, "Hoort bij de gemeentelijke meldlijn.")
    change(6, Status.AFGEWEZEN, coordinator, "Dubbel met een ander signaal.")
    change(6, Status.HEROPEND, coordinator, REDEN)
    signalen_tally(door=TALLY, signaal_ids=None)

    # s7's support expires; s1 gets enough at last.
    Steunbetuiging.objects.filter(signaal=s[7]).update(datum=today - dt.timedelta(days=800))
    Signaal.objects.filter(pk=s[7].pk).update(steun_verloopt_at=timezone.now() - dt.timedelta(minutes=1))
    support(s[1], 2)
    signalen_tally(door=TALLY)
    signalen_tally(door=TALLY)  # nothing left to do: writes no history

    expected = {
        0: Status.AFGEWEZEN,
        1: Status.DRAAGVLAK_BEREIKT,
        2: Status.DRAAGVLAK_BEREIKT,
        3: Status.DRAAGVLAK_GEZOCHT,
        4: Status.AFGEROND,
        5: Status.DRAAGVLAK_BEREIKT,
        6: Status.DRAAGVLAK_BEREIKT,
        7: Status.DRAAGVLAK_GEZOCHT,
        8: Status.DRAAGVLAK_GEZOCHT,
        9: Status.GETRIEERD,
    }
    for i, signaal in enumerate(s):
        signaal.refresh_from_db()
        rows = list(statuswijzigingen_for_signaal(signaal=signaal))
        assert signaal.status == expected[i], i
        assert (rows[0].van, rows[0].naar) == ("", Status.NIEUW), i
        for before, after in zip(rows, rows[1:], strict=False):
            assert after.van == before.naar, (i, [(r.van, r.naar) for r in rows])
        assert rows[-1].naar == signaal.status, (i, [(r.van, r.naar) for r in rows])
    assert len(statuswijzigingen_for_signaal(signaal=s[2])) == 7  # nieuw ... heropend, bereikt
