"""§5 customer rules on real workbooks: complete and unique records, follow-up cadence."""

from __future__ import annotations

import pytest

from validation.rowkit import config, date, hits, levels, messages, row, validate, write, xrow

COMPLETE = "P5.2-complete"
CADENCE = "P5.3-cadence"


def customer(i: int, **values) -> dict:
    """Customer CU<i> with its own name, tax ID and e-mail unless told otherwise."""
    values.setdefault("name", f"客戶{i:04d}企業股份有限公司")
    values.setdefault("tax_id", f"{10000000 + i}")
    values.setdefault("email", f"info{i}@client{i}.com.tw")
    return row("customers", customer_id=f"CU{i:04d}", **values)


def contact(i: int, customer_no: int | str, day) -> dict:
    cid = customer_no if isinstance(customer_no, str) else f"CU{customer_no:04d}"
    return row("followup_log", log_id=f"FL{i:05d}", customer_id=cid, date=day)


def test_clean_customers_have_no_findings(tmp_path):
    path = write(
        tmp_path, "customers",
        customers=[customer(0), customer(1)],
        followup_log=[contact(0, 0, date(2026, 6, 10)), contact(1, 1, date(2026, 6, 12))],
    )  # fmt: skip
    assert validate(path).findings == []


def test_the_same_customer_twice_is_reported_on_the_later_row(tmp_path):
    rows = [
        customer(0, name="祥茂顧問股份有限公司", tax_id="12345678", email="a@xm.com.tw"),
        customer(1, name="祥茂顧問"),
        customer(2, name="ＡＢＣ 企管顧問有限公司"),
        customer(3, name="abc企管顧問"),
        customer(4, name="臺灣數位股份有限公司"),
        customer(5, name="台灣數位(股)公司"),
        customer(6, tax_id="12345678"),
        customer(7, email="A@XM.com.tw"),
        customer(8),
        customer(9, contact_name=None),  # blank: reported by the cell pass under this rule
    ]
    report = validate(write(tmp_path, "customers", customers=rows))
    assert levels(report, COMPLETE) == {
        ("customers", xrow(1), "name", "error"),
        ("customers", xrow(3), "name", "error"),
        ("customers", xrow(5), "name", "error"),
        ("customers", xrow(6), "tax_id", "error"),
        ("customers", xrow(7), "email", "error"),
        ("customers", xrow(9), "contact_name", "error"),
    }
    first = next(m for m in messages(report, COMPLETE) if "CU0001" in m)
    assert "祥茂顧問" in first and "CU0000" in first and f"第 {xrow(0)} 列" in first


def test_customers_are_followed_up_as_often_as_their_tier_needs(tmp_path):
    rows = [
        customer(0),  # B, contacted 2026-06-10
        customer(1, tier="A"),  # last contact 2026-06-01: 14 days, 7 allowed
        customer(2, tier="A"),  # 2026-06-08: exactly 7 days
        customer(3, tier="C", first_contact_date=date(2026, 5, 1)),  # none since: 45 days
        customer(4, tier="D", first_contact_date=None),  # nothing to count from
        customer(5, tier="A", status="lost"),
        customer(6, tier="C", first_contact_date=date(2026, 6, 1)),
        customer(7, tier="A"),  # logged under a lower-case ID
    ]
    log = [
        contact(0, 0, date(2026, 6, 10)),
        contact(1, 1, date(2026, 6, 1)),  # CU0001's latest contact (the later of two that day)
        contact(2, 1, date(2026, 5, 1)),
        contact(3, 1, date(2026, 6, 1)) | {"owner": "吳客服"},
        contact(4, 2, date(2026, 6, 8)),
        contact(5, 5, date(2026, 1, 5)),
        contact(6, "cu0007", date(2026, 6, 12)),
    ]
    report = validate(write(tmp_path, "customers", customers=rows, followup_log=log))
    # Not on the tier (it is right): on the date of the last follow-up, or on the customer's ID
    # when there is none.
    assert levels(report, CADENCE) == {
        ("followup_log", xrow(3), "date", "warning"),
        ("customers", xrow(3), "customer_id", "warning"),
        ("customers", xrow(4), "customer_id", "warning"),
    }
    text = messages(report, CADENCE)
    # When the next contact was due: the last contact (or the first) plus the tier's cadence.
    assert any(
        "CU0001" in m and "2026-06-01" in m and "2026-06-08" in m and "7 天" in m for m in text
    )
    assert any(
        "CU0003" in m and "2026-05-01" in m and "2026-05-31" in m and "15 天" in m for m in text
    )
    # Whoever made the last contact, the customer's account manager answers for the cadence.
    found = [f for f in report.findings if f.rule_id == CADENCE]
    assert {f.owner for f in found} == {customer(0)["account_manager"]}
    on_log = next(f for f in found if f.sheet == "followup_log")
    assert on_log.cell == f"B{xrow(3)}" and on_log.value == date(2026, 6, 1)


def test_the_cadence_comes_from_the_configuration(tmp_path):
    path = write(
        tmp_path, "customers",
        customers=[customer(1, tier="A")], followup_log=[contact(0, 1, date(2026, 6, 1))],
    )  # fmt: skip
    settings = config(overrides={"customers": {"cadence_days": {"A": 20}}})
    assert hits(validate(path), CADENCE)
    assert not hits(validate(path, settings=settings), CADENCE)


def _failing(tmp_path):
    return write(
        tmp_path, "customers",
        customers=[customer(0, phone=None), customer(1, name=customer(0)["name"], tier="A")],
        followup_log=[contact(0, 0, date(2026, 6, 10)), contact(1, 1, date(2026, 5, 1))],
    )  # fmt: skip


@pytest.mark.parametrize("rule_id", [COMPLETE, CADENCE])
def test_a_rule_switched_off_is_silent(tmp_path, rule_id):
    path = _failing(tmp_path)
    assert hits(validate(path), rule_id)
    off = config(**{rule_id: {"enabled": False}})
    assert not hits(validate(path, settings=off), rule_id)


@pytest.mark.parametrize("rule_id", [COMPLETE, CADENCE])
def test_a_configured_severity_applies(tmp_path, rule_id):
    report = validate(_failing(tmp_path), settings=config(**{rule_id: {"severity": "info"}}))
    assert levels(report, rule_id)
    assert {s for *_, s in levels(report, rule_id)} == {"info"}
