"""Deleting one signal by hand (the admin's delete): the whole signal, its photo files included, audited.

The retention purge (`bewaren.py`) removes expired signals by itself; this is for a coördinator
or superuser who must remove a signal now (logged by mistake, or personal data that may not stay).
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from core.actors import require_actor
from core.cache import buurten_changed, team_signalen_changed

from ..models import Foto, Signaal
from ..selectors import user_is_coordinator

logger = logging.getLogger(__name__)


class VerwijderReden(models.TextChoices):
    """Why a signal is deleted by hand: a fixed list, so the audit row never holds free text
    (which could name a resident)."""

    VERGISSING = "vergissing", _("Per vergissing vastgelegd")
    DUBBEL = "dubbel", _("Dubbel vastgelegd")
    PERSOONSGEGEVENS = "persoonsgegevens", _("Bevat persoonsgegevens die niet bewaard mogen worden")
    VERZOEK = "verzoek", _("Op verzoek van de bewoner (AVG)")


def foto_files_delete_on_commit(*, namen: list[str]) -> None:
    """Remove stored photo files once the rows that named them are committed as deleted."""

    def delete_files() -> None:
        for naam in namen:
            try:
                default_storage.delete(naam)
            except OSError:
                # The rows are gone; a file that cannot be removed now is logged for the operator.
                logger.exception("Foto %s van een verwijderd signaal kon niet worden verwijderd", naam)

    if namen:
        transaction.on_commit(delete_files)


@transaction.atomic
def signaal_delete(*, signaal: Signaal, door, reden: str) -> None:
    """Delete a signal whole (support, history, photos and their files) for a coördinator of its
    team, with one of the fixed reasons; one audit row keeps what was deleted and why (ids,
    counts and the reason's code, no personal data)."""
    require_actor(door)
    if reden not in VerwijderReden.values:
        raise ValidationError({"reden": [_("Kies waarom het signaal wordt verwijderd.")]})
    locked = Signaal.objects.select_for_update(of=("self",)).filter(pk=signaal.pk).first()
    if locked is None:
        raise ValidationError(_("Dit signaal bestaat niet meer."))
    if not user_is_coordinator(user=door, team=locked.team_id):
        raise PermissionDenied(_("Alleen een coördinator van het team kan een signaal verwijderen."))
    bestanden = list(Foto.objects.filter(signaal=locked).values_list("bestand", flat=True))
    details = {
        "team_id": locked.team_id,
        "status": locked.status,
        "vertrouwelijk": locked.vertrouwelijk,
        "fotos": len(bestanden),
        "steunbetuigingen": locked.steunbetuigingen.count(),
        "statuswijzigingen": locked.statuswijzigingen.count(),
        "reden": reden,
    }
    pk, team_id = locked.pk, locked.team_id
    buurten_changed(locked.buurt_id)
    locked.delete()
    team_signalen_changed(team_id)
    foto_files_delete_on_commit(namen=bestanden)
    audit_record(
        door=door, actie="signaal.delete", object=("signalen.signaal", pk), details=details, team_id=team_id
    )
