"""AVG export in the admin: an action on accounts and a page for any e-mail address (a resident too).

Both call `signalen.services.avg.avg_export` (superusers only, with its audit row) and hand back
everything held about the address as JSON and as readable HTML. The account admin is buurten's,
extended here because the export reads what signalen holds (as `teams.py` does for the team admin).
"""

from __future__ import annotations

import io
import json
import zipfile

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from buurten.admin.mensen import UserAdmin
from buurten.models import User
from buurten.selectors import sees_all
from core.forms import add_service_errors

from ..services.avg import avg_export


def export_zip(exports: list[tuple[str, dict]]) -> bytes:
    """One JSON and one HTML file per exported address, in one zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archief:
        for naam, export in exports:
            archief.writestr(f"{naam}.json", json.dumps(export["json"], ensure_ascii=False, indent=2))
            archief.writestr(f"{naam}.html", export["html"])
    return buffer.getvalue()


class AvgExportForm(forms.Form):
    email = forms.CharField(label=_("E-mailadres"), max_length=254)
    formaat = forms.ChoiceField(
        label=_("Formaat"), choices=[("html", _("Leesbaar (HTML)")), ("json", _("JSON"))], initial="html"
    )


admin.site.unregister(User)


@admin.register(User)
class UserMetAvgAdmin(UserAdmin):
    actions = [*UserAdmin.actions, "avg_export_action"]

    @admin.action(description=_("AVG-export: alles wat over deze personen is vastgelegd (JSON en HTML)"))
    def avg_export_action(self, request, queryset):
        try:
            exports = [
                (f"avg-export-{user.pk}", avg_export(email=user.email, door=request.user))
                for user in queryset.order_by("pk")
            ]
        except (ValidationError, PermissionDenied) as fout:
            tekst = " ".join(fout.messages) if isinstance(fout, ValidationError) else str(fout)
            self.message_user(request, tekst, messages.ERROR)
            return None
        response = HttpResponse(export_zip(exports), content_type="application/zip")
        response["Content-Disposition"] = 'attachment; filename="avg-export.zip"'
        return response

    def get_urls(self):
        return [
            path(
                "avg-export/",
                self.admin_site.admin_view(self.avg_export_view),
                name="buurten_user_avg_export",
            ),
            *super().get_urls(),
        ]

    def avg_export_view(self, request):
        """Export by e-mail address: a resident's support and mails have no account to select."""
        if not sees_all(user=request.user):
            raise PermissionDenied(_("Alleen een beheerder mag gegevens van personen exporteren."))
        form = AvgExportForm(request.POST or None)
        status = 200
        if request.method == "POST":
            if form.is_valid():
                try:
                    export = avg_export(email=form.cleaned_data["email"], door=request.user)
                except ValidationError as fout:
                    add_service_errors(form, ValidationError({"email": fout.messages}))
                else:
                    if form.cleaned_data["formaat"] == "json":
                        response = HttpResponse(
                            json.dumps(export["json"], ensure_ascii=False, indent=2),
                            content_type="application/json; charset=utf-8",
                        )
                        response["Content-Disposition"] = 'attachment; filename="avg-export.json"'
                        return response
                    return HttpResponse(export["html"], content_type="text/html; charset=utf-8")
            status = 400
        context = {
            **self.admin_site.each_context(request),
            "title": _("AVG-export per e-mailadres"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/signalen/avg_export.html", context, status=status)
