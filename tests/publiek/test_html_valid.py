"""The HTML of every public page passes the Nu HTML Checker (vnu-jar; skips without Java or the jar)."""

import pytest

from tests.a11y import assert_html_valid, vnu_missing_reason

from .pages import build_world, public_pages

pytestmark = pytest.mark.django_db


def test_every_public_page_is_valid_html(client):
    if reden := vnu_missing_reason():
        pytest.skip(reden)
    pages = public_pages(client, build_world())
    assert {"start", "buurtpagina", "actie", "steunen", "wens", "toegankelijkheid", "privacy"} <= set(pages)
    assert_html_valid(pages)
