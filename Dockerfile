# One image for web (gunicorn), worker and beat (celery) and the migrate job; see docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app

# The locked runtime dependencies only, as wheels with their hashes checked (no compiler needed).
COPY requirements.txt .
RUN pip install --require-hashes --only-binary=:all: -r requirements.txt

COPY . .

# Static files are collected (and hashed by WhiteNoise's manifest storage) into the image.
# The keys exist only for this command: production settings refuse to load without them.
RUN DJANGO_SETTINGS_MODULE=vbt.settings.production \
    SECRET_KEY=collectstatic-only-not-a-secret STEUN_HASH_KEY=collectstatic-only-not-a-secret \
    python manage.py collectstatic --noinput \
 && useradd --system --uid 10001 --no-create-home --home-dir /app vbt \
 && mkdir -p /app/var/media \
 && chown vbt:vbt /app/var/media

USER vbt
ENV DJANGO_SETTINGS_MODULE=vbt.settings.production \
    MEDIA_ROOT=/app/var/media
EXPOSE 8000

# --preload loads Django once in the master: a refused setting stops gunicorn with its one line.
CMD ["gunicorn", "vbt.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--preload", "--access-logfile", "-"]
