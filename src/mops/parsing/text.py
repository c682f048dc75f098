"""Text-like cells: free text and its length, enum options, yes/no, e-mail addresses and phones."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from mops.parsing.common import (
    assume,
    clean,
    find_fullwidth_digit,
    nfkc,
    refuse,
    retry,
    show,
    unknown,
)
from mops.parsing.notes import Parsed, Problem, make
from mops.schemas.model import ColType, normalize_label

if TYPE_CHECKING:
    from mops.parsing.spec import Spec

_PLAIN_TYPES = (float, int, bool, Decimal, dt.date, dt.datetime, dt.time, dt.timedelta)
_FW_ASCII_RE = re.compile(r"[\uff01-\uff5e]")


def _parse_text(spec: Spec, raw: Any, t: type) -> Parsed:
    if t is str:
        s = clean(raw)
        if type(s) is Parsed:
            return s
    elif t in _PLAIN_TYPES:
        s = show(raw)  # a REF key or tax ID stored as a number reads as its digits
    else:
        plain = unknown(raw)
        if type(plain) is Parsed:
            return plain
        s = show(plain)
    return _text_length(spec, s)


def _text_length(spec: Spec, s: str) -> Parsed:
    limit = spec.max_length
    if limit is not None and len(s) > limit:
        return make(
            s, None, Problem("too_long", {"value": s, "length": len(s), "max_length": limit})
        )
    return make(s)


_SPLIT_LABEL_RE = re.compile(r"[/|()（）／｜]")


def _parse_enum(spec: Spec, raw: Any, t: type) -> Parsed:
    if t is str:
        hit = spec.enum_exact.get(raw)  # a value picked from the drop-down: no folding needed
        if hit is not None:
            return hit
        s = clean(raw)
        if type(s) is Parsed:
            return s
    elif t in _PLAIN_TYPES:
        s = show(raw)
    else:
        return retry(spec, raw)
    key = spec.enum_table.get(normalize_label(s))
    if key is None:
        key = _split_match(spec.enum_table, s)
        if key is None:
            return refuse("not_in_list", s, allowed_zh=spec.allowed_zh, allowed_en=spec.allowed_en)
    return spec.enum_hits[key]


def _split_match(table: dict[str, str], s: str) -> str | None:
    """Accept a bilingual spelling such as '進行中 (In progress)' when all parts agree."""
    parts = [normalize_label(p) for p in _SPLIT_LABEL_RE.split(s)]
    keys = {table.get(p) for p in parts if p}
    if len(keys) == 1:
        return keys.pop()
    return None


_BOOL_WORDS: dict[str, bool] = {
    normalize_label(word): flag
    for words, flag in (
        ("是 y yes true t 1 ✓ ✔ ☑ ✅ v 對 有 真 on ○ ◯ ⭕ 要", True),
        ("否 n no false f 0 ✗ ✘ × ❌ ☐ 不是 非 無 沒有 不 假 off 不要", False),
    )
    for word in words.split()
}


_TRUE = Parsed(True)
_FALSE = Parsed(False)
_BOOL_EXACT: dict[str, Parsed] = {
    word: _TRUE if flag else _FALSE
    for word, flag in (
        ("是", True),
        ("否", False),
        ("Yes", True),
        ("No", False),
        ("TRUE", True),
        ("FALSE", False),
        ("Y", True),
        ("N", False),
    )
}


def _parse_boolean(spec: Spec, raw: Any, t: type) -> Parsed:
    if t is bool:
        return _TRUE if raw else _FALSE
    if t is str:
        hit = _BOOL_EXACT.get(raw)  # the drop-down's 是/否 and the usual spellings, unfolded
        if hit is not None:
            return hit
        s = clean(raw)
        if type(s) is Parsed:
            return s
        flag = _BOOL_WORDS.get(normalize_label(s))
        if flag is None:
            parts = {_BOOL_WORDS.get(normalize_label(p)) for p in _SPLIT_LABEL_RE.split(s) if p}
            parts.discard(None)
            if len(parts) != 1:
                return refuse("not_a_boolean", s)
            flag = parts.pop()
        return _TRUE if flag else _FALSE
    if t is float or t is int or t is Decimal:
        if raw == 1:
            return _TRUE
        if raw == 0:
            return _FALSE
        return refuse("not_a_boolean", raw)
    if t in (dt.date, dt.datetime, dt.time, dt.timedelta):
        return refuse("not_a_boolean", raw)
    return retry(spec, raw)


# e-mail

_EMAIL_ATOM = r"[\w!#$%&'*+/=?^`{|}~-]+"
_EMAIL_RE = re.compile(
    rf"{_EMAIL_ATOM}(?:\.{_EMAIL_ATOM})*@(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{{2,}}"
)
_ANGLE_RE = re.compile(r"[^<>]*<\s*(?:mailto:)?([^<>\s]+)\s*>")


def _parse_email(spec: Spec, raw: Any, t: type) -> Parsed:
    if t is str:
        if _EMAIL_RE.fullmatch(raw):  # already clean: the pattern admits no spaces or "="
            return _text_length(spec, raw)
        s = clean(raw)
        if type(s) is Parsed:
            return s
    elif t in _PLAIN_TYPES:
        return refuse("bad_email", raw)
    else:
        return retry(spec, raw)
    seen = s
    code = None
    if not s.isascii() and _FW_ASCII_RE.search(s):
        s = nfkc(s)
        code = "fullwidth_email"
    m = _ANGLE_RE.fullmatch(s)
    if m is not None:  # "王小明 <wang@example.com>" pasted from Outlook
        s = m[1]
        code = "email_extracted"
    elif s[:7].lower() == "mailto:":
        s = s[7:].strip()
        code = "email_extracted"
    if not _EMAIL_RE.fullmatch(s):
        return refuse("bad_email", seen)
    if code is None:
        return _text_length(spec, s)
    parsed = _text_length(spec, s)
    return make(parsed.value, assume(code, seen, s), parsed.problem)


# phone

_PHONE_EXT_RE = re.compile(r"\s*(?:#|分機|轉|ext\.?|extension|x)\s*\d{1,6}\s*$", re.I)
_PHONE_BODY_RE = re.compile(r"\+?[\d\s().\-/]+")
_NON_DIGIT_RE = re.compile(r"\D")
_PHONE_FAST_RE = re.compile(r"0\d{1,4}(?:[- ]?\d{2,4}){1,3}")
_AREA_DIGITS = frozenset("345678")  # 03…08 area codes; 02 and 09 are checked on their own


def _national_ok(digits: str) -> bool:
    """Whether a national number (leading 0) has the length its prefix needs in Taiwan."""
    if digits[:1] != "0":
        return False
    n = len(digits)
    if digits.startswith(("09", "02")):
        return n == 10
    if digits.startswith("070"):
        return n == 11
    return n in (9, 10) and digits[1:2] in _AREA_DIGITS


def _phone_digits_ok(body: str) -> bool:
    digits = _NON_DIGIT_RE.sub("", body)
    if body.lstrip().startswith("+"):
        if digits.startswith("886"):
            rest = digits[3:]
            return _national_ok(rest if rest.startswith("0") else "0" + rest)
        return 8 <= len(digits) <= 15
    return digits.startswith("0") and _national_ok(digits)


def _parse_phone(spec: Spec, raw: Any, t: type) -> Parsed:
    if t is float or t is int:
        if t is float and not raw.is_integer():
            return refuse("bad_phone", raw)
        # a number cannot keep a leading 0, so 912345678 is 0912345678 with its 0 lost
        fixed = "0" + str(int(raw))
        if _national_ok(fixed):
            parsed = _text_length(spec, fixed)
            return make(parsed.value, assume("leading_zero_restored", raw, fixed), parsed.problem)
        return refuse("bad_phone", raw)
    if t is str:
        if _PHONE_FAST_RE.fullmatch(raw) and _national_ok(raw.replace("-", "").replace(" ", "")):
            return _text_length(spec, raw)  # the usual 02-2345-6789 or 0912-345-678
        s = clean(raw)
        if type(s) is Parsed:
            return s
    elif t in (bool, Decimal, dt.date, dt.datetime, dt.time, dt.timedelta):
        return refuse("bad_phone", raw)
    else:
        return retry(spec, raw)
    seen = s
    code = None
    if not s.isascii():
        if find_fullwidth_digit(s):
            code = "fullwidth_digits"
        s = nfkc(s)
    m = _PHONE_EXT_RE.search(s)
    body = s[: m.start()] if m is not None else s
    if not body or not _PHONE_BODY_RE.fullmatch(body):
        return refuse("bad_phone", seen)
    if not _phone_digits_ok(body):
        digits = _NON_DIGIT_RE.sub("", body)
        # a number typed or pasted without its leading 0: 912345678 → 0912345678
        if body[0].isdigit() and digits[:1] != "0" and _national_ok("0" + digits):
            s = "0" + s
            code = "leading_zero_restored"
        else:
            return refuse("bad_phone", seen)
    parsed = _text_length(spec, s)
    if code is None:
        return parsed
    return make(parsed.value, assume(code, seen, s), parsed.problem)


HANDLERS: dict[ColType, Callable[[Spec, Any, type], Parsed]] = {
    ColType.TEXT: _parse_text,
    ColType.PERSON: _parse_text,
    ColType.REF: _parse_text,
    ColType.ENUM: _parse_enum,
    ColType.BOOLEAN: _parse_boolean,
    ColType.EMAIL: _parse_email,
    ColType.PHONE: _parse_phone,
}
