from django.contrib import admin
from django.urls import include, path

from buurten import mfa
from core.views import health, privacy

urlpatterns = [
    path("health/", health, name="health"),
    path("privacy/", privacy, name="privacy"),
    path("admin/", admin.site.urls),
    # allauth's TOTP setup, ending on the page the person asked for instead of the recovery codes.
    path("accounts/2fa/totp/activate/", mfa.totp_activate),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("publiek.urls")),
    path("", include("acties.urls")),
    path("", include("signalen.urls")),
    path("", include("buurten.urls")),
]

# Error pages in the site's look (core.views); with DEBUG on, core.middleware.DebugNotFoundMiddleware
# keeps Django's technical 404 for superusers.
handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"

# MEDIA_URL is deliberately not served, not even with DEBUG: the only uploads are signal photos,
# and signalen.views.signaal.foto streams those to members of the signal's team only.
