"""Browser journey: a new coordinator's first visit on a phone, from the page they asked for,
through login and setting up the authenticator app, back to that page; the password asked once."""

import time

import pytest
from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

from buurten.models import Rol
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WACHTWOORD = "Zonnebloem-Maas-7"


def totp_code(secret: str) -> str:
    """The code the authenticator app shows now, computed with allauth's own TOTP helpers."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


def test_new_coordinator_logs_in_sets_up_totp_and_lands_on_the_dashboard(page):
    seat = f.LidmaatschapFactory(
        rol=Rol.COORDINATOR,
        user=f.UserFactory(email="noor@example.nl", first_name="Noor", last_name="Hermans"),
    )
    seat.user.set_password(WACHTWOORD)
    seat.user.save()
    f.verify_email(seat.user)
    visited: list[str] = []
    page.on("framenavigated", lambda frame: visited.append(frame.url) if frame == page.main_frame else None)

    page.goto("/signalen/dashboard/")
    expect(page.get_by_role("heading", name="Inloggen", level=1)).to_be_visible()
    page.get_by_label("E-mailadres").fill("noor@example.nl")
    page.get_by_label("Wachtwoord").fill(WACHTWOORD)
    page.get_by_role("button", name="Inloggen").click()

    # Straight to the setup, without a second password prompt.
    expect(page.get_by_role("heading", name="Authenticator-app instellen", level=1)).to_be_visible()
    expect(page.get_by_text("Als coördinator of beheerder heb je tweestapsverificatie nodig")).to_be_visible()
    secret = page.get_by_label("Geheime sleutel").input_value()
    page.get_by_label("Code uit je authenticator-app").fill(totp_code(secret))
    page.get_by_role("button", name="Instellen").click()

    expect(page.get_by_role("heading", name="Dashboard coördinator", level=1)).to_be_visible()
    assert page.url.endswith("/signalen/dashboard/")
    expect(page.get_by_text("Je vindt ze op de pagina Tweestapsverificatie (/accounts/2fa/)")).to_be_visible()
    assert Authenticator.objects.filter(user=seat.user, type=Authenticator.Type.TOTP).exists()
    assert not [url for url in visited if "/reauthenticate/" in url or "/recovery-codes/" in url]
    assert sum("/accounts/login/" in url for url in visited) == 1  # the password was asked once
