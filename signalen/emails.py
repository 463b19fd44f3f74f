"""The mails of signalen, as kinds of the outbox (`notificaties`): registered in
SignalenConfig.ready(); each builder loads what its templates show by the ids stored in the row."""

from django.conf import settings
from django.urls import reverse

from notificaties import registry

DOORGEZET_MAIL = "signalen.doorgezet"
DOORZET_HERINNERING_MAIL = "signalen.doorzet_herinnering"
DRAAGVLAK_MAIL = "signalen.draagvlak"
INTREKKEN_MAIL = "signalen.huishouden_intrekken"
STEUN_STATUS_MAIL = "signalen.steun_status"

# A draagvlak mail names at most this many signals and links the admin list for the rest.
MAX_IN_EMAIL = 25
EMAIL_FIELDS = ["pk", "titel", "vertrouwelijk", "steun_huishoudens", "steun_anoniem", "steun_totaal"]


def doorgezet_mail_context(context: dict) -> dict:
    """A forwarded signal for the partner: what and where, never residents or households; for a
    confidential signal only that there is one and whom to ask. Dropped if the signal is gone."""
    from buurten.models import Partner, User

    from .models import Signaal

    signaal = (
        Signaal.objects.select_related("team", "thema", "buurt").filter(pk=context["signaal_id"]).first()
    )
    partner = Partner.objects.filter(pk=context["partner_id"]).first()
    if signaal is None or partner is None:
        raise registry.BerichtVervallen("het signaal of de partner bestaat niet meer")
    door = User.objects.filter(pk=context.get("door_id")).first()
    result = {"signaal": signaal, "partner": partner, "team": signaal.team, "door": door}
    result.update(_doorzetting_context(context.get("doorzetting_id")))
    return result


def _doorzetting_context(doorzetting_id) -> dict:
    """The answer link and the follow-up date of an open forward; nothing for a closed one (or
    a row queued before forwards had a follow-up)."""
    from .models import Doorzetting
    from .services.doorzetten import doorzetting_link

    doorzetting = Doorzetting.objects.filter(pk=doorzetting_id, gesloten_at__isnull=True).first()
    if doorzetting is None:
        return {}
    return {"doorzetting": doorzetting, "link": doorzetting_link(doorzetting=doorzetting)}


def doorzet_herinnering_context(context: dict) -> dict:
    """The one reminder of an overdue forward: what and where (as in the first mail) and the
    answer link. Dropped when the forward was closed in the meantime."""
    from .models import Doorzetting

    doorzetting = (
        Doorzetting.objects.select_related(
            "signaal", "signaal__team", "signaal__thema", "signaal__buurt", "partner"
        )
        .filter(pk=context["doorzetting_id"])
        .first()
    )
    if doorzetting is None or doorzetting.gesloten_at is not None:
        raise registry.BerichtVervallen("de doorverwijzing is afgesloten of bestaat niet meer")
    signaal = doorzetting.signaal
    return {
        "signaal": signaal,
        "partner": doorzetting.partner,
        "team": signaal.team,
        **_doorzetting_context(doorzetting.pk),
    }


def draagvlak_mail_context(context: dict) -> dict:
    """Which of a team's signals just reached draagvlak, for its coördinatoren: at most
    MAX_IN_EMAIL by name (a confidential one without its title), the admin list for the rest."""
    from buurten.models import Team

    from .models import Signaal, Status

    team = Team.objects.filter(pk=context["team_id"]).first()
    if team is None:
        raise registry.BerichtVervallen("het team bestaat niet meer")
    base = settings.SITE_URL.rstrip("/")
    ids = context["signaal_ids"][:MAX_IN_EMAIL]
    # Only what the template shows, as plain values ({{ s.thema.naam }} reads dicts too).
    shown = {
        row["pk"]: {**row, "thema": {"naam": row["thema__naam"]}, "buurt": {"naam": row["buurt__naam"]}}
        for row in Signaal.objects.filter(pk__in=ids)
        .order_by()
        .values(*EMAIL_FIELDS, "thema__naam", "buurt__naam")
    }
    items = [
        {"signaal": shown[pk], "url": base + reverse("admin:signalen_signaal_change", args=[pk])}
        for pk in ids
        if pk in shown
    ]
    if not items:
        raise registry.BerichtVervallen("geen van de signalen bestaat nog")
    aantal = context["aantal"]
    return {
        "team": team,
        "items": items,
        "aantal": aantal,
        "meer": aantal - len(items),
        "lijst_url": base
        + reverse("admin:signalen_signaal_changelist")
        + f"?status__exact={Status.DRAAGVLAK_BEREIKT}",
    }


def intrekken_mail_context(context: dict) -> dict:
    """The link that confirms a household's withdrawal; dropped once used or gone."""
    from .models import HuishoudenIntrekking

    intrekking = HuishoudenIntrekking.objects.filter(pk=context["intrekking_id"]).first()
    if intrekking is None or intrekking.gebruikt_at is not None:
        raise registry.BerichtVervallen("de aanvraag is al gebruikt of bestaat niet meer")
    return {"link": context["link"]}


def steun_status_mail_context(context: dict) -> dict:
    """A supporter's mail: their signal was forwarded, declined or closed, with the reason."""
    from buurten.models import Partner

    from .services.steunmail import steun_mail_basis

    basis = steun_mail_basis(context)
    partner = Partner.objects.filter(pk=context.get("partner_id")).only("naam").first()
    return {
        **basis,
        "gebeurtenis": context["gebeurtenis"],
        "reden": context.get("reden", ""),
        "partner": partner,
    }


def register_emails() -> None:
    registry.register(
        naam=STEUN_STATUS_MAIL,
        subject_template="signalen/email/steun_status_subject.txt",
        body_template="signalen/email/steun_status_body.txt",
        build=steun_status_mail_context,
    )
    registry.register(
        naam=INTREKKEN_MAIL,
        subject_template="signalen/email/huishouden_intrekken_subject.txt",
        body_template="signalen/email/huishouden_intrekken_body.txt",
        build=intrekken_mail_context,
    )
    registry.register(
        naam=DOORGEZET_MAIL,
        subject_template="signalen/email/doorgezet_subject.txt",
        body_template="signalen/email/doorgezet_body.txt",
        build=doorgezet_mail_context,
    )
    registry.register(
        naam=DOORZET_HERINNERING_MAIL,
        subject_template="signalen/email/doorzet_herinnering_subject.txt",
        body_template="signalen/email/doorzet_herinnering_body.txt",
        build=doorzet_herinnering_context,
    )
    registry.register(
        naam=DRAAGVLAK_MAIL,
        subject_template="signalen/email/draagvlak_bereikt_subject.txt",
        body_template="signalen/email/draagvlak_bereikt_body.txt",
        build=draagvlak_mail_context,
    )
