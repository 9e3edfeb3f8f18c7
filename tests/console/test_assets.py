"""The console's pages load nothing from another host, and its vendored files are as noted."""

import hashlib
import re
from pathlib import Path

import orderyard.console

CONSOLE = Path(orderyard.console.__file__).parent
HTMX = CONSOLE / "static" / "vendor" / "htmx-2.0.11.min.js"
HTMX_SHA256 = "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"
UPLOT = {
    "uPlot-1.6.32.iife.min.js": "19c8d4c6ad88929a79f4ae49d6f7161566dfd0ba3d15cc495e974f787eb78f1f",
    "uPlot-1.6.32.min.css": "df630c6a8d6f8eeaff264b50f73ce5b114f646ffd9a0bb74f049b0a00135fa04",
}


def test_the_vendored_htmx_is_the_released_file_noted_in_the_readme() -> None:
    readme = (CONSOLE / "static" / "vendor" / "README.md").read_text()

    assert hashlib.sha256(HTMX.read_bytes()).hexdigest() == HTMX_SHA256
    assert HTMX_SHA256 in readme
    assert "0BSD" in readme
    assert "Zero-Clause BSD" in (CONSOLE / "static" / "vendor" / "htmx-LICENSE.txt").read_text()


def test_the_vendored_uplot_is_the_released_package_noted_in_the_readme() -> None:
    vendor = CONSOLE / "static" / "vendor"
    readme = (vendor / "README.md").read_text()

    for name, digest in UPLOT.items():
        assert hashlib.sha256((vendor / name).read_bytes()).hexdigest() == digest
        assert digest in readme
        assert f"`{name}`" in readme
    assert "MIT (`uPlot-LICENSE.txt`)" in readme
    license_text = (vendor / "uPlot-LICENSE.txt").read_text()
    assert license_text.startswith("The MIT License (MIT)")
    assert "Leon Sorokin" in license_text


def test_every_page_loads_the_vendored_files_it_names() -> None:
    base = (CONSOLE / "templates" / "base.html").read_text()

    for name in ("htmx-2.0.11.min.js", *UPLOT):
        assert f"{{{{ root }}}}/static/vendor/{name}" in base
        assert (CONSOLE / "static" / "vendor" / name).is_file()


def test_no_template_or_stylesheet_names_another_host() -> None:
    sources = [*CONSOLE.glob("templates/*.html"), *CONSOLE.glob("static/*.css")]
    sources += [*CONSOLE.glob("static/*.js")]

    loaded = [
        (path.name, found)
        for path in sources
        for found in re.findall(r'(?:src|href)="(?!\{\{|#)([^"]*)"', path.read_text())
        + re.findall(r"url\(([^)]*)\)", path.read_text())
    ]

    assert loaded == []  # every other link starts with {{ root }} or is built from it
