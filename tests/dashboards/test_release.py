"""The code release in the keys of cached page parts: a changed template makes a new release,
and a new release never serves what the one before it rendered."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dashboards.cache import code_release
from tests.dashboards.dashboard_data import known_dataset
from tests.dashboards.responses import core_headline
from tests.factories import UserFactory

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "digitrack"\nversion = "0.1.0"\n')
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.jinja").write_text("<h1>{{ title }}</h1>")
    (tmp_path / "milestones").mkdir()
    (tmp_path / "milestones" / "presenters.py").write_text("LABEL = 'Met'\n")
    return tmp_path


def test_release_is_stable_while_nothing_changes(project):
    assert code_release(project) == code_release(project)


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("templates/page.jinja", "<h1 class='x'>{{ title }}</h1>"),
        ("milestones/presenters.py", "LABEL = 'Done'\n"),
        ("pyproject.toml", '[project]\nname = "digitrack"\nversion = "0.2.0"\n'),
    ],
)
def test_a_changed_template_code_file_or_version_makes_a_new_release(project, path, text):
    before = code_release(project)
    (project / path).write_text(text)
    assert code_release(project) != before


def test_other_files_do_not_change_the_release(project):
    before = code_release(project)
    (project / "milestones" / "data.csv").write_text("a,b\n")
    assert code_release(project) == before


def test_release_comes_from_the_environment_when_set():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    script = "import django; django.setup(); from dashboards.cache import release; print(release())"
    runs = [
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=PROJECT,
            capture_output=True,
            text=True,
            timeout=60,
            env={**env, **extra, "DJANGO_SETTINGS_MODULE": "digitrack.settings"},
        )
        for extra in ({"RELEASE": "abc123"}, {"RELEASE": ""})
    ]
    assert runs[0].stdout.strip() == "abc123"
    assert runs[1].stdout.strip() == code_release(PROJECT)


@pytest.mark.django_db
def test_a_new_release_renders_afresh_what_the_previous_one_cached(client, settings):
    data = known_dataset()
    client.force_login(UserFactory(roles=["Programme staff"]))
    settings.RELEASE = "before-deploy"
    assert "33.3%" in core_headline(client)
    data.t3.compliance_statuses.filter(target=data.core).update(status="met")
    assert "33.3%" in core_headline(client)  # the same release: served from the cache
    settings.RELEASE = "after-deploy"
    assert "66.7%" in core_headline(client)
