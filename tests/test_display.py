"""How results, models and check reports show themselves: text in a console, HTML in Jupyter.

Numbers shown are those of the council table and of ``quantiles``; text that comes from
a model is escaped.
"""

from __future__ import annotations

import base64
import re

import pytest
from test_seed_cases import occ_case, occ_mtfp  # the OCC case and MTFP, cited line by line

import finmodel as fm
from finmodel.engine import hooks
from finmodel.outputs.display import table_html

YEARS = fm.Timeline("2018/19", 4)


def cells(html: str) -> list[str]:
    return re.findall(r"<td[^>]*>([^<]*)</td>", html)


# -- text ----------------------------------------------------------------------------------
def test_an_evaluation_reads_as_its_council_table():
    result = fm.evaluate(occ_mtfp())
    text = repr(result)
    assert text.splitlines()[0] == "Evaluation of MTFP 'OCC overall financial position 2018/22': central, 1 trial"
    assert text.splitlines()[1:] == result.report().splitlines()
    # 002_90ddc037a457842c.txt:1205
    (net,) = [line for line in text.splitlines() if line.startswith("Net Pressure")]
    assert net.split()[-5:] == ["£5.8m", "£0.9m", "(£1.9m)", "(£3.8m)", "£1.0m"]


def test_a_case_evaluation_adds_run_rate_payback_and_npv():
    low = fm.evaluate(occ_case(), "low")
    last = repr(low).splitlines()[-1]
    assert last == f"run rate £33.0m; payback 2019/20; NPV {fm.format_money(low.npv(), brackets=False)}"


def test_a_simulation_reads_as_its_seed_and_percentiles_without_a_new_pass():
    calls: list[tuple[int, int]] = []
    sim = fm.simulate(occ_case(), n=2_000, seed=2018, progress=lambda done, n: calls.append((done, n)))
    calls.clear()
    lines = repr(sim).splitlines()
    assert calls == []  # showing a result computes nothing new
    assert lines[0] == (
        "CaseSimulation of CostBenefitCase 'OCC case for change (January 2018)': simulation, "
        "2,000 trials (random, seed 2018)"
    )
    q = sim.quantiles("net", [0.1, 0.5, 0.9])
    assert lines[1].split()[:2] == ["net", "(£m)"]
    assert lines[3].split()[1:] == [fm.format_money(v, brackets=False) for v in q.loc[0.5]]


# -- HTML ----------------------------------------------------------------------------------
def test_an_evaluation_shows_its_table_in_council_format():
    html = fm.evaluate(occ_mtfp())._repr_html_()
    assert html.startswith('<div class="finmodel-result">')
    assert "£5.8m" in html and "(£3.8m)" in html  # 002_90ddc037a457842c.txt:1205
    assert re.search(r'<tr style="font-weight:bold;[^"]*"><th[^>]*>Net Pressure / \(Saving\)</th>', html)


def test_table_html_has_the_tables_cells_as_the_report_prints_them():
    result = fm.evaluate(occ_case(), "low")
    html = table_html(result, "incremental", decimals=0)
    # 002_90ddc037a457842c.txt:1628-1631
    assert cells(html)[:5] == ["£2m", "£13m", "£13m", "£5m", "£33m"]
    assert cells(html)[-5:] == ["-£1m", "£4m", "£12m", "£16m", "–"]


def test_a_simulation_shows_percentiles_a_chart_and_its_key_figures():
    sim = fm.simulate(occ_case(), n=2_000, seed=2018)
    html = sim._repr_html_()
    assert "2,000 trials (random, seed 2018)" in html
    image = re.search(r'<img src="data:image/png;base64,([^"]+)"', html)
    assert image and base64.b64decode(image.group(1))[:4] == b"\x89PNG"
    p50 = sim.quantiles("cumulative_net", 0.5).loc[0.5]
    assert all(fm.format_money(v, brackets=False) in html for v in p50)
    below = sim.probability("npv", "<", 0)
    assert f"P(NPV &lt; 0) = {below:.1%}" in html
    assert "mean of 2,000 trials" in html  # the council table of the means


def test_text_from_a_model_is_escaped():
    plan = fm.MTFP("<script>alert(1)</script>", YEARS, [fm.Pressure("<b>Demand</b>", [1.0, 0, 0, 0])])
    for html in (fm.evaluate(plan)._repr_html_(), plan._repr_html_()):
        assert "<script>" not in html and "<b>Demand" not in html
        assert "&lt;b&gt;Demand&lt;/b&gt;" in html


def test_a_model_shows_its_lines():
    case = occ_case()
    html = case._repr_html_()
    assert "CostBenefitCase &#x27;OCC case for change (January 2018)&#x27;: 2018/19 to 2021/22, £m, 4 lines, 3 uncertain inputs" in html
    rows = re.findall(r"<tr><td[^>]*>(\w+)</td><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td>", html)
    assert rows[1] == ("Benefit", "Quick wins", "Range(low=8, high=17)")
    assert rows[-1] == ("Cost", "Implementation", "3, 8, 5, 1")
    assert "Profile.increments([2, 13, 13, 5])" in html


def test_a_check_report_shows_its_findings_as_a_table():
    table = fm.PublishedTable(
        "Sourcing", "002_90ddc037a457842c.txt:1580-1588", ["a", "b", "total"],
        [("x", [1, 2, 3]), ("<y>", [1, 2, 5])], totals=[fm.Total(column="total", of=["a", "b"])],
    )
    html = fm.check(table)._repr_html_()
    assert html.startswith("<p><strong>Check</strong>: 1 finding</p>")
    assert "<li>Sourcing (002_90ddc037a457842c.txt:1580-1588): 1 of 2 totals disagrees</li>" in html
    assert "<td>&lt;y&gt;</td>" in html


def test_without_a_registered_renderer_jupyter_falls_back_to_text(monkeypatch):
    monkeypatch.setattr(hooks, "_hooks", {})
    assert fm.evaluate(occ_mtfp())._repr_html_() is None


def test_an_accessor_says_what_to_import_when_nothing_is_registered(monkeypatch):
    monkeypatch.setattr(hooks, "_accessors", {})
    with pytest.raises(AttributeError, match="import finmodel"):
        fm.evaluate(occ_mtfp()).plot  # noqa: B018
