"""Reports as files: every report of the demo year, both languages, escaping, the CLI, overrides."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from html.parser import HTMLParser

import polars as pl
import pytest

from mops.config import load_config
from mops.errors import InputError
from mops.reports import REPORTS
from mops.reports.fmt import Formatter
from mops.reports.render import render_html
from mops.schemas.model import Lang
from reports.helpers import DEMO_AS_OF, build

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")

HOSTILE = "<script>alert(1)</script>{{ 7*7 }}\"onload=alert(2) x='{% raw %}"


class _Tags(HTMLParser):
    """Collects tags and attributes as a browser's parser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def test_every_report_of_the_demo_year_in_both_languages(demo_reports):
    for lang, run in demo_reports.items():
        assert [f.name for f in run.files] == list(sorted(REPORTS, key=lambda n: REPORTS[n][0]))
        for item in run.files:
            html = item.path.read_text(encoding="utf-8")
            assert item.path.name.startswith(f"{REPORTS[item.name][0]:02d}-{item.name}-2026")
            assert "<script" not in html and "http://" not in html.replace(
                'xmlns="http://www.w3.org/2000/svg"', ""
            ), "self-contained: no script, nothing fetched"
            assert "<svg" in html or item.name in ("summary",)
            assert ("年度" in html) if lang == "zh-TW" else ("Year 2026" in html)
            if item.name in ("sales", "contracts", "expenses"):
                assert "NT$" in html


def test_demo_sales_report_shows_the_demo_figures(demo_reports):
    view = next(v for v in demo_reports["en"].views if v.name == "sales")
    attainment = next(k for k in view.kpis if k.label == "Attainment")
    assert attainment.value > 0
    html = next(f for f in demo_reports["zh-TW"].files if f.name == "sales").path.read_text("utf-8")
    assert "銷售報表" in html and "依據：營銷管理制度 §6" in html and "達成率" in html
    assert re.search(r"NT\$\d{1,3}(,\d{3})+", html), "thousands separators"


class HostileRows:
    """The demo's rows with hostile text appended to every text cell."""

    def __init__(self, dataset) -> None:
        self.dataset = dataset

    def frame(self, key):
        frame = self.dataset.frame(key)
        if frame is None:
            return None
        text_columns = [c for c, t in frame.schema.items() if t == pl.String]
        return frame.with_columns(pl.col(c) + pl.lit(HOSTILE) for c in text_columns)


@pytest.fixture(scope="module")
def demo_dataset(demo_folder):
    from mops.validation.engine import validate_dataset

    return validate_dataset([demo_folder], load_config(), as_of=DEMO_AS_OF)


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_hostile_text_in_every_text_column_is_shown_not_run(name, demo_dataset):
    report, dataset = demo_dataset
    # The run summary shows people and files from the findings: hostile names there.
    findings = [dataclasses.replace(f, owner=f"{f.owner}{HOSTILE}") for f in report.findings]
    hostile_report = dataclasses.replace(report, findings=findings)
    view = build(name, HostileRows(dataset), "2026", DEMO_AS_OF, validation=hostile_report)
    html = render_html(view)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag != "script"
        assert not any(name.startswith("on") for name, _ in attrs), (tag, attrs)
    assert "{{ 7*7 }}" in html  # shown as typed, never evaluated as a template


def test_a_firms_template_folder_overrides_a_template_by_name(tmp_path, demo_dataset):
    (tmp_path / "sales.html.j2").write_text(
        "<h1>{{ view.title }} · Kestrel &amp; Co</h1>{{ view.lang.value }}", encoding="utf-8"
    )
    _, dataset = demo_dataset
    view = build("sales", dataset, "2026", DEMO_AS_OF)
    html = render_html(view, templates=str(tmp_path))
    assert html.startswith("<h1>Sales · Kestrel &amp; Co</h1>en")


def test_minguo_dates_and_formats():
    zh = Formatter(Lang.ZH_TW, minguo=True)
    assert zh.date(dt.date(2026, 11, 26)) == "民國115年11月26日"
    assert Formatter(Lang.ZH_TW).date(dt.date(2026, 11, 26)) == "2026年11月26日"
    assert Formatter(Lang.EN).date(dt.date(2026, 11, 26)) == "26 Nov 2026"
    assert Formatter(Lang.EN).money(1234567.5) == "NT$1,234,568"
    assert Formatter(Lang.ZH_TW).money(-1200) == "-NT$1,200"
    assert Formatter(Lang.EN).percent(0.875) == "87.5%"


