"""A sheet's comments part: mops's comments added (or appended to the user's) and taken out."""

from __future__ import annotations

from mops.workbook.ooxml.cells import MAX_CELL_TEXT, cell_ref, parse_ref
from mops.workbook.ooxml.parts import (
    CT_COMMENTS,
    CT_VML,
    EMPTY_RELS,
    RT_COMMENTS,
    RT_VML,
    add_rel,
    free_after,
    read_rels,
    rels_name,
)
from mops.workbook.ooxml.record import CellRec, Record, SheetRec
from mops.workbook.ooxml.session import Session, SheetInfo
from mops.workbook.ooxml.vml import (
    VML_HEAD,
    VML_SHAPE,
    add_vml_shapes,
    check_vml,
    free_vml_block,
    undo_vml,
    vml_blocks,
)
from mops.workbook.ooxml.xml import NS_MAIN, XML_DECL, Damaged, Doc, El, esc, ooxml_decode

AUTHOR = "mops"
COMMENT_FONT = (
    b'<sz val="9"/><rFont val="Microsoft JhengHei"/><family val="2"/><charset val="136"/>'
)


def _runs(head: str | None, body: str, p: bytes) -> bytes:
    """Our comment text as rich-text runs: a bold ``mops:`` line, then the findings."""
    out = b""
    if head is not None:
        out += b'<%sr><%srPr><%sb/>%s</%srPr><%st xml:space="preserve">%s</%st></%sr>' % (
            p,
            p,
            p,
            _prefixed(COMMENT_FONT, p),
            p,
            p,
            esc(head),
            p,
            p,
        )
    out += b'<%sr><%srPr>%s</%srPr><%st xml:space="preserve">%s</%st></%sr>' % (
        p,
        p,
        _prefixed(COMMENT_FONT, p),
        p,
        p,
        esc(body),
        p,
        p,
    )
    return out


def _prefixed(xml: bytes, p: bytes) -> bytes:
    return xml.replace(b"<", b"<" + p) if p else xml


def _comment_text(text_: str) -> str:
    return text_ if len(text_) <= MAX_CELL_TEXT - 200 else text_[: MAX_CELL_TEXT - 201] + "…"


def _author_id(doc: Doc) -> tuple[int, bool]:
    """The index of the ``mops`` comment author, added if missing; and whether it was added."""
    authors = doc.child(None, b"authors")
    if authors is None:
        raise Damaged(doc.part, "no <authors>")
    names = [doc.text(a) for a in doc.children(authors, b"author")]
    if AUTHOR in names:
        return names.index(AUTHOR), False
    doc.append(authors, b"<%sauthor>%s</%sauthor>" % (doc.p, AUTHOR.encode(), doc.p))
    return len(names), True


def _comment_list(doc: Doc) -> El:
    el = doc.child(None, b"commentList")
    if el is None:
        raise Damaged(doc.part, "no <commentList>")
    return el


def _comment_map(doc: Doc) -> dict[str, El]:
    out = {}
    el = doc.child(None, b"commentList")
    for c in doc.children(el, b"comment", flat=True) if el is not None else []:
        ref = doc.attr(c, b"ref")
        if ref:
            out[ref.upper().replace("$", "")] = c
    return out


def _append_comment(doc: Doc, comment: El, body: str) -> tuple[bool, str]:
    """Append our runs to the user's comment; returns (wrapped, appended text)."""
    text_el = doc.child(comment, b"text")
    if text_el is None:
        raise Damaged(doc.part, "a comment without <text>")
    kids = doc.children(text_el)
    wrapped = False
    for k in kids:
        if k.local == b"t":
            # A plain <t> is wrapped in a run so that more runs may follow it.
            doc.replace(k, b"<%sr>" % doc.p + doc.xml(k) + b"</%sr>" % doc.p)
            wrapped = True
    pos = next((k.start for k in kids if k.local in (b"rPh", b"phoneticPr")), None)
    added = "\n" + AUTHOR + ":"
    runs = _runs(added, "\n" + body, doc.p)
    if pos is not None:
        doc.insert(pos, runs)
    else:
        doc.append(text_el, runs)
    return wrapped, added + "\n" + body


def _comment_full_text(doc: Doc, comment: El) -> str:
    """A comment's whole text, as Excel shows it."""
    return "".join(piece for _, _, piece in _text_segments(doc, comment))


def _text_segments(doc: Doc, comment: El) -> list[tuple[El, El, str]]:
    """The comment's text pieces in order: (run or bare <t>, its <t>, decoded text)."""
    text_el = doc.child(comment, b"text")
    out = []
    for k in doc.children(text_el) if text_el is not None else []:
        t = k if k.local == b"t" else doc.child(k, b"t") if k.local == b"r" else None
        if t is not None:
            out.append((k, t, ooxml_decode(doc.text(t))))
    return out


