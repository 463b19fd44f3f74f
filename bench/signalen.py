"""Bench rows for the support tally, on PostgreSQL: 1,000,000 supports over 100,000 signals.

Rows run in a database of their own, `vbt_bench` (DATABASE_URL's server when it is
PostgreSQL, else postgres://postgres@127.0.0.1:5432/vbt_bench; BENCH_DATABASE_URL
overrides). It is created and migrated when missing, and the data is generated in SQL
(`generate_series`) once and reused by later runs. Each row resets the tally state first.

- tally_full: every signal marked, `signalen_tally()` from start to end (100 batches of 1,000:
  counts, status moves, history, and the draagvlak announcements written to the outbox), against
  the same whole job done by one raw SQL statement (`RAW_ALL`: count, store, move by the
  threshold, write history) from the same state at the same moment. Target: ≤ 1.5× the raw
  statement. The row checks that both do exactly the same writes: it keeps every column of the
  bench signals and of the history (without ids) after the raw statement, and compares them with
  what the tally leaves; any difference fails the row. The read-only raw GROUP BY is shown for
  context (it was the old yardstick, which a job that must also write cannot meet).
- tally_incremental: after a full tally, 1,000 new supports (as `steun_register` leaves them:
  inserted, their signals marked); target under 0.3 s.
- Both: the row's process peaks under 150 MB (max RSS; the runner shows it too).

Mail is not part of the timing. The tally writes its announcements to the outbox inside each
batch's transaction (timed: that is the tally's work); after each commit the outbox hands them to
its send task, and the task sends them. The bench points Celery at an in-memory broker that no
worker reads, so nothing is sent inside `signalen_tally()` (the row fails if a mail is), and it
times the after-commit hooks apart and leaves them out: the figure shows the whole call, the
hand-over and how many send tasks were queued.
"""

import os
import resource
import time
from dataclasses import dataclass

import environ
import psycopg
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from core.actors import TALLY

SIGNALEN = 100_000
STEUN = 1_000_000
TEAMS = 100
NIEUW = 1_000
FULL_RATIO_TARGET = 1.5
INCREMENTAL_TARGET_S = 0.3
PEAK_TARGET_MB = 150
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/vbt_bench"
MARK = "bench-tally"


def _n(getal: int) -> str:
    return f"{getal:,}".replace(",", ".")


def _bench_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        return url
    current = os.environ.get("DATABASE_URL", "")
    if current.startswith(("postgres://", "postgresql://")):
        return current.rsplit("/", 1)[0] + "/vbt_bench"
    return DEFAULT_URL


def _use_bench_database() -> None:
    """Point Django's default connection at vbt_bench (created if missing), before any query."""
    config = environ.Env.db_url_config(_bench_url())
    admin = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{config["NAME"]}"')
    connections.close_all()
    settings.DATABASES["default"] = connections.configure_settings({"default": config})["default"]
    try:
        del connections["default"]
    except AttributeError:
        pass
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    _mail_outside_timing()


