"""The one normal form of ids, references and people's names, in Python and vectorised.

People type the same key in ways that look alike but are not byte-equal: full-width
(``ＣＵ０００９``), with an invisible zero-width space or a non-breaking space pasted in, with a
long dash, in another case. Every comparison of keys, references and names goes through
``normal_key`` (``normal_key_expr`` for a whole column); the cell pass reads such cells as their
``normal_text`` and says what it assumed (an ``assumed`` info), so the rules compare clean values.

The polars expressions and the Python functions give the same result (a test checks it); the
cell pass uses the expression on whole columns and the function only for the few values that
differ.
"""

from __future__ import annotations

import re
import unicodedata

import polars as pl

INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"  # soft hyphen, zero-width, word joiner, BOM
# Every space character (as regular-expression class content): ASCII, no-break, ideographic …
SPACES = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
DASHES = "\u2010-\u2015\u2212\ufe63\uff0d"  # hyphens, en and em dashes, minus, full-width
_INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")
_DASHES_RE = re.compile(f"[{DASHES}]")
_SPACES_RE = re.compile(f"[{SPACES}]+")
_NO_KEY_RE = re.compile(f"[{INVISIBLE}{SPACES}]")


def normal_text(value: str) -> str:
    """A key or name as mops reads it: NFKC, invisible characters dropped, dashes as "-",
    spaces collapsed to one and trimmed; case is kept. ``ＭＣ２０２６－００７`` → ``MC2026-007``."""
    folded = _DASHES_RE.sub("-", _INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", value)))
    return _SPACES_RE.sub(" ", folded).strip(" ")


def normal_key(value: str) -> str:
    """The form in which ids, references and names are compared: ``normal_text`` without any
    space, in capitals. "cu 0009", "ＣＵ０００９" and "CU0009\u200b" all give "CU0009"."""
    folded = _NO_KEY_RE.sub("", unicodedata.normalize("NFKC", value))
    return _DASHES_RE.sub("-", folded).upper()


def normal_text_expr(expr: pl.Expr) -> pl.Expr:
    """``normal_text`` of every value of a text column, vectorised."""
    return (
        expr.str.normalize("NFKC")
        .str.replace_all(f"[{INVISIBLE}]", "")
        .str.replace_all(f"[{DASHES}]", "-")
        .str.replace_all(f"[{SPACES}]+", " ")
        .str.strip_chars(" ")
    )


def normal_key_expr(expr: pl.Expr, *, normalised: bool = False) -> pl.Expr:
    """``normal_key`` of every value of a text column, vectorised.

    ``normalised=True`` says the values are ``normal_text`` already (the typed key columns the
    rules see: the cell pass reads them so), which leaves only spaces and case to fold: the
    same key, for a fraction of the cost.
    """
    if normalised:
        return expr.str.replace_all(" ", "", literal=True).str.to_uppercase()
    return (
        expr.str.normalize("NFKC")
        .str.replace_all(f"[{INVISIBLE}{SPACES}]", "")
        .str.replace_all(f"[{DASHES}]", "-")
        .str.to_uppercase()
    )


# A text holding none of these is its own normal_text: printable ASCII, CJK ideographs and
# single inner spaces. Only the few values that match are normalised one by one.
MAY_NEED_NORMAL = "[^\x21-\x7e\u3400-\u4dbf\u4e00-\u9fff ]|  |^ | $"
