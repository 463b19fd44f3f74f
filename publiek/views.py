"""The public pages: the buurten with a team, one buurt, one actie, the buurt's feed and update photos.

Every read goes through `publiek.selectors` (what is never public is left out there). Pages for
anonymous visitors come from `publiek.paginacache`, keyed on the versions of the buurten they show.
"""

from __future__ import annotations

import mimetypes

from django.contrib.syndication.views import Feed
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from buurten.views.teams import home as team_home
from buurten.widgets import kaart_config

from . import selectors
from .paginacache import cache_hit, cached_page


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """A member keeps the team home page; a visitor sees the buurten with a team on a map and a list."""
    if hit := cache_hit(request, naam="home"):
        return hit
    if request.user.is_authenticated:
        return team_home(request)
    ids = selectors.buurt_ids_met_team()

    def build() -> HttpResponse:
        regels = selectors.buurt_list_publiek()
        return render(
            request,
            "publiek/home.html",
            {
                "regels": regels,
                "kaart_geojson": selectors.buurten_geojson(regels),
                "kaart_config": kaart_config(),
            },
        )

    return cached_page(request, naam="home", buurt_ids=ids, render=build)


@require_safe
def buurt(request: HttpRequest, slug: str) -> HttpResponse:
    if hit := cache_hit(request, naam=f"buurt:{slug}"):
        return hit
    gevonden = selectors.buurt_find(slug=slug)
    if gevonden.redirect:
        return HttpResponsePermanentRedirect(reverse("publiek:buurt", args=[gevonden.slug]))

    def build() -> HttpResponse:
        pagina = selectors.buurt_pagina(buurt_id=gevonden.buurt_id, slug=gevonden.slug)
        return render(
            request,
            "publiek/buurt.html",
            {"pagina": pagina, "buurt": pagina.buurt, "kaart_config": kaart_config()},
        )

    return cached_page(request, naam=f"buurt:{slug}", buurt_ids=[gevonden.buurt_id], render=build)


@require_safe
def actie(request: HttpRequest, actie_id: int) -> HttpResponse:
    if hit := cache_hit(request, naam=f"actie:{actie_id}"):
        return hit
    buurt_id = selectors.actie_buurt_id(actie_id=actie_id)

    def build() -> HttpResponse:
        return render(request, "publiek/actie.html", {"pagina": selectors.actie_pagina(actie_id=actie_id)})

    return cached_page(request, naam=f"actie:{actie_id}", buurt_ids=[buurt_id], render=build)


@require_safe
def update_foto(request: HttpRequest, update_id: int) -> FileResponse:
    """The photo of a public progress update (cleaned of EXIF when it was stored); nothing else."""
    update = selectors.update_foto(update_id=update_id)
    try:
        handle = update.foto.open("rb")
    except OSError as exc:
        raise Http404("foto") from exc
    content_type = mimetypes.guess_type(update.foto.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response


class BuurtFeed(Feed):
    """Atom: the buurt's public progress updates and status changes, newest first."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, buurt_id: int, slug: str) -> dict:
        return {"id": buurt_id, "slug": slug, "naam": selectors.buurt_naam(buurt_id=buurt_id)}

    def title(self, obj: dict) -> str:
        return _("Buurt %(naam)s: wat we doen") % {"naam": obj["naam"]}

    def link(self, obj: dict) -> str:
        return reverse("publiek:buurt", args=[obj["slug"]])

    def subtitle(self, obj: dict) -> str:
        return _("Voortgang van acties en wat er met signalen uit de buurt gebeurde.")

    def items(self, obj: dict) -> list[selectors.FeedItem]:
        self._slug = obj["slug"]
        return selectors.feed_items(buurt_id=obj["id"])

    def item_title(self, item: selectors.FeedItem) -> str:
        return item.titel

    def item_description(self, item: selectors.FeedItem) -> str:
        return item.tekst

    def item_link(self, item: selectors.FeedItem) -> str:
        if item.actie_id:
            return reverse("publiek:actie", args=[item.actie_id])
        return reverse("publiek:buurt", args=[self._slug]) + f"#signaal-{item.signaal_id}"

    def item_guid(self, item: selectors.FeedItem) -> str:
        return item.uid

    item_guid_is_permalink = False

    def item_pubdate(self, item: selectors.FeedItem):
        return item.datum

    def item_updateddate(self, item: selectors.FeedItem):
        return item.datum

    def item_author_name(self, item: selectors.FeedItem) -> str | None:
        # The partner organisation, never a person.
        return item.auteur or None


@require_safe
def feed(request: HttpRequest, slug: str) -> HttpResponse:
    if hit := cache_hit(request, naam=f"feed:{slug}"):
        return hit
    gevonden = selectors.buurt_find(slug=slug)
    if gevonden.redirect:
        return HttpResponsePermanentRedirect(reverse("publiek:feed", args=[gevonden.slug]))

    def build() -> HttpResponse:
        return BuurtFeed()(request, buurt_id=gevonden.buurt_id, slug=gevonden.slug)

    return cached_page(request, naam=f"feed:{slug}", buurt_ids=[gevonden.buurt_id], render=build)