def _mail_outside_timing() -> None:
    """Send tasks go to an in-memory broker that no worker reads: queued, never run here. Any
    mail that is still sent in-process lands in the locmem outbox, where the rows look for it."""
    from vbt.celery import app

    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://localhost/"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _generate() -> None:
    """Teams, 100,000 signals and 1,000,000 supports, in SQL; skipped when already there."""
    from buurten.models import Buurt, Gemeente, Lidmaatschap, Partner, Rol, Team, User, Wijk
    from signalen.models import Signaal, Steunbetuiging, Thema

    if (
        Signaal.objects.filter(titel=MARK).count() == SIGNALEN
        and Steunbetuiging.objects.filter(signaal__titel=MARK).count() >= STEUN
    ):
        return
    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE signalen_statuswijziging, signalen_steunbetuiging, signalen_foto, "
            "signalen_signaal CASCADE"
        )
    gemeente, _ = Gemeente.objects.get_or_create(code="GM9999", defaults={"naam": "Benchstad"})
    wijk, _ = Wijk.objects.get_or_create(
        code="WK999900", defaults={"naam": "Benchwijk", "gemeente": gemeente}
    )
    buurt, _ = Buurt.objects.get_or_create(code="BU99990000", defaults={"naam": "Benchbuurt", "wijk": wijk})
    thema, _ = Thema.objects.get_or_create(gemeente=gemeente, naam="zwerfvuil")
    partner, _ = Partner.objects.get_or_create(
        gemeente=gemeente, naam="Benchgemeente", defaults={"type": "gemeente"}
    )
    team_ids = []
    for i in range(TEAMS):
        team, _ = Team.objects.get_or_create(
            slug=f"bench-{i}", defaults={"naam": f"Bench {i}", "gemeente": gemeente}
        )
        team.buurten.add(buurt)
        user, _ = User.objects.get_or_create(email=f"coordinator-{i}@bench.example")
        Lidmaatschap.objects.get_or_create(
            user=user, team=team, partner=partner, defaults={"rol": Rol.COORDINATOR}
        )
        team_ids.append(team.pk)
    with connection.cursor() as cur:
        cur.execute("SELECT setseed(0.42)")
        # Signals belong to the teams round-robin, as if logged over time.
        cur.execute(
            """
            INSERT INTO signalen_signaal (team_id, titel, omschrijving, thema_id, kanaal, lat, lon, buurt_id,
                over_persoon, vertrouwelijk, status, triage_uitkomst, steun_huishoudens, steun_anoniem,
                steun_totaal, steun_herberekenen, created_at, updated_at)
            SELECT (%(teams)s::bigint[])[1 + g %% %(n_teams)s], %(mark)s, '', %(thema)s, 'straatgesprek',
                50.85 + random() / 100, 5.69 + random() / 100, %(buurt)s, false, false,
                'draagvlak_gezocht', '', 0, 0, 0, true, now(), now()
            FROM generate_series(0, %(n)s - 1) AS g
            """,
            {
                "teams": team_ids,
                "n_teams": TEAMS,
                "mark": MARK,
                "thema": thema.pk,
                "buurt": buurt.pk,
                "n": SIGNALEN,
            },
        )
        cur.execute("SELECT min(id) FROM signalen_signaal WHERE titel = %s", [MARK])
        first_id = cur.fetchone()[0]
        # Skewed like real life: a few signals draw much support, many draw a little.
        # 5% anonymous groups, 2% withdrawn, dates spread over 18 months (a third expired).
        cur.execute(
            """
            INSERT INTO signalen_steunbetuiging (signaal_id, kanaal, datum, huishouden_hash, aantal_anoniem,
                email, email_toestemming, ingetrokken_at, created_at)
            SELECT %(first)s + floor(%(n)s * power(random(), 1.5))::bigint,
                (ARRAY['straatgesprek','huisbezoek','vragenlijst','buurtbijeenkomst'])[1 + g %% 4],
                current_date - (random() * 548)::int,
                CASE WHEN g %% 20 = 0 THEN NULL ELSE md5(g::text) END,
                CASE WHEN g %% 20 = 0 THEN 1 + (random() * 30)::int ELSE 0 END,
                '', false,
                CASE WHEN g %% 50 = 1 THEN now() ELSE NULL END,
                now()
            FROM generate_series(1, %(steun)s) AS g
            """,
            {"first": first_id, "n": SIGNALEN, "steun": STEUN},
        )
    connection.close()
    with psycopg.connect(**_psycopg_params(), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE signalen_signaal")
        conn.execute("VACUUM ANALYZE signalen_steunbetuiging")


def _psycopg_params() -> dict:
    s = settings.DATABASES["default"]
    return {
        "dbname": s["NAME"],
        "host": s.get("HOST") or None,
        "port": s.get("PORT") or None,
        "user": s.get("USER") or None,
        "password": s.get("PASSWORD") or None,
    }


def _reset() -> None:
    """Every bench signal back to 'not yet counted' in one fixed state; earlier runs' history and
    outbox rows removed, so that the raw statement and the tally start from the same tables."""
    from notificaties.models import Bericht
    from signalen.models import Signaal, StatusWijziging, Steunbetuiging

    with connection.cursor() as cur:
        cur.execute(
            # Table names come from the models; the values are literals or parameters.
            f"DELETE FROM {Steunbetuiging._meta.db_table} "  # noqa: S608 # nosec B608
            "WHERE created_by_id IS NULL AND kanaal = 'via_partner'"
        )
        cur.execute(f"TRUNCATE {StatusWijziging._meta.db_table}, {Bericht._meta.db_table}")
        cur.execute(
            # The table name comes from the model; the values are literals or parameters.
            f"UPDATE {Signaal._meta.db_table} SET status = 'draagvlak_gezocht', steun_huishoudens = 0, "  # noqa: S608 # nosec B608
            "steun_anoniem = 0, steun_totaal = 0, steun_herberekenen = true, steun_verloopt_at = NULL, "
            "steun_berekend_at = NULL, draagvlak_gemeld_at = NULL, status_gewijzigd_at = NULL, "
            "updated_at = created_at WHERE titel = %s",
            [MARK],
        )
    connection.close()
    with psycopg.connect(**_psycopg_params(), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE signalen_signaal")
        conn.execute("VACUUM ANALYZE signalen_steunbetuiging")


RAW = """
    SELECT signaal_id, count(DISTINCT huishouden_hash), coalesce(sum(aantal_anoniem), 0), min(datum)
    FROM signalen_steunbetuiging
    WHERE ingetrokken_at IS NULL AND datum > %s {extra}
    GROUP BY signaal_id
"""


def _raw_group_by(cutoff, signaal_ids=None) -> tuple[float, int]:
    """The read-only yardstick: the counts as one GROUP BY, streamed and dropped (rows counted)."""
    extra, params = "", [cutoff]
    if signaal_ids is not None:
        extra, params = "AND signaal_id = ANY(%s)", [cutoff, signaal_ids]
    with connection.cursor() as cur:
        start = time.perf_counter()
        cur.execute(RAW.format(extra=extra), params)
        rows = sum(1 for _row in cur)
        return time.perf_counter() - start, rows


# The tally's whole job as one statement: which signals (marked, or whose oldest support
# expires by now), their counts per team window, the total at the team's weight, the move by the
# team's threshold (the rule of `_target_status`, with the side effects of `status_apply`),
# the expiry moment as `steun_expiry` computes it (the first local day D with D − window ≥ the
# oldest date, at local midnight in TIME_ZONE), and one history row per move.
RAW_ALL = """
    WITH te_tellen AS (
        SELECT s.id, s.status, t.drempel_huishoudens AS drempel, t.anoniem_gewicht AS gewicht,
            t.steun_venster_maanden AS maanden
        FROM signalen_signaal AS s JOIN buurten_team AS t ON t.id = s.team_id
        WHERE s.steun_herberekenen OR s.steun_verloopt_at <= %(now)s
    ), c AS (
        SELECT b.signaal_id, count(DISTINCT b.huishouden_hash) AS huishoudens,
            coalesce(sum(b.aantal_anoniem), 0) AS anoniem, min(b.datum) AS oudste
        FROM signalen_steunbetuiging AS b JOIN te_tellen AS x ON x.id = b.signaal_id
        WHERE b.ingetrokken_at IS NULL
            AND b.datum > ((%(now)s AT TIME ZONE %(tz)s)::date - make_interval(months => x.maanden))::date
        GROUP BY b.signaal_id
    ), n AS (
        SELECT x.id, x.status, x.drempel, x.maanden, c.oudste,
            coalesce(c.huishoudens, 0) AS huishoudens, coalesce(c.anoniem, 0) AS anoniem,
            round(coalesce(c.huishoudens, 0) + x.gewicht * coalesce(c.anoniem, 0), 2) AS totaal,
            (c.oudste + make_interval(months => x.maanden))::date AS dag
        FROM te_tellen AS x LEFT JOIN c ON c.signaal_id = x.id
    ), m AS (
        SELECT n.*,
            CASE
                WHEN n.status NOT IN ('nieuw', 'draagvlak_gezocht', 'draagvlak_bereikt', 'heropend') THEN NULL
                WHEN n.totaal >= n.drempel THEN
                    CASE WHEN n.status <> 'draagvlak_bereikt' THEN 'draagvlak_bereikt' END
                WHEN n.status = 'draagvlak_bereikt' THEN 'draagvlak_gezocht'
                WHEN n.status = 'heropend' OR (n.status = 'nieuw' AND n.totaal > 0) THEN 'draagvlak_gezocht'
            END AS naar,
            (CASE WHEN (n.dag - make_interval(months => n.maanden))::date < n.oudste THEN n.dag + 1
                ELSE n.dag END)::timestamp AT TIME ZONE %(tz)s AS verloopt
        FROM n
    ), u AS (
        UPDATE signalen_signaal AS s
        SET steun_huishoudens = m.huishoudens, steun_anoniem = m.anoniem, steun_totaal = m.totaal,
            steun_verloopt_at = m.verloopt, steun_berekend_at = %(now)s, steun_herberekenen = false,
            status = coalesce(m.naar, s.status),
            status_gewijzigd_at = CASE WHEN m.naar IS NULL THEN s.status_gewijzigd_at ELSE %(now)s END,
            updated_at = CASE WHEN m.naar IS NULL THEN s.updated_at ELSE %(now)s END,
            draagvlak_gemeld_at = CASE
                WHEN m.naar = 'draagvlak_bereikt' THEN coalesce(s.draagvlak_gemeld_at, %(now)s)
                WHEN m.naar = 'draagvlak_gezocht' AND m.status = 'draagvlak_bereikt' THEN NULL
                ELSE s.draagvlak_gemeld_at
            END
        FROM m
        WHERE s.id = m.id
        RETURNING s.id, m.status AS van, m.naar
    )
    INSERT INTO signalen_statuswijziging (signaal_id, van, naar, door_id, reden, created_at)
    SELECT id, van, naar, NULL,
        CASE naar WHEN 'draagvlak_bereikt' THEN %(reden_bereikt)s ELSE %(reden_gezocht)s END, %(now)s
    FROM u WHERE naar IS NOT NULL
"""


def _raw_all(now) -> float:
    """The tally's whole job in one raw SQL statement (committed), at the tally's moment `now`."""
    from signalen.services.tally import REDENEN
    from signalen.workflow import Status

    params = {
        "now": now,
        "tz": settings.TIME_ZONE,
        "reden_bereikt": REDENEN[Status.DRAAGVLAK_BEREIKT],
        "reden_gezocht": REDENEN[Status.DRAAGVLAK_GEZOCHT],
    }
    with connection.cursor() as cur:
        start = time.perf_counter()
        cur.execute(RAW_ALL, params)
        return time.perf_counter() - start


def _tables() -> dict[str, tuple[str, str]]:
    """What both must write alike, as {name: (table, columns)}: every column of the bench
    signals, and of the history without its id (the raw statement and the tally number rows
    differently); the history's signal ids are those of the bench signals."""
    from signalen.models import Signaal, StatusWijziging

    def columns(model, *, pk: bool) -> str:
        return ", ".join(f.column for f in model._meta.concrete_fields if pk or not f.primary_key)

    return {
        "signaal": (Signaal._meta.db_table, columns(Signaal, pk=True)),
        "historie": (StatusWijziging._meta.db_table, columns(StatusWijziging, pk=False)),
    }


def _keep(prefix: str) -> None:
    """Copy what the run wrote into bench_<prefix>_<name> tables (replacing earlier copies)."""
    with connection.cursor() as cur:
        for name, (table, columns) in _tables().items():
            copy = f"bench_{prefix}_{name}"
            where = "WHERE titel = %s" if name == "signaal" else ""
            cur.execute(f"DROP TABLE IF EXISTS {copy}")
            cur.execute(
                # Names come from _tables() (the models) and the bench's prefixes; values are parameters.
                f"CREATE UNLOGGED TABLE {copy} AS SELECT {columns} FROM {table} {where}",  # noqa: S608 # nosec B608
                [MARK] if where else [],
            )


def _differences(a: str, b: str) -> dict[str, int]:
    """Rows of each kept table that are in one copy and not in the other (duplicates count)."""
    out = {}
    with connection.cursor() as cur:
        for name in _tables():
            x, y = f"bench_{a}_{name}", f"bench_{b}_{name}"
            cur.execute(
                # The bench's own copy tables, named from _tables() and fixed prefixes.
                f"SELECT count(*) FROM ((TABLE {x} EXCEPT ALL TABLE {y}) "  # noqa: S608 # nosec B608
                f"UNION ALL (TABLE {y} EXCEPT ALL TABLE {x})) AS d"
            )
            out[name] = cur.fetchone()[0]
            cur.execute(f"DROP TABLE IF EXISTS {x}, {y}")
    return out


def _prepare():
    _use_bench_database()
    _generate()
    _reset()
    return timezone.now()


@dataclass
class _Run:
    seconds: float  # the whole call
    hooks: float  # of which after-commit hooks: the outbox handing its mails to the send task
    result: object
    sent: int  # mails sent during the call: must be none
    queued: int  # send tasks left on the in-memory broker (removed afterwards)
    outbox: int  # outbox rows written by the call
    audit: int  # audit rows written by the call

    @property
    def tally(self) -> float:
        return self.seconds - self.hooks


def _timed_tally(now=None) -> _Run:
    """`signalen_tally()` timed, with the time its after-commit hooks took measured apart."""
    from django.core import mail

    from signalen.services import signalen_tally

    conn = connections["default"]
    run_hooks = conn.run_and_clear_commit_hooks
    hooks = 0.0

    def timed_hooks():
        nonlocal hooks
        start = time.perf_counter()
        try:
            run_hooks()
        finally:
            hooks += time.perf_counter() - start

    _purge()
    mail.outbox = []
    rows = _written()
    conn.run_and_clear_commit_hooks = timed_hooks
    try:
        start = time.perf_counter()
        result = signalen_tally(door=TALLY, now=now) if now else signalen_tally(door=TALLY)
        seconds = time.perf_counter() - start
    finally:
        del conn.run_and_clear_commit_hooks
    outbox, audit = (after - before for after, before in zip(_written(), rows, strict=True))
    return _Run(seconds, hooks, result, len(mail.outbox), _purge(), outbox, audit)


def _written() -> tuple[int, int]:
    """Rows in the outbox and the audit log: what the tally writes beyond signals and history."""
    from audit.models import AuditRegel
    from notificaties.models import Bericht

    return Bericht.objects.count(), AuditRegel.objects.count()


def _mail_text(run: _Run) -> str:
    return (
        f"{_n(run.outbox)} draagvlakmails in de outbox en {_n(run.audit)} auditregels geschreven; "
        f"{_n(run.queued)} verzendtaken na de commits in {run.hooks:.2f} s, buiten de meting; "
        f"{_n(run.sent)} mails verstuurd tijdens de meting"
    )


def _purge() -> int:
    """Remove the send tasks waiting on the in-memory broker; returns how many there were."""
    from vbt.celery import app

    with app.connection_for_write() as conn:
        return conn.default_channel.queue_purge(app.conf.task_default_queue) or 0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def tally_full() -> dict:
    from signalen.models import Signaal

    now = _prepare()
    cutoff = steun_cutoff_for(now)
    _raw_group_by(cutoff)  # warm the cache for all
    raw_s, groups = _raw_group_by(cutoff)
    zonder_steun = Signaal.objects.filter(titel=MARK).count() - groups
    raw_all_s = _raw_all(now)
    _keep("raw")
    _reset()  # the tally starts from the same state as the raw statement did
    run = _timed_tally(now)
    result = run.result
    _keep("tally")
    verschil = _differences("raw", "tally")
    ratio = run.tally / raw_all_s
    peak = _peak_mb()
    same = not any(verschil.values())
    if same:
        gelijk = "schrijft precies hetzelfde als de raw SQL-opdracht (signalen en historie vergeleken)"
    else:
        gelijk = (
            f"schrijft NIET hetzelfde: {_n(verschil['signaal'])} signaalrijen en "
            f"{_n(verschil['historie'])} historierijen verschillen"
        )
    return {
        "name": f"volledige steuntelling ({_n(STEUN)} steunbetuigingen, {_n(SIGNALEN)} signalen)",
        "backend": "PostgreSQL",
        "figure": (
            f"{run.tally:.2f} s; hetzelfde werk (tellen, opslaan, statussen en historie) in één raw "
            f"SQL-opdracht {raw_all_s:.2f} s: {ratio:.2f}×. De telling {gelijk}: "
            f"{_n(result.verwerkt)} signalen herteld (waarvan {_n(zonder_steun)} zonder steun), "
            f"{_n(result.bereikt)} naar draagvlak bereikt met historie; {_mail_text(run)}. "
            f"Ter vergelijking: alleen lezen (raw GROUP BY, {_n(groups)} groepen) {raw_s:.2f} s"
        ),
        "target": (
            f"≤ {_decimal(FULL_RATIO_TARGET)}× hetzelfde werk in één raw SQL-opdracht, dezelfde "
            f"schrijfacties, geen mail in de meting, piek < {PEAK_TARGET_MB} MB"
        ),
        "ok": ratio <= FULL_RATIO_TARGET and same and run.sent == 0 and peak < PEAK_TARGET_MB,
    }


def tally_incremental() -> dict:
    from signalen.models import Signaal
    from signalen.services import signalen_tally

    now = _prepare()
    cutoff = steun_cutoff_for(now)
    signalen_tally(door=TALLY)  # a counted database, as after the last beat run
    with connection.cursor() as cur:
        cur.execute("SELECT min(id), count(*) FROM signalen_signaal WHERE titel = %s", [MARK])
        first_id, count = cur.fetchone()
        cur.execute("SELECT setseed(0.7)")
        # As steun_register leaves them: the support inserted, its signal marked for the tally.
        cur.execute(
            """
            WITH nieuw AS (
                INSERT INTO signalen_steunbetuiging (signaal_id, kanaal, datum, huishouden_hash,
                    aantal_anoniem, email, email_toestemming, created_at)
                SELECT %s + floor(random() * %s)::bigint, 'via_partner', current_date,
                    md5('nieuw' || g::text || random()::text), 0, '', false, now()
                FROM generate_series(1, %s) AS g
                RETURNING signaal_id
            )
            UPDATE signalen_signaal SET steun_herberekenen = true WHERE id IN (SELECT signaal_id FROM nieuw)
            """,
            [first_id, count, NIEUW],
        )
    dirty = list(Signaal.objects.filter(steun_herberekenen=True).values_list("pk", flat=True))
    raw_s, _ = _raw_group_by(cutoff, dirty)
    run = _timed_tally()
    peak = _peak_mb()
    return {
        "name": f"incrementele steuntelling na {_n(NIEUW)} nieuwe steunbetuigingen",
        "backend": "PostgreSQL",
        "figure": (
            f"{run.tally * 1000:.0f} ms voor {_n(run.result.verwerkt)} signalen "
            f"({_n(run.result.bereikt)} naar draagvlak bereikt; {_mail_text(run)}); "
            f"alleen lezen (raw GROUP BY) {raw_s * 1000:.0f} ms"
        ),
        "target": (
            f"< {_decimal(INCREMENTAL_TARGET_S)} s, geen mail in de meting, piek < {PEAK_TARGET_MB} MB"
        ),
        "ok": run.tally < INCREMENTAL_TARGET_S and run.sent == 0 and peak < PEAK_TARGET_MB,
    }


def steun_cutoff_for(now):
    """The cutoff of the bench teams' window (all 12 months) on the local day of `now`."""
    from signalen.services.tally import steun_cutoff

    return steun_cutoff(today=timezone.localdate(now), maanden=12)


def _decimal(getal: float) -> str:
    return f"{getal:g}".replace(".", ",")
