"""The one message catalogue, and the one way to choose the language of what people read.

Every sentence and word mops shows a person (errors, hints, findings, table headings, the
words of generated workbooks) is a message id with its zh-TW and English text side by side, kept
as data in ``mops/data/messages/*.toml`` (one file per area). Placeholders are ``{name}`` and
must be the same in both languages (a test checks every entry).

The language is a context variable, set once by the caller (the CLI's ``--lang``, the
configuration's ``general.language``, the nightly job, an Excel macro); ``text(id, ...)`` uses
it, and ``text(id, lang=..., ...)`` names another explicitly. ``both(id, ...)`` gives the two
texts of a value that keeps both (a finding, shown later in either language).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from importlib import resources

from mops.schemas.model import Lang

current_lang: ContextVar[Lang] = ContextVar("mops_lang", default=Lang.ZH_TW)

FOLDER = ("data", "messages")


@cache
def catalogue() -> Mapping[str, tuple[str, str]]:
    """Every message: id → (zh-TW, English), from all catalogue files."""
    folder = resources.files("mops").joinpath(*FOLDER)
    messages: dict[str, tuple[str, str]] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        data = tomllib.loads(entry.read_text(encoding="utf-8"))
        for key, value in data.items():
            if key in messages:
                raise ValueError(f"message {key!r} defined twice (in {entry.name})")
            messages[key] = (value["zh-TW"], value["en"])
    return messages


def lang_of(lang: Lang | str | None = None) -> Lang:
    """The language asked for, else the current one."""
    return Lang(lang) if lang else current_lang.get()


def pair(key: str) -> tuple[str, str]:
    """The (zh-TW, English) templates of message ``key``."""
    return catalogue()[key]


def table(prefix: str) -> dict[str, tuple[str, str]]:
    """The messages whose id starts with ``prefix.``, by the rest of their id."""
    start = prefix + "."
    return {k[len(start) :]: v for k, v in catalogue().items() if k.startswith(start)}


def text(key: str, lang: Lang | str | None = None, **params: object) -> str:
    """Message ``key`` in ``lang`` (default: the current language), with ``params`` filled in."""
    zh, en = catalogue()[key]
    template = en if lang_of(lang) is Lang.EN else zh
    return template.format(**params)


def both(key: str, **params: object) -> tuple[str, str]:
    """Message ``key`` in both languages, with ``params`` filled in."""
    zh, en = catalogue()[key]
    return zh.format(**params), en.format(**params)


@contextmanager
def language(lang: Lang | str) -> Iterator[Lang]:
    """Use ``lang`` for messages inside the block."""
    token = current_lang.set(Lang(lang))
    try:
        yield current_lang.get()
    finally:
        current_lang.reset(token)
