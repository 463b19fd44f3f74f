"""What a resident sends online before confirming it by e-mail: a pending support or wish.

Both keep only the household's keyed hash (never the address) and the nonce of the signed link
(publiek.services); confirmed, they become a Steunbetuiging or a Signaal through the signalen
services. Every row goes after its link expired (the daily `publiek.tasks.online_opruimen`).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurten.models import Buurt, Team
from core.privacy import Persoonsgegeven
from signalen.models import Signaal, Thema

_TWEE_DAGEN = _(
    "Tot de bevestigingslink verloopt (48 uur), dan gewist door de dagelijkse ronde; bevestigd geldt de "
    "bewaartermijn van de steun of het signaal."
)


class OnlineSteun(models.Model):
    """A household's support given on the public page, counted only once confirmed by e-mail."""

    personal_data = {
        "huishouden_hash": Persoonsgegeven(
            doel=_(
                "De steun na bevestiging per e-mail bij het juiste huishouden tellen (versleutelde code)."
            ),
            bewaren=_TWEE_DAGEN,
        ),
        "email": Persoonsgegeven(
            doel=_("Updates over het signaal sturen, alleen met toestemming."),
            bewaren=_TWEE_DAGEN,
        ),
        "email_toestemming": Persoonsgegeven(
            doel=_("Vastleggen dat de bewoner toestemming gaf voor e-mail."), bewaren=_TWEE_DAGEN
        ),
    }

    # No cascade from Signaal: the purge of old signals must not look for pending rows (they are
    # gone within 48 hours anyway); a link whose signal was removed reads as expired.
    signaal = models.ForeignKey(Signaal, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    huishouden_hash = models.CharField(max_length=64, editable=False)
    # Only with consent: the address the confirmation mail goes to is kept by the outbox alone.
    email = models.EmailField(blank=True)
    email_toestemming = models.BooleanField(default=False)
    nonce = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    bevestigd_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("online steun (wacht op bevestiging)")
        verbose_name_plural = _("online steun (wacht op bevestiging)")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(email="") | models.Q(email_toestemming=True),
                name="online_steun_email_alleen_met_toestemming",
            ),
        ]

    def __str__(self) -> str:
        return f"online steun {self.pk}"


class OnlineWens(models.Model):
    """A resident's own wish for the buurt, logged as a signal (kanaal online) once confirmed."""

    personal_data = {
        "omschrijving": Persoonsgegeven(doel=_("De wens van de bewoner."), bewaren=_TWEE_DAGEN),
        "lat": Persoonsgegeven(doel=_("Waar de wens over gaat (optioneel)."), bewaren=_TWEE_DAGEN),
        "lon": Persoonsgegeven(doel=_("Waar de wens over gaat (optioneel)."), bewaren=_TWEE_DAGEN),
        "huishouden_hash": Persoonsgegeven(
            doel=_("Het huishouden van de indiener als eerste steun tellen (versleutelde code)."),
            bewaren=_TWEE_DAGEN,
        ),
    }

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    buurt = models.ForeignKey(Buurt, on_delete=models.CASCADE, related_name="+")
    titel = models.CharField(max_length=120)
    omschrijving = models.TextField(blank=True)
    thema = models.ForeignKey(Thema, on_delete=models.CASCADE, related_name="+")
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    huishouden_hash = models.CharField(max_length=64, editable=False, db_index=True)
    nonce = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    bevestigd_at = models.DateTimeField(null=True, blank=True)
    signaal = models.ForeignKey(
        Signaal, on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("online wens (wacht op bevestiging)")
        verbose_name_plural = _("online wensen (wachten op bevestiging)")

    def __str__(self) -> str:
        return f"online wens {self.pk}"
