"""Team pages at volume (issue #11): keyset pagination, the cached map data, the streamed CSV,
supports a page at a time, compression, the logging page's weight, and query counts that stay
the same with 10 and with 1,000 signals."""

import datetime as dt
import gzip
import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from core.cache import team_signalen_key
from signalen.models import Signaal, Status
from signalen.selectors import pages
from signalen.services.signalen import signaal_log
from signalen.services.status import signaal_status_change
from tests import factories as f

LIJST = reverse("signalen:lijst")
KAART = reverse("signalen:kaart")
PUNTEN = reverse("signalen:kaart_punten")
CSV = reverse("signalen:csv")


def bulk_signalen(team, thema, n, **extra):
    """n signals of the team in one INSERT, 1 minute apart (newest last)."""
    start = timezone.now() - dt.timedelta(minutes=n + 1)
    made = Signaal.objects.bulk_create(
        [
            Signaal(
                team=team,
                thema=thema,
                titel=f"Bulk {i}",
                kanaal="straatgesprek",
                lat=50.85 + i / 100000,
                lon=5.69,
                buurt=team.buurten.first(),
                **{"status": Status.NIEUW, **extra},
            )
            for i in range(n)
        ]
    )
    for i, s in enumerate(made):
        s.created_at = start + dt.timedelta(minutes=i)
    Signaal.objects.bulk_update(made, ["created_at"])
    return made


def titels(response):
    return re.findall(r'class="signaalkaartje-titel" href="[^"]+">([^<]+)</a>', response.content.decode())


# Keyset pagination ------------------------------------------------------------------------------


def test_the_list_pages_by_position_newest_first(teamlid_client, team, thema):
    bulk_signalen(team, thema, 60)
    eerste = teamlid_client.get(LIJST)
    assert titels(eerste) == [f"Bulk {i}" for i in range(59, 34, -1)]
    assert "De nieuwste 25 signalen" in eerste.content.decode()
    volgende = eerste.context["pagina"].volgende
    tweede = teamlid_client.get(LIJST, {"na": volgende})
    assert titels(tweede) == [f"Bulk {i}" for i in range(34, 9, -1)]
    derde = teamlid_client.get(LIJST, {"na": tweede.context["pagina"].volgende})
    assert titels(derde) == [f"Bulk {i}" for i in range(9, -1, -1)]
    assert derde.context["pagina"].volgende is None
    terug = teamlid_client.get(LIJST, {"voor": derde.context["pagina"].vorige})
    assert titels(terug) == titels(tweede)


def test_pagination_is_stable_while_signals_are_logged(teamlid_client, team, thema):
    bulk_signalen(team, thema, 120)
    eerste = teamlid_client.get(LIJST)
    tweede_voor = titels(teamlid_client.get(LIJST, {"na": eerste.context["pagina"].volgende}))
    # Someone logs five signals while another person reads page 1.
    for i in range(5):
        f.SignaalFactory(team=team, thema=thema, titel=f"Intussen {i}")
    tweede_na = titels(teamlid_client.get(LIJST, {"na": eerste.context["pagina"].volgende}))
    assert tweede_na == tweede_voor  # no row shifts to the next page, none is shown twice
    assert titels(teamlid_client.get(LIJST))[:5] == [f"Intussen {i}" for i in range(4, -1, -1)]


def test_signals_with_the_same_moment_are_ordered_by_id(team, thema, teamlid):
    made = bulk_signalen(team, thema, 7)
    Signaal.objects.filter(pk__in=[s.pk for s in made]).update(created_at=timezone.now())
    qs = pages.signaal_list_filtered(user=teamlid)
    gezien, na = [], None
    while True:
        pagina = pages.signaal_keyset_page(qs=qs, na=na, per_pagina=3)
        gezien += [s.pk for s in pagina.rijen]
        if not (na := pagina.volgende):
            break
    assert gezien == sorted((s.pk for s in made), reverse=True)


