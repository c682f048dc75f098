"""Write findings back into the user's own workbook: marked cells, comments and a findings sheet.

The package is patched in place (see ``mops.workbook.ooxml``) and replaced atomically after a
backup (see ``mops.workbook.commit``). What a run changes:

* ``xl/styles.xml``: solid fills (one per severity, one for the findings sheet's header), the
  findings sheet's fonts and formats, and copies of the offending cells' ``<xf>`` with the new
  fill are appended to ``fills``, ``fonts`` and ``cellXfs``.
* each annotated worksheet: the offending cells get the new style id; a blank cell is inserted
  (and its ``<row>`` if needed) in order; ``<legacyDrawing>`` is added if the sheet had none.
* comments: the sheet's comments part gets a comment per offending cell (or our text appended
  to the user's comment on that cell), its legacy VML drawing a note shape per new comment;
  both parts are created (with relationships and content types) when the sheet has none.
* a findings sheet is added right after the Guide (the tab ``layout.after`` names; else as the
  last sheet), registered in ``xl/workbook.xml`` (with its ``_xlnm._FilterDatabase`` and
  ``_xlnm.Print_Titles`` names, the local names of the sheets after it renumbered), the workbook
  relationships and ``[Content_Types].xml``; the workbook opens on it (``activeTab``), and the
  sheet views of the other sheets lose their ``tabSelected``.
* the record of what mops changed, as a custom XML part (see ``mops.workbook.ooxml.record``).

Each run has an ``owner`` (``validate``, ``reconcile``) with its own record, results sheet and
cell marks: a run undoes only its own owner's previous run, so the findings of one command and
the reconciliation of the other stay side by side. Every run first undoes its owner's previous
run from the record: cells still carrying mops's style get
their original ``s`` back (cells mops created are removed again unless someone typed into
them), our comments are removed or our runs cut from the user's comments, our note shapes and
parts are removed once empty, the findings sheet is removed (if it still has the name mops gave
it) and ``localSheetId``/``activeTab``/``firstSheet`` after it are shifted, the tab that was
open before and its ``tabSelected`` come back (unless someone opened another tab since), and the
appended styles are cut off when no cell refers to them any more. Then the new findings are
applied. A run with no findings thus gives back the original package, part for part.

If another program saved the workbook in between, the record may have moved and the formats
been renumbered (LibreOffice relates custom XML from the package root and rewrites styles,
comment runs and authors). The record is then found among the custom XML parts, a marked cell
that still shows a mops fill gets its present format without the fill, and comments are matched
by their text. Not handled: Excel 365 threaded comments (text appended to the legacy comment of
a threaded one is not shown by Excel 365), and a record lost altogether (the next run then adds
to the old annotations instead of replacing them).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedET

from mops.errors import WorkbookError
from mops.i18n import text
from mops.workbook.commit import check_not_open, commit, workbook_path
from mops.workbook.ooxml.cells import cell_ref, parse_ref
from mops.workbook.ooxml.comments import add_comments, remove_empty_parts, undo_comments
from mops.workbook.ooxml.findings_sheet import (
    FindingLine,
    FindingsLayout,
    TabViews,
    add_findings_sheet,
    remove_findings_sheet,
)
from mops.workbook.ooxml.parts import read_rels, rels_name
from mops.workbook.ooxml.record import (
    CellRec,
    Record,
    SheetRec,
    find_record,
    remove_record,
    write_record,
)
from mops.workbook.ooxml.session import Session, SheetInfo
from mops.workbook.ooxml.sheet import (
    ROW_KEEP_ATTRS,
    Cell,
    SheetEditor,
    cell_s,
    has_content,
    widen_spans,
)
from mops.workbook.ooxml.styles import DEFAULT_STYLES, Styles
from mops.workbook.ooxml.xml import Damaged, StrictError, with_attr

__all__ = ["CellNote", "FindingLine", "FindingsLayout", "WriteBackResult", "write_back"]

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class CellNote:
    """One offending cell: where it is, how bad, and the comment text to attach."""

    sheet: str
    cell: str
    severity: str
    text: str


@dataclass(frozen=True)
class WriteBackResult:
    """What a write-back did to the workbook."""

    path: Path
    backup: Path | None  # None when nothing had to be written
    cells_marked: int
    cells_restored: int  # cells of the previous run given their own style back
    findings_rows: int
    findings_sheet: str | None  # the tab name used (differs if the name was taken)
    changed_parts: tuple[str, ...]  # parts added, removed or rewritten


def write_back(
    path: Path,
    notes: Sequence[CellNote],
    lines: Sequence[FindingLine],
    *,
    header: Sequence[str],
    findings_sheet: str = "檢核結果",
    layout: FindingsLayout | None = None,
    backup_dir: Path | None = None,
    now: datetime | None = None,
    owner: str = "validate",
    sheet_names: Collection[str] = (),
) -> WriteBackResult:
    """Mark ``notes`` in the workbook and add the findings sheet, replacing the last run's.

    ``layout`` gives the findings sheet a title and summary above its rows, its column widths
    and wrapped columns, and the tab it follows (else it is the last tab); the workbook opens
    on it. Only ``owner``'s previous run is replaced; ``sheet_names`` are the names its
    results sheet may have had (other languages), to claim a record written before owners.
    """
    # Raises WorkbookError, leaving the file as it was, if it is open or cannot be patched.
    path = workbook_path(path)
    check_not_open(path)
    for note in notes:
        _check_severity(note.severity)
        parse_ref(note.cell)
    for line in lines:
        _check_severity(line.severity)
    now = now or datetime.now()
    try:
        with zipfile.ZipFile(path) as zin:
            session = _Annotation(path, zin, now, owner, (findings_sheet, *sheet_names))
            if not session.run(notes, lines, header, findings_sheet, layout or FindingsLayout()):
                return WriteBackResult(path, None, 0, 0, 0, None, ())
            if _same_as_before(session):
                # The same findings as last time: leave the file (and its date) alone.
                rows = len(lines) if session.findings_name else 0
                return WriteBackResult(
                    path, None, session.cells_marked, 0, rows, session.findings_name, ()
                )
            backup = commit(path, session.write, backup_dir, now)
            return WriteBackResult(
                path=path,
                backup=backup,
                cells_marked=session.cells_marked,
                cells_restored=session.cells_restored,
                findings_rows=len(lines) if session.findings_name else 0,
                findings_sheet=session.findings_name,
                changed_parts=tuple(sorted(session.pkg.changed_names())),
            )
    except Damaged as exc:
        raise WorkbookError(
            text("writeback_damaged", part=exc.part), path=path, hint=exc.detail
        ) from exc
    except (zipfile.BadZipFile, zlib.error, ParseError, DefusedXmlException) as exc:
        raise WorkbookError(text("not_a_workbook"), path=path, hint=str(exc)) from exc


_WRITTEN = re.compile(rb'\swritten="[^"]*"')
# The record's note of where the user's styles end: it moves (to today's end) when another
# owner appended styles after this one's, though the styles part did not change.
_STYLES_NOTE = re.compile(rb"<(?:\w+:)?styles\s[^>]*/>")


def _children(data: bytes) -> list[tuple[str, tuple]]:
    """The child elements of a relationships or content-types part, in any order."""
    root = DefusedET.fromstring(data)
    return sorted((child.tag, tuple(sorted(child.attrib.items()))) for child in root)


def _same_as_before(session: _Annotation) -> bool:
    """Whether the run changed nothing but the order of bookkeeping entries and its own date.

    Undoing the last run and applying the same findings again re-adds the findings sheet's and
    the record's relationships at the end of their lists and stamps the record with the time:
    bytes differ, meaning does not. The record's note of the styles may move too when another
    owner's styles follow this one's; with the styles part unchanged, the old note still holds
    (the file stays as the last run left it). Any other part that changed means a real change.
    """
    pkg = session.pkg
    if pkg.deleted:
        return False
    for name in pkg.changed_names():
        if name not in pkg.infos:
            return False
        new, old = pkg.get(name), pkg.original(name)
        if name == session.record_part:
            if _bookkeeping_out(new) != _bookkeeping_out(old):
                return False
        elif name.endswith(".rels") or name == "[Content_Types].xml":
            if _children(new) != _children(old):
                return False
        else:
            return False
    return True


def _bookkeeping_out(record: bytes) -> bytes:
    return _STYLES_NOTE.sub(b"", _WRITTEN.sub(b"", record))


def _check_severity(severity: str) -> None:
    if severity not in SEVERITIES:
        raise ValueError(f"severity must be one of {', '.join(SEVERITIES)}, not {severity!r}")


@dataclass
class _Merged:
    severity: str
    texts: list[str]


_RANK = {"info": 0, "warning": 1, "error": 2}


class _Annotation(Session):
    """Everything one write-back reads and changes, in the order it must happen."""

    def __init__(
        self,
        path: Path,
        zin: zipfile.ZipFile,
        now: datetime,
        owner: str = "validate",
        sheet_names: Collection[str] = (),
    ) -> None:
        super().__init__(path, zin, now)
        self.owner = owner
        self.sheet_names = tuple(sheet_names)
        self.cells_marked = 0
        self.cells_restored = 0
        self.findings_name: str | None = None
        self.record_part: str | None = None
        self.old: Record | None = None
        self.new = Record(owner=owner)
        self.views = TabViews(self)

    def create_styles(self) -> str:
        """Add a default styles part, noted in the record."""
        part = super().create_styles()
        self.new.styles_created = True
        return part

    def run(
        self,
        notes: Sequence[CellNote],
        lines: Sequence[FindingLine],
        header: Sequence[str],
        findings_sheet: str,
        layout: FindingsLayout,
    ) -> bool:
        """Undo the previous run, apply this one; False when there is nothing to write."""
        try:
            self.wb_part = self.find_workbook()
            found = find_record(self, self.owner, self.sheet_names)
            if found is not None:
                self.old, self.record_part = found
            if self.old is None and not notes and not lines:
                return False
            targets = self._targets({n.sheet for n in notes})
            merged = self._merge(notes, targets)
            for line in lines:
                if line.link_sheet and line.link_cell:
                    parse_ref(line.link_cell)
            if self.old is not None and remove_findings_sheet(self, self.old):
                self.views.restore(self.old.views)
            sheet_recs = undo_comments(self, self.old)
            styles = self._undo_cells_and_styles()
            new_sheets = self._apply(targets, merged, sheet_recs, styles)
            if lines:
                self.findings_name = add_findings_sheet(
                    self,
                    self.new,
                    lines,
                    header,
                    findings_sheet,
                    styles,
                    layout,
                    self.views,
                    reuse=self.old,
                )
            self._cleanup(sheet_recs, new_sheets)
            self._finish(styles, new_sheets)
        except StrictError as exc:
            raise WorkbookError(
                text("writeback_strict"), path=self.path, hint=text("writeback_strict_hint")
            ) from exc
        return True

    def _merge(
        self, notes: Sequence[CellNote], targets: dict[str, SheetInfo]
    ) -> dict[tuple[str, int, int], _Merged]:
        """One entry per cell: the worst severity and every distinct text, in order."""
        merged: dict[tuple[str, int, int], _Merged] = {}
        for note in notes:
            row, col = parse_ref(note.cell)
            key = (targets[note.sheet].name, row, col)
            m = merged.get(key)
            if m is None:
                merged[key] = _Merged(note.severity, [note.text])
            else:
                if _RANK[note.severity] > _RANK[m.severity]:
                    m.severity = note.severity
                if note.text not in m.texts:
                    m.texts.append(note.text)
        return merged

    def _targets(self, names: set[str]) -> dict[str, SheetInfo]:
        """The sheets the notes name (as given → as found), checked before anything changes."""
        out: dict[str, SheetInfo] = {}
        for sheet_name in sorted(names):
            info = self.sheet_by(name=sheet_name)
            if info is None or (
                self.old is not None
                and info.sheet_id == self.old.findings_sheet_id
                and info.name == self.old.findings_name
            ):
                raise WorkbookError(text("writeback_no_sheet", sheet=sheet_name), path=self.path)
            if not info.is_worksheet or info.part is None:
                raise WorkbookError(
                    text("writeback_not_worksheet", sheet=sheet_name),
                    path=self.path,
                    sheet=sheet_name,
                )
            out[sheet_name] = info
        return out

    def _undo_cells_and_styles(self) -> Styles:
        """Give marked cells their own style back, then cut the appended styles if unused."""
        old = self.old
        part = self.find_styles_part()
        if part is None:
            part = self.create_styles()
        styles = Styles(part, self.pkg.get(part))
        restored: Counter[int] = Counter()
        if old is not None:
            counts = tuple(styles.count(n) for n in (b"fonts", b"fills", b"cellXfs"))
            # Another program saved the file and renumbered the formats: the recorded ids
            # mean nothing now, so a cell still showing a mops fill just loses the fill.
            foreign = counts != (old.fonts_after, old.fills_after, old.xfs_after)
            for srec in old.sheets:
                info = self.sheet_by(name=srec.name, sheet_id=srec.sheet_id)
                if info is None or not info.is_worksheet or info.part is None:
                    continue
                ed = self.editor(info.part)
                # Backwards, so that a row's spans widened twice ends as it was first.
                for c in reversed(srec.cells):
                    if _undo_cell(ed, c, styles if foreign else None):
                        restored[c.mark] += 1
                        self.cells_restored += 1
        if old is not None and self._can_truncate(styles, old, restored):
            styles.truncate(old.fonts, old.fills, old.xfs)
            self.pkg.put(part, styles.doc.render())
            styles = Styles(part, self.pkg.get(part))
        self.styles_part = part
        return styles

    def _can_truncate(self, styles: Styles, old: Record, restored: Counter[int]) -> bool:
        """Whether no cell, row or column still uses a format mops appended."""
        counts = (styles.count(b"fonts"), styles.count(b"fills"), styles.count(b"cellXfs"))
        if counts != (old.fonts_after, old.fills_after, old.xfs_after):
            return False  # something else changed the lists since: leave them alone
        ours = range(old.xfs, old.xfs_after)
        if not ours:
            return True
        used: Counter[int] = Counter()
        for info in self.sheets():
            if not info.is_worksheet or info.part is None or not self.pkg.exists(info.part):
                continue
            if info.part in self.editors:
                data = self.editors[info.part].data
            else:
                data = self.pkg.get(info.part)
            used.update(_style_refs(data, ours))
        return all(n <= restored.get(idx, 0) for idx, n in used.items())

    def _apply(
        self,
        targets: dict[str, SheetInfo],
        merged: dict[tuple[str, int, int], _Merged],
        sheet_recs: dict[str, tuple[SheetInfo, SheetRec, set]],
        styles: Styles,
    ) -> list[SheetRec]:
        by_sheet: dict[str, list[tuple[int, int, _Merged]]] = {}
        for (sheet_name, row, col), m in merged.items():
            by_sheet.setdefault(sheet_name, []).append((row, col, m))
        out = []
        found = {info.name: info for info in targets.values()}
        for sheet_name, cells in by_sheet.items():
            info = found[sheet_name]
            assert info.part is not None
            old = sheet_recs.get(info.part)
            srec = SheetRec(name=info.name, sheet_id=info.sheet_id)
            if old is not None:
                o = old[1]
                srec.comments_created = o.comments_created
                srec.vml_created = o.vml_created
                srec.rels_created = o.rels_created
                srec.author_added = o.author_added
                srec.shapetype_added = o.shapetype_added
                srec.idmap_orig = o.idmap_orig
            cells.sort(key=lambda c: (c[0], c[1]))
            ed = self.editor(info.part)
            for row, col, m in cells:
                srec.cells.append(_apply_cell(ed, row, col, m.severity, styles))
                self.cells_marked += 1
            texts = [(row, col, m.texts) for row, col, m in cells]
            if add_comments(self, info, srec, texts):
                self.new.vml_default_added = True
            out.append(srec)
        return out

    def _cleanup(
        self,
        sheet_recs: dict[str, tuple[SheetInfo, SheetRec, set]],
        new_sheets: list[SheetRec],
    ) -> None:
        """Remove the parts mops created that are now empty."""
        new_flags = {s.sheet_id: s for s in new_sheets}
        for part, (info, old, _) in sheet_recs.items():
            flags = new_flags.get(info.sheet_id, old)
            remove_empty_parts(self, part, info, flags)

    def _finish(self, styles: Styles, new_sheets: list[SheetRec]) -> None:
        old = self.old
        new = self.new
        anything = bool(new_sheets) or new.findings_name is not None
        # The user's own styles end where they ended before the previous run, if that run's
        # styles are still there (cut or not); otherwise at today's end.
        base = tuple(len(styles.items[n]) for n in (b"fonts", b"fills", b"cellXfs"))
        if old is not None and base in (
            (old.fonts, old.fills, old.xfs),
            (old.fonts_after, old.fills_after, old.xfs_after),
        ):
            new.fonts, new.fills, new.xfs = old.fonts, old.fills, old.xfs
        else:
            new.fonts, new.fills, new.xfs = base
        if old is not None:
            new.styles_created = new.styles_created or old.styles_created
            new.vml_default_added = new.vml_default_added or old.vml_default_added
        if any(styles.new.values()):
            self.pkg.put(self.styles_part, styles.render())
        self.views.write()
        new.fonts_after = styles.count(b"fonts")
        new.fills_after = styles.count(b"fills")
        new.xfs_after = styles.count(b"cellXfs")
        if (
            not anything
            and new.styles_created
            and self.pkg.get(self.styles_part) == DEFAULT_STYLES  # no format of the user's
        ):
            self.delete_with_rels(self.styles_part)
            with self.edit(rels_name(self.wb_part)) as doc:
                for rel in read_rels(doc, self.wb_part):
                    if rel.target == self.styles_part:
                        doc.remove(rel.el)
        for part, ed in self.editors.items():
            if ed.changed():
                self.pkg.put(part, ed.render())
        if not anything and new.vml_default_added:
            self.remove_default("vml")
        new.sheets = new_sheets
        if anything:
            write_record(self, new, self.record_part)
        elif self.record_part is not None:
            remove_record(self, self.record_part)


def _style_refs(data: bytes, ours: range) -> Counter[int]:
    """How many cells, rows and columns use each format in ``ours`` (any quoting or spacing)."""
    numbers = b"|".join(str(i).encode() for i in ours)
    # Anchored on the attribute name, not on the whitespace before it: a regex that starts
    # with a character class scans a 30 MB sheet for seconds; this one takes a fraction.
    pattern = re.compile(rb"""(?:s|style)\s*=\s*["'](""" + numbers + rb""")["']""")
    counts: Counter[int] = Counter()
    for m in pattern.finditer(data):
        if data[m.start() - 1 : m.start()].isspace():
            counts[int(m.group(1))] += 1
    return counts


