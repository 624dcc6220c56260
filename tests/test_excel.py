"""Excel out and in: a result's workbook read back with openpyxl (values and cell types),
models read from sheets laid out as committee papers, the template, and the round trip."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import finmodel as fm
from finmodel.io.excel_layout import kind_of

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"

# The OCC overall financial position 2018/22, 002_90ddc037a457842c.txt lines 1199-1207, as printed
# (brackets are negatives): each row's four years.
OCC_MTFP_PRINTED = {
    "Improvements & Investments": ("Investment", [4.8, 0.4, 0.0, -0.5]),  # 002:1201
    "Pressures": ("Pressure", [18.4, 9.0, 6.5, 0.2]),  # 002:1202
    "Savings": ("Saving", [-32.4, 0.0, -4.9, -0.5]),  # 002:1203
    "Transformation Savings Re-profiled": ("Reprofile", [15.0, -8.5, -3.5, -3.0]),  # 002:1204
}
# 002_90ddc037a457842c.txt:1205, Net Pressure / (Saving) by year and in total
OCC_NET = [5.8, 0.9, -1.9, -3.8, 1.0]


def occ_mtfp() -> fm.MTFP:
    return fm.load(SCENARIOS / "occ-mtfp-2018-22.toml").model  # type: ignore[return-value]


def occ_case() -> fm.CostBenefitCase:
    return fm.load(SCENARIOS / "occ-case-for-change-2018.toml").model  # type: ignore[return-value]


def same_tables(a: fm.Results, b: fm.Results) -> None:
    for basis in a.model.bases:
        left, right = a.table(basis), b.table(basis)
        assert left.index.tolist() == right.index.tolist()
        np.testing.assert_allclose(left.to_numpy(), right.to_numpy(), rtol=1e-12, atol=1e-12, equal_nan=True)


# -- Excel out -------------------------------------------------------------------------------


def test_workbook_tables_read_back_with_their_values_and_cell_types(tmp_path):
    result = fm.evaluate(occ_mtfp())
    path = result.to_excel(tmp_path / "occ.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Summary", "Table incremental", "Table cumulative", "Inputs", "Model", "Charts",
                               "Properties"]
    sheet = book["Table incremental"]
    table = result.table("incremental")
    assert sheet.freeze_panes == "B5"
    assert [c.value for c in sheet[4][1:]] == table.columns.tolist()
    for i, (label, values) in enumerate(table.iterrows(), start=5):
        assert sheet.cell(i, 1).value == label and sheet.cell(i, 1).data_type == "s"
        for j, value in enumerate(values, start=2):
            cell = sheet.cell(i, j)
            if math.isnan(value):
                assert cell.value is None  # a running total's Total is blank, as printed
            else:
                # a number, to 16 significant digits (as openpyxl writes them; Excel itself keeps 15)
                assert cell.data_type == "n" and cell.value == pytest.approx(value, rel=1e-15, abs=1e-15)
                assert cell.number_format == '"£"#,##0.0"m";("£"#,##0.0"m");"£"0.0"m"'
    net = [sheet.cell(9, j).value for j in range(2, 7)]
    assert [round(v, 1) for v in net] == OCC_NET  # 002_90ddc037a457842c.txt:1205
    assert sheet.cell(9, 1).font.b  # the net row is bold, as the paper prints it


def test_simulation_workbook_holds_summary_inputs_samples_charts_and_provenance(tmp_path):
    loaded = fm.load(SCENARIOS / "occ-case-for-change-2018.toml")
    sim = loaded.simulate(n=2_000)
    path = fm.to_excel(sim, tmp_path / "sim.xlsx", samples=True, check=fm.check(loaded))
    book = openpyxl.load_workbook(path)
    assert {"Simulation", "Samples", "Check", "Charts", "Properties"} <= set(book.sheetnames)
    summary = {book["Summary"].cell(r, 1).value: book["Summary"].cell(r, 2).value for r in range(1, 40)}
    assert summary["P(NPV < 0)"] == pytest.approx(sim.probability("npv", "<", 0))
    assert summary["NPV P50"] == pytest.approx(float(sim.quantiles("npv", 0.5).iloc[0]))
    assert summary["Seed"] == 2018 and summary["Trials"] == 2_000
    samples = book["Samples"]
    header = [c.value for c in samples[4]]
    assert header[0] == "trial" and "npv" in header and "Quick wins run rate" in header
    column = header.index("npv") + 1
    first = [samples.cell(r, column).value for r in range(5, 10)]
    assert first == pytest.approx(sim.samples("npv")[:5].tolist())
    assert samples.max_row == 4 + 2_000
    assert len(book["Charts"]._images) == 4
    props = {book["Properties"].cell(r, 1).value: book["Properties"].cell(r, 2).value for r in range(3, 20)}
    assert props["seed"] == 2018 and props["trials"] == 2_000 and props["method"] == "random"
    assert book.properties.creator.startswith("finmodel")
    check = book["Check"]
    assert any("12.76" in str(c.value) for row in check.iter_rows() for c in row)  # 002:1588, a known disagreement


def test_an_evaluation_with_its_simulation_keeps_the_scenario_tables(tmp_path):
    loaded = fm.load(SCENARIOS / "occ-case-for-change-2018.toml")
    low, sim = loaded.evaluate("low"), loaded.simulate(n=1_000)
    book = openpyxl.load_workbook(fm.to_excel(low, tmp_path / "both.xlsx", simulation=sim, samples=True))
    assert "Simulation" in book.sheetnames and book["Samples"].max_row == 4 + 1_000
    sheet = book["Table incremental"]
    assert [sheet.cell(5, j).value for j in range(2, 7)] == pytest.approx([2, 13, 13, 5, 33])  # the low case, 002:1628
    summary = [book["Summary"].cell(r, 1).value for r in range(1, 60)]
    assert "Key figures, scenario low" in summary and "Key figures over 1,000 trials" in summary
    assert len(book["Charts"]._images) == 5  # the scenario's payback, and the simulation's four
    with pytest.raises(fm.FinmodelError, match="same model"):
        fm.to_excel(low, tmp_path / "x.xlsx", simulation=fm.simulate(occ_case(), n=10, seed=1))


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://example.com\",\"x\")", "+1+1", "-2", "@SUM(A1)"])
def test_names_that_look_like_formulas_stay_text(tmp_path, name):
    plan = fm.MTFP(name, fm.Timeline("2018/19", 2), [fm.Pressure(name, [1.0, 2.0])])
    path = fm.evaluate(plan).to_excel(tmp_path / "x.xlsx", charts=False)
    book = openpyxl.load_workbook(path)
    cells = [c for ws in book for row in ws.iter_rows() for c in row if c.value == name]
    assert len(cells) >= 3  # the table, the model sheet, the summary
    assert all(c.data_type == "s" for c in cells)
    assert all(c.quotePrefix for c in cells)
    assert not any(c.data_type == "f" and "SUM(A1)" in str(c.value) for ws in book for row in ws.iter_rows()
                   for c in row)
    assert [li.name for li in fm.read_excel(path).lines] == [name]  # and reads back as it was


@pytest.mark.parametrize("text", ["\tTab", "\rReturn", "=1+1"])
def test_every_cell_writer_keeps_text_as_text(text):
    from finmodel.io.excel_cells import put

    cell = put(openpyxl.Workbook().active, 1, 1, text)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)


def test_a_failed_write_leaves_the_earlier_workbook(tmp_path, monkeypatch):
    result = fm.evaluate(occ_mtfp())
    path = result.to_excel(tmp_path / "occ.xlsx", charts=False)
    before = path.read_bytes()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken)
    with pytest.raises(OSError):
        result.to_excel(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["occ.xlsx"]


def test_sensitivity_sheet_takes_tornado_data_and_tables(tmp_path):
    tornado = pd.DataFrame({"low": [30.0, 35.0], "high": [50.0, 41.0], "base": 40.0},
                           index=pd.Index(["Quick wins", "Delivery"], name="input"))
    switching = pd.DataFrame({"switching_value": [3.2]}, index=pd.Index(["Quick wins"], name="input"))
    path = fm.evaluate(occ_case()).to_excel(tmp_path / "s.xlsx", sensitivity={"Tornado of NPV": tornado,
                                                                            "Switching values": switching})
    sheet = openpyxl.load_workbook(path)["Sensitivity"]
    cells = [c.value for row in sheet.iter_rows() for c in row]
    assert "Tornado of NPV" in cells and "Switching values" in cells and 3.2 in cells
    assert len(sheet._images) == 1


def test_sensitivity_sheet_takes_the_analysis_results_as_they_are(tmp_path):
    model = occ_case()
    tornado, switching = fm.tornado(model, "npv"), fm.switching_values(model, "npv")
    path = fm.evaluate(model).to_excel(tmp_path / "t.xlsx", charts=False,
                                      sensitivity={"Tornado of NPV": tornado, "Switching values": switching})
    sheet = openpyxl.load_workbook(path)["Sensitivity"]
    cells = [c.value for row in sheet.iter_rows() for c in row]
    widest = tornado.table.index[0]  # the input with the widest swing comes first, 002:1553 (£21m-£33m)
    assert cells.index(widest) < min(cells.index(label) for label in tornado.table.index[1:])
    assert "result, input low" in cells and "switching value" in cells
    assert len(sheet._images) == 0  # charts=False


# -- Excel in --------------------------------------------------------------------------------


def fill_template(path: Path, lines: dict[str, tuple[str, list[float]]]) -> None:
    """Type each line into the first spare row under its kind's heading, as a finance officer would."""
    book = openpyxl.load_workbook(path)
    ws = book["Model"]
    for label, (kind, values) in lines.items():
        heading = kind_of(kind).heading
        row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == heading) + 1
        while ws.cell(row, 1).value is not None:
            row += 1
        ws.cell(row, 1).value = label
        for j, value in enumerate(values, start=3):
            ws.cell(row, j).value = value
    book.save(path)


