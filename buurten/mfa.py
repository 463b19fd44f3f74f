"""Two-factor authentication (TOTP) is mandatory for coordinators and staff.

Until they have set it up, they cannot open the admin or any coordinator page: they are sent
to allauth's TOTP setup page with a message. The admin is guarded by the middleware below;
coordinator views use `coordinator_mfa_required` (functions) or `CoordinatorMFARequiredMixin`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from buurten.models import Rol


def user_needs_mfa(user) -> bool:
    """Staff, superusers and anyone who coordinates a team must use two-factor authentication."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return user.lidmaatschappen.filter(rol=Rol.COORDINATOR).exists()


def user_has_mfa(user) -> bool:
    """Whether the user has an authenticator app (TOTP) set up."""
    return bool(user.is_authenticated) and is_mfa_enabled(user, [Authenticator.Type.TOTP])


def mfa_missing(user) -> bool:
    return user_needs_mfa(user) and not user_has_mfa(user)


def redirect_to_mfa_setup(request: HttpRequest) -> HttpResponseRedirect:
    messages.warning(
        request,
        _(
            "Als coördinator of beheerder heb je tweestapsverificatie nodig. Stel eerst een "
            "authenticator-app in; daarna kun je verder."
        ),
    )
    return HttpResponseRedirect(reverse("mfa_activate_totp"))


def coordinator_mfa_required(view_func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For coordinator views: log in first, then have TOTP set up if your role needs it.

    Whether the user may see the page at all (coordinator of *this* team) stays the view's
    own check; this only enforces the second factor.
    """

    @wraps(view_func)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if mfa_missing(request.user):
            return redirect_to_mfa_setup(request)
        return view_func(request, *args, **kwargs)

    wrapper.coordinator_page = True  # type: ignore[attr-defined]
    return login_required(wrapper)


class CoordinatorMFARequiredMixin:
    """Class-based coordinator views: same rule as `coordinator_mfa_required`."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        if mfa_missing(request.user):
            return redirect_to_mfa_setup(request)
        return super().dispatch(request, *args, **kwargs)


class MFARequiredMiddleware:
    """Guards the admin: log in through allauth (so the TOTP step runs), and set TOTP up first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        admin_root = reverse("admin:index")
        if not request.path.startswith(admin_root):
            return None
        if request.path == reverse("admin:login"):
            # The admin's own login form checks only the password and would skip the second factor.
            if request.user.is_authenticated:
                # Logged in but not admitted by the admin: sending them to log in again would loop.
                raise PermissionDenied(_("Je hebt geen toegang tot het beheer."))
            target = request.GET.get("next") or admin_root
            return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': target})}")
        if mfa_missing(request.user):
            return redirect_to_mfa_setup(request)
        return None
