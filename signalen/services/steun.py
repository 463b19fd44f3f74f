"""Support for a signal: a household (as a keyed hash) or an anonymous count, and withdrawal.

Every change marks the signal for the tally (`steun_herberekenen`) and queues
`signalen.tasks.tally_support` after commit; the tally decides the status.
"""

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from core.actors import BEWONER, is_system, require_actor

from ..models import AANTAL_ANONIEM, Kanaal, Signaal, Status, Steunbetuiging
from ..selectors import user_is_member
from ..tasks import tally_support
from ..workflow import OPEN_STATUSES
from .huishouden import huishouden_hash

logger = logging.getLogger(__name__)

AL_GESTEUND = _("Dit huishouden steunt dit signaal al.")
EMAIL_ZONDER_TOESTEMMING = _(
    "Een e-mailadres bewaren we alleen met toestemming van de bewoner. Vink de toestemming aan of laat het "
    "e-mailadres leeg."
)


def tally_support_queue(*, signaal_ids: list[int]) -> None:
    """Queue the tally of these signals once the current transaction commits (the one place that does).

    Never raises: the signals are marked `steun_herberekenen` in the transaction, so when the
    broker is down the request still succeeds and beat's next tally run counts them."""
    ids = list(signaal_ids)

    def enqueue() -> None:
        try:
            tally_support.delay(signaal_ids=ids)
        except Exception:
            logger.warning(
                "Steuntelling van %s signalen niet meteen in de wachtrij; de periodieke telling doet ze",
                len(ids),
                exc_info=True,
            )

    transaction.on_commit(enqueue)


def steun_queue_tally(*, signaal_ids: list[int]) -> None:
    """Mark signals for the tally and queue it once the current transaction commits."""
    Signaal.objects.filter(pk__in=signaal_ids).update(steun_herberekenen=True)
    tally_support_queue(signaal_ids=signaal_ids)


def _online_bewoner(door, kanaal: str | None) -> bool:
    """A resident who confirmed online (publiek): no team member, so only on kanaal online."""
    return door == BEWONER and kanaal == Kanaal.ONLINE


def _lock_open(signaal: Signaal, door, kanaal: str | None = None) -> Signaal:
    require_actor(door)
    locked = Signaal.objects.select_for_update(of=("self",)).get(pk=signaal.pk)
    if _online_bewoner(door, kanaal):
        if locked.vertrouwelijk or locked.over_persoon:
            raise PermissionDenied(_("Dit signaal is niet openbaar."))
    elif not user_is_member(user=door, team=locked.team_id):
        raise PermissionDenied(_("Alleen leden van het team kunnen steun vastleggen."))
    if locked.status not in OPEN_STATUSES:
        raise ValidationError(
            _("Dit signaal is %(status)s; er kan geen steun meer bij."),
            code="gesloten",
            params={"status": Status(locked.status).label.lower()},
        )
    return locked


def _check_common(errors: dict, *, kanaal: str, datum: dt.date | None) -> None:
    if kanaal not in Kanaal.values:
        errors["kanaal"] = [_("Kies via welk kanaal de steun gegeven is.")]
    if datum is None:
        errors["datum"] = [_("Vul de datum in.")]
    elif datum > timezone.localdate():
        errors["datum"] = [_("De datum kan niet in de toekomst liggen.")]


