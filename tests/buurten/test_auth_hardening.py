"""Auth hardening (issue #10, item 6): login throttling per account, TOTP's own budget, and TOTP
secrets encrypted at rest.

The test client always comes from 127.0.0.1: the situation behind the TLS proxy or one office's
NAT, where every person shares one IP address.
"""

import time

import pytest
from allauth.core.internal import ratelimit as allauth_ratelimit
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from core import encryption
from tests.factories import UserFactory, activate_totp, verify_email

pytestmark = pytest.mark.django_db

WACHTWOORD = "geheim-wachtwoord-123"  # the UserFactory's
LOGIN = reverse("account_login")
MFA = reverse("mfa_authenticate")
TE_VEEL = "Te veel inlogpogingen. Probeer het later nogmaals."


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def wrong_code(secret: str) -> str:
    return "000000" if current_code(secret) != "000000" else "111111"


def login(client, email, password=WACHTWOORD):
    return client.post(LOGIN, {"login": email, "password": password})


def logged_in(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


@pytest.fixture
def anna():
    return verify_email(UserFactory(email="anna@example.nl"))


@pytest.fixture
def bram():
    return verify_email(UserFactory(email="bram@example.nl"))


class Later:
    """allauth's rate-limit clock, moved forward (only in allauth's rate-limit module)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def time(self) -> float:
        return time.time() + self.seconds

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def test_thirty_wrong_passwords_for_one_account_do_not_refuse_another_persons_login(anna, bram):
    attacker = Client()
    for _ in range(30):
        response = login(attacker, anna.email, "fout-wachtwoord")
        assert response.status_code == 200
    assert logged_in(attacker) is None

    someone_else = Client()
    response = login(someone_else, bram.email)
    assert response.status_code == 302
    assert logged_in(someone_else) == bram.pk


def test_the_attacked_account_is_locked_for_five_minutes_with_a_dutch_message(anna, monkeypatch):
    attacker = Client()
    for _ in range(5):
        response = login(attacker, anna.email, "fout-wachtwoord")
        assert "e-mailadres en/of wachtwoord is niet correct" in response.content.decode()

    owner = Client()
    response = login(owner, anna.email)
    assert response.status_code == 200
    assert TE_VEEL in response.content.decode()
    assert logged_in(owner) is None

    # Not forever: five minutes after the wrong passwords the owner gets in.
    monkeypatch.setattr(allauth_ratelimit, "time", Later(5 * 60 + 1))
    response = login(owner, anna.email)
    assert response.status_code == 302
    assert logged_in(owner) == anna.pk


def test_a_correct_login_does_not_spend_the_budget(anna):
    for _ in range(10):
        client = Client()
        assert login(client, anna.email).status_code == 302
        assert logged_in(client) == anna.pk


def test_wrong_totp_codes_have_their_own_budget(anna, bram):
    secret = activate_totp(anna)
    attacker = Client()
    assert login(attacker, anna.email).status_code == 302
    for _ in range(5):
        response = attacker.post(MFA, {"code": wrong_code(secret)})
        assert "Ongeldige code" in response.content.decode()
    # The sixth code is refused even when right: the TOTP budget of this account is spent.
    response = attacker.post(MFA, {"code": current_code(secret)})
    assert TE_VEEL in response.content.decode()
    assert logged_in(attacker) is None

    # Nobody else's password budget was spent, nor the account's own password budget.
    other = Client()
    assert login(other, bram.email).status_code == 302
    assert logged_in(other) == bram.pk
    owner = Client()
    assert login(owner, anna.email).url == MFA


def test_many_wrong_totp_codes_of_several_accounts_do_not_refuse_a_password_login(bram):
    for n in range(3):
        user = verify_email(UserFactory(email=f"coord{n}@example.nl"))
        secret = activate_totp(user)
        attacker = Client()
        login(attacker, user.email)
        for _ in range(6):
            attacker.post(MFA, {"code": wrong_code(secret)})
    someone_else = Client()
    assert login(someone_else, bram.email).status_code == 302
    assert logged_in(someone_else) == bram.pk


# --- TOTP secrets encrypted at rest -----------------------------------------------------------------


def test_totp_secret_and_recovery_seed_are_stored_encrypted_and_login_still_works(anna):
    secret = activate_totp(anna)
    codes = RecoveryCodes.activate(anna)
    stored = Authenticator.objects.get(user=anna, type=Authenticator.Type.TOTP).data["secret"]
    assert stored.startswith("fernet:")
    assert secret not in stored
    seed = Authenticator.objects.get(user=anna, type=Authenticator.Type.RECOVERY_CODES).data["seed"]
    assert seed.startswith("fernet:")
    assert len(codes.get_unused_codes()) == 10

    client = Client()
    assert login(client, anna.email).url == MFA
    response = client.post(MFA, {"code": current_code(secret)})
    assert response.status_code == 302
    assert logged_in(client) == anna.pk


def test_the_key_comes_from_the_environment_setting(settings):
    settings.MFA_ENCRYPTION_KEY = Fernet.generate_key().decode()
    token = encryption.encrypt("JBSWY3DPEHPK3PXP")
    assert encryption.decrypt(token) == "JBSWY3DPEHPK3PXP"
    assert Fernet(settings.MFA_ENCRYPTION_KEY).decrypt(token.removeprefix("fernet:").encode()) == (
        b"JBSWY3DPEHPK3PXP"
    )

    settings.MFA_ENCRYPTION_KEY = Fernet.generate_key().decode()
    with pytest.raises(ValueError, match="andere sleutel"):
        encryption.decrypt(token)

    settings.MFA_ENCRYPTION_KEY = "te-kort"
    with pytest.raises(ImproperlyConfigured, match="MFA_ENCRYPTION_KEY"):
        encryption.encrypt("JBSWY3DPEHPK3PXP")


def test_without_the_setting_the_key_is_derived_from_secret_key(settings):
    settings.MFA_ENCRYPTION_KEY = ""
    token = encryption.encrypt("JBSWY3DPEHPK3PXP")
    assert encryption.decrypt(token) == "JBSWY3DPEHPK3PXP"
    settings.SECRET_KEY = "een-andere-geheime-sleutel-" + "x" * 40
    with pytest.raises(ValueError, match="andere sleutel"):
        encryption.decrypt(token)


def test_a_plain_value_is_refused_not_used():
    with pytest.raises(ValueError, match="niet versleuteld"):
        encryption.decrypt("JBSWY3DPEHPK3PXP")
