"""Forms for inviting people and accepting an invitation."""

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from buurten.models import Partner, Rol, Team, User


class UitnodigingForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mailadres"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=_("Naar dit adres sturen we de uitnodigingslink. Hij is 7 dagen geldig."),
    )
    partner = forms.ModelChoiceField(
        label=_("Namens partner"),
        queryset=Partner.objects.none(),
        empty_label=_("Kies een partner"),
    )
    rol = forms.ChoiceField(label=_("Rol in het team"), choices=Rol.choices, initial=Rol.TEAMLID)

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(gemeente=team.gemeente).order_by("naam")


class LidToevoegenForm(UitnodigingForm):
    """The invitation's fields, for a person who already has an account."""

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, team=team, **kwargs)
        self.fields["email"].help_text = _(
            "Het e-mailadres waarmee deze persoon al inlogt, bijvoorbeeld voor een ander team. "
            "Diegene krijgt een e-mail dat hij of zij is toegevoegd."
        )


class UitnodigingAccepterenForm(forms.Form):
    first_name = forms.CharField(
        label=_("Voornaam"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Achternaam"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    password1 = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minstens 8 tekens, niet alleen cijfers en niet te voor de hand liggend."),
    )
    password2 = forms.CharField(
        label=_("Wachtwoord herhalen"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("De twee wachtwoorden zijn niet gelijk."))
        elif password1:
            # Validated against an unsaved user so "too similar to your name/e-mail" works.
            candidate = User(
                email=self.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
