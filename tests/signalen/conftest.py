"""Fixtures of the signal tests (`team` and `coordinator` are in tests/conftest.py). One name, one meaning:

- `thema`: the theme "zwerfvuil" of the team's gemeente
- `lidmaatschap`: a teamlid's seat (Lidmaatschap) in `team`; `teamlid` is that seat's User
- `ander_team`: a team in another gemeente, far away; `buitenstaander`: a User with a seat there
- `teamlid_client`: the test client, logged in as `teamlid`
"""

import pytest

from buurten.models import Rol
from tests import factories as f

# A buurt far away from the factories' SQUARE, for another team.
ELDERS = {
    "type": "Polygon",
    "coordinates": [[[5.60, 50.80], [5.62, 50.80], [5.62, 50.82], [5.60, 50.82], [5.60, 50.80]]],
}


@pytest.fixture
def thema(team):
    return f.ThemaFactory(gemeente=team.gemeente, naam="zwerfvuil")


@pytest.fixture
def lidmaatschap(team):
    return f.LidmaatschapFactory(team=team, rol=Rol.TEAMLID, user__email="teamlid@example.nl")


@pytest.fixture
def teamlid(lidmaatschap):
    return lidmaatschap.user


@pytest.fixture
def ander_team(db):
    gemeente = f.GemeenteFactory(code="GM0917", naam="Heerlen")
    buurt = f.BuurtFactory(
        wijk__gemeente=gemeente, geometrie=ELDERS, min_lon=5.60, min_lat=50.80, max_lon=5.62, max_lat=50.82
    )
    return f.TeamFactory(naam="Heerlerheide", gemeente=gemeente, buurten=[buurt])


@pytest.fixture
def buitenstaander(ander_team):
    return f.LidmaatschapFactory(team=ander_team).user


@pytest.fixture
def teamlid_client(client, teamlid):
    client.force_login(teamlid)
    return client
