"""Take the screenshot of the HTML report shown in docs/report.md (docs/img/report.png).

Run from the repository: ``.venv/bin/python docs/_scripts/report_screenshot.py``. Needs
Debian's ``chromium``.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from finmodel.outputs.cli import main

ROOT = Path(__file__).resolve().parents[2]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--window-size=1100,1900"]


def take() -> Path:
    browser = shutil.which("chromium")
    if browser is None:
        raise SystemExit("chromium is not installed (apt-get install -y chromium)")
    target = ROOT / "docs" / "img" / "report.png"
    with tempfile.TemporaryDirectory() as out, tempfile.TemporaryDirectory() as profile:
        main(["report", str(ROOT / "scenarios" / "occ-case-for-change-2018.toml"), "--out", out,
              "--simulate", "10000", "--seed", "2018"])
        page = Path(out) / "report.html"
        subprocess.run([browser, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={target}", page.as_uri()],
                       check=True, capture_output=True)
    return target


if __name__ == "__main__":
    print(take())
