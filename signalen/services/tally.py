"""The support tally: from steunbetuigingen to draagvlak.

The rule, in one place:

- A household counts once per signal (distinct household hashes, whatever the channels).
- Anonymous support (raised hands) counts at the team's weight (`anoniem_gewicht`, default 0.5).
- Support dated more than the team's window (`steun_venster_maanden`, default 12) ago has
  expired: support dated D counts while D > today − window.
- total = households + weight × anonymous. *Draagvlak bereikt* when total ≥ the team's
  `drempel_huishoudens` (default 5). The threshold is "household equivalents": with weight
  0 only distinct households count; with 0.5, ten raised hands count as five households.
- Before triage the status follows the total: nieuw/heropend → draagvlak gezocht once there
  is any support (a reopened one also without), → draagvlak bereikt at the threshold, and
  back to draagvlak gezocht when it falls below. After triage only the counts are updated.
- The team's coördinatoren hear of each crossing once (`draagvlak_gemeld_at`): the batch that
  sets the mark writes the announcement to the outbox in the same transaction (per team one
  e-mail to each coördinator, per batch), so a run killed between batches loses none and sends
  none twice; the outbox sends it after commit and retries. Falling back clears the mark, so a
  later crossing is announced again.

Which signals: those marked `steun_herberekenen` (support added or withdrawn, threshold
changed) and those whose earliest counted support expires by now (`steun_verloopt_at`).
They are processed in batches of `batch_size`, each in its own transaction: the batch's
signal rows are locked with SELECT … FOR UPDATE SKIP LOCKED (a second worker skips what the
first holds, and a row the first has finished no longer matches the filter), and their
support is aggregated in the database with one GROUP BY per batch, so no support row is
ever loaded into memory. A batch is read as plain rows (only what the rule needs) and written
back in one UPDATE … FROM unnest(one array per column); on PostgreSQL a batch costs the same
handful of queries whatever its size.
"""

import datetime as dt
import functools
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import connection, transaction
from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _g

from audit.models import Resultaat
from audit.services import audit_record
from buurten.models import Team
from core.actors import SystemActor, is_system, require_actor
from core.bereik import Bereik
from core.cache import buurten_changed
from notificaties.services import NieuwBericht, notificaties_queue_bulk

from ..emails import DRAAGVLAK_MAIL, MAX_IN_EMAIL
from ..models import Signaal, Status, Steunbetuiging
from ..selectors import coordinator_emails_by_team
from ..workflow import TALLY_STATUSES
from .status import STATUS_FIELDS, status_apply

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
# Signals per batch (the command's --batch-size): one keeps the locks shortest, ten thousand
# is as much as a batch's arrays and GROUP BY should hold in memory.
BATCH_SIZE = Bereik(1, 10_000)


@dataclass
class TallyResult:
    """What one run of the tally did."""

    verwerkt: int = 0  # signals recounted
    bereikt: int = 0  # moved to draagvlak bereikt
    teruggevallen: int = 0  # moved back from draagvlak bereikt to draagvlak gezocht
    gezocht: int = 0  # moved from nieuw or heropend to draagvlak gezocht
    gemeld: int = 0  # crossings announced to coördinatoren
    batches: int = 0
    # Teams whose signals could not be counted this run, with the reason: {team_id: "ValueError: …"}.
    # Their signals stay marked and are tried again next run; the other teams are counted.
    mislukt: dict[int, str] = field(default_factory=dict)
    overgeslagen: int = 0  # signals of those teams left as they were

    def summary(self) -> str:
        text = _g(
            "Steuntelling: %(verwerkt)s signalen herteld in %(batches)s batches; %(bereikt)s draagvlak "
            "bereikt, %(terug)s teruggevallen, %(gezocht)s draagvlak gezocht; %(gemeld)s gemeld aan "
            "coördinatoren."
        ) % {
            "verwerkt": self.verwerkt,
            "batches": self.batches,
            "bereikt": self.bereikt,
            "terug": self.teruggevallen,
            "gezocht": self.gezocht,
            "gemeld": self.gemeld,
        }
        if self.mislukt:
            text += " " + _g(
                "Mislukt voor %(teams)s teams (%(ids)s): %(signalen)s signalen niet herteld; zie het "
                "auditlog en de serverlog."
            ) % {
                "teams": len(self.mislukt),
                "ids": ", ".join(map(str, sorted(self.mislukt))),
                "signalen": self.overgeslagen,
            }
        return text


