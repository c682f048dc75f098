"""A customer archived in Odoo is reported and reads "lost" in the workbook; never unarchived."""

from __future__ import annotations

from mops.i18n import language
from mops.workbook.frames import read_book


def test_a_customer_archived_in_odoo_is_reported_and_its_status_pulled_back(
    odoo, make_books, tmp_path
):
    books = make_books(6)
    state = tmp_path / "state.sqlite"
    first = odoo.sync(books, state, pull_back=True)
    assert first.result is not None and not first.result.refusals
    row = next(r for r in books.rows["customers"] if r["status"] != "lost")
    key = f"customer:{row['customer_id']}"
    client = odoo.client()
    (partner,) = client.call("res.partner", "search", [["x_mops_key", "=", key]])
    client.call("res.partner", "write", [partner], {"active": False})  # archived in Odoo

    with language("en"):
        second = odoo.sync(books, state, pull_back=True)
    archived = [f for f in second.findings if f.rule_id == "sync-archived"]
    assert [f.row for f in archived] and {f.column for f in archived} == {"status"}
    assert "archived in Odoo" in archived[0].message("en")
    # The workbook's status cell now says Lost, on that customer's row only.
    sheet = read_book(books.folder / "customers.xlsx").sheets["customers"]
    statuses = {values["customer_id"]: values["status"] for _, values in sheet.rows()}
    assert statuses[row["customer_id"]] in ("流失", "Lost")
    # mops never unarchived it.
    (still,) = client.call(
        "res.partner", "read", [partner], ["active"], context={"active_test": False}
    )
    assert still["active"] is False
