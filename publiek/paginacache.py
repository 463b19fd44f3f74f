"""The public pages' cache: a rendered page under a key that holds the version of every buurt it shows.

A change to something public in a buurt bumps that buurt's version after commit
(`core.cache.buurten_changed`), so every cached copy of its pages is stale at once: a page made
confidential or a declined signal is never served from an older copy. Only anonymous GETs are
cached: a logged-in person gets a fresh page (and `no-store` from the security middleware), and
a visitor with a pending message (e.g. "uitgelogd") too, so no message ends up in a copy. The
public templates hold no CSRF token and touch no session, so a copy sets no cookie.

Browsers revalidate (`no-cache` with an ETag of the key): a visitor never keeps an old copy.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from core.cache import buurt_version_key

TIMEOUT = 60 * 60 * 24  # a day: versions make older copies unreachable long before that


def _versions(buurt_ids: Iterable[int]) -> str:
    ids = sorted(set(buurt_ids))
    if not ids:
        return "-"
    keys = [buurt_version_key(i) for i in ids]
    found = cache.get_many(keys)
    # A missing version is 1, as core.cache.cache_version reads it (its first bump makes it 2).
    return ".".join(f"{i}v{found.get(k, 1)}" for i, k in zip(ids, keys, strict=True))


def cacheable(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and len(get_messages(request)) == 0
    )


def cached_page(
    request: HttpRequest, *, naam: str, buurt_ids: Iterable[int], render: Callable[[], HttpResponse]
) -> HttpResponse:
    """`render()`'s response, from the cache for an anonymous GET when the buurten are unchanged."""
    if not cacheable(request):
        return render()
    versie = _versions(buurt_ids)
    key = f"publiek:pagina:{naam}:{get_language()}:{versie}"
    etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
    if etag in request.headers.get("If-None-Match", ""):
        response: HttpResponse = HttpResponseNotModified()
    else:
        stored = cache.get(key)
        if stored is not None:
            content, content_type = stored
            response = HttpResponse(content, content_type=content_type)
        else:
            response = render()
            if response.status_code == 200 and not response.cookies:
                cache.set(key, (response.content, response["Content-Type"]), TIMEOUT)
    if response.status_code in (200, 304):
        response["ETag"] = etag
        response["Cache-Control"] = "public, no-cache"
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response