@pytest.mark.parametrize("cursor", ["abc", "1-", "1" * 18 + "-1", "%00", "-5-3", "1" * 40 + "-1"])
def test_a_broken_page_link_shows_the_newest_with_a_message(teamlid_client, team, thema, cursor):
    bulk_signalen(team, thema, 3)
    for param in ("na", "voor"):
        response = teamlid_client.get(LIJST, {param: cursor})
        assert response.status_code == 200
        assert titels(response) == ["Bulk 2", "Bulk 1", "Bulk 0"]
        assert "Deze paginalink klopt niet (meer); je ziet de nieuwste signalen." in response.content.decode()


def test_the_list_counts_nothing(teamlid_client, team, thema, django_assert_max_num_queries):
    bulk_signalen(team, thema, 60)
    with django_assert_max_num_queries(30) as queries:
        teamlid_client.get(LIJST)
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


def test_filter_choices_do_not_load_the_buurt_outlines(teamlid_client, team, django_assert_max_num_queries):
    buurt = team.buurten.first()
    buurt.geometrie = {
        "type": "Polygon",
        "coordinates": [[[5.6, 50.8], [5.7, 50.8], [5.7, 50.9], [5.6, 50.8]]],
    }
    buurt.save()
    with django_assert_max_num_queries(30) as queries:
        assert teamlid_client.get(LIJST).status_code == 200
    buurt_queries = [q["sql"] for q in queries.captured_queries if 'FROM "buurten_buurt"' in q["sql"]]
    assert buurt_queries and not [q for q in buurt_queries if "geometrie" in q]


# Map data ---------------------------------------------------------------------------------------


def punten(client, **params):
    response = client.get(PUNTEN, params)
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)


def test_the_map_page_comes_without_its_points(teamlid_client, team, thema):
    bulk_signalen(team, thema, 30)
    html = teamlid_client.get(KAART).content.decode()
    assert "Bulk 1" not in html and '"Feature"' not in html
    assert "vendor/leaflet.markercluster/leaflet.markercluster.js" in html
    labels = json.loads(
        html.split('id="signalenkaart-labels" type="application/json">')[1].split("</script>")[0]
    )
    assert labels["bron"] == PUNTEN
    assert labels["thema"] == {str(thema.pk): thema.naam}
    assert labels["status"]["nieuw"] == "Nieuw"
    # The list is the text alternative, with the same filters.
    assert f'href="{LIJST}?status=nieuw"' in teamlid_client.get(KAART, {"status": "nieuw"}).content.decode()


def test_map_data_is_compact_geojson_of_my_team_only(teamlid_client, team, thema, ander_team):
    mijn = f.SignaalFactory(team=team, thema=thema, lat=50.8512345678, lon=5.6912345678, titel="Geheim?")
    f.SignaalFactory(team=ander_team, titel="Van een ander team")
    data = punten(teamlid_client)
    assert data == {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": mijn.pk,
                "geometry": {"type": "Point", "coordinates": [5.691235, 50.851235]},
                "properties": {"s": "nieuw", "t": thema.pk},
            }
        ],
    }


def test_map_data_of_a_person_without_a_team_is_empty(client, buitenstaander, team, thema):
    f.SignaalFactory(team=team, thema=thema)
    client.force_login(buitenstaander)
    assert punten(client)["features"] == []


def test_map_data_needs_login(client, db):
    assert client.get(PUNTEN).status_code == 302


def test_map_data_follows_the_filters(teamlid_client, team, thema):
    licht = f.ThemaFactory(gemeente=team.gemeente, naam="licht")
    a = f.SignaalFactory(team=team, thema=thema)
    b = f.SignaalFactory(team=team, thema=licht, status=Status.DRAAGVLAK_BEREIKT)
    assert {p["id"] for p in punten(teamlid_client)["features"]} == {a.pk, b.pk}
    assert [p["id"] for p in punten(teamlid_client, thema=licht.pk)["features"]] == [b.pk]
    assert [p["id"] for p in punten(teamlid_client, status="nieuw")["features"]] == [a.pk]
    # A bad filter is not applied (as on the list).
    assert len(punten(teamlid_client, van="gisteren")["features"]) == 2


