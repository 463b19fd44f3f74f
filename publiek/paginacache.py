"""The public pages' cache: a rendered page under its address, valid while the buurten it shows are unchanged.

A change to something public in a buurt bumps that buurt's version after commit
(`core.cache.buurten_changed`), so every cached copy of its pages is stale at once: a page made
confidential or a declined signal is never served from an older copy. Which buurten an address
shows (a slug, the home page's list) is kept with the copy under the version of the buurten index
(`core.cache.buurten_index_changed`: teams, their buurten and slugs, buurt names).

A cache hit costs one small cache round trip and no query: `cache_hit` reads the copy's entry
(its versions, buurten and ETag), the index version and the versions of the buurten this process
last saw under that address in one `get_many` (a second one only when another process stored the
copy for other buurten); the body comes from this process's memory by ETag, else from the cache.
The view resolves the address in the database only on a miss.

Only anonymous GETs are cached: a logged-in person gets a fresh page (and `no-store` from the
security middleware), and a visitor with a pending message (e.g. "uitgelogd") too, so no message
ends up in a copy. A request without a session or messages cookie is anonymous without loading
the session. The public templates hold no CSRF token and touch no session, so a copy sets no cookie.

Browsers revalidate (`no-cache` with an ETag of the versions): a visitor never keeps an old copy.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from core.cache import BUURTEN_INDEX_KEY, buurt_version_key

_VEILIG = re.compile(r"[\w:.-]{1,120}", re.ASCII)
TIMEOUT = 60 * 60 * 24  # a day: versions make older copies unreachable long before that

# Per process: the buurten each cached address showed last, so a hit reads their versions in the
# same round trip as the copy. Bounded by the number of public pages.
_ids_seen: dict[str, tuple[int, ...]] = {}

# Per process: the newest page bodies by ETag. The ETag is a hash of the address and the versions,
# checked against the shared cache on every request, so a body found here is never stale; it saves
# moving ~80 kB out of Redis per hit. A few MB per process at most.
LOKAAL_MAX = 64
_lokaal: OrderedDict[str, bytes] = OrderedDict()
_lokaal_lock = threading.Lock()


def _lokaal_get(etag: str) -> bytes | None:
    with _lokaal_lock:
        body = _lokaal.get(etag)
        if body is not None:
            _lokaal.move_to_end(etag)
        return body


def _lokaal_put(etag: str, body: bytes) -> None:
    with _lokaal_lock:
        _lokaal[etag] = body
        _lokaal.move_to_end(etag)
        while len(_lokaal) > LOKAAL_MAX:
            _lokaal.popitem(last=False)


def _body_key(etag: str) -> str:
    return f"publiek:body:{etag.strip(chr(34))}"


def _key(naam: str, request: HttpRequest) -> str:
    if not _VEILIG.fullmatch(naam):  # a slug as typed in the address: any length and characters
        naam = hashlib.sha256(naam.encode()).hexdigest()
    # The feed's links are absolute, from the request's scheme and host: a copy is kept per site
    # address (one of ALLOWED_HOSTS, so a bounded number), never served to another one.
    site = hashlib.sha256(f"{request.scheme}://{request.get_host()}".encode()).hexdigest()[:16]
    return f"publiek:kopie:{naam}:{get_language()}:{site}"


def _versie(found: dict, ids: Iterable[int]) -> str:
    # A missing version is 1, as core.cache.cache_version reads it (its first bump makes it 2).
    delen = [f"i{found.get(BUURTEN_INDEX_KEY, 1)}"]
    delen += [f"{i}v{found.get(buurt_version_key(i), 1)}" for i in ids]
    return ".".join(delen)


def cacheable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME not in cookies and CookieStorage.cookie_name not in cookies:
        return True  # no session and no message: anonymous, without loading either
    return not request.user.is_authenticated and len(get_messages(request)) == 0


def _respond(request: HttpRequest, *, etag: str, content: bytes | None, content_type: str) -> HttpResponse:
    if etag in request.headers.get("If-None-Match", ""):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(content, content_type=content_type)
    _headers(response, etag)
    return response


def _headers(response: HttpResponse, etag: str | None) -> None:
    if etag and response.status_code in (200, 304):
        response["ETag"] = etag
        response["Cache-Control"] = "public, no-cache"
    patch_vary_headers(response, ["Cookie", "Accept-Language"])


def cache_hit(request: HttpRequest, *, naam: str) -> HttpResponse | None:
    """The cached copy of the page at `naam` when it is still current, else None (no query)."""
    if not cacheable(request):
        return None
    key = _key(naam, request)
    ids = _ids_seen.get(key, ())
    found = cache.get_many([key, BUURTEN_INDEX_KEY, *(buurt_version_key(i) for i in ids)])
    entry = found.get(key)
    if entry is None:
        return None
    versie, entry_ids, etag, content_type = entry
    if tuple(entry_ids) != ids:
        ids = _ids_seen[key] = tuple(entry_ids)
        found.update(cache.get_many([buurt_version_key(i) for i in ids]))
    if _versie(found, ids) != versie:
        return None
    if etag in request.headers.get("If-None-Match", ""):
        return _respond(request, etag=etag, content=None, content_type=content_type)
    content = _lokaal_get(etag)
    if content is None:
        content = cache.get(_body_key(etag))
        if content is None:
            return None
        _lokaal_put(etag, content)
    return _respond(request, etag=etag, content=content, content_type=content_type)


def cached_page(
    request: HttpRequest, *, naam: str, buurt_ids: Iterable[int], render: Callable[[], HttpResponse]
) -> HttpResponse:
    """After a miss of `cache_hit`: `render()`'s response, kept for anonymous GETs under `naam` with
    the versions of the index and of `buurt_ids` (read before rendering: a change during the render
    makes the copy stale)."""
    if not cacheable(request):
        return render()
    key = _key(naam, request)
    ids = tuple(sorted(set(buurt_ids)))
    found = cache.get_many([BUURTEN_INDEX_KEY, *(buurt_version_key(i) for i in ids)])
    versie = _versie(found, ids)
    etag = '"' + hashlib.sha256(f"{key}:{versie}".encode()).hexdigest()[:32] + '"'
    if etag in request.headers.get("If-None-Match", ""):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = render()
        # A page that used the visitor's CSRF token (or set any cookie) is theirs alone: the
        # token's cookie is only added after this, by CsrfViewMiddleware, so ask the request.
        if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            patch_vary_headers(response, ["Cookie", "Accept-Language"])
            return response
        if response.status_code == 200:
            # The body under its ETag, the small entry under the address: a hit reads the entry and
            # the versions in one round trip, and the body from this process when it has it.
            cache.set_many(
                {
                    _body_key(etag): response.content,
                    key: (versie, ids, etag, response["Content-Type"]),
                },
                TIMEOUT,
            )
            _ids_seen[key] = ids
            _lokaal_put(etag, response.content)
    _headers(response, etag if response.status_code in (200, 304) else None)
    return response
