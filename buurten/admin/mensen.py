"""Accounts (e-mail address as login) in the admin: superusers only, through the services.

An account is never deleted here: the action "Schakel uit" calls `user_deactivate` (ends the
sessions, never the last coördinator of a team). `is_staff` and `is_active` are read-only:
`user_sync_staff` and `user_deactivate` set them.
"""

from __future__ import annotations

import contextvars

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, BaseUserCreationForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from buurten.models import Lidmaatschap, User
from buurten.selectors.teams import sees_all
from buurten.services import mensen as mensen_services
from core.admin import BadInputAdminMixin
from core.forms import add_service_errors


class UserCreationAdminForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self):
        try:
            return mensen_services.user_email_clean(email=self.cleaned_data.get("email", ""))
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["email"]) from exc


class UserChangeAdminForm(DjangoUserChangeForm):
    class Meta:
        model = User
        fields = [
            "email",
            "password",
            "first_name",
            "last_name",
            "is_superuser",
        ]

    def clean(self):
        data = super().clean()
        if data.get("email"):
            try:
                mensen_services.user_email_clean(email=data["email"], exclude_pk=self.instance.pk)
            except ValidationError as exc:
                add_service_errors(self, exc)
        return data

    def _get_validation_exclusions(self):
        # user_email_clean checks the address (also against second allauth addresses) with its message.
        return super()._get_validation_exclusions() | {"email"}


# Who is changing a password in this request: Django's password view builds the form itself.
_door: contextvars.ContextVar = contextvars.ContextVar("vbt_admin_door", default=None)


class PasswordAdminForm(AdminPasswordChangeForm):
    """Django's password form, saved through `user_set_password` (validated and audited)."""

    def save(self, commit=True):
        password = self.cleaned_data["password1"] if self.cleaned_data.get("set_usable_password") else None
        return mensen_services.user_set_password(user=self.user, door=_door.get(), password=password)


class LidmaatschapInline(admin.TabularInline):
    model = Lidmaatschap
    extra = 0
    fields = ["team", "partner", "rol"]
    readonly_fields = ["team", "partner", "rol"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BadInputAdminMixin, DjangoUserAdmin):
    """Accounts with the e-mail address as login; only superusers manage them."""

    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    change_password_form = PasswordAdminForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [LidmaatschapInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Persoon"), {"fields": ["first_name", "last_name"]}),
        (
            _("Rechten"),
            {
                "fields": ["is_active", "is_staff", "is_superuser"],
                "description": _(
                    "Coördinatoren krijgen 'is_staff' automatisch bij hun rol; ze hebben geen "
                    "modelrechten nodig: het beheer laat hen alleen hun eigen teams zien. Een "
                    "account wordt nooit verwijderd: schakel het uit met de actie in de lijst."
                ),
            },
        ),
        (_("Data"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    readonly_fields = ["is_active", "is_staff", "last_login", "date_joined"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    actions = ["deactivate_action", "activate_action"]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # a new account has no seats yet

    def has_module_permission(self, request):
        return sees_all(user=request.user)

    def has_view_permission(self, request, obj=None):
        return sees_all(user=request.user)

    has_change_permission = has_view_permission

    def has_delete_permission(self, request, obj=None):
        return False  # a person is switched off, never deleted

    def has_add_permission(self, request):
        return sees_all(user=request.user)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            mensen_services.user_update(
                user=obj,
                door=request.user,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                is_superuser=data["is_superuser"],
            )
        else:
            created = mensen_services.user_create(
                door=request.user, email=data["email"], password=data["password1"]
            )
            obj.pk = created.pk

    def save_related(self, request, form, formsets, change):
        # No groups or model permissions (the access rule decides) and the seats are read-only:
        # nothing to save; the admin's change message reads these lists.
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def user_change_password(self, request, id, form_url=""):
        token = _door.set(request.user)
        try:
            return super().user_change_password(request, id, form_url)
        finally:
            _door.reset(token)

    def _all_or_nothing(self, request, queryset, service, done_message) -> None:
        user = None
        try:
            with transaction.atomic():
                for user in queryset.order_by("pk"):
                    service(user=user, door=request.user)
        except (ValidationError, PermissionDenied) as exc:
            tekst = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            self.message_user(
                request, _("%(fout)s Er is niets gewijzigd.") % {"fout": f"{user}: {tekst}"}, messages.ERROR
            )
            return
        self.message_user(request, done_message % {"aantal": queryset.count()})

    @admin.action(description=_("Schakel uit (account blijft bestaan, sessies eindigen)"))
    def deactivate_action(self, request, queryset):
        self._all_or_nothing(
            request, queryset, mensen_services.user_deactivate, _("%(aantal)s account(s) uitgeschakeld.")
        )

    @admin.action(description=_("Schakel weer in"))
    def activate_action(self, request, queryset):
        self._all_or_nothing(
            request, queryset, mensen_services.user_activate, _("%(aantal)s account(s) weer ingeschakeld.")
        )
