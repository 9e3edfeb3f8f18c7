"""The console's pages load nothing from another host, and its vendored files are as noted."""

import hashlib
import re
from pathlib import Path

import orderyard.console

CONSOLE = Path(orderyard.console.__file__).parent
HTMX = CONSOLE / "static" / "vendor" / "htmx-2.0.11.min.js"
HTMX_SHA256 = "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"


def test_the_vendored_htmx_is_the_released_file_noted_in_the_readme() -> None:
    readme = (CONSOLE / "static" / "vendor" / "README.md").read_text()

    assert hashlib.sha256(HTMX.read_bytes()).hexdigest() == HTMX_SHA256
    assert HTMX_SHA256 in readme
    assert "0BSD" in readme
    assert "Zero-Clause BSD" in (CONSOLE / "static" / "vendor" / "htmx-LICENSE.txt").read_text()


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
