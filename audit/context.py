"""Where an audited action comes from: a page, the admin, a Celery task or a command.

A contextvar holds the origin and the client's IP address for the current request or task;
`audit_record` reads it, so services need not pass it along.
"""

import contextlib
import contextvars
import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Herkomst(models.TextChoices):
    VIEW = "view", _("pagina")
    ADMIN = "admin", _("beheer (admin)")
    TASK = "task", _("taak (Celery)")
    COMMAND = "command", _("beheercommando")
    SYSTEEM = "systeem", _("systeem")


@dataclass(frozen=True)
class Origin:
    herkomst: str = Herkomst.SYSTEEM
    ip: str | None = None


_DEFAULT = Origin()
_current: contextvars.ContextVar[Origin] = contextvars.ContextVar("audit_origin", default=_DEFAULT)  # noqa: B039 - frozen


def current_origin() -> Origin:
    return _current.get()


@contextlib.contextmanager
def audit_origin(*, herkomst: str, ip: str | None = None):
    """Everything audited inside this block comes from `herkomst` (and `ip`)."""
    token = _current.set(Origin(herkomst=herkomst, ip=ip))
    try:
        yield
    finally:
        _current.reset(token)


def client_ip(request) -> str | None:
    """The client's address as the trusted proxy chain reports it (REMOTE_ADDR without a proxy).

    Each of the `TRUSTED_PROXY_COUNT` proxies in front of VBT appends the address it received the
    request from to X-Forwarded-For, so the client is that many entries from the right; what the
    client wrote further left is not trusted (the rule of allauth's ALLAUTH_TRUSTED_PROXY_COUNT,
    which the login throttle uses). With 0 proxies the header is ignored: anyone can send it. A
    header shorter than the chain, or an entry that is not an address, falls back to REMOTE_ADDR.
    """
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        if len(hops) >= count and (address := _address(hops[-count])):
            return address
    return _address(request.META.get("REMOTE_ADDR", ""))


def _address(text: str) -> str | None:
    """`text` as a normalised IP address (the audit row's field), or None if it is not one."""
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


class AuditOriginMiddleware:
    """Marks every request's audited actions as coming from a page or the admin, with the IP."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        herkomst = Herkomst.ADMIN if request.path.startswith("/admin/") else Herkomst.VIEW
        with audit_origin(herkomst=herkomst, ip=client_ip(request)):
            return self.get_response(request)


_task_tokens: dict = {}


def connect_celery_signals() -> None:
    from celery.signals import task_postrun, task_prerun

    def prerun(task_id=None, **kwargs):
        _task_tokens[task_id] = _current.set(Origin(herkomst=Herkomst.TASK))

    def postrun(task_id=None, **kwargs):
        token = _task_tokens.pop(task_id, None)
        if token is not None:
            with contextlib.suppress(ValueError):
                _current.reset(token)

    task_prerun.connect(prerun, weak=False, dispatch_uid="audit.task_prerun")
    task_postrun.connect(postrun, weak=False, dispatch_uid="audit.task_postrun")
