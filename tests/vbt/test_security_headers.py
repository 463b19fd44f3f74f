"""Security headers: a strict Content-Security-Policy, Permissions-Policy, Referrer-Policy,
`Cache-Control: no-store` on everything with personal or team data, and a csrftoken that no
script can read."""

import datetime as dt
import io

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from buurten.models import Rol, Uitnodiging
from core.middleware import permissions_policy_header
from signalen.services.fotos import foto_add_upload
from tests import factories as f
from tests.signalen.ui import jpeg_upload

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parts = [part.split() for part in policy.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


@pytest.fixture
def team_data():
    team = f.TeamFactory(naam="Malberg")
    thema = f.ThemaFactory(gemeente=team.gemeente)
    coordinator = f.LidmaatschapFactory(team=team, rol=Rol.COORDINATOR, user__is_staff=True).user
    f.activate_totp(coordinator)
    lid = f.LidmaatschapFactory(team=team).user
    signaal = f.SignaalFactory(team=team, thema=thema)
    wijkronde = f.WijkrondeFactory(team=team)
    foto = foto_add_upload(signaal=signaal, upload=jpeg_upload(), door=lid)
    return {
        "team": team,
        "coordinator": coordinator,
        "lid": lid,
        "signaal": signaal,
        "wijkronde": wijkronde,
        "foto": foto,
    }


def test_every_page_has_a_strict_content_security_policy(client):
    response = client.get("/")
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    # Scripts: our own files only (a nonce when a page asks for one); never inline or eval.
    assert policy["script-src"][0] == "'self'"
    unsafe = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "data:", "*"}
    assert not unsafe & set(policy["script-src"])
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:", "https://service.pdok.nl"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_a_page_that_asks_for_the_nonce_gets_it_in_its_policy(rf):
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse

    request = rf.get("/")
    middleware = CSPMiddleware(lambda req: HttpResponse(f'<script nonce="{req.csp_nonce}"></script>'))
    middleware.process_request(request)
    response = middleware.process_response(request, middleware.get_response(request))
    nonce = str(request.csp_nonce)
    assert f"'nonce-{nonce}'" in directives(response)["script-src"]
    assert f'nonce="{nonce}"'.encode() in response.content


def test_permissions_policy_allows_only_our_own_location_request(client):
    response = client.get("/")
    policy = response["Permissions-Policy"]
    assert "geolocation=(self)" in policy
    for feature in ("camera", "microphone", "payment", "usb", "display-capture"):
        assert f"{feature}=()" in policy
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_permissions_policy_header_format():
    header = permissions_policy_header({"geolocation": ["self"], "camera": []})
    assert header == "geolocation=(self), camera=()"
    assert permissions_policy_header({}) == ""


def test_csrf_cookie_is_http_only_and_forms_still_work(client):
    """No script of ours reads the cookie (static/js sends no POST); forms carry the hidden field."""
    response = client.get(reverse("account_login"))
    assert response.cookies["csrftoken"]["httponly"] is True
    assert b'name="csrfmiddlewaretoken"' in response.content


def test_no_script_of_ours_reads_the_csrf_cookie():
    from django.conf import settings

    for path in (settings.BASE_DIR / "static" / "js").glob("*.js"):
        assert "cookie" not in path.read_text().lower(), path


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    "url",
    [
        "/",  # a member is sent to their team
        "/teams/{team}/",
        "/teams/{team}/leden/",
        "/teams/{team}/subgebieden/",
        "/teams/{team}/instellingen/",
        "/signalen/",
        "/signalen/kaart/",
        "/signalen/export.csv",
        "/signalen/dashboard/",
        "/coordinator/",
        "/signalen/nieuw/",
        "/signalen/plek/?team={team}&lat=50.85&lon=5.69",
        "/signalen/{signaal}/",
        "/signalen/foto/{foto}/",
        "/signalen/wijkrondes/",
        "/signalen/wijkrondes/{wijkronde}/",
        "/admin/",
        "/admin/signalen/signaal/",
        "/teams/999999/",  # a 404 of a logged-in person too
    ],
)
def test_everything_a_logged_in_person_gets_is_no_store(client, team_data, url):
    client.force_login(team_data["coordinator"])
    url = url.format(
        team=team_data["team"].pk,
        signaal=team_data["signaal"].pk,
        wijkronde=team_data["wijkronde"].pk,
        foto=team_data["foto"].uuid,
    )
    response = client.get(url)
    expected = 404 if "999999" in url else 302 if url == "/" else 200
    assert response.status_code == expected, (url, response.status_code)
    assert no_store(response), (url, response.get("Cache-Control"))
    if url.startswith("/signalen/foto/"):
        # The view's own max-age is replaced, not kept next to no-store.
        assert "max-age" not in response["Cache-Control"]


def test_the_signal_photo_is_served_no_store(client, team_data):
    client.force_login(team_data["lid"])
    response = client.get(reverse("signalen:foto", args=[team_data["foto"].uuid]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    Image.open(io.BytesIO(b"".join(response.streaming_content))).verify()


def test_the_public_home_page_for_anonymous_visitors_stays_cacheable(client):
    response = client.get("/")
    assert response.status_code == 200
    assert not no_store(response)


def test_the_invitation_page_shows_an_address_and_is_no_store(client, team_data):
    team = team_data["team"]
    uitnodiging = Uitnodiging.objects.create(
        team=team,
        partner=f.PartnerFactory(gemeente=team.gemeente),
        email="nieuw@example.nl",
        token="t0ken-voor-de-test",
        verloopt_at=timezone.now() + dt.timedelta(days=7),
    )
    response = client.get(reverse("buurten:uitnodiging_accepteren", args=[uitnodiging.token]))
    assert response.status_code == 200
    assert b"nieuw@example.nl" in response.content
    assert no_store(response)


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_static_files_stay_cacheable_for_a_logged_in_person(client, team_data):
    client.force_login(team_data["lid"])
    response = client.get("/static/js/teamkaart.js")
    assert response.status_code == 200  # served by WhiteNoise, before any view or middleware of ours
    assert "max-age" in response["Cache-Control"]
    assert not no_store(response)


def test_a_views_own_caching_gives_way_to_no_store_only_for_a_logged_in_person(rf, team_data):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from core.middleware import SecurityHeadersMiddleware

    def view(request):
        response = HttpResponse("team data")
        response["Cache-Control"] = "public, max-age=3600"
        return response

    middleware = SecurityHeadersMiddleware(view)
    request = rf.get("/")
    request.user = team_data["lid"]
    assert middleware(request)["Cache-Control"] == "private, no-store"
    request.user = AnonymousUser()
    assert middleware(request)["Cache-Control"] == "public, max-age=3600"


def test_the_middleware_never_loads_the_user_itself(rf, django_assert_num_queries):
    """A 500 page must render with the database down: the header decision costs no query, and a
    server error is never stored."""
    from django.contrib.auth.middleware import AuthenticationMiddleware
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.http import HttpResponse, HttpResponseServerError

    from core.middleware import SecurityHeadersMiddleware

    views = ((lambda r: HttpResponse("ok"), False), (lambda r: HttpResponseServerError("x"), True))
    for view, stored in views:
        request = rf.get("/", HTTP_COOKIE="sessionid=abc")
        SessionMiddleware(lambda r: None).process_request(request)
        AuthenticationMiddleware(lambda r: None).process_request(request)
        with django_assert_num_queries(0):
            response = SecurityHeadersMiddleware(view)(request)
        assert ("no-store" in response.get("Cache-Control", "")) is stored
