"""No module of ours, tests and benches included, grows past 400 lines: past that, a module holds
more than one concept and should be split by concept. Migrations are generated and exempt."""

from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
FOLDERS = ("bench", "dashboards", "digitrack", "milestones", "tests", "trusts")
MOST_LINES = 400


def modules_over(limit: int, root: Path = PROJECT) -> list[str]:
    return [
        f"{path.relative_to(root)}: {lines} lines"
        for folder in FOLDERS
        for path in sorted((root / folder).rglob("*.py"))
        if "migrations" not in path.parts and (lines := len(path.read_text(encoding="utf-8").splitlines())) > limit
    ]


def test_no_module_is_over_400_lines():
    assert modules_over(MOST_LINES) == []


def test_the_check_sees_a_long_module(tmp_path):
    (tmp_path / "milestones").mkdir()
    (tmp_path / "milestones" / "long.py").write_text("x = 1\n" * (MOST_LINES + 1), encoding="utf-8")
    (tmp_path / "milestones" / "migrations").mkdir()
    (tmp_path / "milestones" / "migrations" / "0001_initial.py").write_text("x = 1\n" * 900, encoding="utf-8")
    assert modules_over(MOST_LINES, tmp_path) == [f"milestones/long.py: {MOST_LINES + 1} lines"]
