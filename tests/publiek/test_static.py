"""Static files in production: fingerprinted names (the manifest) served with a year-long, immutable cache."""

from django.core.management import call_command
from django.templatetags.static import static
from django.test import RequestFactory, override_settings

from tests.vbt.test_settings import GOOD_SECRETS, run_django

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_production_uses_the_manifest_storage():
    show = "import django; django.setup(); from django.conf import settings as s; "
    show += "print(s.STORAGES['staticfiles']['BACKEND'])"
    done = run_django(show, "vbt.settings.production", **GOOD_SECRETS)
    assert done.stdout.strip() == PRODUCTION_STORAGES["staticfiles"]["BACKEND"], done.stderr


def test_fingerprinted_files_get_long_cache_headers(tmp_path):
    from django.http import HttpResponse
    from whitenoise.middleware import WhiteNoiseMiddleware

    with override_settings(STORAGES=PRODUCTION_STORAGES, STATIC_ROOT=tmp_path, DEBUG=False):
        call_command("collectstatic", "--noinput", verbosity=0)
        url = static("css/vbt.css")
        assert url != "/static/css/vbt.css" and url.startswith("/static/css/vbt.")  # a content hash
        middleware = WhiteNoiseMiddleware(lambda request: HttpResponse(status=404))
        response = middleware(RequestFactory().get(url))
        assert response.status_code == 200
        assert "immutable" in response["Cache-Control"]
        assert "max-age=315360000" in response["Cache-Control"]
        # The unhashed name is still served, but browsers must revalidate it soon.
        plain = middleware(RequestFactory().get("/static/css/vbt.css"))
        assert "immutable" not in plain["Cache-Control"]
