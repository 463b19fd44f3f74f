"""The mails of publiek, as kinds of the outbox (`notificaties`): registered in PubliekConfig.ready()."""

from notificaties import registry

STEUN_MAIL = "publiek.steun_bevestigen"
WENS_MAIL = "publiek.wens_bevestigen"


def steun_mail_context(context: dict) -> dict:
    """The link that confirms an online support; dropped once confirmed or gone."""
    from .models import OnlineSteun

    steun = OnlineSteun.objects.select_related("signaal").filter(pk=context["online_steun_id"]).first()
    if steun is None or steun.bevestigd_at is not None:
        raise registry.BerichtVervallen("de steun is al bevestigd of bestaat niet meer")
    return {"link": context["link"], "titel": steun.signaal.titel}


def wens_mail_context(context: dict) -> dict:
    """The link that confirms an online wish; dropped once confirmed or gone."""
    from .models import OnlineWens

    wens = OnlineWens.objects.filter(pk=context["online_wens_id"]).first()
    if wens is None or wens.bevestigd_at is not None:
        raise registry.BerichtVervallen("de wens is al bevestigd of bestaat niet meer")
    return {"link": context["link"], "titel": wens.titel}


def register_emails() -> None:
    registry.register(
        naam=STEUN_MAIL,
        subject_template="publiek/email/steun_bevestigen_subject.txt",
        body_template="publiek/email/steun_bevestigen_body.txt",
        build=steun_mail_context,
    )
    registry.register(
        naam=WENS_MAIL,
        subject_template="publiek/email/wens_bevestigen_subject.txt",
        body_template="publiek/email/wens_bevestigen_body.txt",
        build=wens_mail_context,
    )
