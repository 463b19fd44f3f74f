"""Integral action points (acties): what the team does with a broader wish, who leads it, who
helps, how far it is, and what the residents thought of it afterwards.

Status changes only through `acties.services` (workflow table in `acties.workflow`).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from buurten.models import Buurt, Partner, Subgebied, Team
from core.privacy import Persoonsgegeven
from signalen.models import Signaal, Steunbetuiging

_ACTIE_BEWAREN = _("Zolang de actie bestaat; met het team verwijderd.")


class ActieStatus(models.TextChoices):
    GEPLAND = "gepland", _("Gepland")
    IN_UITVOERING = "in_uitvoering", _("In uitvoering")
    AFGEROND = "afgerond", _("Afgerond")
    GESTOPT = "gestopt", _("Gestopt")
    HEROPEND = "heropend", _("Heropend")


class Actie(models.Model):
    """A VBT-actie: integral work of several partners on one or more related signals."""

    personal_data = {
        "created_by": Persoonsgegeven(doel=_("Wie de actie aanmaakte."), bewaren=_ACTIE_BEWAREN),
    }
    # Public texts written by the team about the work, never about a person.
    geen_persoonsgegevens = ("omschrijving", "publieke_reden")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="acties")
    titel = models.CharField(_("titel"), max_length=160)
    omschrijving = models.TextField(
        _("openbare omschrijving"), blank=True, help_text=_("Zichtbaar voor bewoners op de buurtpagina.")
    )
    buurt = models.ForeignKey(Buurt, on_delete=models.PROTECT, related_name="acties")
    subgebied = models.ForeignKey(
        Subgebied, on_delete=models.SET_NULL, null=True, blank=True, related_name="acties"
    )
    trekker = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="getrokken_acties",
        verbose_name=_("trekker (partner)"),
    )
    partners = models.ManyToManyField(
        Partner, related_name="acties", blank=True, verbose_name=_("deelnemende partners")
    )
    start = models.DateField(_("geplande start"), null=True, blank=True)
    eind = models.DateField(_("gepland einde"), null=True, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=ActieStatus.choices, default=ActieStatus.GEPLAND
    )
    status_gewijzigd_at = models.DateTimeField(null=True, blank=True)
    # When it went into uitvoering (for "stalled without residents") and when it was done.
    in_uitvoering_at = models.DateTimeField(null=True, blank=True)
    afgerond_at = models.DateTimeField(null=True, blank=True)
    # The public reason of the last stop or reopening.
    publieke_reden = models.TextField(_("openbare reden"), blank=True)
    # Progress 0–100 set by hand; used only when the actie has no milestones.
    voortgang_handmatig = models.PositiveSmallIntegerField(_("voortgang (%)"), default=0)
    # Residents who pick it up: the sum of BewonerTrekker.aantal, kept here for lists.
    bewoners_aantal = models.PositiveIntegerField(_("aantal bewoners dat meedoet"), default=0)
    # "Heeft het geholpen?": when the question was sent to the supporters (once).
    geholpen_gevraagd_at = models.DateTimeField(null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("actie")
        verbose_name_plural = _("acties")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["team", "status"]),
            models.Index(fields=["buurt", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(voortgang_handmatig__lte=100), name="actie_voortgang_tot_100"
            ),
            models.CheckConstraint(
                condition=models.Q(start__isnull=True)
                | models.Q(eind__isnull=True)
                | models.Q(eind__gte=models.F("start")),
                name="actie_eind_na_start",
            ),
        ]

    def __str__(self) -> str:
        return self.titel


class ActieSignaal(models.Model):
    """A signal taken up in an actie: a signal belongs to at most one actie."""

    actie = models.ForeignKey(Actie, on_delete=models.CASCADE, related_name="koppelingen")
    signaal = models.OneToOneField(Signaal, on_delete=models.CASCADE, related_name="actie_koppeling")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gekoppeld signaal")
        verbose_name_plural = _("gekoppelde signalen")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.actie_id} ← {self.signaal_id}"


class ActieStatusWijziging(models.Model):
    """One row of an actie's history: who moved it from which status to which, when and why."""

    personal_data = {
        "door": Persoonsgegeven(doel=_("Wie de status veranderde."), bewaren=_ACTIE_BEWAREN),
        "reden": Persoonsgegeven(doel=_("Waarom de status veranderde."), bewaren=_ACTIE_BEWAREN),
    }

    actie = models.ForeignKey(Actie, on_delete=models.CASCADE, related_name="statuswijzigingen")
    van = models.CharField(max_length=20, choices=ActieStatus.choices, blank=True)
    naar = models.CharField(max_length=20, choices=ActieStatus.choices)
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The partner the person acted for (shown instead of a name).
    partner = models.ForeignKey(Partner, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reden = models.TextField(_("reden"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("statuswijziging van een actie")
        verbose_name_plural = _("statuswijzigingen van acties")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.van or '–'} → {self.naar}"


class VoortgangWijziging(models.Model):
    """A change of the hand-set progress; going back needs a reason."""

    personal_data = {
        "door": Persoonsgegeven(doel=_("Wie de voortgang veranderde."), bewaren=_ACTIE_BEWAREN),
        "reden": Persoonsgegeven(doel=_("Waarom de voortgang terugging."), bewaren=_ACTIE_BEWAREN),
    }

    actie = models.ForeignKey(Actie, on_delete=models.CASCADE, related_name="voortgangswijzigingen")
    van = models.PositiveSmallIntegerField()
    naar = models.PositiveSmallIntegerField()
    reden = models.TextField(_("reden"), blank=True)
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("voortgangswijziging")
        verbose_name_plural = _("voortgangswijzigingen")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.van}% → {self.naar}%"


class Mijlpaal(models.Model):
    """A milestone of an actie; progress is the weighted share of milestones done."""

    actie = models.ForeignKey(Actie, on_delete=models.CASCADE, related_name="mijlpalen")
    titel = models.CharField(_("titel"), max_length=160)
    gewicht = models.PositiveSmallIntegerField(_("gewicht"), default=1)
    gedaan_at = models.DateTimeField(_("gedaan op"), null=True, blank=True)
    volgorde = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mijlpaal")
        verbose_name_plural = _("mijlpalen")
        ordering = ["volgorde", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(gewicht__gte=1) & models.Q(gewicht__lte=100),
                name="mijlpaal_gewicht_bereik",
            ),
        ]

    def __str__(self) -> str:
        return self.titel


