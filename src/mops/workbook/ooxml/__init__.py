"""Patching an Office Open XML workbook in place, part by part, without a round trip.

The workbook is opened as a zip package (``parts``, ``zipio``). Only the parts that change are
patched, by splicing bytes into the original XML (``xml``), so prefixes, ``mc:Ignorable`` lists
and unknown extensions survive; every other part is copied with its original compressed bytes.
``session`` holds one package open for patching; the other modules each handle one kind of part:
worksheets (``sheet``, ``cell_content``), ``styles``, ``comments`` with their ``vml`` drawing,
the ``findings_sheet`` and the ``record`` of what mops changed.
"""
