"""A public page's query count does not grow with its data (10 or 1,000 signals and acties)."""

import pytest
from django.core.cache import cache

from acties.models import Actie, ActieStatus, Mijlpaal, Voortgangsupdate
from signalen.models import Signaal, Status, StatusWijziging, TriageUitkomst
from tests import factories as f
from tests.publiek.world import build_world

pytestmark = pytest.mark.django_db

STATUSES = [Status.NIEUW, Status.DRAAGVLAK_GEZOCHT, Status.AFGEWEZEN, Status.GETRIEERD, Status.HEROPEND]
ACTIE_STATUSES = [ActieStatus.GEPLAND, ActieStatus.IN_UITVOERING, ActieStatus.AFGEROND, ActieStatus.GESTOPT]


def grow(w, n: int) -> None:
    signalen = Signaal.objects.bulk_create(
        Signaal(
            team=w.team,
            buurt=w.buurt,
            thema=w.drugs if i % 7 == 0 else w.zwerfvuil,
            titel=f"Bulk {i}",
            kanaal="straatgesprek",
            lat=50.84 + (i % 50) * 0.0004,
            lon=5.68 + (i // 50) * 0.0006,
            status=STATUSES[i % len(STATUSES)],
            triage_uitkomst=TriageUitkomst.PRIMAIRE_TAAK if i % 5 == 3 else "",
            doorgezet_naar=w.politie if i % 5 == 3 else None,
            vertrouwelijk=i % 11 == 0,
        )
        for i in range(n)
    )
    StatusWijziging.objects.bulk_create(
        StatusWijziging(signaal=s, van=Status.NIEUW, naar=s.status, reden="r") for s in signalen
    )
    acties = Actie.objects.bulk_create(
        Actie(
            team=w.team,
            buurt=w.buurt,
            titel=f"Actie {i}",
            trekker=w.politie,
            status=ACTIE_STATUSES[i % len(ACTIE_STATUSES)],
        )
        for i in range(n)
    )
    Mijlpaal.objects.bulk_create(Mijlpaal(actie=a, titel="m", gewicht=2) for a in acties)
    Voortgangsupdate.objects.bulk_create(
        Voortgangsupdate(actie=a, datum=f.days_ago(1), tekst="t", partner=w.politie) for a in acties
    )


def count(client, django_assert_max_num_queries, url: str, limit: int) -> None:
    cache.clear()
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("n", [10, 1000])
def test_the_public_pages_query_count_is_fixed(client, django_assert_max_num_queries, n):
    w = build_world()
    grow(w, n)
    count(client, django_assert_max_num_queries, "/buurt/malberg/", 18)
    count(client, django_assert_max_num_queries, "/", 3)
    count(client, django_assert_max_num_queries, "/buurt/malberg/feed/", 6)
    count(client, django_assert_max_num_queries, f"/actie/{w.actie.pk}/", 10)
    # A cached copy costs no query at all (the address was resolved when it was stored).
    for url in ("/buurt/malberg/", "/", "/buurt/malberg/feed/", f"/actie/{w.actie.pk}/"):
        client.get(url)
        with django_assert_max_num_queries(0):
            assert client.get(url).status_code == 200
