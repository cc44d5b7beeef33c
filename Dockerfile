# The one image for web (gunicorn), worker and beat (celery): see docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --system --create-home --home-dir /home/digitrack --uid 10001 digitrack
WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml README.md ./
COPY digitrack/__init__.py digitrack/__init__.py
COPY trusts/__init__.py trusts/__init__.py
COPY milestones/__init__.py milestones/__init__.py
COPY dashboards/__init__.py dashboards/__init__.py
RUN pip install .

COPY manage.py ./
COPY digitrack digitrack
COPY trusts trusts
COPY milestones milestones
COPY dashboards dashboards
COPY templates templates
COPY static static

# Hashed, compressed static files for whitenoise; the key here is for this build step only.
RUN DEBUG=False SECRET_KEY=collectstatic-only-not-used-at-run-time-0123456789abcdef \
    ALLOWED_HOSTS=build python manage.py collectstatic --no-input --verbosity 0 \
    && mkdir -p /app/media && chown digitrack /app/media

USER digitrack
EXPOSE 8000
CMD ["gunicorn", "digitrack.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
