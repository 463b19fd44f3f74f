"""Error pages in the site's look: 400, 403 (also CSRF), 404 and 500, and the technical 404 in DEBUG."""

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from buurten.models import Rol
from tests import factories as f
from tests.core.urls_kapot import GEHEIM

pytestmark = pytest.mark.django_db

HOOFDMENU = '<nav aria-label="Hoofdmenu">'
NAAR_START = '<a class="knop" href="/">Naar de startpagina</a>'
# Django's technical 404 (DEBUG) says this above its list of every URL pattern.
URL_PATTERNS = "Django tried these URL patterns"


def assert_site_look(html: str) -> None:
    assert HOOFDMENU in html
    assert '<link rel="stylesheet" href="/static/css/vbt.css">' in html
    assert NAAR_START in html
    assert "Traceback" not in html and URL_PATTERNS not in html


@pytest.fixture
def teamlid():
    return f.verify_email(f.LidmaatschapFactory(rol=Rol.TEAMLID).user)


def test_404_for_an_unknown_address(client):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    html = response.content.decode()
    assert_site_look(html)
    assert "<title>Pagina niet gevonden · VBT</title>" in html
    assert "<h1>Pagina niet gevonden</h1>" in html
    assert "Foutcode: 404" in html
    assert '<p class="fout">' not in html  # no reason: the resolver's details stay inside
    assert "Inloggen" in html


def test_404_shows_the_reason_and_the_persons_menu(client, teamlid):
    ander_team = f.TeamFactory(naam="Heerlerheide")
    client.force_login(teamlid)
    response = client.get(
        reverse("buurten:team_detail", kwargs={"team_id": ander_team.pk}),
        HTTP_REFERER="http://testserver/signalen/",
    )
    assert response.status_code == 404
    html = response.content.decode()
    assert_site_look(html)
    assert '<p class="fout">Dit team bestaat niet of je bent er geen lid van.</p>' in html
    assert "Heerlerheide" not in html
    assert "Uitloggen" in html and "Nieuw signaal" in html  # the logged-in person's menu
    terug = (
        '<a class="knop knop-secundair" href="http://testserver/signalen/">Terug naar de vorige pagina</a>'
    )
    assert terug in html


def test_403_shows_the_reason_the_server_has(client, teamlid):
    client.force_login(teamlid)
    response = client.get(reverse("signalen:dashboard"), HTTP_REFERER="http://testserver/")
    assert response.status_code == 403
    html = response.content.decode()
    assert_site_look(html)
    assert "<h1>Geen toegang</h1>" in html
    assert '<p class="fout">Alleen coördinatoren hebben een dashboard.</p>' in html
    assert "Terug naar de vorige pagina" in html
    assert "Uitloggen" in html


def test_back_link_only_to_a_page_of_this_site(client, teamlid):
    client.force_login(teamlid)
    response = client.get(reverse("signalen:dashboard"), HTTP_REFERER="https://elders.example/val/")
    html = response.content.decode()
    assert "elders.example" not in html
    assert "Terug naar de vorige pagina" not in html
    assert NAAR_START in html


@pytest.mark.urls("tests.core.urls_kapot")
def test_403_without_a_reason_is_still_dutch(client):
    response = client.get("/geweigerd/")
    assert response.status_code == 403
    html = response.content.decode()
    assert_site_look(html)
    assert "<h1>Geen toegang</h1>" in html
    assert "Je mag deze pagina niet openen of dit niet doen." in html
    assert '<p class="fout">' not in html


@pytest.mark.urls("tests.core.urls_kapot")
@pytest.mark.parametrize("address", ["/bestaat-niet/object/", "/bestaat-niet/leeg/"])
def test_404_hides_djangos_internal_messages(client, address):
    response = client.get(address)
    assert response.status_code == 404
    html = response.content.decode()
    assert_site_look(html)
    assert "<h1>Pagina niet gevonden</h1>" in html
    assert '<p class="fout">' not in html
    assert "matches the given query" not in html and "Team" not in html


def test_403_of_the_admin_for_a_team_member(client, teamlid):
    client.force_login(teamlid)
    response = client.get("/admin/", follow=True)  # logged in, not admitted
    assert response.status_code == 403
    html = response.content.decode()
    assert_site_look(html)
    assert "Je mag deze pagina niet openen of dit niet doen." in html
    assert '<p class="fout">Je hebt geen toegang tot het beheer.</p>' in html


def test_400_for_a_forged_host_shows_nothing_of_the_request(client):
    response = client.get("/", HTTP_HOST="aanvaller.example", HTTP_REFERER="http://aanvaller.example/")
    assert response.status_code == 400
    html = response.content.decode()
    assert_site_look(html)
    assert "<h1>Verzoek niet begrepen</h1>" in html
    assert "aanvaller" not in html  # the exception's message (with the host) is for the log only
    assert "HTTP_HOST" not in html


def test_csrf_failure_without_cookie_gets_the_site_look_and_a_dutch_reason(teamlid):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": teamlid.email, "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert_site_look(html)
    assert "<h1>Formulier niet verstuurd</h1>" in html
    assert "Je browser stuurde het cookie van deze site niet mee." in html
    assert "CSRF" not in html
    assert "_auth_user_id" not in client.session


