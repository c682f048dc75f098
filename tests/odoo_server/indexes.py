"""Hash indexes on a few columns, kept in step with every insert, update and delete."""

from __future__ import annotations


class Indexes:
    """Value -> ids maps for the (model, fields) pairs that are looked up or must be unique."""

    def __init__(self, specs: dict[str, list[tuple[str, ...]]]):
        self.specs = specs
        self.maps: dict[tuple, dict[tuple, set[int]]] = {
            (model, fields): {} for model, all_fields in specs.items() for fields in all_fields
        }

    def add(self, model: str, rec: dict) -> None:
        """Index a record under each of its model's indexed keys."""
        for fields in self.specs.get(model, ()):
            key = tuple(rec.get(f) for f in fields)
            if None not in key:
                self.maps[(model, fields)].setdefault(key, set()).add(rec["id"])

    def remove(self, model: str, rec: dict) -> None:
        """Drop a record from its model's indexes."""
        for fields in self.specs.get(model, ()):
            key = tuple(rec.get(f) for f in fields)
            ids = self.maps[(model, fields)].get(key)
            if ids is not None:
                ids.discard(rec["id"])

    def touches(self, model: str, names) -> bool:
        """Whether changing the fields ``names`` changes any index of ``model``."""
        return any(f in names for fields in self.specs.get(model, ()) for f in fields)

    def lookup(self, model: str, fields: tuple[str, ...], key) -> set[int]:
        """Ids of the records whose ``fields`` hold ``key``."""
        return self.maps[(model, fields)].get(tuple(key), set())
