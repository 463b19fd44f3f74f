"""Working days: weekends and Dutch public holidays do not count."""

import datetime as dt

import pytest

from core.werkdagen import is_werkdag, werkdagen_erbij

D = dt.date


@pytest.mark.parametrize(
    ("start", "n", "verwacht"),
    [
        (D(2026, 11, 30), 0, D(2026, 11, 30)),  # nothing added
        (D(2026, 11, 30), 1, D(2026, 12, 1)),  # Monday → Tuesday
        (D(2026, 11, 27), 1, D(2026, 11, 30)),  # Friday → Monday: the weekend is skipped
        (D(2026, 11, 28), 1, D(2026, 11, 30)),  # from a Saturday
        (D(2026, 11, 30), 10, D(2026, 12, 14)),  # two plain weeks
        # Koningsdag: Monday 27 April 2026.
        (D(2026, 4, 24), 1, D(2026, 4, 28)),
        (D(2026, 4, 24), 10, D(2026, 5, 11)),
        # Hemelvaartsdag: Thursday 14 May 2026.
        (D(2026, 5, 13), 1, D(2026, 5, 15)),
        # Pinksteren: Monday 25 May 2026.
        (D(2026, 5, 22), 1, D(2026, 5, 26)),
        # Kerst: Friday 25 and Saturday 26 December 2026, then New Year's Day 2027 (a Friday).
        (D(2026, 12, 23), 3, D(2026, 12, 29)),
        (D(2026, 12, 24), 6, D(2027, 1, 5)),
        # Goede Vrijdag and Paasmaandag 2026 (3 and 6 April): Good Friday is in the package's list.
        (D(2026, 4, 2), 1, D(2026, 4, 7)),
    ],
)
def test_working_days_skip_weekends_and_dutch_public_holidays(start, n, verwacht):
    assert werkdagen_erbij(start, n) == verwacht


def test_holidays_and_weekends_are_not_working_days():
    assert not is_werkdag(D(2026, 4, 27))  # Koningsdag
    assert not is_werkdag(D(2026, 5, 14))  # Hemelvaart
    assert not is_werkdag(D(2026, 12, 25))  # Eerste Kerstdag
    assert not is_werkdag(D(2026, 11, 29))  # a Sunday
    assert is_werkdag(D(2026, 11, 30))


def test_a_negative_number_is_refused():
    with pytest.raises(ValueError):
        werkdagen_erbij(D(2026, 11, 30), -1)
