"""The Celery application: configured from Django settings, tasks discovered in each app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitrack.settings")

app = Celery("digitrack")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
