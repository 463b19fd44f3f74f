"""Which buurt holds a point: an in-memory shapely STRtree over every buurt's polygon.

The index is built once per process on the first lookup and then answers without a query.
It is rebuilt when its version changes: `buurt_index_invalidate()` bumps an in-process
counter (this process rebuilds on its next lookup) and a key in Django's cache (with Redis,
every other process sees it within `SHARED_CHECK_SECONDS`; the hot path reads the cache at
most that often, because a Redis round trip per lookup would cost more than the lookup).
The import service invalidates after it writes; saving or deleting a single `Buurt` (admin,
tests) invalidates through the model signals connected below, because a stale index would
silently put signals in the wrong buurt.

A lookup returns a `Buurt` holding only id, code, naam and wijk_id (the other fields are
deferred and load on access). The index keeps one such object per buurt and returns the same
object for every point in that buurt until the next rebuild: building a model instance per
call cost a third of the lookup time, and fetching the row would cost a query per point. So
treat the result as read-only (assigning it to a foreign key is fine; reload it before saving).
"""

import threading
import time
import uuid
from dataclasses import dataclass, field

import numpy as np
import shapely
from django.core.cache import cache
from django.db import router, transaction
from django.db.models.signals import post_delete, post_save
from shapely.geometry import shape

from buurten.models import Buurt

CACHE_KEY = "buurten:index-versie"
SHARED_CHECK_SECONDS = 1.0
_FIELDS = ["id", "code", "naam", "wijk_id"]


@dataclass
class _Index:
    local_version: int
    shared_version: str | None
    tree: shapely.STRtree
    rows: list[tuple[int, str, str, int]]
    ids: np.ndarray
    db: str
    checked_at: float = field(default_factory=time.monotonic)
    instances: dict[int, Buurt] = field(default_factory=dict)


_lock = threading.Lock()
_local_version = 0
_index: _Index | None = None


def buurt_index_invalidate() -> None:
    """Make the next lookup rebuild the index: in this process now, in every process after commit."""
    _bump_local()
    # Other processes only see committed rows: telling them earlier could let them rebuild
    # from the old rows and then keep that stale index.
    transaction.on_commit(_bump_shared)


def buurt_index_clear() -> None:
    """Forget the index in this process (tests: each test starts from a rolled-back database)."""
    global _index
    _index = None
    _bump_local()


def _bump_local() -> None:
    global _local_version
    _local_version += 1


def _bump_shared() -> None:
    _bump_local()
    cache.set(CACHE_KEY, uuid.uuid4().hex, timeout=None)


def _build() -> _Index:
    global _index
    with _lock:
        shared_version = cache.get(CACHE_KEY)
        index = _index
        if (
            index is not None
            and index.local_version == _local_version
            and index.shared_version == shared_version
        ):
            return index  # another thread built it while this one waited
        local_version = _local_version
        rows: list[tuple[int, str, str, int]] = []
        geometries = []
        rijen = (
            Buurt.objects.filter(geometrie__isnull=False)
            .order_by("id")
            .values_list("id", "code", "naam", "wijk_id", "geometrie")
        )
        for pk, code, naam, wijk_id, geometrie in rijen:
            try:
                geom = shape(geometrie)
            except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.ShapelyError):
                continue  # the importer never stores such a geometry; an admin edit might
            if geom.is_empty:
                continue
            rows.append((pk, code, naam, wijk_id))
            geometries.append(geom)
        geoms = np.array(geometries, dtype=object)
        shapely.prepare(geoms)
        _index = _Index(
            local_version=local_version,
            shared_version=shared_version,
            tree=shapely.STRtree(geoms),
            rows=rows,
            ids=np.array([r[0] for r in rows], dtype=np.int64),
            db=router.db_for_read(Buurt),
        )
        return _index


def _current() -> _Index:
    index = _index
    if index is not None and index.local_version == _local_version:
        now = time.monotonic()
        if now - index.checked_at < SHARED_CHECK_SECONDS:
            return index
        if cache.get(CACHE_KEY) == index.shared_version:
            index.checked_at = now
            return index
    return _build()


def buurt_for_point(*, lat: float, lon: float) -> Buurt | None:
    """The buurt whose polygon contains (or touches) the point (WGS84), or None outside every buurt."""
    index = _current()
    hits = index.tree.query(shapely.Point(lon, lat), predicate="intersects")
    if not len(hits):
        return None
    # On a shared border both buurten touch the point; the lowest position is a stable choice.
    position = int(hits.min())
    buurt = index.instances.get(position)
    if buurt is None:
        buurt = index.instances[position] = Buurt.from_db(index.db, _FIELDS, index.rows[position])
    return buurt


def buurt_ids_for_points(*, lats, lons) -> list[int | None]:
    """Vectorised lookup: the id of the buurt holding each (lat, lon), None where there is none."""
    index = _current()
    points = shapely.points(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
    found = np.full(len(points), -1, dtype=np.int64)
    if len(index.rows):
        point_pos, tree_pos = index.tree.query(points, predicate="intersects")
        # Reversed assignment: for a point on a border the lowest tree position wins, as above.
        order = np.argsort(tree_pos)[::-1]
        found[point_pos[order]] = index.ids[tree_pos[order]]
    return [int(i) if i >= 0 else None for i in found]


def _invalidate_on_change(sender, **kwargs) -> None:
    buurt_index_invalidate()


post_save.connect(_invalidate_on_change, sender=Buurt, dispatch_uid="buurten.gebieden.index.save")
post_delete.connect(_invalidate_on_change, sender=Buurt, dispatch_uid="buurten.gebieden.index.delete")