def test_template_filled_with_the_occ_mtfp_reproduces_the_published_table(tmp_path):
    path = fm.write_template(tmp_path / "mtfp.xlsx", "mtfp", start="2018/19", years=4, example=False)
    fill_template(path, OCC_MTFP_PRINTED)
    plan = fm.read_excel(path, name="OCC overall financial position 2018/22")
    table = fm.evaluate(plan).table()
    assert table.loc["Net Pressure / (Saving)"].round(1).tolist() == OCC_NET  # 002:1205
    for label, (_, printed) in OCC_MTFP_PRINTED.items():
        assert table.loc[label].iloc[:4].round(1).tolist() == printed
    same_tables(fm.evaluate(plan), fm.evaluate(occ_mtfp()))
    assert fm.check(fm.load(SCENARIOS / "occ-mtfp-2018-22.toml")).ok


def test_committee_paper_sheet_with_headings_text_numbers_and_a_total_row(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "MTFP 2018-22"
    ws.append(["OCC - Overall Financial Position 2018/22 (£m)"])
    ws.append([])
    ws.append(["", "18/19", "19/20", "20/21", "21/22", "Total"])
    ws.append(["Improvements & Investments"])
    ws.append(["Improvements & Investments", 4.8, 0.4, 0.0, "(0.5)", 4.7])
    ws.append(["Pressures"])
    ws.append(["Pressures", 18.4, 9.0, 6.5, 0.2, 34.1])
    ws.append(["Savings"])
    ws.append(["Savings", "(32.4)", "-", "(4.9)", "(0.5)", "(37.8)"])
    ws.append(["Re-profiling"])
    ws.append(["Transformation Savings Re-profiled", 15.0, -8.5, -3.5, -3.0, 0])
    ws.append(["Net Pressure / (Saving)", 5.8, 0.9, -1.9, -3.8, 1.0])
    book.save(tmp_path / "paper.xlsx")
    plan = fm.read_excel(tmp_path / "paper.xlsx")
    assert isinstance(plan, fm.MTFP) and plan.name == "MTFP 2018-22"
    assert [li.kind for li in plan.lines] == ["Investment", "Pressure", "Saving", "Reprofile"]
    assert fm.evaluate(plan).table().loc["Net Pressure / (Saving)"].round(1).tolist() == OCC_NET


def test_case_with_ranges_as_low_and_high_columns(tmp_path):
    # benefit categories, minimum and maximum, 002_90ddc037a457842c.txt:1553-1555; minimum-scenario phasing
    # 2, 13, 13, 5 (002:1628) split by category in proportion; costs 3, 8, 5, 1 printed negative (002:1629)
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Model", "Cost/benefit case"])
    ws.append(["Line", "2018/19", "2019/20", "2020/21", "2021/22", "Minimum", "Maximum"])
    ws.append(["Benefits"])
    for label, low, high in (("Operating model", 21, 33), ("Quick wins", 8, 17), ("Sourcing", 4, 8)):
        ws.append([label, *(low / 33 * v for v in (2, 13, 13, 5)), low, high])
    ws.append(["Costs"])
    ws.append(["Implementation", -3, -8, -5, -1])
    book.save(tmp_path / "case.xlsx")
    case = fm.read_excel(tmp_path / "case.xlsx")
    low = fm.evaluate(case, "low").table("incremental")
    assert low.loc["Annual benefit"].round(6).tolist() == [2, 13, 13, 5, 33]  # 002:1628
    assert low.loc["Cumulative net"].round(6).tolist()[:4] == [-1, 4, 12, 16]  # 002:1631
    assert fm.evaluate(case, "high").run_rate == pytest.approx(58)  # 002:1609
    same_tables(fm.evaluate(case, "central"), fm.evaluate(occ_case(), "central"))


@pytest.mark.parametrize("model", [occ_mtfp, occ_case], ids=["occ-mtfp", "occ-case"])
@pytest.mark.parametrize("scenario", ["low", "central", "high", "worst", "best"])
def test_round_trip_a_model_written_by_to_excel_reads_back_to_the_same_table(tmp_path, model, scenario):
    original = model()
    path = fm.evaluate(original, scenario).to_excel(tmp_path / "m.xlsx", charts=False)
    back = fm.read_excel(path)
    assert type(back) is type(original) and back.name == original.name and back.units == original.units
    assert [li.name for li in back.lines] == [li.name for li in original.lines]
    same_tables(fm.evaluate(back, scenario), fm.evaluate(original, scenario))


def test_template_reads_back_to_the_model_it_was_written_from(tmp_path):
    for kind in ("mtfp", "case"):
        path = fm.write_template(tmp_path / f"{kind}.xlsx", kind, start="2018/19", years=4)
        model = fm.io.excel_template.example_model(kind, start="2018/19", years=4)
        for scenario in ("low", "central", "high"):
            same_tables(fm.evaluate(fm.read_excel(path), scenario), fm.evaluate(model, scenario))


def test_a_model_the_layout_cannot_hold_says_so_and_is_refused_on_reading(tmp_path):
    plan = fm.MTFP("risky", fm.Timeline("2018/19", 2), [fm.Saving("ASC-03", [1.0, 0.5], delivery=fm.Beta(9, 1))])
    path = fm.evaluate(plan).to_excel(tmp_path / "r.xlsx", charts=False)
    book = openpyxl.load_workbook(path)
    notes = [c.value for row in book["Model"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any(n.startswith("Not in this layout (delivery Beta") for n in notes)
    with pytest.raises(fm.WorkbookError, match=r"r.xlsx, sheet 'Model', cell A\d+: line 'ASC-03' has no amounts"):
        fm.read_excel(path)


def sheet_with(tmp_path: Path, *rows: list) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "Plan"
    for row in rows:
        book.active.append(row)
    book.save(tmp_path / "bad.xlsx")
    return tmp_path / "bad.xlsx"


@pytest.mark.parametrize(
    "rows, message",
    [
        ([["Line", "2018/19", "2019/20"], ["Pressures"], ["Demand", "£5.8m", 1]],
         r"sheet 'Plan', cell B3: expected a number, got '£5.8m'"),
        ([["Line", "2018/19", "2019/20"], ["Adults"], ["Demand", 1, 1]],
         r"sheet 'Plan', cell A2: heading 'Adults' is not a kind of line"),
        ([["Line", "Kind", "2018/19", "2019/20"], ["Demand", "Pressur", 1, 1]],
         r"sheet 'Plan', cell B2: kind 'Pressur' is not a kind of line"),
        ([["Line", "2018/19", "2019/20"], ["Demand", 1, 1]],
         r"sheet 'Plan', cell A2: line 'Demand' has no kind"),
        ([["Line", "2018/19", "2020/21"], ["Pressures"]],
         r"sheet 'Plan', cell C1: '2020/21' does not follow '2018/19'"),
        ([["Line", "Year 1", "Year 2"]], r"sheet 'Plan': no header row of financial years"),
        ([["Line", "2018/19", "2019/20", "Low", "High"], ["Benefits"], ["Quick wins", 1, 1, 8]],
         r"sheet 'Plan', cell E3: line 'Quick wins' has a low but no high"),
        ([["Line", "2018/19", "2019/20"], ["Savings"], ["Efficiency", 0.4, 0.4]],
         r"sheet 'Plan', row 3 \('Efficiency'\): .*every amount is negative.*Signs are 'as printed'"),
        ([["Signs", "upside down"], ["Line", "2018/19", "2019/20"], ["Pressures"], ["Demand", 1, 1]],
         r"sheet 'Plan': signs \('upside down'\) must be 'as printed' or 'positive'"),
        ([["Line", "2018/19", "2019/20", "Recurring"], ["Pressures"], ["Demand", 1, 1, "sometimes"]],
         r"cell D3: recurring: expected yes or no"),
        ([["Line", "2018/19", "2019/20"], ["Pressures"], ["Demand", 1, 1], ["Benefits"], ["Quick wins", 1, 1]],
         r"row 5: line 'Quick wins' is a Benefit but line 'Demand' is a Pressure"),
    ],
)
def test_errors_name_the_sheet_the_cell_and_the_value(tmp_path, rows, message):
    with pytest.raises(fm.WorkbookError, match=message):
        fm.read_excel(sheet_with(tmp_path, *rows))


def test_positive_signs_and_a_formula_with_no_saved_value(tmp_path):
    path = sheet_with(tmp_path, ["Signs", "positive"], ["Line", "2018/19", "2019/20"], ["Savings"],
                      ["Efficiency", 0.4, 0.4])
    plan = fm.read_excel(path)
    assert fm.evaluate(plan).table().loc["Net Pressure / (Saving)"].tolist() == [-0.4, -0.4, -0.8]
    path = sheet_with(tmp_path, ["Line", "2018/19", "2019/20"], ["Pressures"], ["Demand", 1, "=B3*1.1"])
    with pytest.raises(fm.WorkbookError, match=r"cell C3: holds a formula \(=B3\*1.1\) with no saved value"):
        fm.read_excel(path)


def test_not_a_workbook_and_no_such_sheet(tmp_path):
    (tmp_path / "x.xlsx").write_text("not a workbook")
    with pytest.raises(fm.WorkbookError, match="not an Excel workbook"):
        fm.read_excel(tmp_path / "x.xlsx")
    path = fm.write_template(tmp_path / "t.xlsx")
    with pytest.raises(fm.WorkbookError, match=r"no sheet called 'MTFP' \(sheets: 'Model'\)"):
        fm.read_excel(path, sheet="MTFP")


def test_samples_beyond_a_worksheet_are_refused_before_anything_is_written(tmp_path, monkeypatch):
    import finmodel.outputs.workbook as workbook

    monkeypatch.setattr(workbook, "MAX_ROWS", 100)
    sim = fm.simulate(occ_case(), n=101, seed=1)
    with pytest.raises(fm.FinmodelError, match="101 trials exceed a worksheet's 100 rows"):
        sim.to_excel(tmp_path / "big.xlsx", samples=True, charts=False)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(fm.FinmodelError, match="must be an Evaluation or a Simulation"):
        fm.to_excel(occ_case(), tmp_path / "model.xlsx")
