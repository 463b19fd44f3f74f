"""Fixtures of the public forms. One name, one meaning:

- `team` (tests/conftest.py): "Malberg", one buurt (the factories' SQUARE); `buurt` is that buurt
- `thema`: "zwerfvuil" of the team's gemeente
- `signaal`: a public signal of the team gathering support (status draagvlak gezocht)
"""

import time
from urllib.parse import urlparse

import pytest

from notificaties.models import Bericht
from publiek.forms import gestart_token
from signalen.models import Status
from tests import factories as f


@pytest.fixture
def buurt(team):
    return team.buurten.get()


@pytest.fixture
def thema(team):
    return f.ThemaFactory(gemeente=team.gemeente, naam="zwerfvuil")


@pytest.fixture
def signaal(team, thema):
    return f.SignaalFactory(
        team=team, thema=thema, titel="Meer groen op het plein", status=Status.DRAAGVLAK_GEZOCHT
    )


def link_path(soort: str) -> str:
    """The path of the link in the latest mail of this kind (read from the outbox row)."""
    return urlparse(Bericht.objects.filter(soort=soort).latest("pk").context["link"]).path


def ingevuld_gestart() -> str:
    """A fill-time stamp of a form opened a minute ago (a person's pace)."""
    return gestart_token(time.time() - 60)
