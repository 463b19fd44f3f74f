"""Item 9 of issue #10: every URL pattern, GET and POST with generated parameters, answers no 5xx.

Three kinds of visitor: anonymous, a teamlid and a coördinator with TOTP (the world of
tests/buurten/teams_world.py, plus a signal, a support, a walk and a photo). Each example runs
in its own savepoint, rolled back after it. The number of examples comes from the profile in
tests/fuzz/conftest.py (VBT_FUZZ_PROFILE).
"""

from __future__ import annotations

import pytest
from hypothesis import given

from .conftest import FUZZ, assert_no_server_error, fuzz_client
from .strategies import form_data, one_example
from .urls import field_names, path_for, site_patterns

pytestmark = pytest.mark.django_db

VISITORS = ["anonymous", "teamlid", "coordinator"]
FIELDS = field_names()
PATTERNS = site_patterns(admin=False)


def test_every_site_pattern_is_fuzzed():
    # A new page is fuzzed without anyone adding it here; this pins that the walk finds them.
    names = {p.name for p in PATTERNS}
    assert {"signalen:nieuw", "buurten:uitnodiging_accepteren", "account_login", "health"} <= names
    assert not any(p.route.startswith("admin/") for p in PATTERNS)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("pattern", PATTERNS, ids=str)
def test_get_and_post_answer_no_server_error(world, pattern, visitor):
    client = fuzz_client(world, visitor)

    @FUZZ
    @given(path=path_for(pattern, world), query=form_data(FIELDS), body=form_data(FIELDS))
    def run(path, query, body):
        with one_example():
            response = client.get(path, query)
            assert_no_server_error(response, "GET", path, query)
        with one_example():
            response = client.post(path, body)
            assert_no_server_error(response, "POST", path, body)

    run()
