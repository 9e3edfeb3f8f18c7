"""Without a browser the browser tests skip, unless CI requires them: then they fail."""

from pathlib import Path

import pytest

from tests.console import browser


def test_a_missing_chromium_skips_with_its_reason(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "chromium")
    monkeypatch.delenv(browser.REQUIRED, raising=False)

    with pytest.raises(pytest.skip.Exception, match="chromium is missing"):
        browser.require_browser()


def test_a_missing_chromium_fails_when_the_browser_is_required(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "chromium")
    monkeypatch.setenv(browser.REQUIRED, "1")

    with pytest.raises(pytest.fail.Exception, match="browser tests are required"):
        browser.require_browser()
