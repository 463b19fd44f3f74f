"""locust users of the load run: team staff and the public, from the plan (bench/load/plan.py).

Needs no Django: the plan (JSON, path in VBT_LOAD_PLAN) holds every path and the staff's session
keys. Each request is named by its type (`staff: lijst`, `publiek: buurtpagina`, ...), so the stats
are per type; `basis: triviale view` is the baseline under the same load.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import re
import uuid

import gevent
from locust import HttpUser, between, task

# Which page a simulated person opens next: load, not a secret.
KIES = random.Random()  # noqa: S311

PLAN = json.loads(open(os.environ["VBT_LOAD_PLAN"]).read()) if os.environ.get("VBT_LOAD_PLAN") else {}  # noqa: SIM115
HIDDEN = re.compile(r'<input[^>]*type="hidden"[^>]*>')
NAME = re.compile(r'name="([^"]+)"')
VALUE = re.compile(r'value="([^"]*)"')
_ids = itertools.count(1)


def _ip(n: int) -> str:
    # One client address per simulated person (the run trusts one proxy, as behind a TLS proxy),
    # so the per-client rate limits see 1,200 people, not one.
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


class _Basis(HttpUser):
    abstract = True

    def on_start(self) -> None:
        self.n = next(_ids)
        self.client.headers["X-Forwarded-For"] = _ip(self.n)

    def _hidden(self, html: str) -> dict:
        velden = {}
        for tag in HIDDEN.findall(html or ""):
            naam, waarde = NAME.search(tag), VALUE.search(tag)
            if naam and naam.group(1) not in velden:
                velden[naam.group(1)] = waarde.group(1) if waarde else ""
        return velden

    def _post(self, pagina: str, doel: str, data: dict, naam: str, *, invullen: float = 0) -> None:
        """GET the form (CSRF token, hidden fields), fill it in, POST it; 200 or a redirect is success."""
        r = self.client.get(pagina, name=f"{naam} (formulier)")
        verborgen = self._hidden(r.text)
        if "csrfmiddlewaretoken" not in verborgen:
            return
        if invullen:
            gevent.sleep(invullen)
        with self.client.post(
            doel,
            data={**verborgen, **data},
            headers={"Referer": self.host + pagina},
            name=naam,
            allow_redirects=False,
            catch_response=True,
        ) as resp:
            # A form with errors comes back as a page (200 or 400) with aria-invalid fields.
            if resp.status_code in (302, 303) or (
                resp.status_code == 200 and 'aria-invalid="true"' not in resp.text
            ):
                resp.success()
            else:
                resp.failure(
                    f"HTTP {resp.status_code}" + (" formulierfout" if "aria-invalid" in resp.text else "")
                )

    @task(1)
    def basis(self) -> None:
        self.client.get(PLAN.get("leeg", "/bench/leeg/"), name="basis: triviale view")


class Staff(_Basis):
    """A teamlid at work: list, map data, detail, logging a signal, support, an actie update."""

    weight = 200
    wait_time = between(3, 8)

    def on_start(self) -> None:
        super().on_start()
        mensen = PLAN.get("staff") or [{}]
        mij = mensen[self.n % len(mensen)]
        self.team = PLAN.get("teams", {}).get(str(mij.get("team")), {})
        if mij.get("sessie"):
            self.client.cookies.set(PLAN["cookie"], mij["sessie"])

    @task(6)
    def lijst(self) -> None:
        if self.team.get("lijst"):
            self.client.get(self.team["lijst"], name="staff: signalenlijst")

    @task(3)
    def kaart(self) -> None:
        if self.team.get("kaart"):
            self.client.get(self.team["kaart"], name="staff: kaartdata")

    @task(6)
    def detail(self) -> None:
        if self.team.get("signalen"):
            self.client.get(KIES.choice(self.team["signalen"]), name="staff: signaaldetail")

    @task(1)
    def loggen(self) -> None:
        if not self.team.get("nieuw") or not self.team.get("thema"):
            return
        lon, lat = self.team["punt"]
        self._post(
            self.team["nieuw"],
            self.team["nieuw"],
            {
                "titel": f"Belasting {uuid.uuid4().hex[:8]}",
                "omschrijving": "Gemeld tijdens de belastingtest.",
                "thema": self.team["thema"],
                "kanaal": "straatgesprek",
                "locatie": json.dumps({"type": "Point", "coordinates": [lon, lat]}),
                "toch_nieuw": "on",
            },
            "staff: signaal loggen",
        )

    @task(3)
    def steun(self) -> None:
        if not self.team.get("signalen"):
            return
        pagina = KIES.choice(self.team["signalen"])
        p = PLAN.get("steun_prefix", "")
        self._post(
            pagina,
            pagina + "steun/",
            {
                f"{p}kanaal": "huisbezoek",
                f"{p}datum": dt.date.today().isoformat(),  # noqa: DTZ011 - the server's local day
                f"{p}postcode": f"{KIES.randint(1000, 9999)} {KIES.choice('ABCDEFGHJK')}{KIES.choice('LMNPRSTVWX')}",  # noqa: E501
                f"{p}huisnummer": str(KIES.randint(1, 999)),
            },
            "staff: steun toevoegen",
        )

    @task(1)
    def actie_update(self) -> None:
        if not self.team.get("acties"):
            return
        pagina = KIES.choice(self.team["acties"])
        self._post(
            pagina,
            pagina + "updates/",
            {"tekst": "Voortgang uit de belastingtest.", "datum": dt.date.today().isoformat()},  # noqa: DTZ011
            "staff: actie-update",
        )


class Publiek(_Basis):
    """A resident: buurt pages, actie pages, feeds, now and then starting online support."""

    weight = 1000
    wait_time = between(5, 15)

    @task(6)
    def buurt(self) -> None:
        if PLAN.get("publiek", {}).get("buurten"):
            self.client.get(KIES.choice(PLAN["publiek"]["buurten"]), name="publiek: buurtpagina")

    @task(4)
    def actie(self) -> None:
        if PLAN.get("publiek", {}).get("acties"):
            self.client.get(KIES.choice(PLAN["publiek"]["acties"]), name="publiek: actiepagina")

    @task(2)
    def feed(self) -> None:
        if PLAN.get("publiek", {}).get("feeds"):
            self.client.get(KIES.choice(PLAN["publiek"]["feeds"]), name="publiek: feed")

    @task(1)
    def steunen(self) -> None:
        if not PLAN.get("publiek", {}).get("steunen"):
            return
        pagina = KIES.choice(PLAN["publiek"]["steunen"])
        self._post(
            pagina,
            pagina,
            {
                "postcode": f"{KIES.randint(1000, 9999)} AB",
                "huisnummer": str(KIES.randint(1, 999)),
                "email": f"bewoner{uuid.uuid4().hex[:12]}@belasting.example",
            },
            "publiek: online steun starten",
            invullen=3.0,  # a person types; the form refuses posts quicker than 2 s
        )
