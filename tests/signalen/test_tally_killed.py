"""A worker killed with SIGKILL in the middle of the tally: every crossing is still mailed exactly once.

Each batch writes its draagvlak mail to the outbox in the transaction that marks its crossings,
so a batch either committed both or neither. The test starts `celery -A vbt worker` as a process
of its own against a redis-server of its own and the test database, kills it while the tally
runs, runs the tally again (as beat does) and sends what the outbox holds.

Needs PostgreSQL and REDIS_URL (the PostgreSQL/Redis run of the CI).
"""

import collections
import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from buurten.models import Rol, Team
from notificaties.models import Bericht, BerichtStatus
from notificaties.services import berichten_resend_due
from signalen.models import Signaal, Status
from signalen.tasks import tally_support
from tests import factories as f
from tests.redis_server import celery_at, own_redis

pytestmark = pytest.mark.skipif(
    not settings.REDIS_URL or connection.vendor != "postgresql",
    reason="needs PostgreSQL and REDIS_URL: a worker process of its own on the test database",
)

SIGNALEN = 20_000
TEAMS = 3


def _seed() -> dict[int, int]:
    """SIGNALEN signals spread over TEAMS teams (threshold 1), each with one household's support,
    marked for the tally; {team_id: number of signals}."""
    teams = [f.TeamFactory(naam=f"Team {i}") for i in range(TEAMS)]
    Team.objects.filter(pk__in=[t.pk for t in teams]).update(drempel_huishoudens=1)
    for i, team in enumerate(teams):
        f.LidmaatschapFactory(team=team, rol=Rol.COORDINATOR, user__email=f"coordinator{i}@example.nl")
    thema = f.ThemaFactory(gemeente=teams[0].gemeente)
    buurt = teams[0].buurten.first()
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO signalen_signaal (team_id, titel, omschrijving, thema_id, kanaal, lat, lon, buurt_id,
                over_persoon, vertrouwelijk, status, triage_uitkomst, steun_huishoudens, steun_anoniem,
                steun_totaal, steun_herberekenen, created_at, updated_at)
            SELECT (%(teams)s::bigint[])[1 + g %% %(n_teams)s], 'Signaal', '', %(thema)s, 'straatgesprek',
                50.85, 5.69, %(buurt)s, false, false, 'draagvlak_gezocht', '', 0, 0, 0, true, now(), now()
            FROM generate_series(0, %(n)s - 1) AS g
            """,
            {
                "teams": [t.pk for t in teams],
                "n_teams": TEAMS,
                "thema": thema.pk,
                "n": SIGNALEN,
                "buurt": buurt.pk,
            },
        )
        cur.execute(
            """
            INSERT INTO signalen_steunbetuiging (signaal_id, kanaal, datum, huishouden_hash, aantal_anoniem,
                email, email_toestemming, created_at)
            SELECT id, 'huisbezoek', current_date, md5(id::text), 0, '', false, now() FROM signalen_signaal
            """
        )
    return dict(collections.Counter(Signaal.objects.values_list("team_id", flat=True)))


def _worker(redis_url: str) -> subprocess.Popen:
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "vbt.settings.test",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
    }
    return subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, "-m", "celery", "-A", "vbt", "worker", "--pool", "solo", "--loglevel", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _counted() -> int:
    return Signaal.objects.filter(steun_herberekenen=False).count()


def test_a_worker_killed_mid_tally_loses_no_crossing_and_mails_none_twice(
    transactional_db, tmp_path, mailoutbox
):
    per_team = _seed()
    with own_redis(tmp_path) as redis_server, celery_at(redis_server.url):
        worker = _worker(redis_server.url)
        try:
            tally_support.delay()
            deadline = time.monotonic() + 40
            # Kill it once some batches committed, long before the last one.
            while _counted() < 1_000:
                assert worker.poll() is None, "the worker stopped by itself"
                assert time.monotonic() < deadline, "the worker never started the tally"
                time.sleep(0.02)
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait(timeout=10)
        # The broker still holds the task as taken but never acknowledged: it goes back to the
        # queue after the visibility timeout (10 minutes, README), not lost.
        unacked = redis.Redis.from_url(redis_server.url).hvals("unacked")
        assert any(b"signalen.tasks.tally_support" in message for message in unacked)
        done = _counted()
        assert 0 < done < SIGNALEN, "the kill came after the whole tally"
        # A batch commits its crossings and their mail together: what is marked is in the outbox.
        queued = Bericht.objects.filter(soort="signalen.draagvlak")
        assert sum(b.context["aantal"] for b in queued) == done

        # Beat's next tally run (here in-process, as a worker would run it) does the rest.
        assert tally_support()["gemeld"] == SIGNALEN - done

    assert set(Signaal.objects.values_list("status", flat=True)) == {Status.DRAAGVLAK_BEREIKT}
    assert not Signaal.objects.filter(draagvlak_gemeld_at__isnull=True).exists()
    # Every crossing is in exactly one outbox row of its team (one coördinator per team), ...
    rows = list(Bericht.objects.filter(soort="signalen.draagvlak"))
    gemeld = collections.Counter()
    for row in rows:
        gemeld[row.context["team_id"]] += row.context["aantal"]
    assert gemeld == per_team
    assert len({row.sleutel for row in rows}) == len(rows)
    # ... and every row is sent once: what the killed worker sent stays sent, the rest goes now.
    al_verzonden = sum(row.status == BerichtStatus.VERZONDEN for row in rows)
    later = timezone.now() + dt.timedelta(minutes=5)
    while Bericht.objects.filter(status=BerichtStatus.WACHTEND).exists():
        berichten_resend_due(now=later)
    assert set(Bericht.objects.values_list("status", flat=True)) == {BerichtStatus.VERZONDEN}
    assert len(mailoutbox) == len(rows) - al_verzonden
