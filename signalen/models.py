"""Street walks, signals, their support and their history."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurten.models import Buurt, Gemeente, Partner, Subgebied, Team
from core.bereik import Bereik
from core.privacy import Persoonsgegeven

_SIGNAAL_BEWAREN = _(
    "Een open signaal zonder activiteit binnen de termijn van het team (standaard 12 maanden) wordt "
    "afgewezen; een afgerond of afgewezen signaal wordt na de bewaartermijn van het team "
    "(standaard 24 maanden) met alles erbij verwijderd."
)
_WIJKRONDE_BEWAREN = _("Zolang de wijkronde bestaat; op verzoek geanonimiseerd met het account.")


class Kanaal(models.TextChoices):
    STRAATGESPREK = "straatgesprek", _("Straatgesprek")
    HUISBEZOEK = "huisbezoek", _("Huisbezoek")
    STRAATHOEKBIJEENKOMST = "straathoekbijeenkomst", _("Straathoekbijeenkomst")
    VRAGENLIJST = "vragenlijst", _("Vragenlijst")
    BUURTBIJEENKOMST = "buurtbijeenkomst", _("Buurtbijeenkomst")
    BEWONERSINITIATIEF = "bewonersinitiatief", _("Bewonersinitiatief")
    VIA_PARTNER = "via_partner", _("Via partner")
    ONLINE = "online", _("Online (buurtpagina)")


class Status(models.TextChoices):
    NIEUW = "nieuw", _("Nieuw")
    DRAAGVLAK_GEZOCHT = "draagvlak_gezocht", _("Draagvlak gezocht")
    DRAAGVLAK_BEREIKT = "draagvlak_bereikt", _("Draagvlak bereikt")
    GETRIEERD = "getrieerd", _("Getrieerd")
    IN_ACTIE = "in_actie", _("In actie")
    AFGEROND = "afgerond", _("Afgerond")
    AFGEWEZEN = "afgewezen", _("Afgewezen")
    HEROPEND = "heropend", _("Heropend")


class TriageUitkomst(models.TextChoices):
    INTEGRAAL = "integraal", _("Integraal (VBT-actie)")
    PRIMAIRE_TAAK = "primaire_taak", _("Primaire taak (doorgezet)")


class Thema(models.Model):
    """Topic of a signal, per gemeente."""

    geen_persoonsgegevens = ("naam",)

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="themas")
    naam = models.CharField(_("naam"), max_length=100)
    actief = models.BooleanField(_("actief"), default=True)
    # Signals of a sensitive thema are shown on public pages only at buurt level, never on the map.
    gevoelig = models.BooleanField(
        _("gevoelig"),
        default=False,
        help_text=_("Openbaar alleen per buurt getoond, nooit als punt op de kaart."),
    )

    class Meta:
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        ordering = ["naam"]
        constraints = [
            models.UniqueConstraint(fields=["gemeente", "naam"], name="thema_uniek_per_gemeente"),
        ]

    def __str__(self) -> str:
        return self.naam


class Wijkronde(models.Model):
    """A street walk by team members, during which signals are logged."""

    personal_data = {
        "route": Persoonsgegeven(
            doel=_("Vastleggen waar het team liep (GPS-route)."),
            bewaren=_("Tot de bewaartermijn voor GPS-routes van het team (standaard 3 maanden), dan gewist."),
        ),
        "lopers": Persoonsgegeven(doel=_("Wie meeliep."), bewaren=_WIJKRONDE_BEWAREN),
        "notities": Persoonsgegeven(doel=_("Wat opviel tijdens de ronde."), bewaren=_WIJKRONDE_BEWAREN),
        "created_by": Persoonsgegeven(doel=_("Wie de ronde vastlegde."), bewaren=_WIJKRONDE_BEWAREN),
    }

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="wijkrondes")
    datum = models.DateField(_("datum"))
    buurten = models.ManyToManyField(Buurt, related_name="wijkrondes", verbose_name=_("buurten"))
    lopers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="wijkrondes", blank=True, verbose_name=_("gelopen door")
    )
    meegelopen_partners = models.ManyToManyField(
        Partner,
        related_name="wijkrondes",
        blank=True,
        verbose_name=_("meegelopen partners"),
        help_text=_("Mensen van partners zonder account: alleen de organisatie wordt vastgelegd."),
    )
    route = models.JSONField(_("route (GeoJSON-lijn)"), null=True, blank=True)
    notities = models.TextField(_("notities"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("wijkronde")
        verbose_name_plural = _("wijkrondes")
        ordering = ["-datum", "-created_at"]

    def __str__(self) -> str:
        return f"{self.team} {self.datum:%d-%m-%Y}"


class Signaal(models.Model):
    """Something residents said: a wish, complaint or improvement point."""

    personal_data = {
        "omschrijving": Persoonsgegeven(
            doel=_("Wat bewoners zeiden; kan over een persoon gaan (dan vertrouwelijk)."),
            bewaren=_SIGNAAL_BEWAREN,
        ),
        "lat": Persoonsgegeven(doel=_("Waar het signaal over gaat."), bewaren=_SIGNAAL_BEWAREN),
        "lon": Persoonsgegeven(doel=_("Waar het signaal over gaat."), bewaren=_SIGNAAL_BEWAREN),
        "created_by": Persoonsgegeven(doel=_("Wie het signaal vastlegde."), bewaren=_SIGNAAL_BEWAREN),
    }

    # Indexes below, not per foreign key: the tally rewrites every counted row, and each index
    # a row is in costs a write. (team, status) and (thema, lat, lon) serve team and thema.
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="signalen", db_index=False)
    wijkronde = models.ForeignKey(
        Wijkronde, on_delete=models.SET_NULL, null=True, blank=True, related_name="signalen", db_index=False
    )
    titel = models.CharField(_("titel"), max_length=120)
    omschrijving = models.TextField(_("wat er gezegd is"), blank=True)
    thema = models.ForeignKey(Thema, on_delete=models.PROTECT, related_name="signalen", db_index=False)
    kanaal = models.CharField(_("kanaal"), max_length=30, choices=Kanaal.choices)
    lat = models.FloatField(_("breedtegraad"))
    lon = models.FloatField(_("lengtegraad"))
    buurt = models.ForeignKey(Buurt, on_delete=models.PROTECT, related_name="signalen")
    subgebied = models.ForeignKey(
        Subgebied, on_delete=models.SET_NULL, null=True, blank=True, related_name="signalen", db_index=False
    )
    over_persoon = models.BooleanField(
        _("gaat over een persoon"), default=False, help_text=_("Dan is het signaal altijd vertrouwelijk.")
    )
    vertrouwelijk = models.BooleanField(
        _("vertrouwelijk"), default=False, help_text=_("Nooit openbaar, alleen zichtbaar voor het team.")
    )

    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.NIEUW)
    status_gewijzigd_at = models.DateTimeField(null=True, blank=True)
    triage_uitkomst = models.CharField(_("triage"), max_length=20, choices=TriageUitkomst.choices, blank=True)
    doorgezet_naar = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="doorgezette_signalen",
        db_index=False,
    )

    # Tally results, written only by signalen.services (tally); never edited by hand.
    steun_huishoudens = models.PositiveIntegerField(_("steunende huishoudens"), default=0)
    steun_anoniem = models.PositiveIntegerField(_("anonieme steun"), default=0)
    steun_totaal = models.DecimalField(_("steun totaal"), max_digits=10, decimal_places=2, default=0)
    steun_berekend_at = models.DateTimeField(null=True, blank=True)
    # Set whenever support changes; the tally picks up these rows and clears the flag.
    steun_herberekenen = models.BooleanField(default=False)
    # Earliest moment a currently counted support expires: the tally must look again then.
    steun_verloopt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    draagvlak_gemeld_at = models.DateTimeField(null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["team", "status"]),
            models.Index(fields=["thema", "lat", "lon"]),
            # The list's order within a team: a page is read from the index (keyset pagination),
            # never a sort of all the team's signals. No column here changes after logging, so the
            # tally's rewrites stay HOT updates that add no entry to it.
            models.Index(fields=["team", "created_at", "id"], name="signaal_lijst_idx"),
            # Optional links only where set (an empty one adds no index entry on each write).
            *(
                models.Index(
                    fields=[name],
                    condition=models.Q(**{f"{name}__isnull": False}),
                    name=f"signaal_{name}_idx",
                )
                for name in ("wijkronde", "subgebied", "doorgezet_naar", "created_by")
            ),
            # Only the marked rows: small, and clearing the mark adds no index entry.
            models.Index(
                fields=["id"], condition=models.Q(steun_herberekenen=True), name="signaal_te_tellen_idx"
            ),
            # The dashboard's lead times: a team's signals moved since a date, read from the
            # index alone on PostgreSQL (the included columns; ignored elsewhere).
            models.Index(
                fields=["team", "status_gewijzigd_at"],
                include=["id", "buurt", "thema", "created_at"],
                name="signaal_team_gewijzigd_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(over_persoon=False) | models.Q(vertrouwelijk=True),
                name="signaal_over_persoon_is_vertrouwelijk",
            ),
        ]

    def __str__(self) -> str:
        return self.titel


# Raised hands at one meeting: at least one person, at most a very large buurtbijeenkomst.
AANTAL_ANONIEM = Bereik(1, 1000)


class Steunbetuiging(models.Model):
    """A household's support for a signal, or an anonymous group's (a count of raised hands)."""

    personal_data = {
        "huishouden_hash": Persoonsgegeven(
            doel=_("Eén steun per huishouden tellen zonder het adres op te slaan (versleutelde code)."),
            bewaren=_SIGNAAL_BEWAREN,
        ),
        "email": Persoonsgegeven(
            doel=_("Updates over het signaal sturen, alleen met toestemming."),
            bewaren=_(
                "Tot de steun wordt ingetrokken (dan de volgende dag gewist) of het signaal verwijderd wordt."
            ),
        ),
        "email_toestemming": Persoonsgegeven(
            doel=_("Vastleggen dat de bewoner toestemming gaf voor e-mail."), bewaren=_SIGNAAL_BEWAREN
        ),
        "ingetrokken_door": Persoonsgegeven(doel=_("Wie de steun introk."), bewaren=_SIGNAAL_BEWAREN),
        "created_by": Persoonsgegeven(doel=_("Wie de steun vastlegde."), bewaren=_SIGNAAL_BEWAREN),
    }

    signaal = models.ForeignKey(Signaal, on_delete=models.CASCADE, related_name="steunbetuigingen")
    kanaal = models.CharField(_("kanaal"), max_length=30, choices=Kanaal.choices)
    datum = models.DateField(_("datum"))
    # HMAC-SHA256 of the normalised postcode + huisnummer; no address is ever stored.
    huishouden_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)
    aantal_anoniem = models.PositiveIntegerField(_("aantal anonieme personen"), default=0)
    email = models.EmailField(_("e-mailadres voor updates"), blank=True)
    email_toestemming = models.BooleanField(_("toestemming voor e-mail"), default=False)
    ingetrokken_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    ingetrokken_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("steunbetuiging")
        verbose_name_plural = _("steunbetuigingen")
        ordering = ["-datum", "-created_at"]
        indexes = [
            # Every column the tally reads, so on PostgreSQL it counts a batch from the index
            # alone (an index-only scan) instead of visiting a million scattered table rows.
            models.Index(
                fields=["signaal", "datum", "ingetrokken_at", "aantal_anoniem", "huishouden_hash"],
                name="steun_telling_idx",
            )
        ]
        constraints = [
            # One active support per household per signal.
            models.UniqueConstraint(
                fields=["signaal", "huishouden_hash"],
                condition=models.Q(ingetrokken_at__isnull=True, huishouden_hash__isnull=False),
                name="steun_een_huishouden_eenmaal",
            ),
            # Either a household or an anonymous count, never both.
            models.CheckConstraint(
                condition=(
                    models.Q(huishouden_hash__isnull=False, aantal_anoniem=0)
                    | models.Q(huishouden_hash__isnull=True, aantal_anoniem__gte=1)
                ),
                name="steun_huishouden_of_anoniem",
            ),
            # With the rule above: 0 for a household, else inside AANTAL_ANONIEM.
            models.CheckConstraint(
                condition=models.Q(aantal_anoniem__lte=AANTAL_ANONIEM.hoog),
                name="steun_aantal_anoniem_bereik",
            ),
            models.CheckConstraint(
                condition=models.Q(email="") | models.Q(email_toestemming=True),
                name="steun_email_alleen_met_toestemming",
            ),
        ]

    def __str__(self) -> str:
        if self.huishouden_hash:
            return str(_("Huishouden via %(kanaal)s") % {"kanaal": self.get_kanaal_display()})
        return str(
            _("%(aantal)s anoniem via %(kanaal)s")
            % {"aantal": self.aantal_anoniem, "kanaal": self.get_kanaal_display()}
        )


def foto_pad(instance: "Foto", filename: str) -> str:
    # The stored name never carries the uploaded name (it may hold a person's name).
    return f"signalen/{instance.signaal_id}/{instance.uuid}.{instance.formaat}"


class Foto(models.Model):
    """A photo with a signal, re-encoded without EXIF."""

    personal_data = {
        "bestand": Persoonsgegeven(
            doel=_("Een foto bij het signaal, zonder EXIF-gegevens (zoals locatie en toestel)."),
            bewaren=_SIGNAAL_BEWAREN,
        ),
        "created_by": Persoonsgegeven(doel=_("Wie de foto toevoegde."), bewaren=_SIGNAAL_BEWAREN),
    }

    signaal = models.ForeignKey(Signaal, on_delete=models.CASCADE, related_name="fotos")
    uuid = models.UUIDField(unique=True)
    formaat = models.CharField(max_length=4)  # jpg, png, webp
    bestand = models.ImageField(upload_to=foto_pad, width_field="breedte", height_field="hoogte")
    breedte = models.PositiveIntegerField(default=0)
    hoogte = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("foto")
        verbose_name_plural = _("foto's")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.signaal_id}/{self.uuid}.{self.formaat}"


class StatusWijziging(models.Model):
    """One row of a signal's history: who moved it from which status to which, when and why."""

    personal_data = {
        "door": Persoonsgegeven(doel=_("Wie de status veranderde."), bewaren=_SIGNAAL_BEWAREN),
        "reden": Persoonsgegeven(doel=_("Waarom de status veranderde."), bewaren=_SIGNAAL_BEWAREN),
    }

    signaal = models.ForeignKey(Signaal, on_delete=models.CASCADE, related_name="statuswijzigingen")
    van = models.CharField(max_length=30, choices=Status.choices, blank=True)
    naar = models.CharField(max_length=30, choices=Status.choices)
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reden = models.TextField(_("reden"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("statuswijziging")
        verbose_name_plural = _("statuswijzigingen")
        ordering = ["created_at", "id"]
        indexes = [
            # When a signal first reached a status (the dashboard's lead times), from the index alone.
            models.Index(fields=["signaal", "naar", "created_at"], name="statuswijziging_naar_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.van or '–'} → {self.naar}"


class HuishoudenIntrekking(models.Model):
    """A household's request to withdraw all its support: the link mailed to confirm it works
    once and for 48 hours (signalen.services.intrekken). Only the household's hash is kept."""

    personal_data = {
        "huishouden_hash": Persoonsgegeven(
            doel=_("De steun van het juiste huishouden intrekken na bevestiging per e-mail."),
            bewaren=_("30 dagen na de aanvraag, dan gewist door de dagelijkse ronde."),
        ),
    }

    huishouden_hash = models.CharField(max_length=64, editable=False)
    nonce = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    gebruikt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("intrekking door een huishouden")
        verbose_name_plural = _("intrekkingen door huishoudens")

    def __str__(self) -> str:
        return f"intrekking {self.pk}"


class DoorzetAntwoord(models.TextChoices):
    OPGEPAKT = "opgepakt", _("Opgepakt")
    AFGEHANDELD = "afgehandeld", _("Afgehandeld")
    NIET_ONZE_TAAK = "niet_onze_taak", _("Niet onze taak")


class Doorzetting(models.Model):
    """A signal forwarded to one partner as its primary task, and its follow-up: the date the
    team looks again, the partner's answer (through a signed link, without an account), and the
    one reminder. Closed when the partner handled it, returned it, or the signal was closed."""

    personal_data = {
        "notitie": Persoonsgegeven(doel=_("Het antwoord van de partner."), bewaren=_SIGNAAL_BEWAREN),
        "door": Persoonsgegeven(doel=_("Wie het signaal doorzette."), bewaren=_SIGNAAL_BEWAREN),
        "beantwoord_door": Persoonsgegeven(
            doel=_("Wie het antwoord van de partner vastlegde."), bewaren=_SIGNAAL_BEWAREN
        ),
    }

    signaal = models.ForeignKey(Signaal, on_delete=models.CASCADE, related_name="doorzettingen")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="doorzettingen")
    opvolgen_op = models.DateField(_("opvolgen op"))
    antwoord = models.CharField(_("antwoord"), max_length=20, choices=DoorzetAntwoord.choices, blank=True)
    notitie = models.TextField(_("toelichting"), blank=True)
    beantwoord_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    # Null when the partner's contact answered through the link (no account).
    beantwoord_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    herinnerd_at = models.DateTimeField(_("herinnering verstuurd op"), null=True, blank=True)
    afgehandeld_at = models.DateTimeField(null=True, blank=True)
    gesloten_at = models.DateTimeField(_("gesloten op"), null=True, blank=True)
    # "Heeft het geholpen?": when the question was sent to the supporters (once).
    geholpen_gevraagd_at = models.DateTimeField(null=True, blank=True)
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("doorzetting")
        verbose_name_plural = _("doorzettingen")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["opvolgen_op"],
                condition=models.Q(gesloten_at__isnull=True),
                name="doorzetting_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signaal_id} → {self.partner_id}"
