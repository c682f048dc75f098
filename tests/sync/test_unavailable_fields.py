"""A field of mapping.toml that the connected Odoo lacks is left out with one note, on 17 and 19.

Odoo 19 has no ``mobile`` on partners (Odoo 17 has): a mapping sending the customers' phone to
``mobile`` syncs it on 17; on 19 the rest of each customer syncs, and the plan says once which
field was left out, instead of the read failing.
"""

from __future__ import annotations

import pytest

from mops.errors import OdooServerError
from mops.i18n import language
from mops.syncing.mapping import MAPPING_FILE, load_mapping

from .conftest import provisioned
from odoo_server.fixture import odoo_any_server  # noqa: F401

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")


@pytest.fixture
def odoo(odoo_any_server, demo):  # noqa: F811
    """The test server as Odoo 17, then as 19, provisioned."""
    return provisioned(odoo_any_server, demo)


@pytest.fixture
def mobile_mapping(tmp_path, odoo):
    """The shipped mapping with the customers' phone sent to ``mobile`` instead of ``phone``."""
    shipped = MAPPING_FILE.read_text(encoding="utf-8")
    before = '{ column = "phone", field = "phone", convert = "text" },'
    assert shipped.count(before) == 2  # customer, then contact
    path = tmp_path / "mapping.toml"
    path.write_text(
        shipped.replace(before, '{ column = "phone", field = "mobile", convert = "text" },', 1),
        encoding="utf-8",
    )
    return load_mapping(path, config=odoo.config())


def _partners(odoo, fields):
    client = odoo.client()
    return client.call(
        "res.partner", "search_read", [["x_mops_key", "=like", "customer:%"]], fields=fields
    )


def test_a_field_the_server_lacks_is_left_out_with_one_note(odoo, make_books, tmp_path,
                                                            mobile_mapping):  # fmt: skip
    books = make_books(4)
    state = tmp_path / "state.sqlite"
    with language("en"):
        out = odoo.sync(books, state, mapping=mobile_mapping)
    notes = [n for n in out.plan.notes if n.code == "field_unavailable"]
    assert out.result is not None and not out.result.refusals
    assert sum(out.result.created.values()) > 0
    phones = {r["customer_id"]: r["phone"] or False for r in books.rows["customers"]}
    assert any(phones.values())
    if odoo.server.version.startswith("19"):
        # One note for the field, not one per customer; it names the field and the column.
        assert len(notes) == 1
        (note,) = notes
        assert note.column == "phone" and note.field == "res.partner.mobile"
        assert "mobile" in note.message_en and "phone" in note.message_en
        assert "19.0" in note.message_en
        # The other fields of every customer reached Odoo.
        partners = _partners(odoo, ["x_mops_key", "email", "phone"])
        assert len(partners) == len(phones)
        assert all(p["email"] for p in partners)
        assert not any(p["phone"] for p in partners)
    else:
        assert notes == []
        partners = _partners(odoo, ["x_mops_key", "mobile"])
        assert {p["x_mops_key"].split(":", 1)[1]: p["mobile"] for p in partners} == phones

    # The next sync has nothing to write, and still says what it leaves out.
    odoo.server.reset_calls()
    again = odoo.sync(books, state, mapping=mobile_mapping)
    assert not odoo.server.calls_to(method="write") and not odoo.server.calls_to(method="create")
    assert [n.code for n in again.plan.notes if n.code == "field_unavailable"] == [
        n.code for n in notes
    ]


def test_fields_get_is_asked_only_when_a_read_is_refused_and_another_refusal_stands(
    odoo, make_books, tmp_path, mobile_mapping
):
    books = make_books(2)
    odoo.server.reset_calls()
    odoo.sync(books, tmp_path / "state.sqlite", mapping=mobile_mapping)
    # On 17 every field is there: no fields_get. On 19 the refused read of mobile asks them.
    assert bool(odoo.server.calls_to(method="fields_get")) is odoo.server.version.startswith("19")

    class Refusing:  # a client whose reads of partners Odoo refuses, for a reason of its own
        def __init__(self, client):
            self.client = client

        def __getattr__(self, name):
            return getattr(self.client, name)

        def call(self, model, method, *args, **kwargs):
            if (model, method) == ("res.partner", "search_read"):
                raise OdooServerError("AccessError", model, method, "You are not allowed")
            return self.client.call(model, method, *args, **kwargs)

    with pytest.raises(OdooServerError) as refused:
        odoo.sync(books, tmp_path / "state.sqlite", client=Refusing(odoo.client()))
    assert refused.value.kind == "AccessError"
