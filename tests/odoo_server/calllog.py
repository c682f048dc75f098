"""The server's call log: what each request was (JSON-RPC or JSON-2), and how many records it
carried; and the deprecation warnings a real server would have logged."""

from __future__ import annotations

from typing import NamedTuple

# Methods whose record count is the number of rows they return.
COUNT_RESULT = {"search", "search_read", "name_search", "read_group"}


class Call(NamedTuple):
    """One JSON-RPC request as the server saw it."""

    number: int
    route: str
    service: str | None
    model: str | None
    method: str | None
    records: int
    error: str | None


class Deprecation(NamedTuple):
    """A DeprecationWarning the real server logs: every /jsonrpc call on Odoo 19, and each call
    of a method Odoo 19 marks @api.deprecated (read_group, check_access_rights, …)."""

    number: int | None
    route: str
    model: str | None
    method: str | None
    message: str


def matches(setting, number: int) -> bool:
    """Whether a fault setting (a call number or a collection of them) hits this call."""
    if setting is None or setting is False:
        return False
    if isinstance(setting, int):
        return number == setting
    return number in setting


def describe(path: str, params: dict) -> tuple:
    """(service, model, method, args) of a request, for the call log."""
    if path != "/jsonrpc":
        if path.startswith("/web/dataset/call_kw"):
            return "web", params.get("model"), params.get("method"), params.get("args") or []
        return "web", None, path.rsplit("/", 1)[-1], []
    service, method, args = params.get("service"), params.get("method"), params.get("args") or []
    if service == "object" and len(args) > 4:
        call_args = (args[5:6] or [[]])[0] if method == "execute_kw" else args[5:]
        return service, args[3], args[4], call_args if isinstance(call_args, list) else []
    return service, None, method, []


def json2_args(method: str, body: dict) -> list:
    """The positional arguments ``count_records`` looks at, from a JSON-2 body."""
    if method == "create":
        return [body.get("vals_list")]
    if method == "load":
        return [body.get("fields"), body.get("data")]
    ids = body.get("ids")
    return [ids] if ids else []


def count_records(method: str | None, args: list, result) -> int:
    """How many records a call carried: vals sent, ids acted on, or rows returned."""
    if method == "create" and args:
        return len(args[0]) if isinstance(args[0], list) else 1
    if method == "load" and len(args) > 1 and isinstance(args[1], list):
        return len(args[1])
    if method in COUNT_RESULT:
        return len(result) if isinstance(result, list) else 0
    if args and isinstance(args[0], list) and all(isinstance(i, int) for i in args[0]):
        return len(args[0])
    return 1 if args and isinstance(args[0], int) and not isinstance(args[0], bool) else 0
