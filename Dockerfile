# The production image: the app under gunicorn. One image for every role (web, one-off migrate +
# collectstatic, scheduler); docker-compose.yml picks the command. See README, "Deploy".
FROM python:3.11-slim-trixie

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    MEDIA_ROOT=/app/media \
    STATIC_ROOT=/app/collected_static \
    WEB_CONCURRENCY=2

WORKDIR /app

# PostgreSQL's client tools, for `manage.py backup` and `restore_backup` (pg_dump, pg_restore;
# Debian 13's are version 17, as the compose file's database).
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first (pinned in pyproject.toml), so that a code change does not reinstall them.
# Every dependency ships a binary wheel (psycopg[binary], Pillow...): no compiler in the image.
COPY pyproject.toml README.md ./
RUN pip install .

COPY . .

# An unprivileged user; it owns only what the app writes: media (a volume) and collected static
# files (filled by the one-off step).
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin app \
    && mkdir -p /app/media /app/collected_static \
    && chown app:app /app/media /app/collected_static
USER app

EXPOSE 8000

# gunicorn's settings are in config/gunicorn.py (workers from WEB_CONCURRENCY, about 2 per core;
# the app preloaded, so that a recycled worker is a fork ready at once, and warmed before its first
# request).
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi:application"]
