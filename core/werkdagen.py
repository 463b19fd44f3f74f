"""Working days in the Netherlands: no weekends, no Dutch public holidays (the `holidays` package)."""

import datetime as dt
from functools import lru_cache


@lru_cache(maxsize=32)
def _feestdagen(jaar: int) -> frozenset[dt.date]:
    # Imported here: the package holds every country's calendar (about 11 MB resident), and only
    # a forward and the follow-up job need it; every web and worker process would carry it otherwise.
    import holidays

    return frozenset(holidays.country_holidays("NL", years=jaar))


def is_werkdag(datum: dt.date) -> bool:
    """Monday to Friday and not a Dutch public holiday (Koningsdag, Hemelvaart, Kerst, ...)."""
    return datum.weekday() < 5 and datum not in _feestdagen(datum.year)


def werkdagen_erbij(datum: dt.date, n: int) -> dt.date:
    """The date `n` working days after `datum` (which itself does not count); n >= 0."""
    if n < 0:
        raise ValueError("n must be >= 0")
    while n:
        datum += dt.timedelta(days=1)
        if is_werkdag(datum):
            n -= 1
    return datum
