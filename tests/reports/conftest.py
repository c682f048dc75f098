"""The demo year and its reports, made once for the report tests."""

from __future__ import annotations

import pytest

from reports.helpers import DEMO_AS_OF


@pytest.fixture(scope="session")
def demo_reports(demo_folder, tmp_path_factory):
    """All reports of the demo year, in zh-TW and in English."""
    import mops

    out = tmp_path_factory.mktemp("reports")
    runs = {
        lang: mops.report("all", demo_folder, as_of=DEMO_AS_OF, lang=lang, out=out / lang)
        for lang in ("zh-TW", "en")
    }
    return runs
