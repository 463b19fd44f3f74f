"""factory_boy factories for every model; tests build what they need from these."""

import datetime as dt

import factory
from django.utils import timezone

from buurten import models as bm
from signalen import models as sm

# A small square in Maastricht-centrum, so points inside it belong to the buurt.
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[5.68, 50.84], [5.70, 50.84], [5.70, 50.86], [5.68, 50.86], [5.68, 50.84]]],
}


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = bm.User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persoon{n}@example.nl")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    password = factory.PostGenerationMethodCall("set_password", "geheim-wachtwoord-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class GemeenteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = bm.Gemeente
        django_get_or_create = ("code",)

    code = "GM0935"
    naam = "Maastricht"


class WijkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = bm.Wijk

    code = factory.Sequence(lambda n: f"WK0935{n % 100:02d}")
    naam = factory.Sequence(lambda n: f"Wijk {n}")
    gemeente = factory.SubFactory(GemeenteFactory)


class BuurtFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = bm.Buurt

    code = factory.Sequence(lambda n: f"BU0935{n % 10000:04d}")
    naam = factory.Sequence(lambda n: f"Buurt {n}")
    wijk = factory.SubFactory(WijkFactory)
    geometrie = SQUARE
    min_lon, min_lat, max_lon, max_lat = 5.68, 50.84, 5.70, 50.86


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = bm.Partner

    gemeente = factory.SubFactory(GemeenteFactory)
    naam = factory.Sequence(lambda n: f"Partner {n}")
    type = bm.PartnerType.GEMEENTE
    contact_email = factory.Sequence(lambda n: f"partner{n}@example.nl")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = bm.Team
        skip_postgeneration_save = True

    naam = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")
    gemeente = factory.SubFactory(GemeenteFactory)
    doel = "Samen zorgen voor een schone en veilige buurt."

    @factory.post_generation
    def buurten(obj, create, extracted, **kwargs):
        if not create:
            return
        for buurt in extracted if extracted is not None else [BuurtFactory(wijk__gemeente=obj.gemeente)]:
            obj.buurten.add(buurt)


class LidmaatschapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = bm.Lidmaatschap

    user = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    partner = factory.SubFactory(PartnerFactory, gemeente=factory.SelfAttribute("..team.gemeente"))
    rol = bm.Rol.TEAMLID


class SubgebiedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = bm.Subgebied

    team = factory.SubFactory(TeamFactory)
    buurt = factory.LazyAttribute(lambda o: o.team.buurten.first())
    naam = factory.Sequence(lambda n: f"Straat {n}")


class ThemaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sm.Thema
        django_get_or_create = ("gemeente", "naam")

    gemeente = factory.SubFactory(GemeenteFactory)
    naam = "zwerfvuil"


class WijkrondeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sm.Wijkronde

    team = factory.SubFactory(TeamFactory)
    datum = factory.LazyFunction(lambda: timezone.localdate())


class SignaalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sm.Signaal

    team = factory.SubFactory(TeamFactory)
    titel = factory.Sequence(lambda n: f"Signaal {n}")
    omschrijving = "Bewoners noemen dit vaak."
    thema = factory.SubFactory(ThemaFactory, gemeente=factory.SelfAttribute("..team.gemeente"))
    kanaal = sm.Kanaal.STRAATGESPREK
    lat = 50.85
    lon = 5.69
    buurt = factory.LazyAttribute(lambda o: o.team.buurten.first())


class SteunbetuigingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sm.Steunbetuiging

    signaal = factory.SubFactory(SignaalFactory)
    kanaal = sm.Kanaal.HUISBEZOEK
    datum = factory.LazyFunction(lambda: timezone.localdate())
    huishouden_hash = factory.Sequence(lambda n: f"{n:064x}")


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def activate_totp(user) -> str:
    """Give the user a TOTP authenticator through allauth's own API; returns the secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    """The code an authenticator app with this secret shows now."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


def verify_email(user):
    """Mark the user's address verified and primary, as allauth needs for logging in."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


# --- acties ---------------------------------------------------------------------------------------


class ActieFactory(factory.django.DjangoModelFactory):
    """An actie of a team (status gepland) led by a partner of the team's gemeente; no signals.
    `partners=[...]` adds participating partners."""

    class Meta:
        model = "acties.Actie"
        skip_postgeneration_save = True

    team = factory.SubFactory(TeamFactory)
    titel = factory.Sequence(lambda n: f"Actie {n}")
    omschrijving = "Samen met bewoners aan de slag."
    buurt = factory.LazyAttribute(lambda o: o.team.buurten.first())
    trekker = factory.SubFactory(PartnerFactory, gemeente=factory.SelfAttribute("..team.gemeente"))

    @factory.post_generation
    def partners(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.partners.add(*extracted)


class MijlpaalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "acties.Mijlpaal"

    actie = factory.SubFactory(ActieFactory)
    titel = factory.Sequence(lambda n: f"Mijlpaal {n}")
    gewicht = 1


class ActieSignaalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "acties.ActieSignaal"

    actie = factory.SubFactory(ActieFactory)
    signaal = factory.SubFactory(
        SignaalFactory,
        team=factory.SelfAttribute("..actie.team"),
        buurt=factory.SelfAttribute("..actie.buurt"),
    )


class VoortgangsupdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "acties.Voortgangsupdate"

    actie = factory.SubFactory(ActieFactory)
    datum = factory.LazyFunction(lambda: timezone.localdate())
    tekst = factory.Sequence(lambda n: f"Update {n}: we hebben de buurt opgeruimd.")
    partner = factory.LazyAttribute(lambda o: o.actie.trekker)


class BewonerTrekkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "acties.BewonerTrekker"

    actie = factory.SubFactory(ActieFactory)
    aantal = 1
