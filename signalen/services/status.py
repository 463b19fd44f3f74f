"""The one place where a signal's status changes, and triage (which is a status change)."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record, audit_record_many, audit_row
from buurten.models import Partner
from buurten.services.teams import partner_buiten_gemeente
from core.actors import is_system, require_actor
from core.cache import buurten_changed, team_signalen_changed
from notificaties.services import notificatie_queue

from ..emails import DOORGEZET_MAIL
from ..models import Doorzetting, Signaal, Status, StatusWijziging, TriageUitkomst
from ..selectors import actors_for_user
from ..workflow import REDEN_VERPLICHT, Actor, rule_for
from .doorzetten import OPVOLGEN_WERKDAGEN, doorzetting_open, opvolgen_werkdagen_clean
from .steun import tally_support_queue
from .steunmail import DOORGEZET, steun_status_melden


def _check(signaal: Signaal, *, naar: str, actors: set[Actor], reden: str) -> None:
    rule = rule_for(signaal.status, naar)
    if rule is None:
        raise ValidationError(
            _("Een signaal met status ‘%(van)s’ kan niet naar ‘%(naar)s’."),
            code="transition",
            params={"van": Status(signaal.status).label, "naar": Status(naar).label},
        )
    if not rule.actors & actors:
        if rule.actors == {Actor.SYSTEEM}:
            raise PermissionDenied(_("Deze status volgt uit de steuntelling; je kunt hem niet zelf kiezen."))
        if Actor.COORDINATOR in rule.actors and Actor.TEAMLID not in rule.actors:
            raise PermissionDenied(_("Alleen een coördinator van het team kan dit doen."))
        raise PermissionDenied(_("Alleen leden van het team kunnen dit doen."))
    if rule.reden_verplicht and not reden.strip():
        raise ValidationError({"reden": REDEN_VERPLICHT}, code="reden")


def _side_effect_fields(signaal: Signaal, naar: str) -> list[str]:
    """Fields that move with the status (set on `signaal` in memory)."""
    fields = []
    if signaal.status == Status.DRAAGVLAK_BEREIKT and naar in (Status.DRAAGVLAK_GEZOCHT, Status.AFGEWEZEN):
        # A later crossing is a new crossing: the coordinators hear of it again.
        signaal.draagvlak_gemeld_at = None
        fields.append("draagvlak_gemeld_at")
    if naar == Status.DRAAGVLAK_BEREIKT and signaal.status in (Status.GETRIEERD, Status.IN_ACTIE):
        # Back to triage: the earlier decision no longer holds, the tally looks at it again.
        signaal.triage_uitkomst = ""
        signaal.doorgezet_naar_id = None
        signaal.steun_herberekenen = True
        fields += ["triage_uitkomst", "doorgezet_naar_id", "steun_herberekenen"]
    if naar == Status.HEROPEND:
        # A reopened signal is counted again; the tally moves it on from here.
        signaal.draagvlak_gemeld_at = None
        signaal.steun_herberekenen = True
        fields += ["draagvlak_gemeld_at", "steun_herberekenen"]
    return fields


def status_apply(
    signalen: Iterable[Signaal], *, naar: str, door, reden: str = "", now=None, write: bool = True
) -> int:
    """Move already locked signals to `naar` after checking the workflow; writes the history.

    Internal to `signalen.services` (signaal_status_change and the tally call it): callers
    must hold the row locks (select_for_update) inside the current transaction. With
    `write=False` the new status and its side-effect fields (`STATUS_FIELDS`) are only set on
    the instances and the caller saves them in the same transaction (the tally writes a whole
    batch in one statement, and passes light rows with the same attributes: pk, team_id and
    STATUS_FIELDS); the history is always written here, and the audit rows (one per team: the
    signal, or for a batch the ids of the signals that moved). A `SystemActor` is the system
    (the tally). Returns how many moved.
    """
    require_actor(door)
    now = now or timezone.now()
    signalen = list(signalen)
    if not signalen:
        return 0
    history: list[tuple[int, str]] = []
    reopened = []
    # The check depends only on the current status and the team: once per pair, not per signal.
    checked: set[tuple[str, int]] = set()
    for signaal in signalen:
        if (signaal.status, signaal.team_id) in checked:
            continue
        actors = {Actor.SYSTEEM} if is_system(door) else actors_for_user(user=door, team=signaal.team_id)
        _check(signaal, naar=naar, actors=actors, reden=reden)
        checked.add((signaal.status, signaal.team_id))
    # Many rows at once: one UPDATE per group of equal side effects.
    groups: dict[tuple, list[int]] = {}
    for signaal in signalen:
        extra = _side_effect_fields(signaal, naar)
        history.append((signaal.pk, signaal.status))
        signaal.status = naar
        signaal.status_gewijzigd_at = now
        signaal.updated_at = now
        if not write:
            pass
        elif len(signalen) == 1:
            signaal.save(update_fields=["status", "status_gewijzigd_at", "updated_at", *extra])
        else:
            key = tuple((field, getattr(signaal, field)) for field in extra)
            groups.setdefault(key, []).append(signaal.pk)
        if naar == Status.HEROPEND:
            reopened.append(signaal.pk)
    for key, ids in groups.items():
        Signaal.objects.filter(pk__in=ids).update(
            status=naar, status_gewijzigd_at=now, updated_at=now, **dict(key)
        )
    _history_write(history, naar=naar, door=door, reden=reden, now=now)
    _audit_write(signalen, history, naar=naar, door=door)
    _doorzettingen_close(history, naar=naar, now=now)
    team_signalen_changed(*{s.team_id for s in signalen})
    if reopened:
        tally_support_queue(signaal_ids=reopened)
    # The public buurt pages show statuses: their cached copies go stale after commit.
    buurten_changed(*{signaal.buurt_id for signaal in signalen})
    # Supporters who consented hear of a decline or a close, with the reason (never the tally).
    steun_status_melden(signalen=signalen, naar=naar, door=door, reden=reden)
    return len(history)


_DOORGEZET_STATUSES = (Status.GETRIEERD, Status.IN_ACTIE)


def _doorzettingen_close(history: list[tuple[int, str]], *, naar: str, now) -> None:
    """A signal that leaves triage's outcome (closed, back to triage) closes its open forward,
    and with it the partner's link. Only signals that were triaged can have one (not the tally's)."""
    if naar in _DOORGEZET_STATUSES:
        return
    ids = [pk for pk, van in history if van in _DOORGEZET_STATUSES]
    if ids:
        Doorzetting.objects.filter(signaal_id__in=ids, gesloten_at__isnull=True).update(gesloten_at=now)


def _audit_write(signalen: list, history: list[tuple[int, str]], *, naar: str, door) -> None:
    """One audit row per team in one INSERT: a single signal as the object with van → naar, or
    a batch (the tally) as the ids that moved and how many came from each status. Per-signal
    rows for a batch would cost the tally a row per moved signal; each signal's own history
    (StatusWijziging) already holds that."""
    per_team: dict[int, list[tuple[int, str]]] = {}
    for signaal, (pk, van) in zip(signalen, history, strict=True):
        per_team.setdefault(signaal.team_id, []).append((pk, van))
    rows = []
    for team_id, moved in per_team.items():
        if len(moved) == 1:
            pk, van = moved[0]
            ref, details = ("signalen.signaal", pk), {"van": van, "naar": naar}
        else:
            van_telling: dict[str, int] = {}
            for _pk, van in moved:
                van_telling[van] = van_telling.get(van, 0) + 1
            ids = [pk for pk, _van in moved]
            ref = ("signalen.signaal", "")
            details = {"van": van_telling, "naar": naar, "aantal": len(ids), "signaal_ids": ids}
        rows.append(
            audit_row(door=door, actie="signaal.status", object=ref, team_id=team_id, details=details)
        )
    audit_record_many(rows)


def _history_write(rows: list[tuple[int, str]], *, naar: str, door, reden: str, now) -> None:
    """One StatusWijziging per (signaal_id, van); a big batch in one statement on PostgreSQL."""
    # The system (a SystemActor) is stored as no person.
    door = None if is_system(door) else door
    if connection.vendor == "postgresql" and len(rows) > 1:
        with connection.cursor() as cursor:
            # Two typed arrays (ids, previous statuses), unnested side by side.
            ids, van = zip(*rows, strict=True)
            cursor.execute(
                # The table name comes from the model; every value is a parameter.
                f"INSERT INTO {StatusWijziging._meta.db_table} "  # noqa: S608 # nosec B608
                "(signaal_id, van, naar, door_id, reden, created_at) "
                "SELECT v.id, v.van, %s, %s, %s, %s FROM unnest(%s::bigint[], %s::text[]) AS v(id, van)",
                [naar, door.pk if door else None, reden, now, list(ids), list(van)],
            )
        return
    StatusWijziging.objects.bulk_create(
        StatusWijziging(signaal_id=pk, van=van, naar=naar, door=door, reden=reden) for pk, van in rows
    )


# What status_apply may change on a signal; a caller with write=False saves these.
STATUS_FIELDS = ["status", "status_gewijzigd_at", "updated_at", "draagvlak_gemeld_at", "steun_herberekenen"]


def _lock(signaal: Signaal | None, signaal_id: int | None) -> Signaal:
    pk = signaal.pk if signaal is not None else signaal_id
    if pk is None:
        raise ValueError("signaal or signaal_id is required")
    return Signaal.objects.select_for_update(of=("self",)).select_related("team").get(pk=pk)


@transaction.atomic
def signaal_status_change(
    *,
    signaal: Signaal | None = None,
    signaal_id: int | None = None,
    naar: str,
    door,
    reden: str = "",
) -> Signaal:
    """Move a signal to `naar` if `signalen.workflow.ALLOWED_TRANSITIONS` lets `door` do so.

    Locks the row, checks the table (ValidationError for a move that does not exist or
    lacks its required reason, PermissionDenied for the wrong person; a `SystemActor` is the
    system), saves, and writes a StatusWijziging in the same transaction. Returns the
    fresh signal (the passed instance is updated too).
    """
    locked = _lock(signaal, signaal_id)
    status_apply([locked], naar=naar, door=door, reden=reden)
    if signaal is not None:
        for field in ("status", "status_gewijzigd_at", "draagvlak_gemeld_at", "steun_herberekenen"):
            setattr(signaal, field, getattr(locked, field))
    return locked


@transaction.atomic
def signaal_triage(
    *,
    signaal: Signaal,
    uitkomst: str,
    door,
    partner: Partner | None = None,
    reden: str = "",
    opvolgen_werkdagen: int = OPVOLGEN_WERKDAGEN,
) -> Signaal:
    """A coördinator triages a signal with draagvlak: integraal (a VBT-actie follows) or
    primaire taak (forwarded to one partner of the gemeente, followed up after
    `opvolgen_werkdagen` working days (1–60); the partner gets an e-mail with its answer link).
    """
    require_actor(door)
    locked = _lock(signaal, None)
    errors: dict[str, list] = {}
    if uitkomst not in TriageUitkomst.values:
        errors["uitkomst"] = [_("Kies integraal of primaire taak.")]
    elif uitkomst == TriageUitkomst.PRIMAIRE_TAAK:
        if partner is None:
            errors["partner"] = [_("Kies de partner naar wie het signaal wordt doorgezet.")]
        elif fout := partner_buiten_gemeente(team=locked.team, partner=partner):
            errors["partner"] = [fout]
        elif not partner.contact_email:
            errors["partner"] = [
                _("Deze partner heeft geen contact-e-mailadres voor doorgezette signalen; vul dat eerst in.")
            ]
        try:
            opvolgen_werkdagen = opvolgen_werkdagen_clean(opvolgen_werkdagen)
        except ValidationError as fout:
            errors.update(fout.message_dict)
    elif partner is not None:
        errors["partner"] = [_("Een integraal signaal wordt niet doorgezet; kies geen partner.")]
    if errors:
        raise ValidationError(errors)

    status_apply([locked], naar=Status.GETRIEERD, door=door, reden=reden)
    locked.triage_uitkomst = uitkomst
    locked.doorgezet_naar = partner if uitkomst == TriageUitkomst.PRIMAIRE_TAAK else None
    locked.save(update_fields=["triage_uitkomst", "doorgezet_naar", "updated_at"])
    audit_record(
        door=door,
        actie="signaal.triage",
        object=locked,
        team_id=locked.team_id,
        details={"uitkomst": uitkomst, "partner_id": locked.doorgezet_naar_id},
    )
    for field in (
        "status",
        "status_gewijzigd_at",
        "triage_uitkomst",
        "doorgezet_naar",
        "draagvlak_gemeld_at",
    ):
        setattr(signaal, field, getattr(locked, field))
    if uitkomst == TriageUitkomst.PRIMAIRE_TAAK:
        doorzetting = doorzetting_open(
            signaal=locked, partner=partner, werkdagen=opvolgen_werkdagen, door=door
        )
        _doorgezet_mail_queue(locked, partner=partner, door=door, doorzetting=doorzetting)
        steun_status_melden(signalen=[locked], naar=DOORGEZET, door=door, partner=partner)
    return locked


def _doorgezet_mail_queue(signaal: Signaal, *, partner: Partner, door, doorzetting: Doorzetting) -> None:
    """The partner's mail about a forwarded signal, in the triage's transaction: one per
    triage (its status change) and address."""
    wijziging_id = (
        StatusWijziging.objects.filter(signaal_id=signaal.pk)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    notificatie_queue(
        ontvanger=partner.contact_email,
        soort=DOORGEZET_MAIL,
        context={
            "signaal_id": signaal.pk,
            "partner_id": partner.pk,
            "door_id": door.pk,
            "doorzetting_id": doorzetting.pk,
        },
        sleutel=f"doorgezet:{signaal.pk}:{wijziging_id}:{partner.contact_email}",
    )
