# The web, worker and beat image for production (see docker-compose.yml and docs/operations.md).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
RUN useradd --create-home --uid 1000 app

COPY pyproject.toml README.md ./
RUN pip install .

COPY . .
# collectstatic needs settings; a throwaway key is used only for this build step.
RUN SECRET_KEY=build-only-build-only-build-only-build-only-build-only \
    DATABASE_URL=postgres://build@localhost/build \
    python manage.py collectstatic --no-input

# Case-note files live in the `media` volume; a new named volume takes this folder's owner,
# so the app user can write to it.
RUN mkdir -p /app/media && chown app:app /app/media

USER app
EXPOSE 8000
# gunicorn.conf.py: bind, workers and an access log without query strings (docs/security.md).
CMD ["gunicorn", "--config", "gunicorn.conf.py", "config.wsgi:application"]