def _undo_comment_doc(doc: Doc, srec: SheetRec) -> set[tuple[int, int]]:
    """Remove our comments and cut our text from the user's; returns the cells left bare."""
    # Matched by text as well as by author: other programs rewrite authors and runs.
    comments = _comment_map(doc)
    authors_el = doc.child(None, b"authors")
    authors = [doc.text(a) for a in doc.children(authors_el, b"author")] if authors_el else []
    removed: set[tuple[int, int]] = set()
    gone: set[int] = set()
    for c in srec.cells:
        el = comments.get(c.ref)
        if el is None:
            continue
        if c.comment == "created":
            author = doc.attr(el, b"authorId") or ""
            by_mops = author.isdigit() and authors[int(author) :][:1] == [AUTHOR]
            if by_mops or _comment_full_text(doc, el) == c.text:
                doc.remove(el)
                removed.add(parse_ref(c.ref))
                gone.add(el.start)
        elif c.comment == "appended":
            _cut_text(doc, el, c)
    if srec.author_added and authors and authors[-1] == AUTHOR and authors_el is not None:
        mops_id = str(len(authors) - 1)
        in_use = any(
            doc.attr(el, b"authorId") == mops_id for el in comments.values() if el.start not in gone
        )
        if not in_use:
            doc.remove(doc.children(authors_el, b"author")[-1])
    return removed


def _cut_text(doc: Doc, comment: El, c: CellRec) -> None:
    """Cut the text mops appended from the end of the user's comment, if it still ends so."""
    # Whole runs go and the run our text starts in is trimmed: that works whether the runs
    # are ours or another program has moved their boundaries.
    segments = _text_segments(doc, comment)
    if not c.text or not "".join(t for _, _, t in segments).endswith(c.text):
        return
    left = len(c.text)
    kept = len(segments)
    for seg, t_el, piece in reversed(segments):
        if left <= 0:
            break
        if len(piece) <= left:
            doc.remove(seg)
            kept -= 1
            left -= len(piece)
        else:
            doc.replace(
                t_el,
                b'<%st xml:space="preserve">%s</%st>'
                % (doc.p, esc(piece[: len(piece) - left]), doc.p),
            )
            left = 0
    rest = segments[:kept]
    if c.wrapped and len(rest) == 1 and rest[0][0].local == b"r":
        run, t_el, _ = rest[0]
        text_el = doc.child(comment, b"text")
        others = [k for k in doc.children(text_el) if k.local not in (b"r", b"t")]
        if doc.child(run, b"rPr") is None and not others:
            doc.replace(run, doc.xml(t_el))  # the user's plain text, as it was


def sheet_parts(session: Session, info: SheetInfo) -> tuple[str | None, str | None, str | None]:
    """The comments part, VML part and its relationship id of a worksheet."""
    assert info.part is not None
    rels_part = rels_name(info.part)
    if not session.pkg.exists(rels_part):
        return None, None, None
    rels = read_rels(session.doc(rels_part), info.part)
    comments = next((r.target for r in rels if r.type == RT_COMMENTS), None)
    rid = session.editor(info.part).legacy_rid()
    vml = next((r.target for r in rels if r.id == rid and r.type == RT_VML), None)
    for target in (comments, vml):
        if target is not None and not session.pkg.exists(target):
            raise Damaged(rels_part, f"{target} is missing")
    return comments, vml, rid if vml else None


def undo_comments(
    session: Session, old: Record | None
) -> dict[str, tuple[SheetInfo, SheetRec, set]]:
    """Take our comments and note shapes out; returns the old record of each sheet found."""
    out: dict[str, tuple[SheetInfo, SheetRec, set]] = {}
    if old is None:
        return out
    for srec in old.sheets:
        info = session.sheet_by(name=srec.name, sheet_id=srec.sheet_id)
        if info is None or not info.is_worksheet or info.part is None:
            continue
        comments_part, vml_part, _ = sheet_parts(session, info)
        removed: set[tuple[int, int]] = set()
        if comments_part and session.pkg.exists(comments_part):
            with session.edit(comments_part) as doc:
                removed = _undo_comment_doc(doc, srec)
        if vml_part and session.pkg.exists(vml_part):
            data = session.pkg.get(vml_part)
            check_vml(data, vml_part)
            new = undo_vml(data, removed, srec)
            if new != data:
                session.pkg.put(vml_part, new)
        out[info.part] = (info, srec, removed)
    return out


