"""django-allauth hooks: VBT has no open sign-up; people join a team by invitation."""

import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from django.http import HttpRequest
from django.shortcuts import render

from core import encryption


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Closed: the only way in is an invitation link (buurten.services.uitnodigingen).

        Accepting an invitation does not pass through allauth's sign-up form, so that form never
        opens. Instead of allauth's plain "closed" page (HTTP 200) the sign-up URL answers with
        the "alleen op uitnodiging" page as HTTP 403, the way allauth documents for this hook.
        """
        raise ImmediateHttpResponse(render(request, "account/signup_closed.html", status=403))

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """A login counts as a fresh authentication for ACCOUNT_REAUTHENTICATION_TIMEOUT.

        allauth asks for the password again before a sensitive action (setting up TOTP) unless
        the person *re*authenticated lately, and it does not count the login itself: a new
        coordinator would type the password twice within a minute. After the timeout the
        password is asked again, as for every later sensitive action.
        """
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = self.request
        if request is None or not request.user.is_authenticated:
            return True
        records = get_authentication_records(request, request.user)
        logins = [r for r in records if not r.get("reauthenticated")]
        if not logins:
            return True
        return time.time() - logins[-1]["at"] >= account_settings.REAUTHENTICATION_TIMEOUT


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are stored encrypted (core.encryption)."""

    def encrypt(self, text: str) -> str:
        return encryption.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return encryption.decrypt(encrypted_text)
