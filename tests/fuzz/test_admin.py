"""Item 9 of issue #10 in the admin: every admin URL pattern, GET and POST with generated
parameters, answers no 5xx to a coördinator with TOTP and to a superuser.

Anonymous visitors and teamleden are sent to the login page by the admin before any of its
code runs (pinned once below), so fuzzing them per pattern would only fuzz that redirect.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .conftest import FUZZ_ADMIN, assert_no_server_error, fuzz_client
from .strategies import form_data, hostile_text, huge_number, one_example
from .urls import admin_field_names, formset_field_names, path_for, site_patterns

pytestmark = pytest.mark.django_db

PATTERNS = site_patterns(admin=True)
FIELDS = admin_field_names()
FORMSET_FIELDS = formset_field_names()


def admin_body(world):
    """Generated fields, an action's selection (real ids, huge ones or garbage) and formset counts."""
    selection = st.lists(
        st.one_of(
            st.sampled_from([world.team.pk, world.signaal.pk, world.steun.pk, world.teamlid.pk]).map(str),
            huge_number,
            hostile_text,
        ),
        max_size=3,
    )
    counts = st.dictionaries(
        st.sampled_from(FORMSET_FIELDS), st.one_of(huge_number, hostile_text), max_size=3
    )
    return st.builds(
        lambda data, ids, formsets: {**data, **formsets, "_selected_action": ids},
        form_data(FIELDS),
        selection,
        counts,
    )


@pytest.mark.parametrize("visitor", ["anonymous", "teamlid"])
def test_anonymous_and_teamlid_are_sent_to_the_login_page(world, visitor):
    client = fuzz_client(world, visitor)
    for path in ("/admin/", "/admin/buurten/team/", f"/admin/buurten/team/{world.team.pk}/change/"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/login/" in response.url


@pytest.mark.parametrize("visitor", ["coordinator", "staff"])
@pytest.mark.parametrize("pattern", PATTERNS, ids=str)
def test_admin_get_and_post_answer_no_server_error(world, pattern, visitor):
    client = fuzz_client(world, visitor)

    @FUZZ_ADMIN
    @given(path=path_for(pattern, world), query=form_data(FIELDS), body=admin_body(world))
    def run(path, query, body):
        with one_example():
            response = client.get(path, query)
            assert_no_server_error(response, "GET", path, query)
        with one_example():
            response = client.post(path, body)
            assert_no_server_error(response, "POST", path, body)

    run()