def update_foto_pad(instance: "Voortgangsupdate", filename: str) -> str:
    # The stored name never carries the uploaded name (it may hold a person's name).
    return f"acties/{instance.actie_id}/{instance.foto_uuid}.{instance.foto_formaat}"


class Voortgangsupdate(models.Model):
    """A public progress update ("jij zei, wij deden"): signed by the partner, never a person."""

    personal_data = {
        "door": Persoonsgegeven(doel=_("Wie de update schreef (alleen intern)."), bewaren=_ACTIE_BEWAREN),
        "foto": Persoonsgegeven(
            doel=_("Een foto bij de update, zonder EXIF-gegevens."), bewaren=_ACTIE_BEWAREN
        ),
    }

    actie = models.ForeignKey(Actie, on_delete=models.CASCADE, related_name="updates")
    datum = models.DateField(_("datum"))
    tekst = models.TextField(_("openbare tekst"))
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("namens partner")
    )
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    foto = models.ImageField(
        upload_to=update_foto_pad, blank=True, width_field="foto_breedte", height_field="foto_hoogte"
    )
    foto_uuid = models.UUIDField(default=uuid.uuid4, editable=False)
    foto_formaat = models.CharField(max_length=4, blank=True)
    foto_breedte = models.PositiveIntegerField(default=0)
    foto_hoogte = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("voortgangsupdate")
        verbose_name_plural = _("voortgangsupdates")
        ordering = ["-datum", "-created_at"]

    def __str__(self) -> str:
        return f"{self.actie_id} {self.datum}"


class Notitie(models.Model):
    """An internal note: team-wide, or for one partner only. Never public."""

    personal_data = {
        "tekst": Persoonsgegeven(doel=_("Interne afstemming over de actie."), bewaren=_ACTIE_BEWAREN),
        "door": Persoonsgegeven(doel=_("Wie de notitie schreef."), bewaren=_ACTIE_BEWAREN),
    }

    actie = models.ForeignKey(Actie, on_delete=models.CASCADE, related_name="notities")
    tekst = models.TextField(_("notitie"))
    alleen_partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("alleen zichtbaar voor partner"),
    )
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("interne notitie")
        verbose_name_plural = _("interne notities")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"notitie {self.pk}"


