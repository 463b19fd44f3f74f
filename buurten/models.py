"""Places (gemeente, wijk, buurt, subgebied), teams, partners and the people in them."""

from decimal import Decimal

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.bereik import Bereik
from core.email import email_normalise
from core.privacy import Persoonsgegeven


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("Een e-mailadres is verplicht.")
        user = self.model(email=email_normalise(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


_ACCOUNT_BEWAREN = _(
    "Zolang het account bestaat; na een jaar zonder inloggen uitgeschakeld; "
    "op verzoek geanonimiseerd (avg_erase)."
)


class User(AbstractUser):
    """A person who logs in with an e-mail address."""

    personal_data = {
        "email": Persoonsgegeven(
            doel=_("Inloggen en berichten van het team ontvangen."), bewaren=_ACCOUNT_BEWAREN
        ),
        "first_name": Persoonsgegeven(doel=_("Laten zien wie iets deed."), bewaren=_ACCOUNT_BEWAREN),
        "last_name": Persoonsgegeven(doel=_("Laten zien wie iets deed."), bewaren=_ACCOUNT_BEWAREN),
        "last_login": Persoonsgegeven(doel=_("Ongebruikte accounts herkennen."), bewaren=_ACCOUNT_BEWAREN),
    }

    username = None
    email = models.EmailField(_("e-mailadres"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Gebied(models.Model):
    """A CBS area: code, name, GeoJSON geometry and its bounding box."""

    geen_persoonsgegevens = ("naam", "min_lon", "min_lat", "max_lon", "max_lat")

    code = models.CharField(_("CBS-code"), max_length=10, unique=True)
    naam = models.CharField(_("naam"), max_length=200)
    geometrie = models.JSONField(_("geometrie (GeoJSON)"), null=True, blank=True)
    min_lon = models.FloatField(null=True, blank=True)
    min_lat = models.FloatField(null=True, blank=True)
    max_lon = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["naam"]

    def __str__(self) -> str:
        return f"{self.naam} ({self.code})"

    @property
    def bbox(self) -> tuple[float, float, float, float] | None:
        if self.min_lon is None:
            return None
        return (self.min_lon, self.min_lat, self.max_lon, self.max_lat)


class Gemeente(Gebied):
    class Meta(Gebied.Meta):
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")


class Wijk(Gebied):
    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="wijken")

    class Meta(Gebied.Meta):
        verbose_name = _("wijk")
        verbose_name_plural = _("wijken")


class Buurt(Gebied):
    wijk = models.ForeignKey(Wijk, on_delete=models.PROTECT, related_name="buurten")

    class Meta(Gebied.Meta):
        verbose_name = _("buurt")
        verbose_name_plural = _("buurten")


class PartnerType(models.TextChoices):
    GEMEENTE = "gemeente", _("Gemeente")
    POLITIE = "politie", _("Politie")
    WONINGCORPORATIE = "woningcorporatie", _("Woningcorporatie")
    WELZIJN = "welzijn", _("Welzijn")
    OVERIG = "overig", _("Overig")


class Partner(models.Model):
    """A partner organisation of a gemeente: gemeente, politie, woningcorporatie, welzijn."""

    geen_persoonsgegevens = ("naam",)
    personal_data = {
        "contact_email": Persoonsgegeven(
            doel=_("Doorgezette signalen naar de partner sturen (kan een persoonlijk adres zijn)."),
            bewaren=_("Zolang de partner bestaat; op verzoek gewist (avg_erase)."),
        ),
    }

    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="partners")
    naam = models.CharField(_("naam"), max_length=200)
    type = models.CharField(_("soort"), max_length=20, choices=PartnerType.choices)
    contact_email = models.EmailField(
        _("contact e-mailadres"), blank=True, help_text=_("Voor doorgezette signalen (primaire taak).")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["naam"]
        constraints = [
            models.UniqueConstraint(fields=["gemeente", "naam"], name="partner_uniek_per_gemeente"),
        ]

    def __str__(self) -> str:
        return self.naam


# The ranges of a team's draagvlak and retention settings (form, service and database use these).
# At least one household, and no more than a large buurt could muster for one wish.
DREMPEL_HUISHOUDENS = Bereik(1, 1000)
# A raised hand counts as nothing up to as much as a whole household.
ANONIEM_GEWICHT = Bereik(Decimal(0), Decimal(1))
# Support from up to five years ago; older support says little about the buurt today.
STEUN_VENSTER_MAANDEN = Bereik(1, 60)
# At least a month, at most ten years: longer keeps personal data without a purpose (AVG).
BEWAARTERMIJN_MAANDEN = Bereik(1, 120)
# Idle open signals and GPS routes (AVG): at least a month, at most ten years.
INACTIEF_TERMIJN_MAANDEN = Bereik(1, 120)
ROUTE_BEWAARTERMIJN_MAANDEN = Bereik(1, 120)
GEHOLPEN_WEKEN = Bereik(1, 52)


class Team(models.Model):
    """A Veilige Buurten Team in one or more buurten of one gemeente."""

    geen_persoonsgegevens = ("naam", "route_bewaartermijn_maanden")

    naam = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("korte naam"), unique=True, help_text=_("Voor de openbare buurtpagina."))
    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="teams")
    buurten = models.ManyToManyField(Buurt, related_name="teams", verbose_name=_("buurten"))
    partners = models.ManyToManyField(
        Partner, through="PartnerInzet", related_name="teams", verbose_name=_("partners")
    )

    # Gezamenlijk doel: the text and each partner's commitment (PartnerInzet.toezegging) are on the
    # public buurt page; what the team asks of a partner (PartnerInzet.gevraagd) is not.
    doel = models.TextField(_("gezamenlijk doel"), blank=True)
    doel_start = models.DateField(_("startdatum doel"), null=True, blank=True)
    doel_evaluatie = models.DateField(_("evaluatiedatum doel"), null=True, blank=True)

    # Draagvlak: when does a signal become a broader wish?
    drempel_huishoudens = models.PositiveIntegerField(
        _("drempel (huishoudens)"),
        default=5,
        validators=DREMPEL_HUISHOUDENS.validators(),
        help_text=_("Aantal verschillende huishoudens dat een signaal moet steunen."),
    )
    anoniem_gewicht = models.DecimalField(
        _("gewicht anonieme steun"),
        max_digits=3,
        decimal_places=2,
        default=0.5,
        validators=ANONIEM_GEWICHT.validators(),
        help_text=_(
            "Telt een anonieme steunbetuiging (bijvoorbeeld handopsteken) mee als deel van een huishouden."
        ),
    )
    steun_venster_maanden = models.PositiveIntegerField(
        _("geldigheid steun (maanden)"),
        default=12,
        validators=STEUN_VENSTER_MAANDEN.validators(),
        help_text=_("Steun ouder dan dit telt niet meer mee."),
    )
    bewaartermijn_maanden = models.PositiveIntegerField(
        _("bewaartermijn (maanden)"),
        default=24,
        validators=BEWAARTERMIJN_MAANDEN.validators(),
        help_text=_("Hoe lang afgeronde en afgewezen signalen met hun gegevens bewaard blijven (AVG)."),
    )
    # Retention of open work (AVG), run daily by signalen.tasks.retentie_daily.
    inactief_termijn_maanden = models.PositiveIntegerField(
        _("open signaal sluiten na (maanden zonder activiteit)"),
        default=12,
        validators=INACTIEF_TERMIJN_MAANDEN.validators(),
        help_text=_(
            "Een open signaal zonder steun of statuswijziging in deze tijd wordt afgewezen en later gewist."
        ),
    )
    route_bewaartermijn_maanden = models.PositiveIntegerField(
        _("bewaartermijn GPS-routes (maanden)"),
        default=3,
        validators=ROUTE_BEWAARTERMIJN_MAANDEN.validators(),
        help_text=_("Hoe lang de gelopen route van een wijkronde bewaard blijft."),
    )
    # "Heeft het geholpen?" (acties): weeks after an actie is done or a forward is handled.
    geholpen_weken = models.PositiveIntegerField(
        _("'heeft het geholpen?' na (weken)"),
        default=4,
        validators=GEHOLPEN_WEKEN.validators(),
        help_text=_("Zoveel weken na afronding vragen we bewoners die dat wilden of het geholpen heeft."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["naam"]
        constraints = [
            DREMPEL_HUISHOUDENS.constraint("drempel_huishoudens", name="team_drempel_bereik"),
            ANONIEM_GEWICHT.constraint("anoniem_gewicht", name="team_anoniem_gewicht_bereik"),
            STEUN_VENSTER_MAANDEN.constraint("steun_venster_maanden", name="team_steun_venster_bereik"),
            BEWAARTERMIJN_MAANDEN.constraint("bewaartermijn_maanden", name="team_bewaartermijn_bereik"),
            INACTIEF_TERMIJN_MAANDEN.constraint(
                "inactief_termijn_maanden", name="team_inactief_termijn_bereik"
            ),
            ROUTE_BEWAARTERMIJN_MAANDEN.constraint(
                "route_bewaartermijn_maanden", name="team_route_bewaartermijn_bereik"
            ),
            GEHOLPEN_WEKEN.constraint("geholpen_weken", name="team_geholpen_weken_bereik"),
        ]

    def __str__(self) -> str:
        return self.naam


class PartnerInzet(models.Model):
    """What a partner commits to for a team's shared goal, and what the team asks of it."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="inzet")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="inzet")
    toezegging = models.TextField(_("wat de partner inbrengt"), blank=True)
    gevraagd = models.TextField(_("wat het team van de partner vraagt"), blank=True)

    class Meta:
        verbose_name = _("inzet van een partner")
        verbose_name_plural = _("inzet van partners")
        constraints = [
            models.UniqueConstraint(fields=["team", "partner"], name="inzet_uniek_per_team_partner"),
        ]

    def __str__(self) -> str:
        return f"{self.partner} in {self.team}"


class Rol(models.TextChoices):
    TEAMLID = "teamlid", _("Teamlid")
    COORDINATOR = "coordinator", _("Coördinator")


class Lidmaatschap(models.Model):
    """A person's seat in a team on behalf of one partner."""

    personal_data = {
        "user": Persoonsgegeven(
            doel=_("Wie in welk team zit, namens welke partner en met welke rol."),
            bewaren=_("Tot het lid het team verlaat of het account geanonimiseerd wordt."),
        ),
    }

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="lidmaatschappen")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="lidmaatschappen")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="lidmaatschappen")
    rol = models.CharField(_("rol"), max_length=20, choices=Rol.choices, default=Rol.TEAMLID)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "team", "partner"], name="lidmaatschap_uniek_per_persoon_team_partner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.team} ({self.partner})"


