"""What the signal pages do less of at volume (issue #11 part 1): cards built once per page, the
filter form and unbound form fields rendered once, plain withdrawal forms, the person's seats read
once per request. The pages must show the same; these tests pin what they show and what they ask."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from buurten.models import Rol
from buurten.selectors import is_coordinator, is_member
from buurten.selectors.teams import toegang_per_verzoek
from buurten.services.teams import lidmaatschap_delete
from core.forms import unbound_fields_html
from signalen.forms import SteunAnoniemForm
from signalen.models import Status
from signalen.selectors import pages
from tests import factories as f

LIJST = reverse("signalen:lijst")
KAART = reverse("signalen:kaart")


def zetel_queries(queries):
    # Reads of the seats themselves; a subquery (`FROM "buurten_lidmaatschap" U0`) costs no round trip.
    return [q["sql"] for q in queries.captured_queries if 'FROM "buurten_lidmaatschap" WHERE' in q["sql"]]


# The list's cards --------------------------------------------------------------------------------


def test_a_card_shows_what_it_showed(teamlid_client, team, thema):
    subgebied = f.SubgebiedFactory(team=team, buurt=team.buurten.first(), naam="Het Hofje")
    een = f.SignaalFactory(team=team, thema=thema, titel="Een <b>bank</b>", status=Status.NIEUW)
    twee = f.SignaalFactory(
        team=team, thema=thema, titel="Twee", vertrouwelijk=True, subgebied=subgebied, steun_huishoudens=3
    )
    Status_label = dict(Status.choices)
    html = teamlid_client.get(LIJST).content.decode()
    assert (
        f'<a class="signaalkaartje-titel" href="/signalen/{een.pk}/">Een &lt;b&gt;bank&lt;/b&gt;</a>' in html
    )
    assert f'<span class="status status-nieuw">{Status_label[Status.NIEUW]}</span>' in html
    datum = timezone.localtime(een.created_at)
    plek = team.buurten.first().naam
    assert f"zwerfvuil · {plek} · {datum.day}-{datum.month}-{datum.year} · 0 huishoudens" in html
    assert f"zwerfvuil · {plek} (Het Hofje) · " in html and "· 3 huishoudens</span>" in html
    assert html.count('<span class="label-vertrouwelijk">Vertrouwelijk</span>') == 1
    assert f'href="/signalen/{twee.pk}/"' in html


def test_one_household_is_singular(teamlid_client, team, thema):
    f.SignaalFactory(team=team, thema=thema, steun_huishoudens=1)
    assert "· 1 huishouden</span>" in teamlid_client.get(LIJST).content.decode()


def test_the_list_shows_25_per_page(team, thema, teamlid):
    for i in range(26):
        f.SignaalFactory(team=team, thema=thema, titel=f"S{i}")
    pagina = pages.signaal_keyset_page(qs=pages.signaal_list_filtered(user=teamlid))
    assert len(pagina.rijen) == 25 and pagina.volgende


def test_the_card_query_reads_only_what_a_card_shows(team, thema, teamlid):
    f.SignaalFactory(team=team, thema=thema)
    qs = pages.signaal_list_kaartje_kolommen(pages.signaal_list_filtered(user=teamlid))
    sql = str(qs.query)
    assert (
        "omschrijving" not in sql and "geometrie" not in sql and "buurten_team" not in sql.split("WHERE")[0]
    )


# Filter form -------------------------------------------------------------------------------------


def test_the_cached_filter_form_follows_its_choices(teamlid_client, team, thema):
    for path in (LIJST, KAART):
        assert ">zwerfvuil</option>" in teamlid_client.get(path).content.decode()
    f.ThemaFactory(gemeente=team.gemeente, naam="hondenpoep")
    for path in (LIJST, KAART):
        html = teamlid_client.get(path).content.decode()
        assert ">hondenpoep</option>" in html and ">zwerfvuil</option>" in html


def test_a_bound_filter_form_shows_its_values_and_errors(teamlid_client, team, thema):
    html = teamlid_client.get(
        LIJST, {"status": "nieuw", "van": "2024-05-02", "tot": "2024-05-01"}
    ).content.decode()
    assert '<option value="nieuw" selected>' in html
    assert "De einddatum ligt vóór de begindatum." in html
    # The next, unbound page shows neither.
    html = teamlid_client.get(LIJST).content.decode()
    assert '<option value="nieuw" selected>' not in html and "De einddatum" not in html


# Unbound form fields -----------------------------------------------------------------------------


def test_unbound_fields_follow_their_initial_values_and_a_bound_form_is_not_cached():
    vandaag = unbound_fields_html(SteunAnoniemForm())
    morgen = unbound_fields_html(
        SteunAnoniemForm(initial={"datum": dt.date(2031, 1, 2), "kanaal": "huisbezoek"})
    )
    assert 'value="2031-01-02"' in morgen and 'value="2031-01-02"' not in vandaag
    fout = unbound_fields_html(SteunAnoniemForm({"anoniem-aantal": "x"}))
    assert "errorlist" in fout
    assert "errorlist" not in unbound_fields_html(SteunAnoniemForm())


# Signal page -------------------------------------------------------------------------------------


def test_withdrawal_forms_are_plain_forms_with_their_token_and_label(teamlid_client, team, thema):
    signaal = f.SignaalFactory(team=team, thema=thema)
    steun = f.SteunbetuigingFactory(signaal=signaal, datum=dt.date(2026, 3, 4), email_toestemming=True)
    anoniem = f.SteunbetuigingFactory(
        signaal=signaal, huishouden_hash=None, aantal_anoniem=2, kanaal="vragenlijst"
    )
    weg = f.SteunbetuigingFactory(signaal=signaal, ingetrokken_at=timezone.now())
    html = teamlid_client.get(reverse("signalen:detail", args=[signaal.pk])).content.decode()
    actie = reverse("signalen:steun_intrekken", args=[signaal.pk, steun.pk])
    form = re.search(rf'<form method="post" action="{actie}" class="inline">(.*?)</form>', html).group(1)
    assert 'name="csrfmiddlewaretoken"' in form
    assert 'aria-label="Intrekken: huishouden, huisbezoek, 4-3-2026"' in form
    assert "huishouden, via huisbezoek, 4-3-2026, wil updates per e-mail" in html
    assert reverse("signalen:steun_intrekken", args=[signaal.pk, anoniem.pk]) in html
    assert "2 personen anoniem, via vragenlijst," in html
    assert reverse("signalen:steun_intrekken", args=[signaal.pk, weg.pk]) not in html
    vandaag = timezone.localdate()
    assert f"ingetrokken op {vandaag.day}-{vandaag.month}-{vandaag.year}" in html


def test_a_withdrawal_from_the_page_works(teamlid_client, team, thema):
    signaal = f.SignaalFactory(team=team, thema=thema)
    steun = f.SteunbetuigingFactory(signaal=signaal)
    teamlid_client.get(reverse("signalen:detail", args=[signaal.pk]))
    teamlid_client.handler.enforce_csrf_checks = True
    html = teamlid_client.get(reverse("signalen:detail", args=[signaal.pk])).content.decode()
    token = re.search(
        r'class="inline"><input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"', html
    )[1]
    actie = reverse("signalen:steun_intrekken", args=[signaal.pk, steun.pk])
    assert teamlid_client.post(actie, {"csrfmiddlewaretoken": token}).status_code == 302
    steun.refresh_from_db()
    assert steun.ingetrokken_at is not None


# The person's seats, once per request ------------------------------------------------------------


def test_the_pages_read_the_persons_seats_once(
    client, coordinator, team, thema, django_assert_max_num_queries
):
    f.verify_email(coordinator)
    signaal = f.SignaalFactory(team=team, thema=thema)
    f.SteunbetuigingFactory(signaal=signaal)
    teamlid = f.LidmaatschapFactory(team=team, rol=Rol.TEAMLID).user
    for person in (teamlid, coordinator):
        client.force_login(person)
        for path in (LIJST, KAART, reverse("signalen:detail", args=[signaal.pk])):
            with django_assert_max_num_queries(20) as queries:
                assert client.get(path).status_code == 200
            assert len(zetel_queries(queries)) <= 1, (person, path, zetel_queries(queries))


def test_seats_are_remembered_only_within_a_request_and_forgotten_when_a_seat_changes(coordinator, team):
    lid = f.LidmaatschapFactory(team=team, rol=Rol.TEAMLID)
    ander = f.TeamFactory(naam="Elders")
    assert is_member(user=lid.user, team=team)
    with toegang_per_verzoek():
        assert is_member(user=lid.user, team=team) and not is_coordinator(user=lid.user, team=team)
        lidmaatschap_delete(lidmaatschap=lid, door=f.verify_email(coordinator))
        assert not is_member(user=lid.user, team=team)
    # Outside a request every question goes to the database.
    f.LidmaatschapFactory(team=ander, user=lid.user, rol=Rol.COORDINATOR)
    assert is_coordinator(user=lid.user, team=ander)


def test_a_page_link_alone_leaves_the_filter_form_unbound(teamlid_client, team, thema):
    for i in range(30):
        f.SignaalFactory(team=team, thema=thema, titel=f"S{i}")
    eerste = teamlid_client.get(LIJST)
    tweede = teamlid_client.get(LIJST, {"na": eerste.context["pagina"].volgende})
    assert not tweede.context["form"].is_bound
    assert '<details class="filters">' in tweede.content.decode()
    gefilterd = teamlid_client.get(LIJST, {"status": "nieuw", "na": eerste.context["pagina"].volgende})
    assert gefilterd.context["form"].is_bound
