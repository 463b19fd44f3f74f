"""Bench rows for the support tally, on PostgreSQL: 1,000,000 supports over 100,000 signals.

Rows run in a database of their own, `vbt_bench` (DATABASE_URL's server when it is
PostgreSQL, else postgres://postgres@127.0.0.1:5432/vbt_bench; BENCH_DATABASE_URL
overrides). It is created and migrated when missing, and the data is generated in SQL
(`generate_series`) once and reused by later runs. Each row resets the tally state first.

- tally_full: every signal marked, `signalen_tally()` from start to end (100 batches of
  1,000, status changes and history included), beside the raw GROUP BY over all support that
  computes the same counts. Target: within 2× of the raw query. For context the row also
  shows the tally's counting alone, and a second baseline: one raw SQL statement that counts
  AND stores the same counts (UPDATE … FROM the GROUP BY, from the same reset state), the
  floor for writing 100,000 signal rows with their index entries; and a third: the tally's
  whole job (count, store, move over the threshold, write history) as one raw SQL statement,
  the fairest yardstick for how much the tally's own code costs. The raw GROUP BY only reads;
  the tally also rewrites every signal row and some 70,000 history rows, which is most of its
  time on this machine.
- tally_incremental: after a full tally, 1,000 new supports (as `steun_register` leaves
  them: inserted, their signals marked); target under 1 s.
"""

import os
import time

import environ
import psycopg
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

