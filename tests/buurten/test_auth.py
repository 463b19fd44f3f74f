"""Login with django-allauth: e-mail address as the login, no sign-up, verification, password reset."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from buurten.models import User
from tests.factories import UserFactory, verify_email

pytestmark = pytest.mark.django_db

WACHTWOORD = "geheim-wachtwoord-123"  # the UserFactory's


def logged_in_id(client):
    return client.session.get("_auth_user_id")


def test_login_page_is_dutch_and_labelled(client):
    html = client.get(reverse("account_login")).content.decode()
    assert "<h1>Inloggen</h1>" in html
    assert re.search(r'<label for="id_login">\s*E-mailadres', html)
    assert re.search(r'<label for="id_password">\s*Wachtwoord', html)
    assert "op uitnodiging" in html


def test_login_with_email_address(client):
    user = verify_email(UserFactory(email="anna@example.nl"))
    response = client.post(reverse("account_login"), {"login": "Anna@Example.nl", "password": WACHTWOORD})
    assert response.status_code == 302
    assert response.url == "/"
    assert int(logged_in_id(client)) == user.pk


def test_wrong_password_gets_a_dutch_message(client):
    verify_email(UserFactory(email="anna@example.nl"))
    response = client.post(reverse("account_login"), {"login": "anna@example.nl", "password": "fout"})
    assert response.status_code == 200
    assert "e-mailadres en/of wachtwoord is niet correct" in response.content.decode()
    assert logged_in_id(client) is None


def test_signup_is_closed(client):
    before = User.objects.count()
    for response in (
        client.get(reverse("account_signup")),
        client.post(
            reverse("account_signup"),
            {"email": "zelf@example.nl", "password1": "Zonnebloem-2024", "password2": "Zonnebloem-2024"},
        ),
    ):
        assert response.status_code == 403
        html = response.content.decode()
        assert "Aanmelden alleen op uitnodiging" in html
        assert "coördinator" in html
    assert User.objects.count() == before
    assert mail.outbox == []


def test_unverified_address_gets_a_verification_mail_and_stays_logged_out(client):
    user = UserFactory(email="nieuw@example.nl")
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": WACHTWOORD}, follow=True
    )
    assert "Bevestig je e-mailadres" in response.content.decode()
    assert logged_in_id(client) is None
    (message,) = mail.outbox
    assert message.subject.startswith("[VBT]")
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", message.body).group(1)

    page = client.get(link)
    assert "Bevestig dat nieuw@example.nl jouw e-mailadres is." in page.content.decode()
    client.post(link)
    assert EmailAddress.objects.get(user=user).verified


def test_password_reset_mail_has_a_link_that_sets_a_new_password(client):
    user = verify_email(UserFactory(email="anna@example.nl"))
    page = client.get(reverse("account_reset_password"))
    assert "Wachtwoord vergeten" in page.content.decode()
    response = client.post(reverse("account_reset_password"), {"email": "anna@example.nl"}, follow=True)
    assert "Kijk in je e-mail" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["anna@example.nl"]
    assert "nieuw wachtwoord" in message.body
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert "Nieuw wachtwoord kiezen" in form_page.content.decode()
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    done = client.post(
        action, {"password1": "Nieuw-Zonnebloem-7", "password2": "Nieuw-Zonnebloem-7"}, follow=True
    )
    assert "Je nieuwe wachtwoord is opgeslagen." in done.content.decode()
    user.refresh_from_db()
    assert user.check_password("Nieuw-Zonnebloem-7")


def test_bad_password_reset_link_is_explained(client):
    response = client.get("/accounts/password/reset/key/1-ongeldig/", follow=True)
    assert "Link werkt niet meer" in response.content.decode()


def test_password_reset_for_unknown_address_says_there_is_no_account(client):
    client.post(reverse("account_reset_password"), {"email": "onbekend@example.nl"})
    (message,) = mail.outbox
    assert "Bij dit adres hoort geen account" in message.body
    assert "uitnodiging" in message.body


def test_logout(client):
    user = verify_email(UserFactory())
    client.force_login(user)
    assert "Weet je zeker" in client.get(reverse("account_logout")).content.decode()
    client.post(reverse("account_logout"))
    assert logged_in_id(client) is None
