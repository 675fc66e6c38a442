# Production image of the KeKiz-Portal: gunicorn + whitenoise for web, the same image for the
# Celery worker and beat (see docker-compose.yml). Build: docker build -t kekiz-portal .

# Front-end packages (KERN UX, htmx) come from npm at build time, never from the repository.
FROM node:20-bookworm-slim AS frontend
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=kekiz_portal.settings \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    DJANGO_MEDIA_ROOT=/data/media

# WeasyPrint renders PDFs with Pango; fonts for text the KERN web font does not cover;
# gettext compiles the translations.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
        fonts-dejavu-core fonts-liberation2 \
        gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .
COPY --from=frontend /app/node_modules ./node_modules

# Settings need a secret and a database URL to load; neither is used by these two commands, so
# build-only values keep the real ones out of the image (and keep pgserver from starting).
RUN export DJANGO_SECRET_KEY=build-only DATABASE_URL=postgres://build@localhost/build \
    && if [ -d locale ]; then python manage.py compilemessages --ignore=.venv; fi \
    && python manage.py collectstatic --no-input

RUN useradd --system --uid 10001 --home-dir /app kekiz \
    && mkdir -p /data/media /data/beat \
    && chown -R kekiz /data
USER kekiz

EXPOSE 8000
CMD ["gunicorn", "kekiz_portal.wsgi:application", \
     "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", \
     "--access-logfile", "-", "--forwarded-allow-ips", "*"]