def test_a_coordinator_without_totp_gets_no_confidential_points(client, coordinator, team, thema):
    f.SignaalFactory(team=team, thema=thema, vertrouwelijk=True)
    open_ = f.SignaalFactory(team=team, thema=thema)
    client.force_login(coordinator)
    assert [p["id"] for p in punten(client)["features"]] == [open_.pk]
    f.activate_totp(coordinator)
    assert len(punten(client)["features"]) == 2


def test_map_data_is_cached_per_team_until_a_signal_changes(
    teamlid_client, teamlid, team, thema, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    s = f.SignaalFactory(team=team, thema=thema)
    punten(teamlid_client)
    with django_assert_max_num_queries(30) as queries:
        punten(teamlid_client)
    assert not [q for q in queries.captured_queries if 'FROM "signalen_signaal"' in q["sql"]]
    # A signal logged: the team's version moves after the commit, and the point appears.
    with django_capture_on_commit_callbacks(execute=True):
        nieuw = signaal_log(
            team=team,
            titel="Nieuw",
            omschrijving="",
            thema=thema,
            kanaal="straatgesprek",
            lat=50.851,
            lon=5.691,
            door=teamlid,
        )
    assert {p["id"] for p in punten(teamlid_client)["features"]} == {s.pk, nieuw.pk}
    # A status move changes the point's status.
    with django_capture_on_commit_callbacks(execute=True):
        signaal_status_change(signaal=s, naar=Status.DRAAGVLAK_GEZOCHT, door=teamlid)
    statussen = {p["id"]: p["properties"]["s"] for p in punten(teamlid_client)["features"]}
    assert statussen[s.pk] == "draagvlak_gezocht"


def test_a_rolled_back_change_bumps_nothing(team, thema, teamlid, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        signaal_log(
            team=team,
            titel="Nieuw",
            omschrijving="",
            thema=thema,
            kanaal="straatgesprek",
            lat=50.851,
            lon=5.691,
            door=teamlid,
        )
    assert cache.get(team_signalen_key(team.pk)) is None
    for callback in callbacks:
        callback()
    assert cache.get(team_signalen_key(team.pk)) == 2


# The streamed CSV -------------------------------------------------------------------------------


def test_the_csv_is_streamed_from_an_iterator(teamlid_client, team, thema, monkeypatch):
    bulk_signalen(team, thema, 25)
    calls = []
    real = QuerySet.iterator

    def spy(self, chunk_size=None):
        calls.append((self.model.__name__, chunk_size))
        return real(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", spy)
    response = teamlid_client.get(CSV)
    assert response.streaming and not response.has_header("Content-Length")
    assert calls == []  # nothing read before the first byte is asked for
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 26
    assert calls == [("Signaal", 2000)]


def test_the_csv_is_compressed_on_the_way(teamlid_client, team, thema):
    bulk_signalen(team, thema, 25)
    response = teamlid_client.get(CSV, headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    body = gzip.decompress(b"".join(response.streaming_content)).decode("utf-8-sig")
    assert len(body.splitlines()) == 26


# Compression ------------------------------------------------------------------------------------


def test_pages_are_compressed_but_not_the_account_pages(teamlid_client, client, team, thema):
    bulk_signalen(team, thema, 10)
    response = teamlid_client.get(LIJST, headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert "Bulk 9" in gzip.decompress(response.content).decode()
    assert "Accept-Encoding" in response["Vary"]
    client.logout()
    login = client.get(reverse("account_login"), headers={"accept-encoding": "gzip"})
    assert login.status_code == 200 and not login.has_header("Content-Encoding")
    for path in ("/uitnodiging/abc/", "/steun-intrekken/abc/", "/admin/login/"):
        assert not client.get(path, headers={"accept-encoding": "gzip"}).has_header("Content-Encoding")


def test_compression_pads_with_random_bytes(teamlid_client, team, thema):
    """Django's GZipMiddleware puts 0–99 random bytes in the gzip header (BREACH): the same page
    has different lengths."""
    bulk_signalen(team, thema, 10)
    lengths = {len(teamlid_client.get(LIJST, headers={"accept-encoding": "gzip"}).content) for _ in range(8)}
    assert len(lengths) > 1


# The phone logging page's weight --------------------------------------------------------------

ASSET = re.compile(r'<(?:script[^>]+src|link[^>]+href)="/static/([^"]+)"')


def test_the_logging_page_first_load_is_under_80_kb_compressed(teamlid_client, team, thema):
    html = teamlid_client.get(reverse("signalen:nieuw")).content
    sizes = {"html": len(gzip.compress(html))}
    for name in sorted(set(ASSET.findall(html.decode()))):
        path = finders.find(name)
        assert path, name
        with open(path, "rb") as fh:
            sizes[name] = len(gzip.compress(fh.read()))
    total = sum(sizes.values())
    assert total < 80 * 1024, sizes


# Query counts with 10 and with 1,000 signals ----------------------------------------------------


def _pages(signaal_pk):
    return [
        LIJST,
        f"{LIJST}?status=nieuw",
        KAART,
        PUNTEN,
        CSV,
        reverse("signalen:detail", args=[signaal_pk]),
        reverse("signalen:nieuw"),
        reverse("signalen:wijkrondes"),
    ]


def _count(client, path, django_assert_max_num_queries):
    with django_assert_max_num_queries(40) as queries:
        response = client.get(path)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, path
    return len(queries.captured_queries)


def test_team_pages_query_counts_are_the_same_with_10_and_1000_signals(
    client, teamlid, coordinator, team, thema, django_assert_max_num_queries
):
    f.activate_totp(coordinator)
    made = bulk_signalen(team, thema, 10)
    # More supports than one page (25) on the signal, so that its page counts them both times.
    for n in range(30):
        f.SteunbetuigingFactory(signaal=made[-1], datum=timezone.localdate() - dt.timedelta(days=n))
    counts = {}
    for person in (teamlid, coordinator):
        client.force_login(person)
        for path in (
            [*_pages(made[-1].pk), reverse("signalen:dashboard")]
            if person == coordinator
            else _pages(made[-1].pk)
        ):
            counts[person.pk, path] = _count(client, path, django_assert_max_num_queries)
    bulk_signalen(team, thema, 990, status=Status.DRAAGVLAK_BEREIKT)
    for n in range(60):
        f.SteunbetuigingFactory(signaal=made[-1], datum=timezone.localdate() - dt.timedelta(days=n + 3))
    from django.core.cache import cache

    cache.clear()  # the map data is counted uncached both times
    for (person_pk, path), before in counts.items():
        client.force_login(teamlid if person_pk == teamlid.pk else coordinator)
        assert _count(client, path, django_assert_max_num_queries) <= before, path


def test_a_superuser_gets_every_page_and_all_teams_points(client, team, thema, ander_team):
    f.SignaalFactory(team=team, thema=thema)
    f.SignaalFactory(team=ander_team)
    beheerder = f.UserFactory(is_superuser=True, is_staff=True)
    f.activate_totp(beheerder)
    client.force_login(beheerder)
    for path in (LIJST, KAART, CSV):
        assert client.get(path).status_code == 200, path
    assert len(punten(client)["features"]) == 2


def test_map_data_is_sent_compressed_from_the_cache(
    teamlid_client, team, thema, django_assert_max_num_queries
):
    s = f.SignaalFactory(team=team, thema=thema)
    first = teamlid_client.get(PUNTEN, headers={"accept-encoding": "gzip"})
    assert first["Content-Encoding"] == "gzip" and "Accept-Encoding" in first["Vary"]
    with django_assert_max_num_queries(30) as queries:
        again = teamlid_client.get(PUNTEN, headers={"accept-encoding": "gzip"})
    assert again.content == first.content
    assert not [q for q in queries.captured_queries if 'FROM "signalen_signaal"' in q["sql"]]
    assert [p["id"] for p in json.loads(gzip.decompress(again.content))["features"]] == [s.pk]
