"""Hypothesis profiles for the fuzz run, chosen with VBT_FUZZ_PROFILE (default "ci").

"ci" keeps the whole fuzz run under a minute per database run and is deterministic, so CI
never turns red by luck; "long" is for a local hunt (`VBT_FUZZ_PROFILE=long make test
PYTEST_ARGS="tests/fuzz"`) and draws new examples every run.
"""

import os

import pytest
from django.test import Client
from hypothesis import HealthCheck, settings

from tests import factories as f
from tests.buurten.teams_world import build_world

# The `world` and `client` fixtures are per test, not per example: each example rolls back
# its own writes (strategies.one_example), so sharing them between examples is intended.
_COMMON = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
settings.register_profile("ci", max_examples=3, derandomize=True, **_COMMON)
settings.register_profile("long", max_examples=50, **_COMMON)

FUZZ = settings.get_profile(os.environ.get("VBT_FUZZ_PROFILE", "ci"))
# The admin has twice as many patterns and slower pages: half the examples per pattern.
FUZZ_ADMIN = settings(FUZZ, max_examples=max(2, FUZZ.max_examples // 2))


@pytest.fixture(scope="module")
def world_once(module_transaction):
    """The two-team world, with a signal per team, a support, a walk and a photo id to aim at."""
    world = build_world()
    world.signaal = f.SignaalFactory(team=world.team, buurt=world.buurt)
    world.other_signaal = f.SignaalFactory(team=world.other_team, buurt=world.other_buurt)
    world.steun = f.SteunbetuigingFactory(signaal=world.signaal)
    world.wijkronde = f.WijkrondeFactory(team=world.team)
    world.foto_uuid = "00000000-0000-4000-8000-000000000000"
    return world


def fuzz_client(world, visitor: str) -> Client:
    """A client that answers a view's exception with the 500 page instead of raising it."""
    client = Client(raise_request_exception=False)
    if visitor != "anonymous":
        client.force_login(world.user(visitor))
    return client


def assert_no_server_error(response, method: str, path: str, data) -> None:
    assert response.status_code < 500, f"{method} {path!r} with {data!r} answered {response.status_code}"