class Uitnodiging(models.Model):
    """An invitation by e-mail into a team; the token is the link, it expires and works once."""

    personal_data = {
        "email": Persoonsgegeven(
            doel=_("De uitnodiging versturen en het account koppelen."),
            bewaren=_("30 dagen nadat de uitnodiging gebruikt of verlopen is."),
        ),
        "uitgenodigd_door": Persoonsgegeven(
            doel=_("Laten zien wie uitnodigde."),
            bewaren=_("30 dagen nadat de uitnodiging gebruikt of verlopen is."),
        ),
    }

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="uitnodigingen")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="uitnodigingen")
    rol = models.CharField(_("rol"), max_length=20, choices=Rol.choices, default=Rol.TEAMLID)
    email = models.EmailField(_("e-mailadres"))
    token = models.CharField(max_length=64, unique=True)
    uitgenodigd_door = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    verloopt_at = models.DateTimeField(_("verloopt op"))
    geaccepteerd_at = models.DateTimeField(_("geaccepteerd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.team}"


class Subgebied(models.Model):
    """Part of a buurt a team works in: one street up to the whole buurt."""

    geen_persoonsgegevens = ("naam",)

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="subgebieden")
    buurt = models.ForeignKey(Buurt, on_delete=models.PROTECT, related_name="subgebieden")
    naam = models.CharField(_("naam"), max_length=200)
    geometrie = models.JSONField(_("gebied (GeoJSON-polygoon)"), null=True, blank=True)

    class Meta:
        verbose_name = _("subgebied")
        verbose_name_plural = _("subgebieden")
        ordering = ["naam"]
        constraints = [
            models.UniqueConstraint(fields=["team", "buurt", "naam"], name="subgebied_uniek"),
        ]

    def __str__(self) -> str:
        return f"{self.naam} ({self.buurt.naam})"
