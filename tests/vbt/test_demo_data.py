"""`manage.py demo_data` (what `make run` loads) is complete and idempotent."""

from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.management import call_command

from acties.models import ActieStatus


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for app in ("buurten", "signalen", "acties")
        for model in apps.get_app_config(app).get_models()
    }


@pytest.mark.django_db
def test_a_second_demo_data_creates_no_duplicates_and_both_print_the_logins():
    first, second = StringIO(), StringIO()
    call_command("demo_data", stdout=first)
    after_first = row_counts()
    call_command("demo_data", stdout=second)

    assert row_counts() == after_first
    assert after_first["buurten.Buurt"] == 44  # the Maastricht buurten
    assert after_first["buurten.User"] > 0 and after_first["buurten.Team"] > 0
    for out in (first.getvalue(), second.getvalue()):
        assert "@" in out  # the demo logins are e-mail addresses
        # The login table comes last, after every step's own output, so a person sees it.
        assert out.index("Demo-logins") > out.index("Teams:")


@pytest.mark.django_db
def test_the_demo_has_acties_in_every_status_with_milestones_updates_residents_and_notes():
    from acties.models import Actie, BewonerTrekker, Mijlpaal, Notitie, Voortgangsupdate

    call_command("demo_data", stdout=StringIO())
    assert set(Actie.objects.values_list("status", flat=True)) == set(ActieStatus.values)
    assert Mijlpaal.objects.filter(gedaan_at__isnull=False).exists()
    assert Mijlpaal.objects.filter(gedaan_at__isnull=True).exists()
    assert Voortgangsupdate.objects.count() >= 3
    assert BewonerTrekker.objects.exclude(voornaam="").exists()
    assert Notitie.objects.filter(alleen_partner__isnull=False).exists()
    # Every demo team has acties, and one of them still looks for residents.
    assert Actie.objects.values("team").distinct().count() == 2
    assert Actie.objects.filter(bewoners_aantal=0, status=ActieStatus.GEPLAND).exists()


@pytest.mark.django_db
def test_the_demo_has_heeft_het_geholpen_answers_on_its_done_acties_once():
    from acties.models import GeholpenReactie

    call_command("demo_data", stdout=StringIO())
    antwoorden = set(GeholpenReactie.objects.values_list("antwoord", flat=True))
    assert antwoorden == {"ja", "deels", "nee"}
    aantal = GeholpenReactie.objects.count()
    call_command("demo_data", stdout=StringIO())
    assert GeholpenReactie.objects.count() == aantal


@pytest.mark.django_db
def test_the_demo_has_forwarded_signals_with_the_partners_answers():
    from signalen.models import DoorzetAntwoord, Doorzetting, Status

    call_command("demo_data", stdout=StringIO())
    antwoorden = dict(Doorzetting.objects.values_list("antwoord", "signaal__status"))
    assert antwoorden == {
        DoorzetAntwoord.AFGEHANDELD: Status.AFGEROND,
        DoorzetAntwoord.OPGEPAKT: Status.IN_ACTIE,
    }


@pytest.mark.skipif(
    not django_settings.CELERY_TASK_ALWAYS_EAGER,
    reason="with REDIS_URL the demo's mails go through the outbox to a worker, not this console",
)
@pytest.mark.django_db(transaction=True)
def test_the_logins_come_after_the_demo_e_mails_on_the_console(settings, capsys):
    # As `make run` shows it: e-mail on the console, sent when the demo's transaction commits.
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    call_command("demo_data")
    out = capsys.readouterr().out
    assert "Subject:" in out
    assert out.rindex("Subject:") < out.index("Demo-logins")
