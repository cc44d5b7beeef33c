"""trusts is the lower app: milestones reads and reacts to it, never the other way round."""

import ast
from pathlib import Path

import trusts

TRUSTS_DIR = Path(trusts.__file__).resolve().parent


def _imported_modules(path: Path) -> list[str]:
    modules = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.append(node.module)
    return modules


def test_no_module_under_trusts_imports_milestones():
    offending = [
        f"{path.relative_to(TRUSTS_DIR.parent)}: {module}"
        for path in sorted(TRUSTS_DIR.rglob("*.py"))
        for module in _imported_modules(path)
        if module == "milestones" or module.startswith("milestones.")
    ]
    assert offending == []


def test_the_check_sees_an_import_of_milestones(tmp_path):
    module = tmp_path / "example.py"
    module.write_text("import os\nfrom milestones.cache import dashboard_generation_bump\n", encoding="utf-8")
    assert "milestones.cache" in _imported_modules(module)