class BewonerTrekker(models.Model):
    """Residents who pick up an actie: a count, and only with consent a first name and e-mail."""

    personal_data = {
        "voornaam": Persoonsgegeven(
            doel=_("Bewoners die meedoen aanspreken (alleen met toestemming)."), bewaren=_ACTIE_BEWAREN
        ),
        "email": Persoonsgegeven(
            doel=_("Bewoners die meedoen op de hoogte houden (alleen met toestemming)."),
            bewaren=_("Tot afmelden of tot de actie wordt verwijderd."),
        ),
        "door": Persoonsgegeven(doel=_("Wie de bewoners vastlegde."), bewaren=_ACTIE_BEWAREN),
    }

    actie = models.ForeignKey(Actie, on_delete=models.CASCADE, related_name="bewoners")
    aantal = models.PositiveIntegerField(_("aantal bewoners"), default=1)
    voornaam = models.CharField(_("voornaam"), max_length=60, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    toestemming = models.BooleanField(_("toestemming voor naam en e-mail"), default=False)
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bewoner die meedoet")
        verbose_name_plural = _("bewoners die meedoen")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(voornaam="") & models.Q(email="")) | models.Q(toestemming=True),
                name="bewoner_gegevens_alleen_met_toestemming",
            ),
            models.CheckConstraint(
                condition=models.Q(aantal__gte=1) & models.Q(aantal__lte=1000), name="bewoner_aantal_bereik"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.aantal} × {self.actie_id}"


class GeholpenAntwoord(models.TextChoices):
    JA = "ja", _("Ja")
    DEELS = "deels", _("Deels")
    NEE = "nee", _("Nee")


class GeholpenVraag(models.Model):
    """One "heeft het geholpen?" question mailed to one consenting supporter: about an actie or a
    forwarded signal. Its nonce makes the link work for one answer; the answer itself is stored
    apart (`GeholpenReactie`) without a link back to the support."""

    steun = models.ForeignKey(Steunbetuiging, on_delete=models.CASCADE, related_name="+")
    actie = models.ForeignKey(Actie, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    signaal = models.ForeignKey(Signaal, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    nonce = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    beantwoord_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("vraag 'heeft het geholpen?'")
        verbose_name_plural = _("vragen 'heeft het geholpen?'")
        constraints = [
            models.UniqueConstraint(fields=["steun", "actie"], name="geholpen_een_vraag_per_steun_actie"),
            models.UniqueConstraint(fields=["steun", "signaal"], name="geholpen_een_vraag_per_steun_signaal"),
            models.CheckConstraint(
                condition=models.Q(actie__isnull=False) | models.Q(signaal__isnull=False),
                name="geholpen_over_actie_of_signaal",
            ),
        ]

    def __str__(self) -> str:
        return f"vraag {self.pk}"


class GeholpenReactie(models.Model):
    """A resident's answer to "heeft het geholpen?", kept without any tie to the resident."""

    actie = models.ForeignKey(Actie, on_delete=models.CASCADE, null=True, blank=True, related_name="reacties")
    signaal = models.ForeignKey(Signaal, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    buurt = models.ForeignKey(Buurt, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    antwoord = models.CharField(_("antwoord"), max_length=10, choices=GeholpenAntwoord.choices)
    opmerking = models.TextField(_("opmerking"), blank=True)
    # Day only: a timestamp could tie the answer to the mail log.
    datum = models.DateField(_("datum"))

    class Meta:
        verbose_name = _("antwoord 'heeft het geholpen?'")
        verbose_name_plural = _("antwoorden 'heeft het geholpen?'")
        indexes = [models.Index(fields=["team", "datum"])]

    def __str__(self) -> str:
        return self.get_antwoord_display()


class Triage(Signaal):
    """The triage queue in the admin: signals waiting for a coördinator's decision, with the
    actions that make acties of them (a proxy: signalen's admin cannot import acties)."""

    class Meta:
        proxy = True
        verbose_name = _("signaal in de triage")
        verbose_name_plural = _("triage")
