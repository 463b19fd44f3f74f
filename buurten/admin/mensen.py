"""Accounts (e-mail address as login) in the admin: superusers only."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.utils.translation import gettext_lazy as _

from buurten.models import Lidmaatschap, User
from buurten.selectors.teams import sees_all


class UserCreationAdminForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserChangeAdminForm(DjangoUserChangeForm):
    class Meta:
        model = User
        fields = [
            "email",
            "password",
            "first_name",
            "last_name",
            "is_active",
            "is_staff",
            "is_superuser",
            "groups",
            "user_permissions",
            "last_login",
            "date_joined",
        ]


class LidmaatschapInline(admin.TabularInline):
    model = Lidmaatschap
    extra = 0
    fields = ["team", "partner", "rol"]
    readonly_fields = ["team", "partner", "rol"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts with the e-mail address as login; only superusers manage them."""

    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
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
                "fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"],
                "description": _(
                    "Coördinatoren krijgen 'is_staff' automatisch bij hun rol; ze hebben geen "
                    "modelrechten nodig: het beheer laat hen alleen hun eigen teams zien."
                ),
            },
        ),
        (_("Data"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # a new account has no seats yet

    def has_module_permission(self, request):
        return sees_all(user=request.user)

    def has_view_permission(self, request, obj=None):
        return sees_all(user=request.user)

    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission

    def has_add_permission(self, request):
        return sees_all(user=request.user)
