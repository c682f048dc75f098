"""Calls sent side by side that must still go one after the other within a thread of entries."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

__all__ = ["Turns"]


class Turns:
    """Entries of one thread (a record's notes, an order's invoices) take their turn one after
    the other, in their order; entries of different threads do not wait for each other.

    The applier's pool takes its calls first in, first out, so an entry waiting for the one
    before it in its thread only waits for a call already under way.
    """

    def __init__(self, entries: Sequence[Any], thread: Callable[[Any], Hashable]) -> None:
        self._finished = [threading.Event() for _ in entries]
        self._before: dict[int, int] = {}
        last: dict[Hashable, int] = {}
        for index, entry in enumerate(entries):
            key = thread(entry)
            if key in last:
                self._before[index] = last[key]
            last[key] = index
        self._index = {id(entry): index for index, entry in enumerate(entries)}

    def index(self, entry: Any) -> int:
        """The entry's place among the entries."""
        return self._index[id(entry)]

    @contextmanager
    def turn(self, entry: Any) -> Iterator[None]:
        """Wait for the entry before this one in its thread to be done; done when left."""
        index = self._index[id(entry)]
        try:
            if index in self._before:
                self._finished[self._before[index]].wait()
            yield
        finally:
            self._finished[index].set()
