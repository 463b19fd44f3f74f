"""Fixtures of the signal tests. One name, one meaning:

- `team`: the team "Malberg" (one buurt, the model's tally settings: threshold 5, weight 0.5, 12 months)
- `thema`: the theme "zwerfvuil" of the team's gemeente
- `lidmaatschap`: a teamlid's seat (Lidmaatschap) in `team`; `teamlid` is that seat's User
- `coordinator`: the User with a coördinator seat in `team` (no TOTP: tests that need it activate it)
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
def team(db):
    return f.TeamFactory(naam="Malberg")


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
def coordinator(team):
    return f.LidmaatschapFactory(team=team, rol=Rol.COORDINATOR, user__email="coordinator@example.nl").user


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
