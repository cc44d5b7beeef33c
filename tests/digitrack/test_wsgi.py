"""The WSGI application moves what Django loaded out of the garbage collector's way."""

import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def test_loading_the_wsgi_application_freezes_what_it_loaded():
    code = "import gc, digitrack.wsgi; print(gc.get_freeze_count())"
    frozen = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, check=True)
    assert int(frozen.stdout.split()[-1]) > 10_000
