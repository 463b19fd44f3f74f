"""django-allauth hooks: VBT has no open sign-up; people join a team by invitation."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from django.http import HttpRequest
from django.shortcuts import render


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Closed: the only way in is an invitation link (buurten.services.uitnodigingen).

        Accepting an invitation does not pass through allauth's sign-up form, so that form never
        opens. Instead of allauth's plain "closed" page (HTTP 200) the sign-up URL answers with
        the "alleen op uitnodiging" page as HTTP 403, the way allauth documents for this hook.
        """
        raise ImmediateHttpResponse(render(request, "account/signup_closed.html", status=403))
