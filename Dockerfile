# The one image for web, worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    DJANGO_STATIC_ROOT=/app/staticfiles

WORKDIR /app
RUN useradd --system --uid 10001 --home /app app

COPY requirements/base.txt requirements/base.txt
RUN pip install --no-deps -r requirements/base.txt

COPY . .
# collectstatic needs settings to import, not real secrets: throwaway values for the build only.
RUN DJANGO_SECRET_KEY=build-only-build-only-build-only-build-only-build-only \
    DATABASE_URL=postgres://build:build@localhost/build REDIS_URL=redis://localhost \
    DJANGO_ALLOWED_HOSTS=localhost PUBLIC_BASE_URL=http://localhost \
    python manage.py collectstatic --noinput \
    && chown -R app /app

USER app
EXPOSE 8000
# Threaded workers sized for load shedding (config/gunicorn.conf.py, core.load).
CMD ["gunicorn", "config.wsgi:application", "--config", "config/gunicorn.conf.py"]
