"""Version keys for cached pages and map data (the Redis backend itself: core.rediscache).

Kept apart from the backend so that the services bumping a version do not import the redis
client (and what it pulls in) into every process at start-up.
"""


# Version keys: a cached page keys itself on the version of what it shows; a change bumps the
# version after commit, so every cached copy is stale at once without knowing their keys.
# Lower apps (signalen, acties) bump `buurt_version_key(buurt_id)` whenever something that a
# public buurt page shows changes; `publiek` reads it.
def buurt_version_key(buurt_id: int) -> str:
    return f"vbt:versie:buurt:{buurt_id}"


def cache_version(key: str) -> int:
    """The current version under `key` (1 when none was set)."""
    from django.core.cache import cache

    return cache.get_or_set(key, 1, timeout=None) or 1


def cache_version_bump(*keys: str) -> None:
    """Bump each version after the surrounding transaction commits (at once outside one)."""
    from django.core.cache import cache
    from django.db import transaction

    def bump() -> None:
        for key in set(keys):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 2, timeout=None)

    transaction.on_commit(bump)


def buurten_changed(*buurt_ids: int | None) -> None:
    """Something public in these buurten changed: their cached public pages are stale."""
    cache_version_bump(*(buurt_version_key(b) for b in buurt_ids if b))


# The team's signal map data (`signalen:kaart_punten`) keys itself on this version; signalen's
# services bump it after commit when a signal of the team is logged, moves status or is deleted.
def team_signalen_key(team_id: int) -> str:
    return f"vbt:versie:team-signalen:{team_id}"


def cache_versions(keys: list[str]) -> dict[str, int]:
    """The current version of each key in one round trip (1 for a key never bumped)."""
    from django.core.cache import cache

    found = cache.get_many(keys)
    return {key: found.get(key) or 1 for key in keys}


def team_signalen_changed(*team_ids: int | None) -> None:
    """Signals of these teams changed (new, status, deleted): their cached map data is stale."""
    cache_version_bump(*(team_signalen_key(t) for t in team_ids if t))


# Which buurten have a public page and under which name (teams, their buurten and slugs, buurt
# names): the public page cache resolves an address to its buurten once and keeps the answer
# under this version.
BUURTEN_INDEX_KEY = "vbt:versie:buurten-index"


def buurten_index_changed() -> None:
    """Teams, their buurten or slugs, or buurt names changed: public addresses are resolved anew."""
    cache_version_bump(BUURTEN_INDEX_KEY)
