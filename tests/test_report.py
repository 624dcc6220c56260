"""The HTML report: self-contained, and rendered in a real browser (headless Chromium).

The browser checks need Debian's ``chromium`` (``.ci/run`` installs it when missing);
they are skipped, saying why, only where no Chromium can be found at all.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

import finmodel as fm
from finmodel.outputs.cli import main

ROOT = Path(__file__).resolve().parents[1]
OCC_CASE = ROOT / "scenarios" / "occ-case-for-change-2018.toml"
OCC_MTFP = ROOT / "scenarios" / "occ-mtfp-2018-22.toml"
BROWSER = next((found for name in ("chromium", "chromium-browser", "google-chrome")
                if (found := shutil.which(name)) is not None), None)
needs_browser = pytest.mark.skipif(BROWSER is None, reason="no Chromium on PATH (apt-get install -y chromium)")
#: The flags for a headless browser on this kind of machine: no sandbox (root), no GPU, no network of its own.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--host-resolver-rules=MAP * ~NOTFOUND"]
#: Appended to a copy of the report: what the browser made of the page, written into the DOM.
PROBE = """<script>window.addEventListener("load", () => {
  const images = Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.naturalHeight]);
  const out = document.createElement("pre"); out.id = "probe";
  out.textContent = JSON.stringify({images: images, tables: document.querySelectorAll("table").length,
                                    width: document.documentElement.scrollWidth});
  document.body.appendChild(out);
});</script>"""


def chromium(page: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [str(BROWSER), *FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *extra,
             page.as_uri()], capture_output=True, text=True, timeout=180, check=False)


def console_messages(stderr: str) -> list[str]:
    """What the page logged (console messages, failed loads), as Chromium writes them to stderr."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "net::ERR" in line]


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report")
    code = main(["report", str(OCC_CASE), "--out", str(out), "--simulate", "2000", "--seed", "2018"])
    assert code == 0
    return out / "report.html"


def test_report_is_self_contained(report):
    page = report.read_text(encoding="utf-8")
    links = re.findall(r"""(?:src|href)\s*=\s*["']?([^"'\s>]*)""", page)
    assert links and all(link.startswith(("data:", "#")) for link in links)  # nothing to fetch: only data: URLs
    assert "url(" not in page and "@import" not in page and "<script" not in page and "<link" not in page
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert len(images) >= 5  # payback of the scenario; payback, fan, NPV and payback years of the simulation
    assert all(base64.b64decode(data)[:8] == b"\x89PNG\r\n\x1a\n" for data in images)


def test_report_holds_tables_check_assumptions_and_provenance(report):
    page = report.read_text(encoding="utf-8")
    # the printed low case, 002_90ddc037a457842c.txt:1628-1631, and its label
    assert "Scenario low, incremental benefits: each year&#x27;s new on-going benefit" in page
    assert "£13.0m" in page and "-£17.0m" in page
    assert "Monte Carlo: 2,000 trials, seed 2018" in page and "P(NPV &lt; 0)" in page
    assert "12.76" in page  # the check: the sourcing table's high total, 002_90ddc037a457842c.txt:1588
    assert "<td>Quick wins run rate</td><td>Range(low=8, high=17" in page  # an input, 002_90ddc037a457842c.txt:1554
    assert "Cost / Benefit Profile (minimum benefit scenario): 002_90ddc037a457842c.txt:1627-1633" in page
    assert "customer_management_existing = 29" in page  # a fixed named amount, 002:1563
    assert "File SHA-256" in page and "occ-case-for-change-2018.toml" in page


@needs_browser
def test_report_renders_in_chromium_with_its_tables_and_images_and_no_errors(report, tmp_path):
    probe = tmp_path / "probe.html"
    probe.write_text(report.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    done = chromium(probe, "--dump-dom", "--virtual-time-budget=10000")
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, flags=re.S)
    assert found is not None, "the page did not finish loading"
    seen = json.loads(found.group(1).replace("&quot;", '"'))
    assert seen["tables"] >= 8
    assert len(seen["images"]) >= 5
    assert all(complete and width > 300 and height > 100 for complete, width, height in seen["images"])
    # the report itself, as it is, logs nothing: no console message, no failed load
    plain = chromium(report, "--dump-dom")
    assert plain.returncode == 0
    assert "<table" in plain.stdout and "data:image/png;base64," in plain.stdout
    assert console_messages(plain.stderr) == []


@needs_browser
def test_the_browser_check_sees_a_page_that_logs_an_error(tmp_path):
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><p>x</p><script>console.error("deliberate")</script>', encoding="utf-8")
    assert any("deliberate" in line for line in console_messages(chromium(page, "--dump-dom").stderr))


def test_report_of_a_file_with_nothing_simulated_or_checked_says_so(tmp_path):
    plan = fm.MTFP("plain", fm.Timeline("2024/25", 2), [fm.Pressure("Demand", [1.0, 0.5])])
    page = fm.write_report(plan, tmp_path).read_text(encoding="utf-8")
    assert "Nothing to check: the file has no published tables or statements." in page
    assert "Monte Carlo" not in page and "The model has no uncertain inputs." in page


def test_report_writes_the_workbook_beside_it_when_asked(tmp_path):
    fm.write_report(OCC_MTFP, tmp_path, workbook=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "report.xlsx"]
    assert fm.read_excel(tmp_path / "report.xlsx").name == "OCC overall financial position 2018/22"


def test_the_page_is_readable_as_any_new_file_is(tmp_path):
    import os
    import stat

    mask = os.umask(0)
    os.umask(mask)
    page = fm.write_report(OCC_MTFP, tmp_path)
    assert stat.S_IMODE(page.stat().st_mode) == 0o666 & ~mask  # not private to its writer


def test_a_file_of_tables_only_reports_its_check(tmp_path):
    source = tmp_path / "monitoring.toml"
    source.write_text('''title = "Savings delivery, quarter 2"
source = "A council's savings monitoring report, quarter 2, table 1"

[[table]]
name = "Savings delivery by directorate"
source = "monitoring report, table 1"
units = "£k"
columns = ["Target", "Forecast"]

[[table.row]]
label = "Adults"
values = [1200, 1000]

[[table.row]]
label = "Place"
values = [500, 350]

[[table.row]]
label = "Total"
values = [1700, 1400]

[[table.total]]
row = "Total"
of = ["Adults", "Place"]
''', encoding="utf-8")
    assert main(["report", str(source), "--out", str(tmp_path / "out")]) == 0
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "Savings delivery by directorate" in page and "1 finding" in page and "1400" in page


def test_a_simulated_report_of_a_file_without_a_stress_section_has_the_default_tornado(tmp_path):
    fm.write_report(ROOT / "scenarios" / "occ-cdc-joint-posts-2019.toml", tmp_path, simulate=500, seed=1)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<h2>Stress test</h2>" in page and "Tornado of npv" in page
    assert "finmodel&#x27;s default: the file has no [stress] section" in page
    fm.write_report(ROOT / "scenarios" / "occ-cdc-joint-posts-2019.toml", tmp_path / "plain", simulate=0)
    assert "Stress test" not in (tmp_path / "plain" / "report.html").read_text(encoding="utf-8")