def steun_cutoff(*, today: dt.date, maanden: int) -> dt.date:
    """Support dated on or before this date has expired."""
    return today - relativedelta(months=maanden)


def steun_expiry(*, datum: dt.date, maanden: int) -> dt.datetime:
    """The moment support dated `datum` stops counting: the first local day D with D − window ≥ datum."""
    return _expiry(datum, maanden)


@functools.lru_cache(maxsize=4096)
def _expiry(datum: dt.date, maanden: int) -> dt.datetime:
    day = datum + relativedelta(months=maanden)
    while day - relativedelta(months=maanden) < datum:  # month ends: 31 aug + 6 months = 28 feb
        day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass(frozen=True)
class _TeamRule:
    drempel: int
    gewicht: Decimal
    maanden: int


def _team_rules(team_ids: set[int], cache: dict[int, _TeamRule]) -> dict[int, _TeamRule]:
    missing = team_ids - cache.keys()
    if missing:
        for pk, drempel, gewicht, maanden in Team.objects.filter(pk__in=missing).values_list(
            "pk", "drempel_huishoudens", "anoniem_gewicht", "steun_venster_maanden"
        ):
            cache[pk] = _TeamRule(drempel=drempel, gewicht=Decimal(gewicht), maanden=maanden)
    return cache


@dataclass(slots=True)
class _Row:
    """A batch's signal as the tally reads and writes it (lighter than a Signaal instance).

    `status_apply` moves it like a Signaal. `status_gewijzigd_at` and `updated_at` are only
    set by a move; while they are None the stored values are kept (ON_MOVE).
    """

    pk: int
    team_id: int
    status: str
    draagvlak_gemeld_at: dt.datetime | None
    buurt_id: int | None = None
    steun_huishoudens: int = 0
    steun_anoniem: int = 0
    steun_totaal: Decimal = Decimal(0)
    steun_verloopt_at: dt.datetime | None = None
    steun_berekend_at: dt.datetime | None = None
    steun_herberekenen: bool = False
    status_gewijzigd_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None


def _aggregate(
    signalen: list[_Row], rules: dict[int, _TeamRule], today: dt.date, failed: dict[int, str]
) -> dict[int, tuple]:
    """{signaal_id: (households, anonymous, oldest counted date)} in one GROUP BY per window length.

    A window whose cutoff cannot be computed fails its teams (added to `failed`), not the batch."""
    by_window: dict[int, list[_Row]] = {}
    for s in signalen:
        by_window.setdefault(rules[s.team_id].maanden, []).append(s)
    counts: dict[int, tuple] = {}
    for maanden, rows in by_window.items():
        try:
            cutoff = steun_cutoff(today=today, maanden=maanden)
        except (ArithmeticError, ValueError) as exc:  # e.g. "year -474 is out of range"
            for team_id in {s.team_id for s in rows}:
                _fail(failed, team_id, exc)
            continue
        ids = [s.pk for s in rows]
        if connection.vendor == "postgresql":
            # One array parameter instead of a thousand placeholders.
            rows = _raw_rows(
                # The table name comes from the model; every value is a parameter.
                f"SELECT signaal_id, count(DISTINCT huishouden_hash), coalesce(sum(aantal_anoniem), 0), "  # noqa: S608 # nosec B608
                f"min(datum) FROM {Steunbetuiging._meta.db_table} WHERE signaal_id = ANY(%s::bigint[]) "
                "AND ingetrokken_at IS NULL AND datum > %s GROUP BY signaal_id",
                [_array(ids), cutoff],
            )
        else:
            rows = (
                Steunbetuiging.objects.filter(
                    signaal_id__in=ids, ingetrokken_at__isnull=True, datum__gt=cutoff
                )
                .order_by()
                .values("signaal_id")
                .annotate(
                    huishoudens=Count("huishouden_hash", distinct=True),
                    anoniem=Coalesce(Sum("aantal_anoniem"), 0),
                    oudste=Min("datum"),
                )
                .values_list("signaal_id", "huishoudens", "anoniem", "oudste")
            )
        for signaal_id, huishoudens, anoniem, oudste in rows:
            counts[signaal_id] = (huishoudens, anoniem, oudste)
    return counts