def test_the_command_writes_reports_and_refuses_bad_input(mops, demo_folder, tmp_path):
    result = mops("report", "sales", str(demo_folder), "--as-of", "2026-11-26",
                  "--period", "2026-Q3", "--lang", "en", "--out", str(tmp_path))  # fmt: skip
    assert result.returncode == 0, result.stderr
    written = tmp_path / "01-sales-2026-Q3-en.html"
    assert written.is_file() and "Wrote" in result.stdout
    assert "2026 Q3" in written.read_text(encoding="utf-8")
    bad = mops("report", "sales", str(demo_folder), "--period", "2026-Q5", "--lang", "en")
    assert bad.returncode == 2 and "2026-Q5" in bad.stderr and "Traceback" not in bad.stderr
    unknown = mops("report", "salse", str(demo_folder), "--lang", "en")
    assert unknown.returncode == 2 and "salse" in unknown.stderr and "sales" in unknown.stderr


def test_mops_demo_ends_with_the_reports_of_the_demo_year(tmp_path):
    import mops

    run = mops.demo(tmp_path / "demo", as_of=DEMO_AS_OF, lang="en")
    assert [p.name for p in run.reports] == [
        f"{n:02d}-{name}-2026-en.html"
        for name, (n, _) in sorted(REPORTS.items(), key=lambda kv: kv[1][0])
    ]
    assert all(p.parent == tmp_path / "demo" / "reports" for p in run.reports)
    assert "Marketing expenses" in run.reports[6].read_text(encoding="utf-8")


def test_charts_escape_their_labels_and_keep_series_apart_without_colour():
    from decimal import Decimal as D

    from mops.reports import charts
    from mops.reports.model import Chart, Series

    chart = Chart(
        "bars", "Spend <b>", (HOSTILE, "B"),
        (Series("Budget", (D(5), D(10))), Series('"Actual"', (D(7), None))), kind="money",
    )  # fmt: skip
    svg = str(charts.render(chart, Formatter(Lang.EN)))
    assert "<script>" not in svg and "Spend &lt;b&gt;" in svg
    fills = re.findall(r'<rect x="150"[^>]*fill="([^"]+)"', svg)
    assert len(set(fills)) == 2 and any(f.startswith("url(#") for f in fills)  # a pattern
    heat = Chart(
        "heatmap", "Used", ("M1", "M2"), (Series("Sales", (D("0.5"), D("1.2"))),), kind="pct"
    )
    drawn = str(charts.render(heat, Formatter(Lang.EN)))
    assert "▲120%" in drawn and "50%" in drawn  # overspend marked by a sign, not colour alone


def test_the_firms_settings_reach_the_reports(demo_folder, tmp_path):
    import mops

    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "research.html.j2").write_text(
        '{% extends "report.html.j2" %}{% block brand %}<p class="brand">Kestrel 顧問</p>'
        "{% endblock %}",
        encoding="utf-8",
    )
    config = (
        load_config()
        .updated("reports", templates=str(folder), minguo_dates=True)
    )  # fmt: skip
    run = mops.report(["research", "sales"], demo_folder, as_of=DEMO_AS_OF, out=tmp_path / "out",
                      config=config)  # fmt: skip
    html = {f.name: f.path.read_text(encoding="utf-8") for f in run.files}
    research, sales = html["research"], html["sales"]
    assert "Kestrel 顧問" in research and "Kestrel" not in sales  # one report overridden
    assert "資料截至：民國115年11月26日" in sales
    missing = load_config().updated("reports", templates=str(tmp_path / "nowhere"))
    with pytest.raises(InputError, match="nowhere"):
        mops.report("sales", demo_folder, as_of=DEMO_AS_OF, out=tmp_path / "x", config=missing)


def test_the_run_summary_shows_the_later_steps_given(demo_folder, tmp_path):
    import mops
    from mops.reports.summary import RunStep

    step = RunStep("Sync with Odoo", (("records created", 12), ("conflicts", 1)), "as of 02:00")
    run = mops.report("summary", demo_folder, as_of=DEMO_AS_OF, lang="en", out=tmp_path,
                      steps=[step])  # fmt: skip
    html = run.files[0].path.read_text(encoding="utf-8")
    assert "<h2>Sync with Odoo</h2>" in html and "records created" in html and "as of 02:00" in html
