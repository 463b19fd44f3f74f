"""The outbox: every e-mail VBT sends is first a row here, written in the caller's transaction."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.privacy import Persoonsgegeven


class BerichtStatus(models.TextChoices):
    WACHTEND = "wachtend", _("wachtend")
    VERZONDEN = "verzonden", _("verzonden")
    MISLUKT = "mislukt", _("mislukt")


class Bericht(models.Model):
    """One e-mail to one recipient for one event; `sleutel` makes queuing it twice a no-op."""

    personal_data = {
        "ontvanger": Persoonsgegeven(
            doel=_("De e-mail versturen en laten zien of hij aankwam."),
            bewaren=_(
                "Zolang de uitgaande post bewaard wordt (de sleutel voorkomt dubbel versturen); "
                "op verzoek gewist (avg_erase)."
            ),
        ),
    }

    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now, db_index=True)
    ontvanger = models.EmailField(_("ontvanger"))
    # A registered kind of mail (see notificaties.registry): its templates and context builder.
    soort = models.CharField(_("soort"), max_length=80)
    # Ids and plain values only; the builder loads what the templates show at sending time.
    context = models.JSONField(_("context"), default=dict, blank=True)
    sleutel = models.CharField(_("idempotentiesleutel"), max_length=200, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=BerichtStatus.choices, default=BerichtStatus.WACHTEND
    )
    pogingen = models.PositiveIntegerField(_("pogingen"), default=0)
    volgende_poging_at = models.DateTimeField(_("volgende poging"), null=True, blank=True)
    verzonden_at = models.DateTimeField(_("verzonden"), null=True, blank=True)
    fout = models.TextField(_("laatste fout"), blank=True)

    class Meta:
        verbose_name = _("e-mailbericht")
        verbose_name_plural = _("uitgaande e-mail")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["volgende_poging_at"],
                name="bericht_wachtend_idx",
                condition=models.Q(status="wachtend"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.soort} → {self.ontvanger} ({self.get_status_display()})"
