"""Recording support: the household hash, duplicates, consent, anonymous counts, withdrawal."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from signalen.models import Kanaal, Signaal, Status, Steunbetuiging
from signalen.services import huishouden_hash, steun_register, steun_register_anoniem, steun_withdraw
from tests import factories as f

pytestmark = pytest.mark.django_db

POSTCODE = "Vul een geldige postcode in, zoals 1234 AB."
HUISNUMMER = "Vul een huisnummer in, eventueel met toevoeging, zoals 12 of 12a."


@pytest.fixture
def signaal(team):
    return f.SignaalFactory(team=team)


def _register(signaal, lidmaatschap, **kwargs):
    data = {
        "signaal": signaal,
        "door": lidmaatschap.user,
        "kanaal": Kanaal.HUISBEZOEK,
        "datum": timezone.localdate(),
        "postcode": "6221 AB",
        "huisnummer": "12",
    }
    data.update(kwargs)
    return steun_register(**data)


# The household hash


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (("6221 AB", "12"), ("6221ab", "12")),
        (("6221AB", "12a"), ("6221 ab", "12 A")),
        (("6221 AB", "12-a"), ("6221 AB", "12A")),
        (("6221 AB", "12 bis"), ("6221 AB", "12-BIS")),
    ],
)
def test_the_same_household_written_differently_hashes_the_same(a, b):
    assert huishouden_hash(postcode=a[0], huisnummer=a[1]) == huishouden_hash(postcode=b[0], huisnummer=b[1])


@pytest.mark.parametrize(
    ("a", "b"), [(("6221 AB", "12"), ("6221 AB", "122")), (("6221 AB", "12-2"), ("6221 AB", "12"))]
)
def test_different_households_hash_differently(a, b):
    assert huishouden_hash(postcode=a[0], huisnummer=a[1]) != huishouden_hash(postcode=b[0], huisnummer=b[1])


def test_the_hash_is_keyed(settings):
    digest = huishouden_hash(postcode="6221 AB", huisnummer="12")
    assert len(digest) == 64 and "6221" not in digest
    settings.STEUN_HASH_KEY = "een-andere-sleutel"
    assert huishouden_hash(postcode="6221 AB", huisnummer="12") != digest


@pytest.mark.parametrize("postcode", ["", "6221", "0221 AB", "6221 A", "62211AB", "AB 6221", "6221-AB"])
def test_malformed_postcode_writes_nothing(lidmaatschap, signaal, postcode):
    with pytest.raises(ValidationError) as exc:
        _register(signaal, lidmaatschap, postcode=postcode)
    assert exc.value.message_dict == {"postcode": [POSTCODE]}
    assert Steunbetuiging.objects.count() == 0
    signaal.refresh_from_db()
    assert not signaal.steun_herberekenen


@pytest.mark.parametrize("huisnummer", ["", "a", "0", "12/3", "12--3", "12 a b", "123456", "twaalf"])
def test_bad_huisnummer_writes_nothing(lidmaatschap, signaal, huisnummer):
    with pytest.raises(ValidationError) as exc:
        _register(signaal, lidmaatschap, huisnummer=huisnummer)
    assert exc.value.message_dict == {"huisnummer": [HUISNUMMER]}
    assert Steunbetuiging.objects.count() == 0


def test_both_address_fields_wrong_gives_both_messages(lidmaatschap, signaal):
    with pytest.raises(ValidationError) as exc:
        _register(signaal, lidmaatschap, postcode="x", huisnummer="y")
    assert exc.value.message_dict == {"postcode": [POSTCODE], "huisnummer": [HUISNUMMER]}


# Registering


def test_register_stores_only_the_hash_and_queues_the_tally(
    lidmaatschap, signaal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        steun = _register(signaal, lidmaatschap, postcode="6221ab", huisnummer="12a")
    assert steun.huishouden_hash == huishouden_hash(postcode="6221 AB", huisnummer="12A")
    assert steun.aantal_anoniem == 0 and steun.created_by == lidmaatschap.user
    stored = " ".join(str(v) for v in Steunbetuiging.objects.values().get().values())
    assert "6221" not in stored
    signaal.refresh_from_db()
    assert signaal.steun_herberekenen
    assert len(callbacks) == 1


def test_a_household_already_supporting_says_so_and_writes_nothing(lidmaatschap, signaal):
    _register(signaal, lidmaatschap, kanaal=Kanaal.STRAATGESPREK)
    for kanaal in (Kanaal.STRAATGESPREK, Kanaal.VRAGENLIJST):  # whatever the channel
        with pytest.raises(ValidationError) as exc:
            _register(signaal, lidmaatschap, kanaal=kanaal, postcode="6221ab", huisnummer=" 12 ")
        assert exc.value.messages == ["Dit huishouden steunt dit signaal al."]
    assert Steunbetuiging.objects.count() == 1


def test_a_household_may_support_again_after_withdrawing(lidmaatschap, signaal):
    steun_withdraw(steunbetuiging=_register(signaal, lidmaatschap), door=lidmaatschap.user)
    _register(signaal, lidmaatschap)
    assert Steunbetuiging.objects.filter(ingetrokken_at__isnull=True).count() == 1


def test_the_same_household_supports_two_signals(lidmaatschap, signaal):
    _register(signaal, lidmaatschap)
    _register(f.SignaalFactory(team=lidmaatschap.team), lidmaatschap)
    assert Steunbetuiging.objects.count() == 2


def test_email_only_with_consent(lidmaatschap, signaal):
    with pytest.raises(ValidationError) as exc:
        _register(signaal, lidmaatschap, email="bewoner@example.nl", email_toestemming=False)
    assert "toestemming" in exc.value.message_dict["email_toestemming"][0]
    assert Steunbetuiging.objects.count() == 0
    steun = _register(signaal, lidmaatschap, email="bewoner@example.nl", email_toestemming=True)
    assert steun.email == "bewoner@example.nl" and steun.email_toestemming


def test_consent_without_email_is_not_stored(lidmaatschap, signaal):
    steun = _register(signaal, lidmaatschap, email="", email_toestemming=True)
    assert not steun.email_toestemming


def test_a_date_in_the_future_is_refused(lidmaatschap, signaal):
    with pytest.raises(ValidationError) as exc:
        _register(signaal, lidmaatschap, datum=timezone.localdate() + dt.timedelta(days=1))
    assert exc.value.message_dict == {"datum": ["De datum kan niet in de toekomst liggen."]}
    assert Steunbetuiging.objects.count() == 0


@pytest.mark.parametrize("status", [Status.AFGEROND, Status.AFGEWEZEN])
def test_no_support_on_a_closed_signal(lidmaatschap, status):
    signaal = f.SignaalFactory(team=lidmaatschap.team, status=status)
    with pytest.raises(ValidationError, match="er kan geen steun meer bij"):
        _register(signaal, lidmaatschap)
    with pytest.raises(ValidationError, match="er kan geen steun meer bij"):
        steun_register_anoniem(
            signaal=signaal, door=lidmaatschap.user, kanaal=Kanaal.BUURTBIJEENKOMST, datum=None, aantal=3
        )
    assert Steunbetuiging.objects.count() == 0


def test_only_team_members_register_support(signaal):
    outsider = f.LidmaatschapFactory().user
    with pytest.raises(PermissionDenied):
        steun_register(
            signaal=signaal,
            door=outsider,
            kanaal=Kanaal.HUISBEZOEK,
            datum=timezone.localdate(),
            postcode="6221 AB",
            huisnummer="1",
        )
    assert Steunbetuiging.objects.count() == 0


# Anonymous support


def test_anonymous_support(lidmaatschap, signaal):
    steun = steun_register_anoniem(
        signaal=signaal,
        door=lidmaatschap.user,
        kanaal=Kanaal.BUURTBIJEENKOMST,
        datum=timezone.localdate(),
        aantal=23,
    )
    assert (steun.aantal_anoniem, steun.huishouden_hash) == (23, None)
    assert Signaal.objects.get(pk=signaal.pk).steun_herberekenen


@pytest.mark.parametrize("aantal", [0, -3, "veel", None, 1001, 2.5, "1e999999999"])
def test_anonymous_support_needs_a_count_in_range(lidmaatschap, signaal, aantal):
    with pytest.raises(ValidationError) as exc:
        steun_register_anoniem(
            signaal=signaal,
            door=lidmaatschap.user,
            kanaal=Kanaal.BUURTBIJEENKOMST,
            datum=timezone.localdate(),
            aantal=aantal,
        )
    assert exc.value.message_dict == {"aantal": ["Kies een getal van 1 tot en met 1000."]}
    assert Steunbetuiging.objects.count() == 0


# Withdrawal


def test_withdraw(lidmaatschap, signaal, django_capture_on_commit_callbacks):
    steun = _register(signaal, lidmaatschap)
    Signaal.objects.filter(pk=signaal.pk).update(steun_herberekenen=False)
    with django_capture_on_commit_callbacks() as callbacks:
        steun_withdraw(steunbetuiging=steun, door=lidmaatschap.user)
    steun.refresh_from_db()
    assert steun.ingetrokken_at is not None and steun.ingetrokken_door == lidmaatschap.user
    assert Signaal.objects.get(pk=signaal.pk).steun_herberekenen
    assert len(callbacks) == 1
    with pytest.raises(ValidationError, match="al ingetrokken"):
        steun_withdraw(steunbetuiging=steun, door=lidmaatschap.user)


def test_only_team_members_withdraw(lidmaatschap, signaal):
    steun = _register(signaal, lidmaatschap)
    with pytest.raises(PermissionDenied):
        steun_withdraw(steunbetuiging=steun, door=f.LidmaatschapFactory().user)
    steun.refresh_from_db()
    assert steun.ingetrokken_at is None
