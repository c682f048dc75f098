"""§9 staff rules on real workbooks: onboarding of new hires, KPI weights."""

from __future__ import annotations

import pytest

from validation.rowkit import (
    D,
    config,
    date,
    hits,
    levels,
    messages,
    roster_rows,
    row,
    validate,
    write,
    xrow,
)

ONBOARDING = "P9.1-onboarding"
WEIGHTS = "P9.2-weights"


def training(i: int, name: str, day, **values) -> dict:
    return row("training", training_id=f"T{i:04d}", employee=name, date=day, **values)


def person(i: int, name: str, hired, **values) -> dict:
    return row(
        "roster", employee_id=f"E{i:03d}", name=name, group="sales", role="sales_rep",
        manager="陳主任", email=f"e{i:03d}@example.com.tw", hire_date=hired, **values,
    )  # fmt: skip


def _staff():
    """The old hands (hired 2020-01-06, onboarded 2020-01-10, when the log began) and new hires."""
    old = roster_rows()
    log = [training(i, r["name"], date(2020, 1, 10)) for i, r in enumerate(old)]
    april = date(2026, 4, 1)
    hires = [
        (person(20, "新人甲", april), [date(2026, 4, 10)]),
        (person(21, "新人乙", april), []),
        (person(22, "新人丙", date(2026, 3, 1)), [date(2026, 4, 15)]),  # 45 days after
        (person(23, "新人丁", april), [("incomplete", date(2026, 4, 10))]),
        (person(24, "新人戊", april), [("internal", date(2026, 4, 10))]),
        (person(25, "新人己", date(2026, 6, 1)), []),  # 14 days ago: not due yet
        (person(26, "新人庚", april, leave_date=date(2026, 5, 15), active=False), []),
        (person(27, "老員工", date(2019, 6, 1)), []),  # before the log began: not judged
        (person(28, "新人辛", date(2026, 5, 16)), []),  # exactly 30 days ago
        (person(29, "新人壬", april), [date(2026, 5, 1)]),  # on day 30
    ]
    roster = old + [p for p, _ in hires]
    for p, sessions in hires:
        for s in sessions:
            kind, day = s if isinstance(s, tuple) else ("onboarding", s)
            values = {"completed": False} if kind == "incomplete" else {}
            kind = "onboarding" if kind == "incomplete" else kind
            log.append(training(len(log), p["name"], day, training_type=kind, **values))
    return roster, log


def test_a_clean_staff_book_has_no_findings(tmp_path):
    old = roster_rows()
    log = [training(i, r["name"], date(2020, 1, 10)) for i, r in enumerate(old)]
    kpis = [row("kpis")]
    assert validate(write(tmp_path, "staff", roster=old, training=log, kpis=kpis)).findings == []


def test_new_hires_complete_onboarding_within_the_limit(tmp_path):
    roster, log = _staff()
    report = validate(write(tmp_path, "staff", roster=roster, training=log))
    first_new = len(roster_rows())
    assert levels(report, ONBOARDING) == {
        ("roster", xrow(first_new + 1), "hire_date", "warning"),
        ("roster", xrow(first_new + 2), "hire_date", "warning"),
        ("roster", xrow(first_new + 3), "hire_date", "warning"),
        ("roster", xrow(first_new + 4), "hire_date", "warning"),
    }
    text = messages(report, ONBOARDING)
    assert any("新人丙" in m and "2026-04-15" in m and "45 天" in m for m in text)
    assert any("新人乙" in m and "2026-04-01" in m for m in text)


def test_the_onboarding_limit_comes_from_the_configuration(tmp_path):
    roster, log = _staff()
    settings = config(overrides={"staff": {"onboarding_within_days": 50}})
    report = validate(write(tmp_path, "staff", roster=roster, training=log), settings=settings)
    names = " ".join(messages(report, ONBOARDING))
    assert "新人丙" not in names and "新人乙" in names


def kpi(i: int, year: int, group: str, weight, indicator: str = "revenue") -> dict:
    return row(
        "kpis", kpi_id=f"K{i:03d}", year=year, group=group, indicator=indicator,
        weight=None if weight is None else D(weight),
    )  # fmt: skip


def test_weights_of_a_year_and_group_add_up_to_100_percent(tmp_path):
    rows = [
        kpi(0, 2026, "sales", "0.4"),
        kpi(1, 2026, "sales", "0.3", "profit"),
        kpi(2, 2026, "service", "0.5", "satisfaction"),
        kpi(3, 2026, "sales", "0.3", "new_customers"),
        kpi(4, 2026, "service", "0.3", "response_time"),
        kpi(5, 2026, "service", "0.25", "other"),
        kpi(6, 2025, "sales", "0.5"),
        kpi(7, 2025, "sales", "0.4", "profit"),
        kpi(8, 2026, "promotion", "0.5", "promotion_effect"),
        kpi(9, 2026, "promotion", None, "other"),  # blank: the cell pass reports it
    ]
    report = validate(write(tmp_path, "staff", kpis=rows))
    assert levels(report, WEIGHTS) == {
        ("kpis", xrow(2), "weight", "error"),
        ("kpis", xrow(6), "weight", "error"),
    }
    assert ("kpis", xrow(9), "weight", "required") in hits(report, "required")
    assert any("105%" in m and "客戶服務組" in m for m in messages(report, WEIGHTS))


def _failing(tmp_path):
    roster, log = _staff()
    kpis = [kpi(0, 2026, "sales", "0.6")]
    return write(tmp_path, "staff", roster=roster, training=log, kpis=kpis)


@pytest.mark.parametrize("rule_id", [ONBOARDING, WEIGHTS])
def test_a_rule_switched_off_is_silent(tmp_path, rule_id):
    path = _failing(tmp_path)
    assert hits(validate(path), rule_id)
    off = config(**{rule_id: {"enabled": False}})
    assert not hits(validate(path, settings=off), rule_id)


@pytest.mark.parametrize("rule_id", [ONBOARDING, WEIGHTS])
def test_a_configured_severity_applies(tmp_path, rule_id):
    report = validate(_failing(tmp_path), settings=config(**{rule_id: {"severity": "info"}}))
    assert levels(report, rule_id)
    assert {s for *_, s in levels(report, rule_id)} == {"info"}
