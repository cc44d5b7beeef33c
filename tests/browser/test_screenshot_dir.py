"""Where the browser tests put their screenshots: never a fixed folder of one machine."""

from .conftest import screenshot_folder


def test_screenshots_go_to_the_folder_screenshot_dir_names(monkeypatch, tmp_path, tmp_path_factory):
    monkeypatch.setenv("SCREENSHOT_DIR", str(tmp_path / "kept" / "screenshots"))

    folder = screenshot_folder(tmp_path_factory)

    assert folder == tmp_path / "kept" / "screenshots"
    assert folder.is_dir()


def test_screenshots_go_to_pytests_temporary_directory_by_default(monkeypatch, tmp_path_factory):
    monkeypatch.delenv("SCREENSHOT_DIR", raising=False)

    folder = screenshot_folder(tmp_path_factory)

    assert folder.is_dir()
    assert folder.is_relative_to(tmp_path_factory.getbasetemp())