def test_csrf_failure_with_a_wrong_token(teamlid):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("account_login"))  # sets the CSRF cookie
    response = client.post(
        reverse("account_login"),
        {"login": teamlid.email, "password": "x", "csrfmiddlewaretoken": "x" * 64},
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert_site_look(html)
    assert "Het formulier was verlopen of kwam niet van deze site." in html
    assert "CSRF" not in html


@pytest.mark.urls("tests.core.urls_kapot")
def test_500_shows_no_exception_text():
    client = Client(raise_request_exception=False)
    response = client.get("/kapot/", HTTP_REFERER="http://testserver/signalen/")
    assert response.status_code == 500
    html = response.content.decode()
    assert_site_look(html)
    assert "<h1>Er ging iets mis</h1>" in html
    assert "Foutcode: 500" in html
    assert GEHEIM not in html and "RuntimeError" not in html
    assert "Terug naar de vorige pagina" in html
    # The page's own forms (language, logout) still carry a CSRF token.
    assert 'name="csrfmiddlewaretoken"' in html


@pytest.mark.urls("tests.core.urls_kapot")
def test_500_keeps_the_menu_of_a_user_the_request_already_loaded(teamlid):
    client = Client(raise_request_exception=False)
    client.force_login(teamlid)
    response = client.get("/kapot/lid/")
    assert response.status_code == 500
    html = response.content.decode()
    assert_site_look(html)
    assert "Uitloggen" in html and "Nieuw signaal" in html
    assert GEHEIM not in html and teamlid.email not in html


@pytest.mark.urls("tests.core.urls_kapot")
def test_500_renders_while_the_database_refuses_every_query(teamlid):
    client = Client(raise_request_exception=False)
    client.force_login(teamlid)
    refused = []

    def database_down(execute, sql, params, many, context):
        refused.append(sql)
        raise OperationalError("server closed the connection unexpectedly")

    with connection.execute_wrapper(database_down):
        response = client.get("/kapot/database/")
    assert refused, "the view did try the database"
    assert response.status_code == 500
    html = response.content.decode()
    assert_site_look(html)
    assert "<h1>Er ging iets mis</h1>" in html
    assert "server closed" not in html and "OperationalError" not in html
    # The user could not be loaded, so the menu is the logged-out one.
    assert "Inloggen" in html


@pytest.mark.django_db(transaction=True)
def test_500_renders_when_the_database_server_is_unreachable(teamlid):
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL (PostgreSQL): the in-memory SQLite test database cannot go down")
    client = Client(raise_request_exception=False)
    client.force_login(teamlid)
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["PORT"] = "1"  # reconnecting now hits a dead port
    try:
        response = client.get("/")  # the home page loads the session and the person's teams
    finally:
        connection.close()
        connection.settings_dict.update(saved)
    assert response.status_code == 500
    html = response.content.decode()
    assert_site_look(html)
    assert "<h1>Er ging iets mis</h1>" in html
    assert "OperationalError" not in html and "port 1" not in html


@pytest.mark.urls("tests.core.urls_kapot")
def test_500_page_itself_does_not_query(teamlid, django_assert_num_queries):
    client = Client(raise_request_exception=False)
    client.force_login(teamlid)
    with django_assert_num_queries(0):
        response = client.get("/kapot/")
    assert response.status_code == 500
    assert HOOFDMENU in response.content.decode()


class TestDebug404:
    """With DEBUG on, Django's technical 404 lists every URL pattern: a superuser's tool only."""

    @pytest.fixture(autouse=True)
    def _debug(self, settings):
        settings.DEBUG = True

    def test_anonymous_gets_the_site_404(self, client):
        response = client.get("/bestaat-niet/")
        assert response.status_code == 404
        html = response.content.decode()
        assert_site_look(html)
        assert "admin/" not in html and "signalen/" not in html.split("<main")[1]

    def test_a_view_404_shows_its_reason_to_a_member(self, client, teamlid):
        client.force_login(teamlid)
        response = client.get(reverse("buurten:team_detail", kwargs={"team_id": 999999}))
        assert response.status_code == 404
        html = response.content.decode()
        assert_site_look(html)
        assert '<p class="fout">Dit team bestaat niet of je bent er geen lid van.</p>' in html
        assert "raised by" not in html.lower()

    def test_superuser_gets_the_technical_404(self, client):
        client.force_login(f.UserFactory(is_staff=True, is_superuser=True))
        response = client.get("/bestaat-niet/")
        assert response.status_code == 404
        assert URL_PATTERNS in response.content.decode()
        response = client.get(reverse("buurten:team_detail", kwargs={"team_id": 999999}))
        assert response.status_code == 404
        assert "Dit team bestaat niet" in response.content.decode()
        assert HOOFDMENU not in response.content.decode()

    def test_missing_slash_still_redirects(self, client):
        response = client.get("/signalen")
        assert response.status_code == 301
        assert response["Location"] == "/signalen/"
