"""The demo's builder: one seeded random source, the rows so far, and the draws every area shares.

The area modules (``organisation``, ``staff``, ``campaigns`` …) fill their sheets through one
``Builder`` in a fixed order (``generate.generate_demo``); every draw comes from its one
``random.Random``, so the order of the calls is part of what the seed produces.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from mops.demodata.model import FinancePlant, Planted, Row
from mops.demodata.names import GIVEN_NAMES, HOMOPHONES, SURNAMES
from mops.schemas.registry import WORKBOOKS


@dataclass(frozen=True)
class Person:
    """Someone on the staff roster."""

    emp_id: str
    name: str
    email: str
    group: str
    role: str
    manager: str | None
    hire: date
    leave: date | None

    def employed(self, day: date) -> bool:
        return self.hire <= day and (self.leave is None or day <= self.leave)


@dataclass
class Customer:
    """A customer row, with what later sheets need to know of it."""

    row: Row
    short: str
    domain: str
    first_contact: date
    service_line: str
    budget: int
    contacts: list[str]
    opps: list[Row]


class Builder:
    """Shared state of one generation: the rows, the planted mistakes, and seeded draws."""

    # Set by the area that builds them, read by the areas after it.
    people: list[Person]  # organisation.roster
    by_name: dict[str, Person]
    gm: Person
    deputy: Person
    head: Person
    promo_lead: Person
    sales_lead: Person
    service_lead: Person
    leaver: Person
    recent_hires: list[Person]
    kpi_ids: dict[tuple[int, str], list[tuple[str, str]]]  # staff.kpis
    campaign_digital: dict[str, bool]  # campaigns.campaigns
    customer_list: list[Customer]  # customers.customers
    customer_by_id: dict[str, Customer]
    quarter_targets: dict[tuple[str, int], int]  # sales.targets

    def __init__(self, seed: int, as_of: date) -> None:
        self.rng = random.Random(seed)
        self.as_of = as_of
        self.year = as_of.year
        self.start = as_of - timedelta(days=360)  # the demo year
        self.columns = {s.key: [c.key for c in s.columns] for wb in WORKBOOKS for s in wb.sheets}
        self.keys = {s.key: s.primary_key for wb in WORKBOOKS for s in wb.sheets}
        self.sheets: dict[str, list[Row]] = {key: [] for key in self.columns}
        self.planted: list[Planted] = []
        self.finance: list[FinancePlant] = []
        self.tainted: dict[str, set[str]] = defaultdict(set)
        self.used_emails: set[str] = set()

    # -- plumbing

    def add(self, sheet: str, **values: Any) -> Row:
        """Append a row with every declared column, in declared order."""
        cols = self.columns[sheet]
        unknown = values.keys() - set(cols)
        if unknown:
            raise KeyError(f"{sheet}: no columns {sorted(unknown)}")
        row = {c: values.get(c) for c in cols}
        self.sheets[sheet].append(row)
        return row

    def plant(self, kind: str, rule: str, sheet: str, key: str, column: str | None) -> None:
        self.planted.append(Planted(kind, rule, sheet, key, column))
        self.tainted[sheet].add(key)

    def plant_finance(self, cls: str, sheet: str, key: str, odoo: str | None = None) -> None:
        """A finance mistake ``mops reconcile`` should put in class ``cls``."""
        self.finance.append(FinancePlant(cls, sheet, key, odoo))
        self.tainted[sheet].add(key)

    def pick(self, sheet: str, candidates: Sequence[Row], n: int, pk: str) -> list[Row]:
        """Choose ``n`` rows that carry no planted mistake yet, and reserve them."""
        free = [r for r in candidates if r[pk] not in self.tainted[sheet]]
        chosen = self.rng.sample(free, min(n, len(free)))
        self.tainted[sheet].update(r[pk] for r in chosen)
        return chosen

    def plant_changed(
        self,
        kind: str,
        rule: str,
        sheet: str,
        candidates: Sequence[Row],
        n: int,
        column: str,
        change: Callable[[Any], Any],
    ) -> None:
        """Plant ``kind`` into ``n`` free rows by passing their ``column`` through ``change``."""
        pk = self.keys[sheet]
        for r in self.pick(sheet, candidates, n, pk):
            r[column] = change(r[column])
            self.plant(kind, rule, sheet, r[pk], column)

    def between(self, a: date, b: date) -> date:
        return a + timedelta(days=self.rng.randint(0, max(0, (b - a).days)))

    def weighted(self, table: dict[str, int]) -> str:
        return self.rng.choices(list(table), weights=list(table.values()))[0]

    def digits(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789") for _ in range(n))

    def letters(self) -> str:
        return "".join(self.rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(2))

    def mobile(self) -> str:
        return f"09{self.rng.randint(10, 89)}-{self.digits(3)}-{self.digits(3)}"

    def landline(self, code: str) -> str:
        if code == "02":
            return f"02-{self.rng.choice('28')}{self.digits(3)}-{self.digits(4)}"
        if code == "04":
            return f"04-2{self.digits(3)}-{self.digits(4)}"
        if len(code) == 4:  # an area code with the first digit of the local number
            return f"{code}{self.digits(2)}-{self.digits(4)}"
        return f"{code}-{self.rng.randint(2, 7)}{self.digits(2)}-{self.digits(4)}"

    def person_name(self) -> tuple[str, str]:
        """A name and the matching e-mail local part (given.surname)."""
        surname, s_rom, _ = self.rng.choices(SURNAMES, weights=[s[2] for s in SURNAMES])[0]
        given, g_rom = self.rng.choice(GIVEN_NAMES)
        return surname + given, f"{g_rom}.{s_rom}"

    def unique_email(self, local: str, domain: str) -> str:
        email, n = f"{local}@{domain}", 1
        while email in self.used_emails:
            n += 1
            email = f"{local}{n}@{domain}"
        self.used_emails.add(email)
        return email

    def staff(
        self, groups: Iterable[str] = (), roles: Iterable[str] = (), day: date | None = None
    ) -> list[Person]:
        """Staff of these groups or roles employed on ``day``; a leaver is never assigned."""
        groups, roles, on = set(groups), set(roles), day or self.as_of
        return [
            p
            for p in self.people
            if (p.group in groups or p.role in roles) and p.employed(on) and p.leave is None
        ]

    def owner_at(self, manager: Person, day: date) -> Person:
        """Who handled an account on ``day``: its manager, or the sales lead before a new hire."""
        return manager if manager.employed(day) else self.sales_lead

    def typo_of(self, name: str) -> str:
        """A name one homophone away from a roster name, and itself not on the roster."""
        names = {p.name for p in self.people}
        for i in (2, 1):
            if name[i] in HOMOPHONES:
                typo = name[:i] + HOMOPHONES[name[i]] + name[i + 1 :]
                if typo not in names:
                    return typo
        return name[0] + "小" + name[2]
