"""The code release: an identity of the templates and the code that render pages. Cached page
parts carry it in their keys, so a deploy with changed templates never serves the HTML (or the
pickled aggregates) of the release before it."""

import hashlib
from pathlib import Path

# What shapes a cached page part: templates, the Python that builds and renders it, and the
# pinned dependencies and package version in pyproject.toml (the design system's macros among them).
RELEASE_SOURCES = ("templates", "digitrack", "milestones", "trusts")


def code_release(base_dir: Path) -> str:
    """A short hash of pyproject.toml and every template and Python file under RELEASE_SOURCES.
    Reads a few hundred small files, once at start-up."""
    digest = hashlib.sha256((base_dir / "pyproject.toml").read_bytes())
    for folder in RELEASE_SOURCES:
        for path in sorted((base_dir / folder).rglob("*")):
            if path.suffix in (".py", ".jinja", ".html") and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(base_dir)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
