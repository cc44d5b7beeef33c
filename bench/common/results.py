"""Results files under bench/results/ and the details of the machine that wrote them."""

import json
import os
import platform
from pathlib import Path

from bench.common.database import postgres_version
from bench.common.servers import PROJECT


def load_average() -> list[float]:
    """The 1, 5 and 15 minute load: other work on the machine slows a run."""
    return [round(load, 2) for load in os.getloadavg()]


def machine_details(database_url: str) -> dict:
    """The machine, Python and PostgreSQL, and the load when the run ended."""
    return {
        "cpu_count": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "postgres": postgres_version(database_url),
        "platform": platform.platform(),
        "load_average": load_average(),
    }


def results_write(path: Path, report: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n")
    shown = path.resolve().relative_to(PROJECT) if path.resolve().is_relative_to(PROJECT) else path
    print(f"Written {shown}")