def _fail(failed: dict[int, str], team_id: int, exc: Exception) -> None:
    failed[team_id] = f"{type(exc).__name__}: {exc}"[:200]
    logger.error("Steuntelling van team %s mislukt: %s", team_id, failed[team_id], exc_info=exc)


def _raw_rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# What the rule reads of a batch's signals: the _Row fields without a default.
READ = ["pk", "team_id", "status", "draagvlak_gemeld_at", "buurt_id"]

_SQL_TYPES = {
    "steun_huishoudens": "integer",
    "steun_anoniem": "integer",
    "steun_totaal": "numeric",
    "steun_verloopt_at": "timestamptz",
    "steun_berekend_at": "timestamptz",
    "steun_herberekenen": "boolean",
    "status": "text",
    "status_gewijzigd_at": "timestamptz",
    "updated_at": "timestamptz",
    "draagvlak_gemeld_at": "timestamptz",
}
# Every column the tally writes (its counts and whatever status_apply may change), with its type.
WRITTEN = {
    c: _SQL_TYPES[c]
    for c in ["steun_huishoudens", "steun_anoniem", "steun_totaal", "steun_verloopt_at", "steun_berekend_at"]
    + STATUS_FIELDS
}
# Written only on a move (None on a row that did not move).
ON_MOVE = ("status_gewijzigd_at", "updated_at")


def _write(rows: list[_Row]) -> None:
    """Save a batch (counts and any status move) in one statement: each row is written once."""
    if connection.vendor != "postgresql":
        _write_orm(rows)
        return
    # One typed array per column, each sent as one array literal.
    arrays = [_array([row.pk for row in rows])]
    arrays += [_array([getattr(row, c) for row in rows]) for c in WRITTEN]
    assignments = ", ".join(
        f"{c} = coalesce(v.{c}, s.{c})" if c in ON_MOVE else f"{c} = v.{c}" for c in WRITTEN
    )
    unnest = ", ".join(["%s::bigint[]", *(f"%s::{t}[]" for t in WRITTEN.values())])
    with connection.cursor() as cursor:
        cursor.execute(
            # Table and columns come from the model and WRITTEN; every value is a parameter.
            f"UPDATE {Signaal._meta.db_table} AS s SET {assignments} "  # noqa: S608 # nosec B608
            f"FROM unnest({unnest}) AS v(id, {', '.join(WRITTEN)}) WHERE s.id = v.id",
            arrays,
        )


def _array(values: list) -> str:
    """A PostgreSQL array literal of one column's `values` (None is NULL), for `%s::type[]`.

    psycopg adapts a list element by element (some 2 µs each, 7 µs for an aware datetime:
    most of a batch's time). Here each distinct value is formatted once, and a batch holds
    few of them beside its ids (now, a handful of expiry days, the statuses).
    """
    if all(type(value) is int for value in values):  # ids and counts: all distinct, nothing to quote
        return "{" + ",".join(map(str, values)) + "}"
    formatted: dict = {None: "NULL"}
    elements = []
    for value in values:
        element = formatted.get(value)
        if element is None:
            element = formatted[value] = _quoted(str(value))
        elements.append(element)
    return "{" + ",".join(elements) + "}"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _write_orm(rows: list[_Row]) -> None:
    """The same on other databases, in two bulk updates: rows that moved, and rows that did not."""
    always = [c for c in WRITTEN if c not in ON_MOVE]
    for moved, fields in ((True, list(WRITTEN)), (False, always)):
        group = [
            Signaal(pk=row.pk, **{c: getattr(row, c) for c in fields})
            for row in rows
            if (row.status_gewijzigd_at is not None) == moved
        ]
        if group:
            Signaal.objects.bulk_update(group, fields)


