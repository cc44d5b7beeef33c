"""WSGI entry point (gunicorn digitrack.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitrack.settings")

application = get_wsgi_application()

# What Django has loaded lives as long as the process: kept out of the garbage collector's way, a
# full collection scans a tenth of the objects (with them, it stalled a worker for 80 ms now and
# then, which every request waiting on that worker felt).
gc.freeze()