@transaction.atomic
def steun_register(
    *,
    signaal: Signaal,
    door,
    kanaal: str,
    datum: dt.date,
    postcode: str,
    huisnummer: str,
    email: str = "",
    email_toestemming: bool = False,
    huishouden: str | None = None,
) -> Steunbetuiging:
    """A household supports an open signal, once, whatever the channel; only the address's
    keyed hash is stored, an e-mail address only with consent. `huishouden` is a hash made
    earlier (a confirmed online support: the address itself was never kept); then postcode and
    huisnummer are not used. A resident online acts as `core.actors.BEWONER`, kanaal online only."""
    locked = _lock_open(signaal, door, kanaal)
    errors: dict[str, list] = {}
    _check_common(errors, kanaal=kanaal, datum=datum)
    email = (email or "").strip()
    if email and not email_toestemming:
        errors["email_toestemming"] = [EMAIL_ZONDER_TOESTEMMING]
    digest = huishouden
    if digest is None:
        try:
            digest = huishouden_hash(postcode=postcode, huisnummer=huisnummer)
        except ValidationError as e:
            errors.update(e.message_dict)
    if (
        digest
        and Steunbetuiging.objects.filter(
            signaal=locked, huishouden_hash=digest, ingetrokken_at__isnull=True
        ).exists()
    ):
        errors.setdefault("__all__", []).append(AL_GESTEUND)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            steun = Steunbetuiging.objects.create(
                signaal=locked,
                kanaal=kanaal,
                datum=datum,
                huishouden_hash=digest,
                email=email,
                email_toestemming=bool(email and email_toestemming),
                created_by=None if is_system(door) else door,
            )
    except IntegrityError:
        # Another request registered the same household between the check and the insert.
        raise ValidationError({"__all__": [AL_GESTEUND]}) from None
    _audit_steun(door=door, actie="steun.register", steun=steun, team_id=locked.team_id)
    steun_queue_tally(signaal_ids=[locked.pk])
    return steun


def _audit_steun(*, door, actie: str, steun: Steunbetuiging, team_id: int) -> None:
    # Never the household hash or e-mail address: only ids, the channel and the count.
    audit_record(
        door=door,
        actie=actie,
        object=steun,
        team_id=team_id,
        details={
            "signaal_id": steun.signaal_id,
            "kanaal": steun.kanaal,
            "aantal_anoniem": steun.aantal_anoniem,
        },
    )


@transaction.atomic
def steun_register_anoniem(
    *, signaal: Signaal, door, kanaal: str, datum: dt.date, aantal: int
) -> Steunbetuiging:
    """Anonymous support of `aantal` people (raised hands at a meeting); it counts at the team's weight."""
    locked = _lock_open(signaal, door)
    errors: dict[str, list] = {}
    _check_common(errors, kanaal=kanaal, datum=datum)
    aantal = AANTAL_ANONIEM.geheel(aantal)
    if aantal is None:
        errors["aantal"] = [AANTAL_ANONIEM.melding()]
    if errors:
        raise ValidationError(errors)
    steun = Steunbetuiging.objects.create(
        signaal=locked, kanaal=kanaal, datum=datum, aantal_anoniem=aantal, created_by=door
    )
    _audit_steun(door=door, actie="steun.register_anoniem", steun=steun, team_id=locked.team_id)
    steun_queue_tally(signaal_ids=[locked.pk])
    return steun


@transaction.atomic
def steun_withdraw(*, steunbetuiging: Steunbetuiging, door) -> Steunbetuiging:
    """Withdraw a support (the resident changed their mind or it was a mistake); it stops counting."""
    require_actor(door)
    steun = (
        Steunbetuiging.objects.select_for_update(of=("self",))
        .select_related("signaal")
        .get(pk=steunbetuiging.pk)
    )
    if not user_is_member(user=door, team=steun.signaal.team_id):
        raise PermissionDenied(_("Alleen leden van het team kunnen steun intrekken."))
    if steun.ingetrokken_at is not None:
        raise ValidationError(_("Deze steun is al ingetrokken."), code="ingetrokken")
    steun.ingetrokken_at = timezone.now()
    steun.ingetrokken_door = door
    steun.save(update_fields=["ingetrokken_at", "ingetrokken_door"])
    steunbetuiging.ingetrokken_at, steunbetuiging.ingetrokken_door = steun.ingetrokken_at, door
    _audit_steun(door=door, actie="steun.withdraw", steun=steun, team_id=steun.signaal.team_id)
    steun_queue_tally(signaal_ids=[steun.signaal_id])
    return steun


@transaction.atomic
def steun_herberekenen_team(*, team, door) -> int:
    """Recount all open signals of a team (after its threshold, weight or window changed)."""
    require_actor(door)
    ids = list(Signaal.objects.filter(team=team, status__in=OPEN_STATUSES).values_list("pk", flat=True))
    if ids:
        steun_queue_tally(signaal_ids=ids)
    audit_record(
        door=door,
        actie="steun.herberekenen_team",
        object=team,
        team_id=team.pk,
        details={"signalen": len(ids)},
    )
    return len(ids)