def _target_status(signaal: _Row, bereikt: bool) -> str | None:
    if signaal.status not in TALLY_STATUSES:
        return None
    if bereikt:
        return Status.DRAAGVLAK_BEREIKT if signaal.status != Status.DRAAGVLAK_BEREIKT else None
    if signaal.status == Status.DRAAGVLAK_BEREIKT:
        return Status.DRAAGVLAK_GEZOCHT
    if signaal.status == Status.HEROPEND or (signaal.status == Status.NIEUW and signaal.steun_totaal > 0):
        return Status.DRAAGVLAK_GEZOCHT
    return None


REDENEN = {
    Status.DRAAGVLAK_BEREIKT: "Steuntelling: de drempel van het team is bereikt.",
    Status.DRAAGVLAK_GEZOCHT: "Steuntelling: er is steun, maar (nog) niet genoeg.",
}


def _tally_batch(
    *,
    door: SystemActor,
    after_id: int,
    signaal_ids: list[int] | None,
    now: dt.datetime,
    batch_size: int,
    cache: dict,
    result,
) -> int | None:
    """Recount one batch; returns the last id seen, or None when nothing was left."""
    pending = Q(steun_herberekenen=True) | Q(steun_verloopt_at__lte=now)
    qs = Signaal.objects.filter(pending, pk__gt=after_id)
    if signaal_ids is not None:
        qs = qs.filter(pk__in=signaal_ids)
    signalen = [
        _Row(*values)
        for values in qs.order_by("pk")
        .select_for_update(skip_locked=True, of=("self",))
        .values_list(*READ)[:batch_size]
    ]
    if not signalen:
        return None
    today = timezone.localdate(now)
    rules = _team_rules({s.team_id for s in signalen}, cache)
    failed: dict[int, str] = {}
    counts = _aggregate(signalen, rules, today, failed)

    # Each team is counted on its own: one team's data that the rule cannot handle (a support
    # dated in the year 9999, a window no calendar holds) leaves that team's signals marked
    # and reported, and the rest of the batch is counted and written as usual.
    by_team: dict[int, list[_Row]] = {}
    for s in signalen:
        by_team.setdefault(s.team_id, []).append(s)
    targets: dict[int, str | None] = {}
    for team_id, rows in by_team.items():
        if team_id in failed:
            continue
        try:
            targets.update((s.pk, _recount(s, rules[team_id], counts, now)) for s in rows)
        except Exception as exc:  # whatever it is, it stays this team's failure
            _fail(failed, team_id, exc)
    if failed:
        result.mislukt.update(failed)
        result.overgeslagen += sum(len(by_team[team_id]) for team_id in failed)
        signalen_all, signalen = signalen, [s for s in signalen if s.team_id not in failed]
    else:
        signalen_all = signalen

    moves: dict[str, list[_Row]] = {}
    melden: dict[int, list[int]] = {}  # crossings to announce: {team_id: [signaal_id, ...]}
    for s in signalen:
        if naar := targets[s.pk]:
            moves.setdefault(naar, []).append(s)

    for naar, group in moves.items():
        for s in group:
            if naar == Status.DRAAGVLAK_GEZOCHT and s.status == Status.DRAAGVLAK_BEREIKT:
                result.teruggevallen += 1
            elif naar == Status.DRAAGVLAK_GEZOCHT:
                result.gezocht += 1
            else:
                result.bereikt += 1
                if s.draagvlak_gemeld_at is None:
                    s.draagvlak_gemeld_at = now
                    result.gemeld += 1
                    melden.setdefault(s.team_id, []).append(s.pk)
        status_apply(group, naar=naar, door=door, reden=REDENEN[naar], now=now, write=False)
    if signalen:
        _write(signalen)
        # The counts are public (buurt pages): one version bump per batch, after its commit. Adding or
        # withdrawing support changes nothing public until this recount, so only the tally bumps.
        buurten_changed(*{s.buurt_id for s in signalen})
    if melden:
        _draagvlak_queue(melden, now=now)
    result.verwerkt += len(signalen)
    result.batches += 1
    return signalen_all[-1].pk


