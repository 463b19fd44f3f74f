"""Fixtures of the acties tests (`team` and `coordinator` are in tests/conftest.py). One name, one meaning:

- `thema`: the theme "zwerfvuil" of the team's gemeente
- `trekker`: a partner of the team's gemeente that leads the actie; `betrokkene` a teamlid sitting
  for that partner
- `teamlid`: a teamlid sitting for another partner (not involved in the actie)
- `ander_team`: a team in another gemeente; `buitenstaander`: a coördinator there
- `signaal_met_draagvlak()`: a factory of signals of `team` in draagvlak bereikt
"""

import pytest

from buurten.models import Rol
from signalen.models import Status
from tests import factories as f
from tests.signalen.conftest import ELDERS


@pytest.fixture
def thema(team):
    return f.ThemaFactory(gemeente=team.gemeente, naam="zwerfvuil")


@pytest.fixture
def trekker(team):
    return f.PartnerFactory(gemeente=team.gemeente, naam="Woonpunt")


@pytest.fixture
def betrokkene(team, trekker):
    return f.LidmaatschapFactory(team=team, partner=trekker, rol=Rol.TEAMLID).user


@pytest.fixture
def teamlid(team):
    return f.LidmaatschapFactory(team=team, rol=Rol.TEAMLID, user__email="teamlid@example.nl").user


@pytest.fixture
def ander_team(db):
    gemeente = f.GemeenteFactory(code="GM0917", naam="Heerlen")
    buurt = f.BuurtFactory(
        wijk__gemeente=gemeente, geometrie=ELDERS, min_lon=5.60, min_lat=50.80, max_lon=5.62, max_lat=50.82
    )
    return f.TeamFactory(naam="Heerlerheide", gemeente=gemeente, buurten=[buurt])


@pytest.fixture
def buitenstaander(ander_team):
    return f.LidmaatschapFactory(team=ander_team, rol=Rol.COORDINATOR).user


@pytest.fixture
def signaal_met_draagvlak(team, thema):
    def make(**kwargs):
        kwargs.setdefault("status", Status.DRAAGVLAK_BEREIKT)
        return f.SignaalFactory(team=team, thema=thema, **kwargs)

    return make
