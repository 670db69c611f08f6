"""Run by `nox -s docs` after the build: headless Chromium renders a vendor's reference page of the built site, as
a reader's browser would, and takes a screenshot; the page must show the client and its operations.

    python .ci/docs_screenshot.py SITE_DIR OUTPUT.png
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PAGE = Path("reference", "zapsign", "index.html")
EXPECTED = ("ZapSign", "PasswordAuth", "list_docs", "CreateDocRequest")
"""What the rendered page must show: the title, an auth class, an operation and a model."""
FLAGS = (
    "--headless",
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--no-first-run",
    # Without these Chromium tries the network at start-up, which a closed CI machine refuses.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1600",
)


def main(site: Path, screenshot: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("no chromium: install Debian's chromium package (.ci/run does)")
    url = (site / PAGE).resolve().as_uri()
    with tempfile.TemporaryDirectory() as profile:
        common = [chromium, *FLAGS, f"--user-data-dir={profile}"]
        dump = [*common, "--dump-dom", url]
        dom = subprocess.run(dump, capture_output=True, text=True, timeout=120, check=True)  # noqa: S603 - our own argument list
        missing = [text for text in EXPECTED if text not in dom.stdout]
        if missing:
            sys.exit(f"{url} rendered without {missing}")
        shot = [*common, f"--screenshot={screenshot.resolve()}", url]
        subprocess.run(shot, capture_output=True, timeout=120, check=True)  # noqa: S603 - our own argument list
    if not screenshot.exists() or screenshot.stat().st_size < 10_000:
        sys.exit(f"no screenshot of {url} (or an empty one) at {screenshot}")
    print(f"{url}: rendered; screenshot {screenshot} ({screenshot.stat().st_size / 1024:.0f} kB)")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
