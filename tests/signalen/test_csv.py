"""CSV export of the filtered list: for Dutch Excel, and without hashes, e-mail addresses or names."""

import csv
import io

import pytest
from django.urls import reverse

from signalen.models import Status
from tests import factories as f

URL = reverse("signalen:csv")


def rows(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="signalen-')
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))


@pytest.fixture
def signaal(team, thema, teamlid):
    sub = f.SubgebiedFactory(team=team, naam="Pastoor Moorsstraat")
    s = f.SignaalFactory(
        team=team,
        thema=thema,
        titel="Zwerfvuil, bij de ‘glasbak’",
        subgebied=sub,
        lat=50.851234,
        lon=5.6901,
        status=Status.DRAAGVLAK_GEZOCHT,
        steun_huishoudens=3,
        steun_anoniem=2,
        steun_totaal=4,
        created_by=teamlid,
    )
    f.SteunbetuigingFactory(signaal=s, email="bewoner@example.nl", email_toestemming=True)
    return s


def test_columns_and_values(teamlid_client, teamlid, signaal):
    header, row = rows(teamlid_client.get(URL))
    assert header == [
        "id",
        "titel",
        "thema",
        "kanaal",
        "status",
        "buurt",
        "subgebied",
        "lat",
        "lon",
        "vertrouwelijk",
        "steun_huishoudens",
        "steun_anoniem",
        "steun_totaal",
        "aangemaakt",
    ]
    record = dict(zip(header, row, strict=True))
    assert record["id"] == str(signaal.pk)
    assert record["titel"] == "Zwerfvuil, bij de ‘glasbak’"
    assert record["thema"] == "zwerfvuil"
    assert record["kanaal"] == "Straatgesprek"
    assert record["status"] == "Draagvlak gezocht"
    assert record["subgebied"] == "Pastoor Moorsstraat"
    assert (record["lat"], record["lon"]) == ("50,851234", "5,6901")
    assert record["vertrouwelijk"] == "nee"
    assert (record["steun_huishoudens"], record["steun_anoniem"], record["steun_totaal"]) == ("3", "2", "4")


def test_no_hashes_emails_or_names(teamlid_client, teamlid, signaal):
    body = b"".join(teamlid_client.get(URL).streaming_content).decode()
    steun = signaal.steunbetuigingen.get()
    assert steun.huishouden_hash not in body
    assert "bewoner@example.nl" not in body and "@" not in body
    assert teamlid.last_name not in body and teamlid.email not in body


def test_export_follows_the_filters_and_the_access_rule(teamlid_client, team, thema, signaal, ander_team):
    f.SignaalFactory(team=team, thema=thema, titel="Nieuw ding", status=Status.NIEUW)
    f.SignaalFactory(team=ander_team, titel="Van een ander team")
    all_rows = rows(teamlid_client.get(URL))[1:]
    assert {r[1] for r in all_rows} == {"Zwerfvuil, bij de ‘glasbak’", "Nieuw ding"}
    filtered = rows(teamlid_client.get(URL, {"status": "nieuw"}))[1:]
    assert [r[1] for r in filtered] == ["Nieuw ding"]


def test_formula_in_a_title_is_neutralised(teamlid_client, team, thema):
    f.SignaalFactory(team=team, thema=thema, titel='=HYPERLINK("http://evil.example")')
    row = rows(teamlid_client.get(URL))[1]
    assert row[1] == '\'=HYPERLINK("http://evil.example")'


def test_export_query_count_does_not_grow(client, teamlid, team, thema, django_assert_max_num_queries):
    client.force_login(teamlid)
    f.SignaalFactory.create_batch(2, team=team, thema=thema)
    # 12: one of them asks whether the role needs TOTP (no export before it, second_factor_pending),
    # one reads the person's team ids (so the export walks the team's index in order).
    with django_assert_max_num_queries(12) as few:
        b"".join(client.get(URL).streaming_content)
    f.SignaalFactory.create_batch(40, team=team, thema=thema, subgebied=f.SubgebiedFactory(team=team))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(b"".join(client.get(URL).streaming_content).splitlines()) == 43


def test_export_needs_login(client, db):
    assert client.get(URL).status_code == 302
