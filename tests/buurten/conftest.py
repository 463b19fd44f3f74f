"""Fixtures of the team tests (`team`, `coordinator` and `world` are in tests/conftest.py)."""

import pytest

from buurten.models import PartnerType
from tests import factories as f


@pytest.fixture
def politie(team):
    """The police partner of `team`'s gemeente."""
    return f.PartnerFactory(gemeente=team.gemeente, naam="Politie Limburg", type=PartnerType.POLITIE)