SIGNALEN = 100_000
STEUN = 1_000_000
TEAMS = 100
NIEUW = 1_000
FULL_RATIO_TARGET = 2.0
INCREMENTAL_TARGET_S = 1.0
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
    # Mails to coordinators are rendered but not delivered anywhere.
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
    """Every bench signal back to 'not yet counted'; history of earlier runs removed."""
    with connection.cursor() as cur:
        cur.execute(
            "DELETE FROM signalen_steunbetuiging WHERE created_by_id IS NULL AND kanaal = 'via_partner'"
        )
        cur.execute("TRUNCATE signalen_statuswijziging")
        cur.execute(
            "UPDATE signalen_signaal SET status = 'draagvlak_gezocht', steun_huishoudens = 0, "
            "steun_anoniem = 0, steun_totaal = 0, steun_herberekenen = true, steun_verloopt_at = NULL, "
            "steun_berekend_at = NULL, draagvlak_gemeld_at = NULL WHERE titel = %s",
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
    extra, params = "", [cutoff]
    if signaal_ids is not None:
        extra, params = "AND signaal_id = ANY(%s)", [cutoff, signaal_ids]
    with connection.cursor() as cur:
        start = time.perf_counter()
        cur.execute(RAW.format(extra=extra), params)
        rows = cur.fetchall()
        return time.perf_counter() - start, len(rows)


RAW_WRITE = """
    UPDATE signalen_signaal AS s
    SET steun_huishoudens = c.huishoudens, steun_anoniem = c.anoniem,
        steun_totaal = round(c.huishoudens + t.anoniem_gewicht * c.anoniem, 2),
        steun_verloopt_at = c.oudste + make_interval(months => t.steun_venster_maanden),
        steun_berekend_at = now(), steun_herberekenen = false
    FROM (
        SELECT signaal_id, count(DISTINCT huishouden_hash) AS huishoudens,
            coalesce(sum(aantal_anoniem), 0) AS anoniem, min(datum) AS oudste
        FROM signalen_steunbetuiging
        WHERE ingetrokken_at IS NULL AND datum > %s
        GROUP BY signaal_id
    ) AS c, buurten_team AS t
    WHERE s.id = c.signaal_id AND t.id = s.team_id
"""


RAW_ALL = """
    WITH c AS (
        SELECT signaal_id, count(DISTINCT huishouden_hash) AS huishoudens,
            coalesce(sum(aantal_anoniem), 0) AS anoniem, min(datum) AS oudste
        FROM signalen_steunbetuiging
        WHERE ingetrokken_at IS NULL AND datum > %(cutoff)s
        GROUP BY signaal_id
    ), n AS (
        SELECT c.*, round(c.huishoudens + t.anoniem_gewicht * c.anoniem, 2) AS totaal,
            t.drempel_huishoudens AS drempel, t.steun_venster_maanden AS maanden
        FROM c JOIN signalen_signaal AS s ON s.id = c.signaal_id JOIN buurten_team AS t ON t.id = s.team_id
    ), u AS (
        UPDATE signalen_signaal AS s
        SET steun_huishoudens = n.huishoudens, steun_anoniem = n.anoniem, steun_totaal = n.totaal,
            steun_verloopt_at = n.oudste + make_interval(months => n.maanden),
            steun_berekend_at = now(), steun_herberekenen = false,
            status = CASE WHEN n.totaal >= n.drempel THEN 'draagvlak_bereikt' ELSE s.status END,
            status_gewijzigd_at = CASE WHEN n.totaal >= n.drempel THEN now() ELSE s.status_gewijzigd_at END,
            updated_at = CASE WHEN n.totaal >= n.drempel THEN now() ELSE s.updated_at END,
            draagvlak_gemeld_at = CASE WHEN n.totaal >= n.drempel THEN now() ELSE s.draagvlak_gemeld_at END
        FROM n
        WHERE s.id = n.signaal_id
        RETURNING s.id, n.totaal >= n.drempel AS bereikt
    )
    INSERT INTO signalen_statuswijziging (signaal_id, van, naar, reden, created_at)
    SELECT id, 'draagvlak_gezocht', 'draagvlak_bereikt', %(reden)s, now() FROM u WHERE bereikt
"""


def _raw_all(cutoff) -> float:
    """The tally's whole job for the bench data in one raw SQL statement (committed): count,
    store, move the signals over the threshold and write their history. Every bench signal
    starts in draagvlak gezocht and every team has the same rule, which is what lets SQL
    this simple do it; it skips the e-mail and the 475 signals without any support."""
    from signalen.services.tally import REDENEN
    from signalen.workflow import Status

    with connection.cursor() as cur:
        start = time.perf_counter()
        cur.execute(RAW_ALL, {"cutoff": cutoff, "reden": REDENEN[Status.DRAAGVLAK_BEREIKT]})
        return time.perf_counter() - start


def _raw_write(cutoff) -> float:
    """Count and store in one statement (committed): the floor for the tally's writing. Every
    bench team has the same window, so one cutoff serves; no status moves, no history."""
    with connection.cursor() as cur:
        start = time.perf_counter()
        cur.execute(RAW_WRITE, [cutoff])
        return time.perf_counter() - start


def _prepare():
    _use_bench_database()
    _generate()
    _reset()
    from signalen.services.tally import steun_cutoff

    return steun_cutoff(today=timezone.localdate(), maanden=12)


def _counting_only() -> float:
    """The tally's own per-batch counting (its `_aggregate`) over every signal, without writing:
    how much of the run is counting and how much is writing the results."""
    from signalen.models import Signaal
    from signalen.services import tally

    ids = list(Signaal.objects.filter(titel=MARK).order_by("pk").values_list("pk", "team_id"))
    rules = tally._team_rules({team_id for _, team_id in ids}, {})
    today = timezone.localdate()
    elapsed = 0.0
    for i in range(0, len(ids), 1000):
        batch = [Signaal(pk=pk, team_id=team_id) for pk, team_id in ids[i : i + 1000]]
        start = time.perf_counter()
        tally._aggregate(batch, rules, today)
        elapsed += time.perf_counter() - start
    return elapsed


def tally_full() -> dict:
    from signalen.services import signalen_tally

    cutoff = _prepare()
    _raw_group_by(cutoff)  # warm the cache for both
    raw_s, groups = _raw_group_by(cutoff)
    raw_write_s = _raw_write(cutoff)
    _reset()
    raw_all_s = _raw_all(cutoff)
    _reset()  # the tally starts from the same state as the raw statements did
    start = time.perf_counter()
    result = signalen_tally()
    tally_s = time.perf_counter() - start
    counting_s = _counting_only()
    ratio = tally_s / raw_s
    return {
        "name": f"volledige steuntelling ({_n(STEUN)} steunbetuigingen, {_n(SIGNALEN)} signalen)",
        "backend": "PostgreSQL",
        "figure": (
            f"{tally_s:.2f} s, raw GROUP BY {raw_s:.2f} s ({_n(groups)} groepen): {ratio:.1f}×; "
            f"waarvan tellen in batches {counting_s:.2f} s ({counting_s / raw_s:.1f}×), de rest is "
            f"schrijven ({_n(result.verwerkt)} signalen herteld, {_n(result.bereikt)} naar draagvlak "
            f"bereikt met historie); tellen én opslaan in één raw UPDATE … FROM (GROUP BY) "
            f"{raw_write_s:.2f} s ({raw_write_s / raw_s:.1f}×, zonder statussen en historie); "
            f"het hele werk (tellen, opslaan, statussen en historie) in één raw SQL-opdracht "
            f"{raw_all_s:.2f} s: de telling doet er {tally_s / raw_all_s:.1f}× zo lang over"
        ),
        "target": f"≤ {FULL_RATIO_TARGET:.0f}× raw GROUP BY",
        "ok": ratio <= FULL_RATIO_TARGET,
    }


def tally_incremental() -> dict:
    from signalen.models import Signaal
    from signalen.services import signalen_tally

    cutoff = _prepare()
    signalen_tally()  # a counted database, as after the last beat run
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
    start = time.perf_counter()
    result = signalen_tally()
    tally_s = time.perf_counter() - start
    return {
        "name": f"incrementele steuntelling na {_n(NIEUW)} nieuwe steunbetuigingen",
        "backend": "PostgreSQL",
        "figure": (
            f"{tally_s * 1000:.0f} ms voor {_n(result.verwerkt)} signalen; "
            f"raw GROUP BY {raw_s * 1000:.0f} ms ({tally_s / raw_s:.1f}×)"
        ),
        "target": f"< {INCREMENTAL_TARGET_S:.0f} s",
        "ok": tally_s < INCREMENTAL_TARGET_S,
    }
