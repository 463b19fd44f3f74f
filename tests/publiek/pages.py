"""The public pages, each as (name, method, path, data) for the HTML checker and axe-core, built
from a small world: team Malberg with a supportable signal, an actie when acties has them, and
pending links: /, /buurt/<slug>/ (by slug and by CBS code), /actie/<id>/, the forms and their
confirmation pages, the privacy and accessibility pages."""

from __future__ import annotations

from urllib.parse import urlparse

from notificaties.models import Bericht
from publiek.emails import STEUN_MAIL, WENS_MAIL
from signalen.models import Status
from tests import factories as f

from .conftest import ingevuld_gestart


def build_world() -> dict:
    team = f.TeamFactory(naam="Malberg", slug="malberg")
    thema = f.ThemaFactory(gemeente=team.gemeente, naam="zwerfvuil")
    signaal = f.SignaalFactory(
        team=team, thema=thema, titel="Meer groen op het plein", status=Status.DRAAGVLAK_GEZOCHT
    )
    world = {"team": team, "thema": thema, "signaal": signaal, "actie_id": None}
    world["actie_id"] = f.ActieFactory(team=team).pk
    return world


def _link(soort: str) -> str:
    return urlparse(Bericht.objects.filter(soort=soort).latest("pk").context["link"]).path


def public_pages(client, world) -> dict[str, str]:
    """Fetch every public page as an anonymous visitor: {label: html}."""
    team, signaal, thema = world["team"], world["signaal"], world["thema"]
    buurt = team.buurten.get()
    steun = {"postcode": "6211 AB", "huisnummer": "12", "email": "a@example.nl"}
    wens = {
        "titel": "Bankje",
        "omschrijving": "Graag",
        "thema": thema.pk,
        "postcode": "6211 AB",
        "huisnummer": "14",
        "email": "b@example.nl",
        "gestart": ingevuld_gestart(),
    }
    pages: dict[str, str] = {}

    def get(label, path, *, expect=(200,), method="get", data=None):
        response = getattr(client, method)(path, data or {}, follow=method == "get")
        assert response.status_code in expect, (label, response.status_code)
        pages[label] = response.content.decode()
        return response

    for label, path in [
        ("start", "/"),
        ("buurtpagina", f"/buurt/{team.slug}/"),
        ("buurtpagina-code", f"/buurt/{buurt.code}/"),
        ("actie", f"/actie/{world['actie_id']}/"),
        ("feed", f"/buurt/{team.slug}/feed/"),
    ]:
        response = client.get(path, follow=True)
        assert response.status_code == 200, (label, response.status_code)
        if label != "feed":  # an Atom document, not HTML
            pages[label] = response.content.decode()
    get("steunen", f"/steunen/{signaal.pk}/")
    get(
        "steunen-fout",
        f"/steunen/{signaal.pk}/",
        method="post",
        data={**steun, "postcode": "x"},
        expect=(400,),
    )
    get("steunen-verstuurd", f"/steunen/{signaal.pk}/", method="post", data=steun)
    link = _link(STEUN_MAIL)
    get("steunen-bevestigen", link)
    get("steunen-bedankt", f"/steunen/{signaal.pk}/bedankt/")
    get("wens", f"/buurt/{team.slug}/wens/")
    get("wens-fout", f"/buurt/{team.slug}/wens/", method="post", data={**wens, "titel": ""}, expect=(400,))
    get("wens-verstuurd", f"/buurt/{team.slug}/wens/", method="post", data=wens)
    wens_link = _link(WENS_MAIL)
    get("wens-bevestigen", wens_link)
    get("wens-bedankt", wens_link, method="post")
    get("link-gebruikt", wens_link, expect=(410,))
    get("link-ongeldig", "/steunen/bevestigen/knoei/", expect=(400,))
    client.post(link)
    client.post(f"/steunen/{signaal.pk}/", steun)
    get("al-gesteund", _link(STEUN_MAIL), method="post", expect=(409,))
    get("niet-gevonden", "/buurt/bestaat-niet/wens/", expect=(404,))
    get("toegankelijkheid", "/toegankelijkheid/")
    get("privacy", "/privacy/")
    get("steun-intrekken", "/steun-intrekken/")
    return pages
