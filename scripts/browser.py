"""Render the HTML report in headless Chromium (Debian's `chromium` package): a screenshot and the parsed DOM.

    python scripts/browser.py out/reports/report.html docs/report.png

Used by `make screenshot` (the README's image) and by the browser test. No network: the report is a local
file and every flag below keeps Chromium from calling home.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",  # console messages and JavaScript errors go to stderr
    "--v=0",
)


@dataclass(frozen=True)
class Rendered:
    returncode: int
    dom: str
    log: str

    @property
    def console_errors(self) -> list[str]:
        return [line for line in self.log.splitlines() if "Uncaught" in line or ":CONSOLE(" in line]


def find_chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def render(html: Path, screenshot: Path, window: str = "1400,3000") -> Rendered:
    """Screenshot html into screenshot (PNG) and return the DOM Chromium built from it."""
    browser = find_chromium()
    if browser is None:
        raise FileNotFoundError("chromium not found (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="drilldown-chromium-") as profile:
        flags = [browser, *FLAGS, f"--user-data-dir={profile}", f"--window-size={window}"]
        uri = html.resolve().as_uri()
        shot = subprocess.run([*flags, f"--screenshot={screenshot.resolve()}", uri], capture_output=True, text=True, timeout=180)
        dom = subprocess.run([*flags, "--dump-dom", uri], capture_output=True, text=True, timeout=180)
    return Rendered(max(shot.returncode, dom.returncode), dom.stdout, shot.stderr + dom.stderr)


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print("usage: browser.py REPORT.html SCREENSHOT.png [WIDTH,HEIGHT]", file=sys.stderr)
        return 2
    rendered = render(Path(argv[0]), Path(argv[1]), *argv[2:])
    for line in rendered.console_errors:
        print(f"console: {line}", file=sys.stderr)
    if rendered.returncode != 0 or rendered.console_errors:
        print(rendered.log[-3000:], file=sys.stderr)
        return 1
    print(f"wrote {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
