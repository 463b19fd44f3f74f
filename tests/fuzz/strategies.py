"""What the fuzz tests send: hostile text, huge numbers, nested JSON, empty values and lists.

Known classes of bad input that other branches of issue #10 fix are left out here, each with the
branch that fixes it; drop the exclusion when that branch has landed.
"""

from __future__ import annotations

import json
from contextlib import contextmanager

from django.db import transaction
from hypothesis import strategies as st

# Text as people (and attackers) type it: any unicode, NUL bytes, markup, SQL-ish and very long.
hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.sampled_from(
        [
            "\x00",
            "a\x00b",
            "<script>alert(1)</script>",
            "'; DROP TABLE x; --",
            "../../etc/passwd",
            "%00",
            "\ud7ff\ufffe",
            "🏠" * 50,
            "x" * 5000,
            " ",
            "\r\n",
        ]
    ),
)

huge_number = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40),
    st.sampled_from([2**31, 2**31 - 1, 2**63, -(2**63) - 1, 10**100]),
).map(str)

odd_number = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["1e309", "-0", "0,5", "1.5", "NaN", "Infinity", "0x10", "١٢"]),
)

# Nested JSON and GeoJSON-looking strings, and arrays nested far beyond any real shape (the
# GeoJSON fields refuse those before parsing: core.geojson's depth, size and point limits).
_json_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8)
)
_json = st.recursive(
    _json_leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
_coordinate = st.lists(st.one_of(st.floats(allow_nan=False), st.integers(), st.text(max_size=3)), max_size=3)
_geojson = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["Point", "Polygon", "MultiPolygon", "LineString", "Feature", "x"]),
        "coordinates": st.one_of(
            _coordinate,
            st.lists(_coordinate, max_size=5),
            st.lists(st.lists(_coordinate, max_size=5), max_size=3),
            _json,
        ),
    }
)
_deep = st.builds(
    lambda depth, inner: '{"type": "Polygon", "coordinates": ' + "[" * depth + inner + "]" * depth + "}",
    st.integers(min_value=5, max_value=100_000),
    st.sampled_from(["", "5.69, 50.85", "[5.69, 50.85]"]),
)
json_text = st.one_of(
    _json.map(json.dumps),
    _geojson.map(json.dumps),
    _deep,
    st.integers(min_value=1, max_value=100_000).map(lambda n: "[" * n),
    st.sampled_from(["{", "[[[", "null"]),
)

value = st.one_of(hostile_text, huge_number, odd_number, json_text, st.just(""))
# A field sent once, or several times (a list), or not at all.
values = st.one_of(value, st.lists(value, min_size=2, max_size=3))


def form_data(field_names: list[str]):
    """A dict of known field names (and a few unknown ones) to generated values."""
    known = st.dictionaries(st.sampled_from(field_names), values, max_size=len(field_names))
    unknown = st.dictionaries(st.text(min_size=1, max_size=10), values, max_size=2)
    return st.builds(lambda a, b: {**b, **a}, known, unknown)


@contextmanager
def one_example():
    """Every example's writes are rolled back, so examples do not change each other's world.

    A view that broke the transaction (PostgreSQL) is rolled back with it.
    """
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
