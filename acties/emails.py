"""The mails of acties, as kinds of the outbox (`notificaties`): registered in
ActiesConfig.ready(); each builder loads what its templates show by the ids stored in the row."""

from django.conf import settings

from notificaties import registry

ACTIE_STEUN_MAIL = "acties.steun"
ACTIE_PARTNER_MAIL = "acties.partner_trekker"
ACTIE_BEWONER_MAIL = "acties.bewoner_status"
WEEKOVERZICHT_MAIL = "acties.weekoverzicht"
GEHOLPEN_MAIL = "acties.geholpen"


def _actie(actie_id):
    from .models import Actie

    actie = Actie.objects.select_related("team", "buurt", "trekker").filter(pk=actie_id).first()
    if actie is None:
        raise registry.BerichtVervallen("de actie bestaat niet meer")
    return actie


def _publieke_link(actie) -> str:
    """The actie's public page (publiek), where residents follow it without logging in."""
    return f"{settings.SITE_URL.rstrip('/')}/actie/{actie.pk}/"


def steun_mail_context(context: dict) -> dict:
    """A supporter's mail about the actie their signal is in: it started, an update, it is done."""
    from signalen.services.steunmail import steun_mail_basis

    from .models import Voortgangsupdate

    basis = steun_mail_basis(context)
    actie = _actie(context["actie_id"])
    update = None
    if context.get("update_id"):
        update = Voortgangsupdate.objects.select_related("partner").filter(pk=context["update_id"]).first()
        if update is None:
            raise registry.BerichtVervallen("de update bestaat niet meer")
    return {
        **basis,
        "actie": actie,
        "update": update,
        "gebeurtenis": context["gebeurtenis"],
        "actie_link": _publieke_link(actie),
    }


def partner_mail_context(context: dict) -> dict:
    """The lead partner's contact: a new actie for it to lead."""
    from buurten.models import Partner, User

    actie = _actie(context["actie_id"])
    partner = Partner.objects.filter(pk=context["partner_id"]).first()
    if partner is None or actie.trekker_id != partner.pk:
        raise registry.BerichtVervallen("de partner trekt deze actie niet meer")
    door = User.objects.filter(pk=context.get("door_id")).first()
    return {"actie": actie, "partner": partner, "team": actie.team, "door": door}


def bewoner_mail_context(context: dict) -> dict:
    """A resident who picks up the actie: its status changed. Dropped once unsubscribed."""
    from signalen.services.afmelden import bewoner_mail_extra

    from .models import ActieStatus, BewonerTrekker

    if not (
        BewonerTrekker.objects.filter(pk__in=context["bewoner_ids"], toestemming=True)
        .exclude(email="")
        .exists()
    ):
        raise registry.BerichtVervallen("afgemeld of niet meer bij de actie")
    actie = _actie(context["actie_id"])
    return {
        "actie": actie,
        "van": ActieStatus(context["van"]).label if context["van"] in ActieStatus.values else "",
        "naar": ActieStatus(context["naar"]).label,
        "actie_link": _publieke_link(actie),
        **bewoner_mail_extra(afmeld_link=context["afmeld_link"]),
    }


def weekoverzicht_mail_context(context: dict) -> dict:
    """A coördinator's weekly digest: the counts were taken when it was queued."""
    from buurten.models import User

    user = User.objects.filter(pk=context["user_id"], is_active=True).first()
    if user is None:
        raise registry.BerichtVervallen("het account bestaat niet meer of is uitgeschakeld")
    return {
        "user": user,
        "week": context["week"],
        "teams": context["teams"],
        "site_url": settings.SITE_URL.rstrip("/"),
    }


def geholpen_mail_context(context: dict) -> dict:
    """The "heeft het geholpen?" question: dropped once answered, or when the support lost its
    address (unsubscribed, withdrawn)."""
    from signalen.services.afmelden import bewoner_mail_extra

    from .models import GeholpenVraag

    vraag = (
        GeholpenVraag.objects.select_related("actie", "signaal", "steun")
        .filter(pk=context["vraag_id"])
        .first()
    )
    if vraag is None or vraag.beantwoord_at is not None:
        raise registry.BerichtVervallen("de vraag is al beantwoord of bestaat niet meer")
    if not vraag.steun.email or not vraag.steun.email_toestemming:
        raise registry.BerichtVervallen("afgemeld")
    onderwerp = vraag.actie.titel if vraag.actie_id else vraag.signaal.titel
    vertrouwelijk = bool(vraag.signaal_id and vraag.signaal.vertrouwelijk)
    return {
        "onderwerp": "" if vertrouwelijk else onderwerp,
        "is_actie": bool(vraag.actie_id),
        "links": context["links"],
        "geldig_dagen": context["geldig_dagen"],
        **bewoner_mail_extra(afmeld_link=context["afmeld_link"]),
    }


def register_emails() -> None:
    for naam, template, build in (
        (ACTIE_STEUN_MAIL, "steun", steun_mail_context),
        (ACTIE_PARTNER_MAIL, "partner_trekker", partner_mail_context),
        (ACTIE_BEWONER_MAIL, "bewoner_status", bewoner_mail_context),
        (WEEKOVERZICHT_MAIL, "weekoverzicht", weekoverzicht_mail_context),
        (GEHOLPEN_MAIL, "geholpen", geholpen_mail_context),
    ):
        registry.register(
            naam=naam,
            subject_template=f"acties/email/{template}_subject.txt",
            body_template=f"acties/email/{template}_body.txt",
            build=build,
        )
