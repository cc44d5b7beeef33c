"""The apps' layers: trusts is the lowest, milestones (the write side) reads and reacts to it, and
dashboards (the read side) reads both. No app imports one above it."""

import ast
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
# Each app and the apps it must never import.
FORBIDDEN = {"trusts": ("milestones", "dashboards"), "milestones": ("dashboards",)}


def _imported_modules(path: Path) -> list[str]:
    modules = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.append(node.module)
    return modules


@pytest.mark.parametrize(("app", "above"), FORBIDDEN.items())
def test_no_app_imports_an_app_above_it(app, above):
    offending = [
        f"{path.relative_to(PROJECT)}: {module}"
        for path in sorted((PROJECT / app).rglob("*.py"))
        for module in _imported_modules(path)
        if module.split(".")[0] in above
    ]
    assert offending == []


def test_the_check_sees_an_import_of_an_app(tmp_path):
    module = tmp_path / "example.py"
    module.write_text("import os\nfrom dashboards.cache import dashboard_cache\n", encoding="utf-8")
    assert "dashboards.cache" in _imported_modules(module)
