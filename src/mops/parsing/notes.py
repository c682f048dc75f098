"""What reading one cell gives: the typed value, an assumption or a problem, and their sentences."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mops.i18n import catalogue
from mops.schemas.model import Lang

_SHOWN_MAX = 60  # long values are cut in messages so a sentence stays readable


def _lang(lang: Lang | str) -> Lang:
    # lenient on purpose: "en", "en-US", "EN" all mean English; anything else is zh-TW
    return Lang.EN if str(lang).lower().startswith("en") else Lang.ZH_TW


def _render(code: str, params: dict[str, Any], lang: Lang | str) -> str:
    which = 1 if _lang(lang) is Lang.EN else 0
    messages = catalogue()
    fallback = messages["parse.fallback"][which]
    shown = {k: ("" if v is None else v) for k, v in params.items()}
    value = shown.get("value")
    if isinstance(value, str) and len(value) > _SHOWN_MAX:
        shown["value"] = value[: _SHOWN_MAX - 1] + "…"
    shown.setdefault("code", code)
    found = messages.get("parse." + code)
    template = found[which] if found else fallback
    try:
        return template.format_map(shown)
    except (KeyError, IndexError, ValueError):
        return fallback.format(value=shown.get("value", ""), code=code)


@dataclass(frozen=True, slots=True)
class _Note:
    """A coded message about one value, rendered from the catalogue in either language."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: Lang | str = Lang.ZH_TW) -> str:
        """A sentence naming the seen value, in zh-TW or English."""
        return _render(self.code, self.params, lang)


@dataclass(frozen=True, slots=True)
class Problem(_Note):
    """A value that could not be read as its column's type, or that breaks a declared bound."""


@dataclass(frozen=True, slots=True)
class Assumption(_Note):
    """A lenient reading worth telling the person, e.g. a Minguo year or a removed NT$."""


@dataclass(frozen=True, slots=True)
class Parsed:
    """The typed value of one cell (None when blank or unreadable), with a note or a problem."""

    value: object
    assumed: Assumption | None = None
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        """True when the value was read without a problem."""
        return self.problem is None


# A frozen dataclass's __init__ sets each field through object.__setattr__, which costs about
# twice as much as writing the slots directly; parse_cell makes one result per cell (1.4M for a
# large workbook), so results are built here. The slot descriptors bypass the frozen guard.
_new = object.__new__
_set_value = Parsed.__dict__["value"].__set__
_set_assumed = Parsed.__dict__["assumed"].__set__
_set_problem = Parsed.__dict__["problem"].__set__


def make(
    value: object, assumed: Assumption | None = None, problem: Problem | None = None
) -> Parsed:
    p = _new(Parsed)
    _set_value(p, value)
    _set_assumed(p, assumed)
    _set_problem(p, problem)
    return p


BLANK = Parsed(None)  # shared: results are frozen, and blanks are the most common cell
