"""Beside the load: watches the tally keep up and makes two workers tally the same signals.

Every second it reads which signals carry the `steun_herberekenen` mark and remembers when each
was first and last seen marked (the wait of a signal for its recount). Every `HAMER` seconds it
queues the full tally twice at once, so both Celery workers recount the same marked signals while
support arrives (issue #11 part 4). After the load it waits (at most `AFLOOP` s) until no mark
is left. Prints one JSON line.
"""

from __future__ import annotations

import json
import time

from signalen.models import Signaal
from signalen.tasks import tally_support

HAMER = 15.0
AFLOOP = 180.0


def run(*, seconds: float) -> dict:
    eerst: dict[int, float] = {}
    wacht: dict[int, float] = {}
    begin = time.monotonic()
    eind = begin + seconds
    volgende_hamer = begin + HAMER
    pieken = 0
    hamers = 0
    while True:
        nu = time.monotonic()
        gemarkeerd = set(Signaal.objects.filter(steun_herberekenen=True).values_list("pk", flat=True))
        pieken = max(pieken, len(gemarkeerd))
        for pk in gemarkeerd:
            eerst.setdefault(pk, nu)
        for pk in list(eerst):
            if pk not in gemarkeerd:
                wacht[pk] = max(wacht.get(pk, 0.0), nu - eerst.pop(pk))
        if nu < eind and nu >= volgende_hamer:
            tally_support.delay()
            tally_support.delay()
            hamers += 1
            volgende_hamer += HAMER
        if nu >= eind and (not gemarkeerd or nu >= eind + AFLOOP):
            break
        time.sleep(1.0)
    open_ = {pk: time.monotonic() - t for pk, t in eerst.items()}
    result = {
        "signalen": len(wacht) + len(open_),
        "max_wacht_s": max([*wacht.values(), *open_.values()], default=0.0),
        "nog_gemarkeerd": len(open_),
        "piek_gemarkeerd": pieken,
        "hamers": hamers,
        "afloop_s": max(0.0, time.monotonic() - eind),
    }
    print(json.dumps(result))
    return result
