# One image for web (gunicorn), worker and beat (celery) and the migrate job; see docker-compose.yml.

# Stage `audit`: both locks against the known vulnerabilities (pip-audit, PyPI's advisories). Any
# known vulnerability fails the build, and so does a package it could not audit (--strict): the
# audit needs the PyPI JSON API, which the development machine cannot reach (README "Security
# gates"). The image below copies its report, so no image is built without it. A cached build
# reuses an earlier audit: `docker build --no-cache-filter audit .` audits again.
FROM python:3.11-slim AS audit
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
WORKDIR /audit
COPY requirements.txt requirements-dev.txt ./
RUN pip install --require-hashes --only-binary=:all: -r requirements.txt -r requirements-dev.txt \
 && { pip-audit --strict --disable-pip --require-hashes --progress-spinner off \
        -r requirements.txt -r requirements-dev.txt > /audit/pip-audit.txt 2>&1; \
      status=$?; cat /audit/pip-audit.txt; exit $status; }

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app

# The locked runtime dependencies only, as wheels with their hashes checked (no compiler needed).
COPY requirements.txt .
RUN pip install --require-hashes --only-binary=:all: -r requirements.txt

COPY --from=audit /audit/pip-audit.txt /app/pip-audit.txt
COPY . .

# Static files are collected (and hashed by WhiteNoise's manifest storage) into the image.
# The keys exist only for this command: production settings refuse to load without them.
RUN DJANGO_SETTINGS_MODULE=vbt.settings.production \
    SECRET_KEY=collectstatic-only-not-a-secret-padded-to-the-50-characters-production-wants \
    STEUN_HASH_KEY=collectstatic-only-not-a-secret-padded-to-32-characters \
    python manage.py collectstatic --noinput \
 && useradd --system --uid 10001 --no-create-home --home-dir /app vbt \
 && mkdir -p /app/var/media \
 && chown vbt:vbt /app/var/media

USER vbt
ENV DJANGO_SETTINGS_MODULE=vbt.settings.production \
    MEDIA_ROOT=/app/var/media
EXPOSE 8000

# gunicorn.conf.py: Django loaded once in the master (a refused setting stops gunicorn with its one
# line) and an access log without query strings or tokens.
CMD ["gunicorn", "vbt.wsgi", "-c", "gunicorn.conf.py", "--bind", "0.0.0.0:8000", "--workers", "3"]
