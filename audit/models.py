"""The audit log: append-only, one row per action (BIO 8.15.01: actor, object, action, result,
origin, time)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.privacy import Persoonsgegeven

from .context import Herkomst


class Resultaat(models.TextChoices):
    GELUKT = "gelukt", _("gelukt")
    GEWEIGERD = "geweigerd", _("geweigerd")
    MISLUKT = "mislukt", _("mislukt")


class AppendOnly(Exception):
    """The audit log is never changed or deleted through the ORM."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("Het auditlog kan niet worden gewijzigd.")

    def delete(self):
        raise AppendOnly("Het auditlog kan niet worden verwijderd.")


_AUDIT_BEWAREN = _(
    "Het auditlog wordt nooit gewijzigd en niet gewist bij een AVG-verzoek (wettelijke logplicht)."
)


class AuditRegel(models.Model):
    personal_data = {
        "door": Persoonsgegeven(
            doel=_("Verantwoording: wie deed wat en wanneer (BIO)."), bewaren=_AUDIT_BEWAREN
        ),
        "door_label": Persoonsgegeven(
            doel=_("Verantwoording: het e-mailadres van wie het deed, ook als het account later verandert."),
            bewaren=_AUDIT_BEWAREN,
        ),
        "door_partner": Persoonsgegeven(
            doel=_("Namens welke partner iemand handelde."), bewaren=_AUDIT_BEWAREN
        ),
        "ip": Persoonsgegeven(doel=_("Verantwoording: vanaf welk IP-adres."), bewaren=_AUDIT_BEWAREN),
    }

    created_at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)
    # The person, or null for the system (then `door_label` names the job).
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
        db_constraint=False,
    )
    door_label = models.CharField(_("actor"), max_length=254)
    door_partner = models.CharField(_("partner van de actor"), max_length=200, blank=True)
    team_id = models.BigIntegerField(_("team"), null=True, blank=True, db_index=True)
    herkomst = models.CharField(_("herkomst"), max_length=10, choices=Herkomst.choices)
    ip = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)
    actie = models.CharField(_("actie"), max_length=60, db_index=True)
    object_type = models.CharField(_("objecttype"), max_length=60, blank=True)
    object_id = models.CharField(_("object-id"), max_length=40, blank=True)
    resultaat = models.CharField(_("resultaat"), max_length=10, choices=Resultaat.choices)
    details = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.door_label} {self.actie} {self.resultaat}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("Een auditregel wordt nooit gewijzigd.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Een auditregel wordt nooit verwijderd.")