def _undo_cell(ed: SheetEditor, c: CellRec, foreign: Styles | None) -> bool:
    """Give one cell of the previous run its own style back; False if it was restyled since."""
    # With ``foreign`` styles (renumbered by another program since), the recorded ids mean
    # nothing: a cell still showing a mops fill gets its present format without the fill.
    row_num, col = parse_ref(c.ref)
    row = ed.row(row_num, create=False)
    if row is None:
        return False
    cell = row.find(col)
    if cell is None:
        return False
    current = cell_s(cell.xml)
    if foreign is None and current != str(c.mark):
        return False
    if foreign is not None and not (
        current and current.isdigit() and foreign.is_ours(int(current))
    ):
        return False
    row.touched = True
    if c.created and not has_content(cell.xml):
        row.remove(cell)
        if c.spans_set is not None and row.attrs().get(b"spans") == c.spans_set:
            row.tag = with_attr(row.tag, b"spans", c.spans_orig or None)
    elif foreign is not None:
        cell.xml = with_attr(cell.xml, b"s", str(foreign.unfilled(int(current or 0))))
    elif c.created:
        cell.xml = with_attr(cell.xml, b"s", str(c.base) if c.base else None)
    else:
        cell.xml = with_attr(cell.xml, b"s", c.orig_s)
    if (
        c.row_created
        and not row.cells()
        and set(row.attrs()) <= ROW_KEEP_ATTRS
        and not any(isinstance(i, bytes) and i.strip() for i in row.items)
    ):
        row.items = []
        row.deleted = True
    return True


def _apply_cell(ed: SheetEditor, row_num: int, col: int, severity: str, styles: Styles):
    row = ed.row(row_num, create=True)
    assert row is not None
    row_created = row.span is None or row.deleted
    row.deleted = False  # a row of the previous run comes back for this one
    row.touched = True
    cell = row.find(col)
    ref = cell_ref(row_num, col)
    spans_orig = spans_set = None
    if cell is not None:
        orig = cell_s(cell.xml)
        base = int(orig) if orig and orig.isdigit() else 0
        created = False
    else:
        orig = None
        row_style = ed.row_style(row)
        base = row_style if row_style is not None else ed.col_style(col)
        created = True
        cell = Cell(col, b"<" + ed.p + b'c r="' + ref.encode() + b'"/>')
        row.insert(cell)
        spans_orig, spans_set = widen_spans(row, col)
    mark = styles.marked(base, severity)
    cell.xml = with_attr(cell.xml, b"s", str(mark))
    return CellRec(
        ref=ref,
        orig_s=orig,
        base=base,
        mark=mark,
        created=created,
        row_created=row_created,
        comment="",
        wrapped=False,
        text="",
        spans_orig=spans_orig,
        spans_set=spans_set,
    )
