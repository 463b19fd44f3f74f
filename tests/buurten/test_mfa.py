"""TOTP two-factor authentication: mandatory for coordinators and staff."""

import time
from urllib.parse import urlencode

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from buurten.mfa import user_has_mfa, user_needs_mfa
from buurten.models import Rol
from tests.factories import LidmaatschapFactory, UserFactory, activate_totp, verify_email

pytestmark = pytest.mark.django_db

WACHTWOORD = "geheim-wachtwoord-123"  # the UserFactory's
SETUP = reverse("mfa_activate_totp")


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


@pytest.fixture
def superuser():
    return verify_email(UserFactory(is_staff=True, is_superuser=True))


def login(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": WACHTWOORD})


def test_who_needs_mfa():
    teamlid = LidmaatschapFactory(rol=Rol.TEAMLID).user
    coordinator = LidmaatschapFactory(rol=Rol.COORDINATOR).user
    staff = UserFactory(is_staff=True)
    assert not user_needs_mfa(teamlid)
    assert user_needs_mfa(coordinator)
    assert user_needs_mfa(staff)
    assert not user_has_mfa(coordinator)
    activate_totp(coordinator)
    assert user_has_mfa(coordinator)


@pytest.mark.parametrize("who", ["superuser", "coordinator"])
def test_admin_redirects_to_mfa_setup_without_totp(client, request, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url == f"{SETUP}?next=%2Fadmin%2F"
    page = client.get(SETUP, follow=True)
    assert "tweestapsverificatie nodig" in page.content.decode()


def test_coordinator_page_redirects_to_mfa_setup_without_totp(client, coordinator):
    team = coordinator.lidmaatschappen.get().team
    client.force_login(coordinator)
    page = reverse("buurten:uitnodigen", kwargs={"team_id": team.pk})
    response = client.get(page)
    assert response.status_code == 302
    assert response.url == f"{SETUP}?{urlencode({'next': page})}"


def test_teamlid_is_not_asked_for_mfa(client):
    teamlid = verify_email(LidmaatschapFactory(rol=Rol.TEAMLID).user)
    client.force_login(teamlid)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403  # logged in, not admitted: no login loop, no MFA setup
    assert reverse("mfa_activate_totp") not in [url for url, _ in response.redirect_chain]


def test_with_totp_the_admin_opens(client, superuser):
    activate_totp(superuser)
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 200


def test_coordinator_with_totp_reaches_the_invite_page(client, coordinator):
    activate_totp(coordinator)
    team = coordinator.lidmaatschappen.get().team
    client.force_login(coordinator)
    assert client.get(reverse("buurten:uitnodigen", kwargs={"team_id": team.pk})).status_code == 200


def test_admin_login_form_is_replaced_by_the_allauth_login(client):
    response = client.get("/admin/login/?next=/admin/buurten/")
    assert response.status_code == 302
    assert response.url == reverse("account_login") + "?next=%2Fadmin%2Fbuurten%2F"


def test_login_with_totp_asks_for_the_code(client, superuser):
    secret = activate_totp(superuser)
    response = login(client, superuser)
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # the password alone is not enough

    page = client.get(reverse("mfa_authenticate"))
    assert "Vul de code uit je authenticator-app in" in page.content.decode()
    wrong = client.post(
        reverse("mfa_authenticate"), {"code": "000000" if current_code(secret) != "000000" else "1"}
    )
    assert "Ongeldige code" in wrong.content.decode()
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == superuser.pk
    assert client.get("/admin/").status_code == 200


def test_coordinator_sets_up_totp_on_the_dutch_page(client, coordinator):
    login(client, coordinator)
    # The password was typed a moment ago: the setup page opens without asking it again.
    page = client.get(SETUP)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Authenticator-app instellen" in html
    assert '<label for="authenticator_secret">' in html
    secret = page.context["form"].secret

    wrong = client.post(SETUP, {"code": "12"})
    assert wrong.status_code == 200
    assert not Authenticator.objects.filter(user=coordinator).exists()

    response = client.post(SETUP, {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=coordinator, type=Authenticator.Type.TOTP).exists()
    codes = client.get(response.url)
    assert "Herstelcodes" in codes.content.decode()
    assert "Je authenticator-app is actief." in client.get(reverse("mfa_index")).content.decode()


def test_invited_coordinator_sets_up_totp_right_after_accepting(client, coordinator):
    from buurten.services.uitnodigingen import uitnodiging_create

    lid = coordinator.lidmaatschappen.get()
    activate_totp(coordinator)
    uitnodiging = uitnodiging_create(
        team=lid.team, partner=lid.partner, rol=Rol.COORDINATOR, email="nieuw@example.nl", door=coordinator
    )
    client.post(
        reverse("buurten:uitnodiging_accepteren", kwargs={"token": uitnodiging.token}),
        {
            "first_name": "Anna",
            "last_name": "Smeets",
            "password1": "Zonnebloem-Maas-7",
            "password2": "Zonnebloem-Maas-7",
        },
    )
    invite = reverse("buurten:uitnodigen", kwargs={"team_id": lid.team.pk})
    setup = client.get(invite).url
    assert setup == f"{SETUP}?{urlencode({'next': invite})}"
    page = client.get(setup)  # the password was typed a moment ago: no second prompt
    assert page.status_code == 200
    response = client.post(setup, {"code": current_code(page.context["form"].secret), "next": invite})
    assert response.url == invite
    assert client.get(invite).status_code == 200


def test_first_visit_goes_login_totp_setup_and_back_to_the_page_asked_for(client, coordinator):
    dashboard = reverse("signalen:dashboard")
    response = client.get(dashboard)
    assert response.url == f"{reverse('account_login')}?next=/signalen/dashboard/"
    response = client.post(response.url, {"login": coordinator.email, "password": WACHTWOORD})
    assert response.url == dashboard
    setup = client.get(dashboard).url
    assert setup == f"{SETUP}?next=%2Fsignalen%2Fdashboard%2F"

    page = client.get(setup)  # no second password prompt right after logging in
    assert page.status_code == 200
    html = page.content.decode()
    assert "tweestapsverificatie nodig" in html
    assert '<input type="hidden" name="next" value="/signalen/dashboard/">' in html
    assert "Code uit je authenticator-app" in html  # allauth's label has no Dutch translation
    response = client.post(SETUP, {"code": current_code(page.context["form"].secret), "next": dashboard})
    assert response.url == dashboard  # not the recovery-codes page
    assert Authenticator.objects.filter(user=coordinator, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=coordinator, type=Authenticator.Type.RECOVERY_CODES).exists()

    page = client.get(dashboard)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Dashboard coördinator" in html
    assert "Je vindt ze op de pagina Tweestapsverificatie (/accounts/2fa/)." in html


def test_setup_later_than_the_timeout_after_login_asks_the_password_again(client, coordinator, settings):
    login(client, coordinator)
    session = client.session
    records = session[AUTHENTICATION_METHODS_SESSION_KEY]
    records[-1]["at"] -= settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 1  # the login is now that old
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session.save()

    response = client.get(f"{SETUP}?next=%2Fsignalen%2Fdashboard%2F")
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert "Bevestig dat jij het bent" in client.get(response.url).content.decode()
    wrong = client.post(response.url, {"password": "niet-mijn-wachtwoord"})
    assert wrong.status_code == 200
    response = client.post(response.url, {"password": WACHTWOORD})
    assert response.url == f"{SETUP}?next=%2Fsignalen%2Fdashboard%2F"
    assert client.get(response.url).status_code == 200


def test_setup_never_sends_to_another_site(client, coordinator):
    login(client, coordinator)
    page = client.get(f"{SETUP}?next=https://elders.example/")
    assert 'name="next" value="https://elders.example/"' not in page.content.decode()
    response = client.post(
        SETUP, {"code": current_code(page.context["form"].secret), "next": "https://elders.example/"}
    )
    assert response.url == reverse("mfa_view_recovery_codes")  # allauth's own ending


def test_a_form_post_without_totp_returns_to_the_page_of_the_form(client, coordinator):
    team = coordinator.lidmaatschappen.get().team
    client.force_login(coordinator)
    form_page = reverse("buurten:uitnodigen", kwargs={"team_id": team.pk})
    response = client.post(form_page, {"email": "x@example.nl"}, HTTP_REFERER=f"http://testserver{form_page}")
    assert response.url == f"{SETUP}?{urlencode({'next': form_page})}"
    response = client.post(form_page, {"email": "x@example.nl"}, HTTP_REFERER="https://elders.example/")
    assert response.url == SETUP
