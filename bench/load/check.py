"""Concurrency correctness after the load run (issue #11 part 4): what two tally workers left
behind while support arrived must equal one serial recount, with no doubled history or mail.

`controleer(sinds=..., signaal_ids=...)` returns a list of problems (Dutch lines, empty when all
is well). It writes nothing: the serial recount runs inside a transaction that is rolled back.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from core.actors import TALLY
from notificaties.models import Bericht
from signalen.emails import DRAAGVLAK_MAIL
from signalen.models import Signaal, StatusWijziging, Steunbetuiging
from signalen.services.tally import signalen_tally

VELDEN = ("steun_huishoudens", "steun_anoniem", "steun_totaal", "status")
MAX_GEMELD = 20  # problems listed in full; the rest are counted


def geraakte_signalen(*, sinds: dt.datetime) -> list[int]:
    """The signals the run touched: new ones and those that got (or lost) support since `sinds`."""
    ids = set(Signaal.objects.filter(created_at__gte=sinds).values_list("pk", flat=True))
    ids |= set(Steunbetuiging.objects.filter(created_at__gte=sinds).values_list("signaal_id", flat=True))
    ids |= set(StatusWijziging.objects.filter(created_at__gte=sinds).values_list("signaal_id", flat=True))
    return sorted(ids)


def telwacht(*, sinds: dt.datetime, now: dt.datetime | None = None) -> dict:
    """How long support added since `sinds` waited for its signal's recount, from the tally's own
    stamp (`steun_berekend_at` after the signal's latest support); a signal not yet recounted
    waits until `now`."""
    now = now or timezone.now()
    wachten = []
    for r in (
        Steunbetuiging.objects.filter(created_at__gte=sinds)
        .values("signaal_id", "signaal__steun_berekend_at")
        .annotate(laatste=Max("created_at"))
    ):
        berekend = r["signaal__steun_berekend_at"]
        klaar = berekend if berekend is not None and berekend >= r["laatste"] else now
        wachten.append((klaar - r["laatste"]).total_seconds())
    wachten.sort()
    return {
        "signalen": len(wachten),
        "max_s": wachten[-1] if wachten else 0.0,
        "p50_s": wachten[len(wachten) // 2] if wachten else 0.0,
    }


def nog_te_tellen(*, signaal_ids: list[int]) -> int:
    return Signaal.objects.filter(pk__in=signaal_ids, steun_herberekenen=True).count()


def _historie(signaal_ids: list[int], sinds: dt.datetime) -> list[str]:
    problemen = []
    rijen = defaultdict(list)
    for sid, van, naar, created in (
        StatusWijziging.objects.filter(signaal_id__in=signaal_ids)
        .order_by("signaal_id", "created_at", "id")
        .values_list("signaal_id", "van", "naar", "created_at")
    ):
        rijen[sid].append((van, naar, created))
    status = dict(Signaal.objects.filter(pk__in=signaal_ids).values_list("pk", "status"))
    for sid, historie in rijen.items():
        for vorige, rij in zip(historie, historie[1:], strict=False):
            if rij[2] < sinds:
                continue
            if rij[:2] == vorige[:2]:
                problemen.append(f"signaal {sid}: dubbele historieregel {rij[0] or '–'} → {rij[1]}")
            elif rij[0] != vorige[1]:
                problemen.append(
                    f"signaal {sid}: historie springt van {vorige[1]} naar een regel vanaf {rij[0]}"
                )
        if historie and historie[-1][2] >= sinds and historie[-1][1] != status.get(sid):
            problemen.append(
                f"signaal {sid}: status {status.get(sid)}, "
                f"maar de laatste historieregel zegt {historie[-1][1]}"
            )
    return problemen


def _mail(signaal_ids: list[int], sinds: dt.datetime) -> list[str]:
    problemen = [
        f"{r['soort']} aan {r['ontvanger']} met sleutel {r['sleutel']}: {r['n']}×"
        for r in Bericht.objects.filter(created_at__gte=sinds)
        .values("ontvanger", "soort", "sleutel")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    ]
    # A crossing is announced once: a signal never appears in two draagvlak mails to one person.
    gezien = Counter()
    wanted = set(signaal_ids)
    for ontvanger, context in Bericht.objects.filter(created_at__gte=sinds, soort=DRAAGVLAK_MAIL).values_list(
        "ontvanger", "context"
    ):
        for sid in (context or {}).get("signaal_ids", []):
            if sid in wanted:
                gezien[(ontvanger, sid)] += 1
    problemen += [
        f"signaal {sid}: {n} draagvlakmails aan {ontvanger}"
        for (ontvanger, sid), n in gezien.items()
        if n > 1
    ]
    return problemen


def _hertelling(signaal_ids: list[int], now: dt.datetime) -> list[str]:
    """Recount the signals serially and compare; everything is rolled back."""
    problemen = []
    with transaction.atomic():
        voor = {r["pk"]: r for r in Signaal.objects.filter(pk__in=signaal_ids).values("pk", *VELDEN)}
        Signaal.objects.filter(pk__in=signaal_ids).update(steun_herberekenen=True)
        signalen_tally(door=TALLY, signaal_ids=signaal_ids, now=now)
        for r in Signaal.objects.filter(pk__in=signaal_ids).values("pk", *VELDEN):
            oud = voor[r["pk"]]
            verschil = [f"{v} {oud[v]} ≠ {r[v]}" for v in VELDEN if oud[v] != r[v]]
            if verschil:
                problemen.append(f"signaal {r['pk']}: na de seriële hertelling " + ", ".join(verschil))
        transaction.set_rollback(True)
    return problemen


def controleer(*, sinds: dt.datetime, signaal_ids: list[int] | None = None) -> list[str]:
    """Every problem found among the signals the run touched (or `signaal_ids`); [] when correct."""
    ids = geraakte_signalen(sinds=sinds) if signaal_ids is None else list(signaal_ids)
    problemen = []
    if open_ := nog_te_tellen(signaal_ids=ids):
        problemen.append(f"{open_} signalen wachten nog op hun telling")
    problemen += _historie(ids, sinds)
    problemen += _mail(ids, sinds)
    problemen += _hertelling(ids, timezone.now())
    return problemen


def samenvatting(problemen: list[str]) -> str:
    if not problemen:
        return "geen verschillen"
    meer = len(problemen) - MAX_GEMELD
    return "; ".join(problemen[:MAX_GEMELD]) + (f"; en nog {meer}" if meer > 0 else "")
