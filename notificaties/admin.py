"""The outbox in the admin: superusers see every mail, why it failed, and send it again.

Read-only: nothing is added, changed or deleted here. "Opnieuw versturen" calls `bericht_retry`.
Coordinators (staff without model permissions) do not see it: the rows name other teams' people.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Bericht
from .services import bericht_retry


def _superuser(request) -> bool:
    return request.user.is_active and request.user.is_superuser


@admin.register(Bericht)
class BerichtAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "status",
        "soort",
        "ontvanger",
        "pogingen",
        "volgende_poging_at",
        "fout_kort",
    ]
    list_filter = ["status", "soort"]
    search_fields = ["ontvanger", "sleutel"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "created_at",
        "status",
        "soort",
        "ontvanger",
        "sleutel",
        "context",
        "pogingen",
        "volgende_poging_at",
        "verzonden_at",
        "fout",
    ]
    fields = readonly_fields
    actions = ["opnieuw_versturen"]

    @admin.display(description=_("laatste fout"))
    def fout_kort(self, obj: Bericht) -> str:
        return Truncator(obj.fout).chars(80)

    def has_module_permission(self, request) -> bool:
        return _superuser(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return _superuser(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Opnieuw versturen"))
    def opnieuw_versturen(self, request, queryset) -> None:
        if not _superuser(request):
            raise PermissionDenied
        opnieuw = sum(bericht_retry(bericht=bericht, door=request.user) for bericht in queryset)
        overgeslagen = queryset.count() - opnieuw
        if opnieuw:
            self.message_user(
                request,
                ngettext(
                    "%(n)s e-mail wordt opnieuw verstuurd.",
                    "%(n)s e-mails worden opnieuw verstuurd.",
                    opnieuw,
                )
                % {"n": opnieuw},
                messages.SUCCESS,
            )
        if overgeslagen:
            self.message_user(
                request,
                ngettext(
                    "%(n)s e-mail was al verstuurd en wordt niet nog eens verstuurd.",
                    "%(n)s e-mails waren al verstuurd en worden niet nog eens verstuurd.",
                    overgeslagen,
                )
                % {"n": overgeslagen},
                messages.WARNING,
            )