def add_comments(
    session: Session, info: SheetInfo, srec: SheetRec, cells: list[tuple[int, int, list[str]]]
) -> bool:
    """Comment each cell (row, col, texts) of a sheet, with its note shape in the VML drawing.

    ``srec`` records what was created; returns whether the ``vml`` default content type was
    added.
    """
    assert info.part is not None
    comments_part, vml_part, _ = sheet_parts(session, info)
    rels_part = rels_name(info.part)
    if not session.pkg.exists(rels_part):
        srec.rels_created = True
    if comments_part is None:
        comments_part = free_after(session.pkg, r"xl/comments(\d+)\.xml", "xl/comments%d.xml")
        session.pkg.put(
            comments_part,
            XML_DECL + f'<comments xmlns="{NS_MAIN}"><authors/><commentList/></comments>'.encode(),
        )
        with session.edit(rels_part, EMPTY_RELS) as doc:
            add_rel(doc, info.part, RT_COMMENTS, comments_part)
        session.add_override(comments_part, CT_COMMENTS)
        srec.comments_created = True
    created: list[tuple[int, int, str]] = []
    by_ref = {c.ref: c for c in srec.cells}
    with session.edit(comments_part) as doc:
        author_id, added = _author_id(doc)
        if added:
            srec.author_added = True
        existing = _comment_map(doc)
        for row, col, texts in cells:
            ref = cell_ref(row, col)
            body = _comment_text("\n".join(texts))
            c = by_ref[ref]
            if ref in existing:
                c.comment = "appended"
                c.wrapped, c.text = _append_comment(doc, existing[ref], body)
            else:
                c.comment = "created"
                c.text = AUTHOR + ":\n" + body
                doc.append(
                    _comment_list(doc),
                    b'<%scomment ref="%s" authorId="%d"><%stext>%s</%stext></%scomment>'
                    % (
                        doc.p,
                        ref.encode(),
                        author_id,
                        doc.p,
                        _runs(AUTHOR + ":", "\n" + body, doc.p),
                        doc.p,
                        doc.p,
                    ),
                )
                created.append((row, col, body))
    if not created:
        return False
    vml_default_added = False
    if vml_part is None and session.editor(info.part).legacy_rid() is not None:
        raise Damaged(info.part, "<legacyDrawing> refers to no VML drawing")
    if vml_part is None:
        vml_part = free_after(
            session.pkg, r"xl/drawings/vmlDrawing(\d+)\.vml", "xl/drawings/vmlDrawing%d.vml"
        )
        block = free_vml_block(session.pkg)
        session.pkg.put(vml_part, VML_HEAD % str(block).encode() + b"\n</xml>\n")
        with session.edit(rels_part, EMPTY_RELS) as doc:
            rid = add_rel(doc, info.part, RT_VML, vml_part)
        session.editor(info.part).add_legacy_drawing(rid)
        if session.default_type("vml") is None:
            session.add_default("vml", CT_VML)
            vml_default_added = True
        srec.vml_created = True
    data = session.pkg.get(vml_part)
    check_vml(data, vml_part)
    data, typed, idmap_orig = add_vml_shapes(data, created, vml_blocks(session.pkg, vml_part))
    if typed:
        srec.shapetype_added = True
    if idmap_orig is not None and srec.idmap_orig is None:
        srec.idmap_orig = idmap_orig
    session.pkg.put(vml_part, data)
    return vml_default_added


def remove_empty_parts(session: Session, part: str, info: SheetInfo, flags: SheetRec) -> None:
    """Remove the comments and VML parts mops created for a sheet once they are empty."""
    comments_part, vml_part, vml_rid = sheet_parts(session, info)
    rels_part = rels_name(part)
    if flags.comments_created and comments_part and session.pkg.exists(comments_part):
        doc = session.doc(comments_part)
        if not _comment_map(doc):
            session.delete_with_rels(comments_part)
            with session.edit(rels_part) as rdoc:
                for rel in read_rels(rdoc, part):
                    if rel.target == comments_part:
                        rdoc.remove(rel.el)
    vml_empty = vml_part is not None and not VML_SHAPE.search(session.pkg.get(vml_part))
    if flags.vml_created and vml_part and vml_rid and vml_empty:
        session.delete_with_rels(vml_part)
        with session.edit(rels_part) as rdoc:
            for rel in read_rels(rdoc, part):
                if rel.id == vml_rid:
                    rdoc.remove(rel.el)
        session.editor(part).remove_legacy_drawing(vml_rid)
    if (
        flags.rels_created
        and session.pkg.exists(rels_part)
        and not read_rels(session.doc(rels_part), part)
    ):
        session.pkg.delete(rels_part)
