# The portal's one image: the web server (gunicorn, the default command), the Celery worker and
# beat, and the one-shot migrate job all run it with different commands (docker-compose.yml).
FROM python:3.11-slim-bookworm

# STATICFILES_STORAGE: hashed, compressed file names that WhiteNoise serves with far-future cache
# headers. WEB_CONCURRENCY: gunicorn's number of worker processes. Both can be overridden in .env.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STATICFILES_STORAGE=whitenoise.storage.CompressedManifestStaticFilesStorage \
    WEB_CONCURRENCY=3

WORKDIR /app

# Dependencies first: this layer is rebuilt only when requirements.txt changes.
COPY requirements.txt .
RUN pip install -r requirements.txt

# The code stays owned by root: the app user can read it but not change it.
COPY . .
# Static files are part of the image. The key is a throwaway: collectstatic signs nothing.
RUN SECRET_KEY=collectstatic-at-build-time-only python manage.py collectstatic --noinput

RUN useradd --create-home --shell /usr/sbin/nologin --uid 10001 portal
USER portal

EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
