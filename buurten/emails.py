"""The mails of buurten, as kinds of the outbox (`notificaties`): registered in
BuurtenConfig.ready(); each builder loads what its templates show by the ids stored in the row."""

from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from notificaties import registry

UITNODIGING_MAIL = "buurten.uitnodiging"
TOEGEVOEGD_MAIL = "buurten.toegevoegd"
UITGESCHAKELD_MAIL = "buurten.account_inactief"


def _link(base_url: str, path: str) -> str:
    return urljoin(base_url or settings.SITE_URL, path)


def uitnodiging_mail_context(context: dict) -> dict:
    """An invitation's mail: dropped once the link cannot be used any more (accepted, expired or
    replaced by a newer invitation), because its link would only disappoint."""
    from buurten.models import Uitnodiging

    uitnodiging = (
        Uitnodiging.objects.select_related("team", "partner", "uitgenodigd_door")
        .filter(pk=context["uitnodiging_id"])
        .first()
    )
    if uitnodiging is None:
        raise registry.BerichtVervallen("de uitnodiging bestaat niet meer")
    if uitnodiging.geaccepteerd_at is not None:
        raise registry.BerichtVervallen("de uitnodiging is al gebruikt")
    if uitnodiging.verloopt_at <= timezone.now():
        raise registry.BerichtVervallen("de uitnodiging is verlopen of vervangen")
    path = reverse("buurten:uitnodiging_accepteren", kwargs={"token": uitnodiging.token})
    return {
        "uitnodiging": uitnodiging,
        "team": uitnodiging.team,
        "partner": uitnodiging.partner,
        "rol": str(uitnodiging.get_rol_display()).lower(),
        "door": uitnodiging.uitgenodigd_door,
        "link": _link(context.get("base_url", ""), path),
        "verloopt_at": uitnodiging.verloopt_at,
    }


def toegevoegd_mail_context(context: dict) -> dict:
    """The "you were added to a team" mail: dropped when the seat is gone again."""
    from buurten.models import Lidmaatschap, User

    lid = Lidmaatschap.objects.select_related("team", "partner").filter(pk=context["lidmaatschap_id"]).first()
    if lid is None:
        raise registry.BerichtVervallen("het lidmaatschap bestaat niet meer")
    path = reverse("buurten:team_detail", kwargs={"team_id": lid.team_id})
    return {
        "team": lid.team,
        "partner": lid.partner,
        "rol": str(lid.get_rol_display()).lower(),
        "door": User.objects.filter(pk=context.get("door_id")).first(),
        "link": _link(context.get("base_url", ""), path),
    }


def uitgeschakeld_mail_context(context: dict) -> dict:
    """The notice that an account unused for a year was switched off; dropped if it is on again."""
    from buurten.models import User

    user = User.objects.filter(pk=context["user_id"]).first()
    if user is None or user.is_active:
        raise registry.BerichtVervallen("het account bestaat niet meer of is weer ingeschakeld")
    return {"user": user, "maanden": context.get("maanden", 12)}


def register_emails() -> None:
    registry.register(
        naam=UITGESCHAKELD_MAIL,
        subject_template="buurten/account_inactief_mail_onderwerp.txt",
        body_template="buurten/account_inactief_mail.txt",
        build=uitgeschakeld_mail_context,
    )
    registry.register(
        naam=UITNODIGING_MAIL,
        subject_template="buurten/uitnodiging_mail_onderwerp.txt",
        body_template="buurten/uitnodiging_mail.txt",
        build=uitnodiging_mail_context,
    )
    registry.register(
        naam=TOEGEVOEGD_MAIL,
        subject_template="buurten/toegevoegd_mail_onderwerp.txt",
        body_template="buurten/toegevoegd_mail.txt",
        build=toegevoegd_mail_context,
    )
