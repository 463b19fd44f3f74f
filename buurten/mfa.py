"""Two-factor authentication (TOTP) is mandatory for coordinators and staff.

Until they have set it up, they cannot open the admin or any coordinator page: they are sent
to allauth's TOTP setup page with a message, and after setting it up back to the page they
asked for (`TOTPActivateView`). The admin is guarded by the middleware below; coordinator views
use `coordinator_mfa_required` (functions) or `CoordinatorMFARequiredMixin`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode, urlsplit

from allauth.account.utils import get_next_redirect_url
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.views import ActivateTOTPView
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from buurten.models import Rol


def user_needs_mfa(user) -> bool:
    """Staff, superusers and anyone who coordinates a team must use two-factor authentication."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    from buurten.selectors.teams import zetels_onthouden

    if (zetels := zetels_onthouden(user=user)) is not None:
        return any(rol == Rol.COORDINATOR for _team_id, rol in zetels)
    return user.lidmaatschappen.filter(rol=Rol.COORDINATOR).exists()


def user_has_mfa(user) -> bool:
    """Whether the user has an authenticator app (TOTP) set up."""
    return bool(user.is_authenticated) and is_mfa_enabled(user, [Authenticator.Type.TOTP])


def mfa_missing(user) -> bool:
    return user_needs_mfa(user) and not user_has_mfa(user)


def _return_path(request: HttpRequest) -> str:
    """Where to go after the setup: this page, or for a form post the page the form was on."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return f"{parts.path}?{parts.query}" if parts.query else parts.path
    return ""


def redirect_to_mfa_setup(request: HttpRequest, message: str | None = None) -> HttpResponseRedirect:
    """To the TOTP setup page, which sends the person back (`next`) once it is done."""
    messages.warning(
        request,
        message
        or _(
            "Als coördinator of beheerder heb je tweestapsverificatie nodig. Stel eerst een "
            "authenticator-app in; daarna kun je verder."
        ),
    )
    setup = reverse("mfa_activate_totp")
    next_path = _return_path(request)
    if next_path:
        setup = f"{setup}?{urlencode({REDIRECT_FIELD_NAME: next_path})}"
    return HttpResponseRedirect(setup)


class TOTPActivateView(ActivateTOTPView):
    """allauth's TOTP setup page, then back to the page that asked for it.

    allauth itself ends on the recovery-codes page; a coordinator sent here on their first visit
    goes on to where they were going instead, and is told where the recovery codes are. Without
    `next` (setting up from the two-factor page itself) allauth's own ending stays.
    """

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        # allauth's Dutch catalogue lacks this label ("Authenticator code").
        form.fields["code"].label = _("Code uit je authenticator-app")
        return form

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["redirect_field_name"] = REDIRECT_FIELD_NAME
        context["redirect_field_value"] = get_next_redirect_url(self.request) or ""
        return context

    def get_success_url(self) -> str:
        next_url = get_next_redirect_url(self.request)
        if not next_url:
            return super().get_success_url()
        if self.did_generate_recovery_codes:
            messages.info(
                self.request,
                _(
                    "Je hebt ook herstelcodes gekregen, voor als je je telefoon kwijt bent. Je vindt "
                    "ze op de pagina Tweestapsverificatie (%(url)s)."
                )
                % {"url": reverse("mfa_index")},
            )
        return next_url


totp_activate = TOTPActivateView.as_view()


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
