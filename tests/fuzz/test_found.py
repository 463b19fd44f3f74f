"""What the fuzz run found, pinned as ordinary tests: the Dutch message, the status, nothing written."""

from __future__ import annotations

import pytest

from buurten.models import Team

from .conftest import fuzz_client

pytestmark = pytest.mark.django_db

BEYOND = ["9223372036854775808", str(-(2**63) - 1), str(10**30)]


@pytest.mark.parametrize("pk", BEYOND)
@pytest.mark.parametrize("visitor", ["staff", "coordinator"])
def test_admin_many_to_many_refuses_an_id_beyond_the_integer_range(world, visitor, pk):
    # Was an OverflowError (500) on SQLite: Django's `__in` sends the id to the database.
    client = fuzz_client(world, visitor)
    before = set(world.team.buurten.values_list("pk", flat=True))
    response = client.post(
        f"/admin/buurten/team/{world.team.pk}/change/",
        {"naam": "Anders", "gemeente": world.team.gemeente_id, "buurten": [pk], "inzet-TOTAL_FORMS": "0"},
    )
    assert response.status_code == 200
    if visitor == "staff":  # the buurten are read-only for a coördinator
        assert f"‘{pk}’ is geen geldige waarde." in response.content.decode()
    team = Team.objects.get(pk=world.team.pk)
    assert team.naam == world.team.naam
    assert set(team.buurten.values_list("pk", flat=True)) == before