def _recount(s: _Row, rule: _TeamRule, counts: dict[int, tuple], now: dt.datetime) -> str | None:
    """Set one signal's counts by its team's rule; returns the status it moves to, if any."""
    huishoudens, anoniem, oudste = counts.get(s.pk, (0, 0, None))
    s.steun_huishoudens = huishoudens
    s.steun_anoniem = anoniem
    s.steun_totaal = (Decimal(huishoudens) + rule.gewicht * anoniem).quantize(CENT)
    s.steun_verloopt_at = steun_expiry(datum=oudste, maanden=rule.maanden) if oudste else None
    s.steun_berekend_at = now
    s.steun_herberekenen = False
    return _target_status(s, s.steun_totaal >= rule.drempel)


def signalen_tally(
    *,
    door: SystemActor,
    signaal_ids: list[int] | None = None,
    now: dt.datetime | None = None,
    batch_size: int = 1000,
) -> TallyResult:
    """Recount the support of every signal that needs it (or only of `signaal_ids` among them)
    and move their status by the threshold; idempotent and safe to run twice at once.

    Not one transaction: each batch commits on its own, so locks stay short and a crash
    loses at most one batch (whose rows are still marked and get picked up next time).
    `door` is the system job that runs it (`core.actors.TALLY`, or COMMAND for the command):
    draagvlak is counted, never declared by a person. Each batch's status moves are audited in
    one INSERT (a row per team, see `status_apply`), so a batch's query count stays constant.
    """
    require_actor(door)
    if not is_system(door):
        raise TypeError("de steuntelling draait als systeem: geef een SystemActor mee (core.actors.TALLY)")
    now = now or timezone.now()
    result = TallyResult()
    cache: dict[int, _TeamRule] = {}
    after_id = 0
    ids = list(signaal_ids) if signaal_ids is not None else None
    while True:
        with transaction.atomic():
            last = _tally_batch(
                door=door,
                after_id=after_id,
                signaal_ids=ids,
                now=now,
                batch_size=batch_size,
                cache=cache,
                result=result,
            )
        if last is None:
            break
        after_id = last
    if result.mislukt:
        _failures_record(result, door=door)
    return result


@transaction.atomic
def _failures_record(result: TallyResult, *, door: SystemActor) -> None:
    """One audit row per team the run could not count (resultaat mislukt), with the reason."""
    for team_id, reden in sorted(result.mislukt.items()):
        audit_record(
            door=door,
            actie="steuntelling",
            object=("buurten.team", team_id),
            resultaat=Resultaat.MISLUKT,
            details={"fout": reden},
            team_id=team_id,
        )


def _draagvlak_queue(melden: dict[int, list[int]], *, now: dt.datetime) -> None:
    """Queue this batch's announcements in its transaction: per team one mail to each of its
    coördinatoren, in one INSERT (and one query for the addresses), whatever the batch's size."""
    recipients = coordinator_emails_by_team(team_ids=list(melden))
    berichten = []
    for team_id, ids in melden.items():
        if not recipients.get(team_id):
            logger.warning("Team %s heeft geen coördinator om draagvlak aan te melden", team_id)
            continue
        context = {"team_id": team_id, "signaal_ids": ids[:MAX_IN_EMAIL], "aantal": len(ids)}
        # Per team, batch (this run's moment and its first signal) and coördinator.
        batch = f"{now.isoformat()}:{ids[0]}"
        berichten += [
            NieuwBericht(
                ontvanger=email,
                soort=DRAAGVLAK_MAIL,
                context=context,
                sleutel=f"draagvlak:{team_id}:{batch}:{email}",
            )
            for email in recipients[team_id]
        ]
    notificaties_queue_bulk(berichten=berichten)
