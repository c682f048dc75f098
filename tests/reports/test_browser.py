"""Each HTML report opened in the system's headless Chromium, as a reader would open it.

A screenshot is taken (kept in the test's folder, and in $MOPS_REPORT_SCREENSHOTS when set, to
look at), the console must stay clean, every chart must have drawn something, no table may be
wider than an A4 page's printable width, and no text may overflow its box. The PDF of each
report is printed through the same browser and read back with poppler's pdftotext (pypdf reads
the CJK fonts' shared glyphs back as Kangxi radicals, ⽤ for 用, which the PDF does not hold).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from mops.reports.render import html_to_pdf

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="chromium and chromium-driver needed"),
]
# A4 is 210 mm wide; with the print margins (12 mm each side) 186 mm are printable: at 96 dpi,
# 703 px. The page is laid out at that width, so a table wider than this would be cut off.
A4_PRINTABLE_PX = 703
PHONE_PX = 390
# Pages a report of the demo year may take on A4: a bound, so a layout gone wrong (one row a
# page, a table exploding) fails.
PAGE_BOUND = {"sales": 8, "contracts": 12, "expenses": 8, "customers": 12, "campaigns": 14,
              "service": 10, "staff": 10, "research": 8, "summary": 10}  # fmt: skip

CHECKS = """
const out = {charts: [], tables: [], overflow: []};
for (const svg of document.querySelectorAll('svg.chart')) {
  const box = svg.getBoundingClientRect();
  const marks = svg.querySelectorAll('rect[width], polyline, circle, path').length;
  const drawn = [...svg.querySelectorAll('rect')].filter(r => r.getBBox().width > 0.5).length;
  out.charts.push({id: svg.id, w: box.width, h: box.height, marks, drawn});
}
for (const t of document.querySelectorAll('table')) {
  const caption = t.caption ? t.caption.textContent : '';
  out.tables.push({w: t.getBoundingClientRect().width, caption});
}
for (const el of document.querySelectorAll('td, th, .kpi-value, .kpi-label, h1, h2, p, dd')) {
  if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflow !== 'auto')
    out.overflow.push(el.tagName + ': ' + el.textContent.slice(0, 40));
}
return out;
"""


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--hide-scrollbars"):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()


def _open(browser, path: Path, width: int) -> dict:
    """Open the page so its content is ``width`` wide (the body has 16 px padding a side)."""
    browser.set_window_size(width + 32, 1000)
    browser.get(path.resolve().as_uri())
    return browser.execute_script(CHECKS)


def _files(demo_reports):
    return [(lang, item) for lang, run in demo_reports.items() for item in run.files]


def test_each_report_reads_cleanly_in_chromium_at_a4_width(browser, demo_reports, tmp_path):
    keep = os.environ.get("MOPS_REPORT_SCREENSHOTS")
    for _, item in _files(demo_reports):
        found = _open(browser, item.path, A4_PRINTABLE_PX)
        errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
        assert not errors, (item.path.name, errors)
        for chart in found["charts"]:
            assert chart["w"] > 300 and chart["h"] > 80, (item.path.name, chart)
            assert chart["drawn"] > 0, f"{item.path.name}: chart {chart['id']} drew nothing"
        for table in found["tables"]:
            assert table["w"] <= A4_PRINTABLE_PX + 1, (item.path.name, table)
        assert not found["overflow"], (item.path.name, found["overflow"][:5])
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(A4_PRINTABLE_PX + 32, min(height, 12000))
        shot = tmp_path / f"{item.path.stem}.png"
        assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            shutil.copy(shot, Path(keep) / shot.name)


def test_each_report_fits_a_phone(browser, demo_reports):
    for _, item in _files(demo_reports):
        found = _open(browser, item.path, PHONE_PX - 12)
        page = browser.execute_script("return document.body.scrollWidth")
        assert page <= PHONE_PX + 20, (item.path.name, page)  # wide tables scroll in their box
        assert not found["overflow"], (item.path.name, found["overflow"][:5])


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils needed")
def test_each_report_prints_to_pdf_with_its_chinese_intact(demo_reports, tmp_path):
    for item in demo_reports["zh-TW"].files:
        pdf = html_to_pdf(item.path, tmp_path / f"{item.path.stem}.pdf")
        info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])
        assert 1 <= pages <= PAGE_BOUND[item.name], (item.path.name, pages)
        assert re.search(r"^Page size:.*\(A4\)", info, re.M), info
        first = subprocess.run(["pdftotext", "-l", "1", pdf, "-"], capture_output=True,
                               text=True, check=True).stdout  # fmt: skip
        assert item.title in first, (item.path.name, first[:200])
        assert "營銷管理制度" in first and "資料截至" in first
        assert not re.search("[\u2f00-\u2fdf]", first), "Kangxi radicals instead of characters"
